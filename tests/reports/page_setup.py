"""Helpers of the report page tests (fixtures in tests/reports/conftest.py)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from campaigns.models import Campaign, ContentArea, Phase
from reports import services
from reports.models import ReportDraft, ReportStatus, ReportVersion

CAMPAIGN_NAME = "Thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời"


@dataclass
class Setup:
    campaign: Campaign
    phase: Phase
    final_phase: Phase
    area: ContentArea
    other_area: ContentArea
    draft: ReportDraft


def finished_version(draft: ReportDraft, by: User, number: int = 1, **fields) -> ReportVersion:
    """A DONE version with small stored files, without running the renderer."""
    version = ReportVersion.objects.create(
        draft=draft,
        number=number,
        requested_by=by,
        status=ReportStatus.DONE,
        progress=100,
        stage="Hoàn thành",
        data_fingerprint=services.fingerprint_of(draft),
        **fields,
    )
    pdf = default_storage.save(f"reports/{draft.pk}/v{number}-test.pdf", ContentFile(b"%PDF-1.7 x"))
    docx = default_storage.save(
        f"reports/{draft.pk}/v{number}-test.docx", ContentFile(b"PK\x03\x04")
    )
    ReportVersion.objects.filter(pk=version.pk).update(
        pdf=pdf, docx=docx, pdf_sha256="a" * 64, docx_sha256="b" * 64, page_count=3
    )
    version.refresh_from_db()
    return version
