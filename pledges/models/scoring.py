"""Year-end scoring in a bloc: the table, self-scores, cross-scores, acclamation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import StoredUpload, Unit
from campaigns.versioning import VersionedModel

from .bloc import BlocYear


class ScoringStage(models.TextChoices):
    SETUP = "setup", _("Xây dựng bảng điểm")
    SELF = "self", _("Tự chấm")
    CROSS = "cross", _("Chấm chéo")
    MEETING = "meeting", _("Họp khối, suy tôn")
    CLOSED = "closed", _("Đã kết thúc")


class ScoringTable(VersionedModel):
    """The bloc's scoring table for one year and where the round stands."""

    bloc_year = models.OneToOneField(
        BlocYear, on_delete=models.PROTECT, related_name="scoring_table"
    )
    stage = models.CharField(
        _("giai đoạn chấm điểm"),
        max_length=16,
        choices=ScoringStage.choices,
        default=ScoringStage.SETUP,
    )
    self_deadline = models.DateField(_("hạn tự chấm"), null=True, blank=True)
    cross_deadline = models.DateField(_("hạn chấm chéo"), null=True, blank=True)
    reopened_until = models.DateField(
        _("mở lại đến ngày"),
        null=True,
        blank=True,
        help_text=_("Khi thư ký mở lại giai đoạn đã quá hạn."),
    )
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("bảng chấm điểm")
        verbose_name_plural = _("bảng chấm điểm")

    def __str__(self) -> str:
        return str(self.bloc_year)


class CriterionGroup(models.Model):
    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nhóm tiêu chí"), max_length=500)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhóm tiêu chí")
        verbose_name_plural = _("nhóm tiêu chí")
        ordering = ["table", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Criterion(models.Model):
    group = models.ForeignKey(CriterionGroup, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.CharField(_("tiêu chí"), max_length=1000)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        ordering = ["group", "number", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(max_points__gt=0), name="criterion_max_positive")
        ]

    def __str__(self) -> str:
        return self.text


class SelfScore(models.Model):
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="self_scores")
    member = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm tự chấm"), max_digits=6, decimal_places=2)
    note = models.TextField(_("giải trình"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "member"], name="one_self_score"),
            models.CheckConstraint(condition=Q(points__gte=0), name="self_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.points}"


def _evidence_path(instance: ScoreEvidence, filename: str) -> str:
    return f"scoring/{instance.self_score_id}/{instance.sha256}{instance.extension}"


class ScoreEvidence(StoredUpload):
    """A file of evidence for a self-score."""

    self_score = models.ForeignKey(SelfScore, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("minh chứng"), upload_to=_evidence_path, max_length=300)


class CrossScore(models.Model):
    """One member's score of another member on one criterion (never of itself)."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="cross_scores")
    scorer = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    scored = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("điểm chấm chéo"), max_digits=6, decimal_places=2)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["criterion", "scorer", "scored"], name="one_cross_score"
            ),
            models.CheckConstraint(condition=~Q(scorer=F("scored")), name="no_self_cross_score"),
            models.CheckConstraint(condition=Q(points__gte=0), name="cross_score_not_negative"),
        ]
        indexes = [models.Index(fields=["criterion", "scored"])]

    def __str__(self) -> str:
        return f"{self.scorer} → {self.scored}: {self.points}"


class FinalScore(models.Model):
    """A score the bloc meeting sets for a member on a criterion, overriding the mean."""

    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="final_scores")
    member = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(
        _("điểm do hội nghị khối quyết định"), max_digits=6, decimal_places=2
    )
    reason = models.TextField(_("lý do"), blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["criterion", "member"], name="one_final_score"),
            models.CheckConstraint(condition=Q(points__gte=0), name="final_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.points}"


class StageReopening(models.Model):
    """The secretariat reopened a stage past its deadline: who, when, why, until when."""

    table = models.ForeignKey(ScoringTable, on_delete=models.CASCADE, related_name="reopenings")
    stage = models.CharField(max_length=16, choices=ScoringStage.choices)
    until = models.DateField(_("mở lại đến ngày"))
    reason = models.TextField(_("lý do"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["table", "-at"]

    def __str__(self) -> str:
        return f"{self.table} – {self.stage} – {self.until}"


class Acclamation(models.Model):
    """The bloc meeting acclaims a member as a leading unit, proposed for the emulation flag."""

    bloc_year = models.ForeignKey(BlocYear, on_delete=models.PROTECT, related_name="acclamations")
    member = models.ForeignKey(
        Unit, verbose_name=_("đơn vị dẫn đầu"), on_delete=models.PROTECT, related_name="+"
    )
    votes_for = models.PositiveSmallIntegerField(_("số phiếu đồng ý"))
    votes_total = models.PositiveSmallIntegerField(_("tổng số phiếu"))
    meeting_date = models.DateField(_("ngày hội nghị"))
    proposed_for_flag = models.BooleanField(_("đề nghị tặng Cờ thi đua"), default=True)
    minutes = models.TextField(_("biên bản tóm tắt"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("suy tôn đơn vị dẫn đầu")
        verbose_name_plural = _("suy tôn đơn vị dẫn đầu")
        constraints = [
            models.UniqueConstraint(
                fields=["bloc_year", "member"], name="one_acclamation_per_member"
            ),
            models.CheckConstraint(
                condition=Q(votes_for__lte=F("votes_total")), name="votes_for_within_total"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bloc_year}: {self.member}"
