"""Report drafts (the staff's narrative) and their generated, versioned documents.

A generation is a row (ReportVersion) that a Celery task fills: stage and
percentage as it goes, then the PDF and DOCX with their SHA-256, or an error the
user sees. Versions are never overwritten; ``data_fingerprint`` tells whether the
figures have changed since (stale).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, Phase, Unit
from pledges.models import BlocYear


class ReportKind(models.TextChoices):
    PHASE_REVIEW = "phase_review", _("Báo cáo sơ kết, tổng kết phong trào")
    BLOC_YEAR = "bloc_year", _("Báo cáo tổng kết năm của khối thi đua")
    AWARD_STATISTICS = "award_statistics", _("Thống kê khen thưởng năm (mẫu 0602.N/BNV-TĐKT)")


class ReportDraft(models.Model):
    """What the staff write before generating: narrative, number, place, date, signer."""

    kind = models.CharField(_("loại báo cáo"), max_length=20, choices=ReportKind.choices)
    campaign = models.ForeignKey(
        Campaign, on_delete=models.PROTECT, null=True, blank=True, related_name="report_drafts"
    )
    phase = models.ForeignKey(
        Phase,
        verbose_name=_("giai đoạn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_drafts",
    )
    bloc_year = models.ForeignKey(
        BlocYear, on_delete=models.PROTECT, null=True, blank=True, related_name="report_drafts"
    )
    body = models.ForeignKey(
        Unit, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="report_drafts"
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    title = models.CharField(_("trích yếu"), max_length=500)
    # Narrative (Decree 30 report, Part I–III).
    context = models.TextField(_("bối cảnh, tình hình"), blank=True)
    direction = models.TextField(_("công tác chỉ đạo, triển khai"), blank=True)
    area_results = models.JSONField(_("kết quả theo từng nội dung"), default=dict, blank=True)
    exemplars = models.TextField(_("phát hiện, nhân rộng điển hình tiên tiến"), blank=True)
    strengths = models.TextField(_("ưu điểm"), blank=True)
    shortcomings = models.TextField(_("hạn chế"), blank=True)
    causes = models.TextField(_("nguyên nhân"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    next_direction = models.TextField(_("phương hướng, nhiệm vụ giai đoạn tới"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    # Document details.
    number = models.CharField(_("số, ký hiệu"), max_length=64, blank=True)
    place = models.CharField(_("địa danh"), max_length=100, default="Hà Nội")
    document_date = models.DateField(_("ngày ban hành"), null=True, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=200, blank=True)
    recipients = models.TextField(_("nơi nhận (mỗi dòng một nơi)"), blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "version"])
    # campaigns.versioning: the page and its autosave claim this version.
    CONFLICT_MESSAGE = _(
        "Dự thảo vừa được người khác (hoặc ở một cửa sổ khác) lưu. Thay đổi của bạn "
        "chưa được lưu: hãy sao chép phần vừa viết, tải lại trang rồi nhập lại."
    )

    class Meta:
        verbose_name = _("dự thảo báo cáo")
        verbose_name_plural = _("dự thảo báo cáo")
        ordering = ["-updated_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="phase_review", campaign__isnull=False, phase__isnull=False)
                    | Q(kind="bloc_year", bloc_year__isnull=False)
                    | Q(kind="award_statistics", year__isnull=False)
                ),
                name="report_draft_has_its_subject",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ReportStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ")
    RUNNING = "running", _("Đang tạo")
    DONE = "done", _("Hoàn thành")
    FAILED = "failed", _("Lỗi")


def _report_path(instance: ReportVersion, filename: str) -> str:
    return f"reports/{instance.draft_id}/v{instance.number}-{filename}"


class ReportVersion(models.Model):
    """One generation of a draft: never overwritten."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    status = models.CharField(
        _("trạng thái"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.QUEUED
    )
    stage = models.CharField(_("bước"), max_length=200, blank=True)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    error = models.TextField(_("lỗi"), blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    narrative = models.JSONField(_("bản dự thảo được dùng"), default=dict, blank=True)
    data_fingerprint = models.CharField(max_length=64, blank=True)
    pdf = models.FileField(upload_to=_report_path, max_length=300, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx = models.FileField(upload_to=_report_path, max_length=300, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("phiên bản báo cáo")
        verbose_name_plural = _("phiên bản báo cáo")
        ordering = ["draft", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["draft", "number"], name="report_version_number_unique")
        ]
        indexes = [models.Index(fields=["status", "heartbeat_at"])]

    def __str__(self) -> str:
        return f"{self.draft} v{self.number}"


class ReminderSent(models.Model):
    """One reminder per item and stage: the key makes a second run of the job a no-op."""

    key = models.CharField(max_length=200, unique=True)
    subject = models.CharField(max_length=300)
    recipients = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.key
