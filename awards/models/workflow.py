"""Registrations, award rounds, nominations with dossiers, council sessions, decisions."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Person, Phase, StoredUpload, Unit
from campaigns.versioning import VersionedModel

from .catalogue import AwardType
from .records import Track


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã duyệt")
    RETURNED = "returned", _("Trả lại")


class Registration(VersionedModel):
    """A unit's registration (đăng ký thi đua) for a year, optionally for a campaign."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="registrations"
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("phong trào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
    )
    collective_title = models.ForeignKey(
        AwardType,
        verbose_name=_("danh hiệu tập thể đăng ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.DRAFT,
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "campaign"], name="one_registration_per_campaign"
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(campaign__isnull=True),
                name="one_yearly_registration",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.year}"


class RegistrationEntry(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="entries")
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        on_delete=models.PROTECT,
        related_name="registration_entries",
    )
    award_type = models.ForeignKey(
        AwardType, verbose_name=_("danh hiệu đăng ký"), on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "person", "award_type"], name="one_entry_per_title"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.award_type}"


class AwardRound(VersionedModel):
    """A round of commendation in a body: the year's merit review, or a campaign phase review."""

    body = models.ForeignKey(
        Unit, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="award_rounds"
    )
    name = models.CharField(_("tên đợt khen thưởng"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm"))
    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("phong trào"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_rounds",
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("giai đoạn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="award_rounds",
    )
    nomination_deadline = models.DateField(_("hạn gửi hồ sơ"), null=True, blank=True)
    is_open = models.BooleanField(_("đang nhận hồ sơ"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đợt khen thưởng")
        verbose_name_plural = _("đợt khen thưởng")
        ordering = ["-year", "name"]

    def __str__(self) -> str:
        return self.name


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    SUBMITTED = "submitted", _("Đã gửi")
    RETURNED = "returned", _("Trả lại để bổ sung")
    ACCEPTED = "accepted", _("Đưa ra Hội đồng")
    VOTED = "voted", _("Đã bỏ phiếu")
    APPROVED = "approved", _("Được Hội đồng thông qua")
    REJECTED = "rejected", _("Không được thông qua")
    DECIDED = "decided", _("Đã có quyết định")


class Nomination(models.Model):
    """A unit's proposal (đề nghị khen thưởng) of a person or collective for a title or form."""

    round = models.ForeignKey(
        AwardRound,
        verbose_name=_("đợt khen thưởng"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    proposing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị đề nghị"),
        on_delete=models.PROTECT,
        related_name="nominations_made",
    )
    award_type = models.ForeignKey(
        AwardType,
        verbose_name=_("danh hiệu, hình thức"),
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("cá nhân"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("tập thể"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="nominations",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    track = models.CharField(
        _("loại hình"), max_length=16, choices=Track.choices, default=Track.MERIT
    )
    achievement_summary = models.TextField(_("tóm tắt thành tích"))
    status = models.CharField(
        _("trạng thái"),
        max_length=12,
        choices=NominationStatus.choices,
        default=NominationStatus.DRAFT,
        db_index=True,
    )
    eligibility = models.JSONField(
        _("kết quả kiểm tra điều kiện"), default=dict, blank=True, editable=False
    )
    eligibility_checked_at = models.DateTimeField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    CONFLICT_MESSAGE = _(
        "Đề nghị vừa được người khác thay đổi (sửa nội dung hoặc chuyển trạng thái) "
        "sau khi bạn mở trang. Tải lại trang để xem bản mới nhất rồi nhập lại thay "
        "đổi của bạn."
    )
    history = HistoricalRecords(
        excluded_fields=["eligibility", "eligibility_checked_at", "version"]
    )

    class Meta:
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False, unit__isnull=True)
                | Q(person__isnull=True, unit__isnull=False),
                name="nomination_person_xor_unit",
            ),
        ]
        indexes = [
            models.Index(fields=["round", "status"]),
            # Also carries what the nominations list filters, sorts and counts by, so
            # that its keys are read from the index alone (PostgreSQL INCLUDE), not
            # from thousands of scattered table pages (docs/benchmarks.md).
            models.Index(
                fields=["proposing_unit", "year", "created_at"],
                include=["id", "status", "round", "award_type"],
                name="nomination_list_keys",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.award_type} – {self.person or self.unit}"

    @property
    def nominee(self) -> Person | Unit:
        return self.person or self.unit

    @property
    def is_editable(self) -> bool:
        return self.status in (NominationStatus.DRAFT, NominationStatus.RETURNED)


class DossierKind(models.TextChoices):
    SUBMISSION_LETTER = "submission_letter", _("Tờ trình")
    ACHIEVEMENT_REPORT = "achievement_report", _("Báo cáo thành tích")
    MINUTES = "minutes", _("Biên bản họp Hội đồng đơn vị")
    INITIATIVE_CERTIFICATE = "initiative_certificate", _("Giấy chứng nhận sáng kiến")
    ATTACHMENT = "attachment", _("Tài liệu khác")


def _dossier_path(instance: DossierFile, filename: str) -> str:
    return f"nominations/{instance.nomination_id}/{instance.sha256}{instance.extension}"


class DossierFile(StoredUpload):
    """A file of a nomination's dossier (submission letter, achievement report, …)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="files")
    kind = models.CharField(_("loại hồ sơ"), max_length=24, choices=DossierKind.choices)
    file = models.FileField(_("tệp"), upload_to=_dossier_path, max_length=300)

    class Meta:
        verbose_name = _("tệp hồ sơ")
        verbose_name_plural = _("tệp hồ sơ")
        ordering = ["nomination", "kind", "uploaded_at"]


class NominationEvent(models.Model):
    """Every workflow step of a nomination: who, when, from which status to which, why."""

    nomination = models.ForeignKey(Nomination, on_delete=models.PROTECT, related_name="events")
    action = models.CharField(max_length=64)  # dotted, e.g. "awards.nomination.returned"
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    reason = models.TextField(blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["nomination", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.nomination_id} {self.action}"


class SessionStatus(models.TextChoices):
    OPEN = "open", _("Đang họp, bỏ phiếu")
    CLOSED = "closed", _("Đã kết thúc")


class CouncilSession(VersionedModel):
    """A session of the emulation and commendation council (Hội đồng TĐKT)."""

    body = models.ForeignKey(
        Unit, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="council_sessions"
    )
    round = models.ForeignKey(
        AwardRound,
        verbose_name=_("đợt khen thưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sessions",
    )
    title = models.CharField(_("tên phiên họp"), max_length=300)
    held_on = models.DateField(_("ngày họp"))
    chair = models.CharField(_("chủ tịch Hội đồng"), max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("thành viên Hội đồng"),
        related_name="council_sessions",
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=SessionStatus.choices, default=SessionStatus.OPEN
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiên họp Hội đồng")
        verbose_name_plural = _("phiên họp Hội đồng")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return self.title


class AgendaItem(models.Model):
    session = models.ForeignKey(CouncilSession, on_delete=models.PROTECT, related_name="agenda")
    nomination = models.ForeignKey(
        Nomination, on_delete=models.PROTECT, related_name="agenda_items"
    )
    secret = models.BooleanField(_("bỏ phiếu kín"), default=False)
    required_share = models.DecimalField(
        _("tỷ lệ đồng ý cần đạt"), max_digits=5, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["session", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "nomination"], name="nomination_once_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.session} – {self.nomination}"


class Choice(models.TextChoices):
    AGREE = "agree", _("Đồng ý")
    DISAGREE = "disagree", _("Không đồng ý")


class Ballot(models.Model):
    """A named vote on an open (non-secret) item: who voted what is the point of an open vote.

    A secret item has no Ballot rows at all: its votes are only counted (SecretCount)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="ballots")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(_("phiếu"), max_length=10, choices=Choice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "voter"], name="one_ballot_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.choice}"


class SecretCount(models.Model):
    """How many members chose ``choice`` on a secret item: the only record of a secret vote.

    One row per choice, all created together (at zero) before the first vote, and every
    vote rewrites every row of its item in one UPDATE (adding 1 to the chosen one, 0 to
    the others): no row is written, inserted, ordered or timed by the choice. No voter,
    no timestamp, no history table, not in the admin (docs/reliability.md, "Secret
    ballots").
    """

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="secret_counts")
    choice = models.CharField(_("phiếu"), max_length=10, choices=Choice.choices)
    count = models.PositiveIntegerField(_("số phiếu"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "choice"], name="one_secret_count_per_choice")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.choice}"


class VoterReceipt(models.Model):
    """That a member has voted on an item (secret or not): one per member and item.

    It carries the day only (a session may stay open over several days), never a time:
    nothing that records a choice carries a time or an order to match it with."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="receipts")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voted_on = models.DateField(_("ngày bỏ phiếu"), default=timezone.localdate)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["item", "voter"], name="one_receipt_per_voter")
        ]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.voter_id}"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    ISSUED = "issued", _("Đã ban hành")


class AwardDecision(VersionedModel):
    """An award decision (quyết định khen thưởng); issuing it creates the award records."""

    body = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan ban hành"),
        on_delete=models.PROTECT,
        related_name="award_decisions",
    )
    round = models.ForeignKey(
        AwardRound,
        verbose_name=_("đợt khen thưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    number = models.CharField(_("số quyết định"), max_length=100)
    signed_on = models.DateField(_("ngày ký"))
    signer_name = models.CharField(_("người ký"), max_length=200)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200)
    nominations = models.ManyToManyField(
        Nomination, verbose_name=_("đề nghị được khen thưởng"), related_name="decisions", blank=True
    )
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    issued_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        ordering = ["-signed_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "number"], name="decision_number_unique_per_body"
            )
        ]

    def __str__(self) -> str:
        return self.number
