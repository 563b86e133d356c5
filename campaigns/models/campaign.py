"""Campaign plans: content areas and targets, phases, milestones, unit progress."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.text import fold
from campaigns.versioning import VersionedModel

from .org import Unit


class CampaignKind(models.TextChoices):
    REGULAR = "regular", _("Thường xuyên")
    THEMATIC = "thematic", _("Theo chuyên đề")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    LAUNCHED = "launched", _("Đã phát động")
    CLOSED = "closed", _("Đã kết thúc")
    ARCHIVED = "archived", _("Lưu trữ")


class Campaign(models.Model):
    """An emulation campaign (phong trào thi đua) and its plan.

    Participation is stored as the units named in the plan; each named unit
    brings its whole subtree, so units created later take part automatically.
    Status changes only through ``campaigns.services``.
    """

    name = models.CharField(_("tên phong trào"), max_length=500)
    short_name = models.CharField(_("tên gọi tắt"), max_length=200, blank=True)
    kind = models.CharField(
        _("loại phong trào"),
        max_length=16,
        choices=CampaignKind.choices,
        default=CampaignKind.REGULAR,
    )
    issuing_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị ban hành"),
        on_delete=models.PROTECT,
        related_name="issued_campaigns",
    )
    plan_number = models.CharField(_("số kế hoạch"), max_length=64, blank=True)
    plan_date = models.DateField(_("ngày ban hành kế hoạch"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    objectives = models.TextField(_("mục tiêu"), blank=True)
    motto = models.CharField(_("khẩu hiệu, phương châm"), max_length=500, blank=True)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    participating_units = models.ManyToManyField(
        Unit,
        verbose_name=_("đơn vị tham gia (kể cả đơn vị trực thuộc)"),
        related_name="participating_campaigns",
        blank=True,
    )
    linked_campaigns = models.ManyToManyField(
        "self", verbose_name=_("phong trào lồng ghép"), blank=True, symmetrical=True
    )
    status = models.CharField(
        _("trạng thái"),
        max_length=16,
        choices=CampaignStatus.choices,
        default=CampaignStatus.DRAFT,
        db_index=True,
    )
    requires_registration = models.BooleanField(_("danh hiệu phải đăng ký trước"), default=True)
    registration_deadline = models.DateField(_("hạn đăng ký thi đua"), null=True, blank=True)
    launched_on = models.DateField(_("ngày phát động"), null=True, blank=True)
    closed_on = models.DateField(_("ngày kết thúc"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    search_text = models.CharField(max_length=1000, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_text", "updated_at", "version"])
    # campaigns.versioning: the plan's pages (the campaign, its phases, content areas,
    # targets and milestones) all claim this one version.
    CONFLICT_MESSAGE = _(
        "Phong trào vừa được người khác cập nhật. Tải lại trang để xem bản mới "
        "nhất rồi nhập lại thay đổi của bạn."
    )

    class Meta:
        verbose_name = _("phong trào thi đua")
        verbose_name_plural = _("phong trào thi đua")
        ordering = ["-start_year", "name", "pk"]
        indexes = [models.Index(fields=["issuing_unit", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="campaign_years_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.short_name or self.name

    @staticmethod
    def fold_fields(name: str, short_name: str, plan_number: str) -> str:
        return fold(f"{name} {short_name} {plan_number}")

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.fold_fields(self.name, self.short_name, self.plan_number)
        super().save(*args, **kwargs)

    @property
    def years_label(self) -> str:
        return f"{self.start_year}–{self.end_year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (CampaignStatus.DRAFT, CampaignStatus.LAUNCHED)


class ContentArea(models.Model):
    """A numbered content area (nội dung thi đua trọng tâm) of a campaign."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="content_areas")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    title = models.CharField(_("nội dung thi đua"), max_length=500)
    description = models.TextField(_("mô tả"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung thi đua")
        verbose_name_plural = _("nội dung thi đua")
        ordering = ["campaign", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class Target(models.Model):
    """A target (chỉ tiêu) under a content area, optionally measurable."""

    content_area = models.ForeignKey(ContentArea, on_delete=models.CASCADE, related_name="targets")
    number = models.PositiveSmallIntegerField(_("số thứ tự"), default=1)
    text = models.CharField(_("chỉ tiêu"), max_length=500)
    goal = models.DecimalField(
        _("mức phấn đấu"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    unit_of_measure = models.CharField(_("đơn vị tính"), max_length=64, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu")
        verbose_name_plural = _("chỉ tiêu")
        ordering = ["content_area", "number", "pk"]

    def __str__(self) -> str:
        return self.text


class ReviewKind(models.TextChoices):
    INTERIM = "interim", _("Sơ kết")
    FINAL = "final", _("Tổng kết")


class Phase(models.Model):
    """A phase (giai đoạn) of a campaign, ending in a review.

    The rules that tie phases together (inside the campaign's years, in order,
    no overlap, only the last one final) are checked in
    ``campaigns.rules.check_phases`` because they concern the whole set.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    name = models.CharField(_("tên giai đoạn"), max_length=200)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(_("đến ngày"))
    review_kind = models.CharField(
        _("hình thức đánh giá"),
        max_length=16,
        choices=ReviewKind.choices,
        default=ReviewKind.INTERIM,
    )
    review_due_date = models.DateField(_("hạn sơ kết/tổng kết"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        ordering = ["campaign", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="phase_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_current(self, today: datetime.date | None = None) -> bool:
        today = today or timezone.localdate()
        return self.start_date <= today <= self.end_date


class Milestone(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("mốc công việc"), max_length=500)
    due_date = models.DateField(_("thời hạn"))
    responsible_unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="milestones",
    )
    done_date = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mốc thời gian")
        verbose_name_plural = _("mốc thời gian")
        ordering = ["campaign", "due_date", "pk"]

    def __str__(self) -> str:
        return self.title

    def state(self, today: datetime.date | None = None) -> str:
        """'done', 'overdue', 'due_soon' (within 30 days) or 'upcoming'."""
        today = today or timezone.localdate()
        if self.done_date:
            return "done"
        if self.due_date < today:
            return "overdue"
        if (self.due_date - today).days <= 30:
            return "due_soon"
        return "upcoming"


class ProgressEntry(VersionedModel):
    """What one unit did in one phase for one content area."""

    phase = models.ForeignKey(Phase, on_delete=models.PROTECT, related_name="progress_entries")
    content_area = models.ForeignKey(
        ContentArea, on_delete=models.PROTECT, related_name="progress_entries"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="progress_entries")
    summary = models.TextField(_("kết quả thực hiện"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])

    class Meta:
        verbose_name = _("kết quả thực hiện của đơn vị")
        verbose_name_plural = _("kết quả thực hiện của đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["phase", "content_area", "unit"], name="one_progress_entry_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} – {self.content_area}"


class ProgressFigure(models.Model):
    entry = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="figures")
    target = models.ForeignKey(Target, on_delete=models.PROTECT, related_name="figures")
    value = models.DecimalField(_("kết quả đạt được"), max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["entry", "target"], name="one_figure_per_target")
        ]

    def __str__(self) -> str:
        return f"{self.target}: {self.value}"
