"""Pledges (giao ước thi đua): commitments, signatures, signed scans, amendments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Campaign, StoredUpload, Unit
from campaigns.versioning import VersionedModel

from .bloc import BlocYear


class PledgeStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    OPEN = "open", _("Đang ký")
    SIGNED = "signed", _("Đã ký đủ")


class Pledge(VersionedModel):
    """The joint pledge the bloc's members sign for a year.

    Once fully signed it changes only through ``pledges.services.pledge_amend``,
    which keeps the signed version in a ``PledgeAmendment`` snapshot.
    """

    bloc_year = models.ForeignKey(
        BlocYear, verbose_name=_("năm thi đua"), on_delete=models.PROTECT, related_name="pledges"
    )
    campaigns = models.ManyToManyField(
        Campaign, verbose_name=_("phong trào thi đua"), blank=True, related_name="pledges"
    )
    title = models.CharField(_("tên giao ước"), max_length=500)
    ceremony_date = models.DateField(_("ngày ký"), null=True, blank=True)
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=16, choices=PledgeStatus.choices, default=PledgeStatus.DRAFT
    )
    amendment_count = models.PositiveSmallIntegerField(_("số lần sửa đổi"), default=0)
    signed_at = models.DateTimeField(_("thời điểm ký đủ"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("giao ước thi đua")
        verbose_name_plural = _("giao ước thi đua")
        ordering = ["-bloc_year__year", "title"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_editable(self) -> bool:
        return self.status in (PledgeStatus.DRAFT, PledgeStatus.OPEN)


class Commitment(models.Model):
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="commitments")
    number = models.PositiveSmallIntegerField(_("số thứ tự"))
    text = models.TextField(_("nội dung cam kết"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nội dung giao ước")
        verbose_name_plural = _("nội dung giao ước")
        ordering = ["pledge", "number", "pk"]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Signature(models.Model):
    """One member's signature on the pledge, as recorded by the secretariat."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="signatures")
    member = models.ForeignKey(
        Unit, verbose_name=_("đơn vị thành viên"), on_delete=models.PROTECT, related_name="+"
    )
    signatory_name = models.CharField(_("người ký"), max_length=200)
    signatory_position = models.CharField(_("chức vụ người ký"), max_length=300)
    signed_on = models.DateField(_("ngày ký"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chữ ký")
        verbose_name_plural = _("chữ ký")
        ordering = ["pledge", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "member"], name="one_signature_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} – {self.signatory_name}"


class DocumentKind(models.TextChoices):
    SIGNED_SCAN = "signed_scan", _("Bản ký (scan)")
    ATTACHMENT = "attachment", _("Tài liệu kèm theo")


def _document_path(instance: PledgeDocument, filename: str) -> str:
    # The stored name is the checksum, never the uploader's file name.
    return f"pledges/{instance.pledge_id}/{instance.sha256}{instance.extension}"


class PledgeDocument(StoredUpload):
    """A pledge's signed scan or attachment: checked by content, stored under its SHA-256."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("loại tài liệu"), max_length=16, choices=DocumentKind.choices)
    file = models.FileField(_("tệp"), upload_to=_document_path, max_length=300)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tài liệu giao ước")
        verbose_name_plural = _("tài liệu giao ước")
        ordering = ["pledge", "-uploaded_at"]


class PledgeAmendment(models.Model):
    """An amendment to a signed pledge: who, when, why, and the signed version it replaced."""

    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="amendments")
    number = models.PositiveSmallIntegerField(_("lần sửa đổi"))
    reason = models.TextField(_("lý do sửa đổi"))
    snapshot = models.JSONField(_("bản đã ký trước khi sửa"))
    amended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    amended_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("sửa đổi giao ước")
        verbose_name_plural = _("sửa đổi giao ước")
        ordering = ["pledge", "number"]
        constraints = [
            models.UniqueConstraint(fields=["pledge", "number"], name="amendment_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.pledge} – {self.number}"
