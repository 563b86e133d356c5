"""What the rules read: task ratings, discipline, initiatives, and the award history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Person, Phase, Unit
from campaigns.versioning import VersionedModel

from .catalogue import AwardType


class Rating(models.TextChoices):
    EXCELLENT = "excellent", _("Hoàn thành xuất sắc nhiệm vụ")
    GOOD = "good", _("Hoàn thành tốt nhiệm vụ")
    DONE = "done", _("Hoàn thành nhiệm vụ")
    NOT_DONE = "not_done", _("Không hoàn thành nhiệm vụ")


RATING_RANK = {Rating.EXCELLENT: 4, Rating.GOOD: 3, Rating.DONE: 2, Rating.NOT_DONE: 1}


class TaskRating(VersionedModel):
    """The yearly task rating of a person or of a unit (exactly one of the two)."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="ratings"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    rating = models.CharField(_("mức xếp loại"), max_length=12, choices=Rating.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xếp loại hoàn thành nhiệm vụ")
        verbose_name_plural = _("xếp loại hoàn thành nhiệm vụ")
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="rating_person_xor_unit",
            ),
            models.UniqueConstraint(
                fields=["person", "year"],
                condition=Q(person__isnull=False),
                name="one_rating_per_person_year",
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(unit__isnull=False),
                name="one_rating_per_unit_year",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person or self.unit} {self.year}: {self.get_rating_display()}"


class DisciplineForm(models.TextChoices):
    REPRIMAND = "reprimand", _("Khiển trách")
    WARNING = "warning", _("Cảnh cáo")
    DEMOTION = "demotion", _("Hạ bậc lương, giáng chức")
    REMOVAL = "removal", _("Cách chức")
    DISMISSAL = "dismissal", _("Buộc thôi việc")


DISCIPLINE_SEVERITY = {
    DisciplineForm.REPRIMAND: 1,
    DisciplineForm.WARNING: 2,
    DisciplineForm.DEMOTION: 3,
    DisciplineForm.REMOVAL: 4,
    DisciplineForm.DISMISSAL: 5,
}


class DisciplineRecord(VersionedModel):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="discipline_records")
    form = models.CharField(_("hình thức kỷ luật"), max_length=12, choices=DisciplineForm.choices)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"), null=True, blank=True)
    decision = models.CharField(_("quyết định"), max_length=300, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỷ luật")
        verbose_name_plural = _("kỷ luật")
        ordering = ["person", "-start_date"]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_form_display()}"


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Sáng kiến")
    SCIENCE_TOPIC = "science_topic", _("Đề tài khoa học")


class Scope(models.TextChoices):
    GRASSROOTS = "grassroots", _("Cơ sở")
    MINISTRY = "ministry", _("Cấp bộ, ngành, tỉnh")
    NATIONAL = "national", _("Toàn quốc")


SCOPE_RANK = {Scope.GRASSROOTS: 1, Scope.MINISTRY: 2, Scope.NATIONAL: 3}


class Initiative(VersionedModel):
    """An initiative (sáng kiến) or science topic, recognised with a scope of effect."""

    kind = models.CharField(
        _("loại"), max_length=16, choices=InitiativeKind.choices, default=InitiativeKind.INITIATIVE
    )
    title = models.CharField(_("tên sáng kiến, đề tài"), max_length=500)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="initiatives"
    )
    year = models.PositiveSmallIntegerField(_("năm công nhận"))
    scope = models.CharField(_("phạm vi ảnh hưởng"), max_length=12, choices=Scope.choices)
    authors = models.ManyToManyField(Person, verbose_name=_("tác giả"), related_name="initiatives")
    recognition = models.CharField(_("quyết định công nhận"), max_length=300, blank=True)
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("sáng kiến, đề tài")
        verbose_name_plural = _("sáng kiến, đề tài")
        ordering = ["-year", "title"]

    def __str__(self) -> str:
        return self.title


class Track(models.TextChoices):
    MERIT = "merit", _("Công trạng, thường xuyên")
    THEMATIC = "thematic", _("Chuyên đề")
    ADHOC = "adhoc", _("Đột xuất")
    CONTRIBUTION = "contribution", _("Quá trình cống hiến")
    FOREIGN = "foreign", _("Đối ngoại")
    SERVICE = "service", _("Niên hạn")


class AwardRecord(models.Model):
    """An award granted to a person or a collective: by a decision here, or imported history.

    A revoked award stays visible, marked revoked, with its revocation.
    """

    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("danh hiệu, hình thức"),
        on_delete=models.PROTECT,
        related_name="records",
    )
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="awards"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("tập thể"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="awards",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    track = models.CharField(
        _("loại hình"), max_length=16, choices=Track.choices, default=Track.MERIT
    )
    decision = models.ForeignKey(
        "awards.AwardDecision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    nomination = models.OneToOneField(
        "awards.Nomination", on_delete=models.PROTECT, null=True, blank=True, related_name="award"
    )
    # Who granted the award, and so who may revoke or correct it (awards.access.
    # can_change_record): the decision's body for a decision made here; for history
    # imported or entered here, the body of the HR staff who entered it. Never the
    # recipient's unit, which can be a department below the body or, after a transfer,
    # another body altogether. Empty only for old rows nobody could attribute.
    issuing_body = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan khen thưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    phase = models.ForeignKey(
        Phase, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Imported history carries the decision as text.
    decision_number = models.CharField(_("số quyết định"), max_length=100, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    is_imported = models.BooleanField(_("nhập từ dữ liệu cũ"), default=False)
    revoked_on = models.DateField(_("ngày thu hồi"), null=True, blank=True)
    revocation_decision = models.CharField(_("quyết định thu hồi"), max_length=200, blank=True)
    revocation_reason = models.TextField(_("lý do thu hồi"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("khen thưởng đã trao")
        verbose_name_plural = _("khen thưởng đã trao")
        ordering = ["-year", "award_type__order"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="award_person_xor_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["person", "award_type", "year"]),
            models.Index(fields=["unit", "award_type", "year"]),
            models.Index(fields=["year", "award_type"]),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} {self.year} – {self.person or self.unit}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_on is not None


class Exemplar(VersionedModel):
    """An exemplar (điển hình tiên tiến) and the story worth spreading."""

    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="exemplars"
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("tập thể"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="exemplars",
    )
    headline = models.CharField(_("tiêu đề"), max_length=300)
    story = models.TextField(_("câu chuyện, cách làm hay"))
    year = models.PositiveSmallIntegerField(_("năm"))
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("phong trào"), blank=True, related_name="exemplars"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điển hình tiên tiến")
        verbose_name_plural = _("điển hình tiên tiến")
        ordering = ["-year", "headline"]

    def __str__(self) -> str:
        return self.headline
