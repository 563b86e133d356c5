"""Shared set-up of the report page tests: a learning-society campaign of body X and its draft."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from campaigns.models import Campaign, CampaignStatus, ContentArea, Phase, ReviewKind, Role
from reports import services
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    PhaseFactory,
    RoleFactory,
    TargetFactory,
    UserFactory,
)

CAMPAIGN_NAME = "Thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời"


@dataclass
class Setup:
    campaign: Campaign
    phase: Phase
    final_phase: Phase
    area: ContentArea
    other_area: ContentArea
    draft: ReportDraft


@pytest.fixture
def leader_y(org) -> User:
    user = UserFactory(username="leader_y", first_name="Lãnh đạo Y")
    RoleFactory(user=user, role=Role.LEADER, unit=org.y)
    return user


@pytest.fixture
def setup(org, hr) -> Setup:
    campaign = CampaignFactory(
        name=CAMPAIGN_NAME,
        issuing_unit=org.x,
        status=CampaignStatus.LAUNCHED,
        signer_name="Nguyễn Văn Ký",
        signer_position="Thủ trưởng cơ quan",
    )
    phase = PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1 (2023-2025)")
    final_phase = PhaseFactory(
        campaign=campaign,
        number=2,
        name="Giai đoạn 2 (2026-2030)",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        review_kind=ReviewKind.FINAL,
    )
    area = ContentAreaFactory(campaign=campaign, number=1, title="Học tập suốt đời")
    TargetFactory(content_area=area)
    other_area = ContentAreaFactory(campaign=campaign, number=2, title="Chuyển đổi số")
    draft = ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Báo cáo sơ kết giai đoạn 1 phong trào xây dựng xã hội học tập",
        context="Bối cảnh ban đầu.",
        created_by=hr,
    )
    return Setup(campaign, phase, final_phase, area, other_area, draft)


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
    docx = default_storage.save(f"reports/{draft.pk}/v{number}-test.docx", ContentFile(b"PK\x03\x04"))
    ReportVersion.objects.filter(pk=version.pk).update(
        pdf=pdf, docx=docx, pdf_sha256="a" * 64, docx_sha256="b" * 64, page_count=3
    )
    version.refresh_from_db()
    return version
