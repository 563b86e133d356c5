"""Fixtures of the report page tests: a learning-society campaign of body X and its draft."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import User

from campaigns.models import CampaignStatus, ReviewKind, Role
from reports.models import ReportDraft, ReportKind
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    PhaseFactory,
    RoleFactory,
    TargetFactory,
    UserFactory,
)
from tests.reports.page_setup import CAMPAIGN_NAME, Setup


@pytest.fixture
def leader_y(org) -> User:
    user = UserFactory(username="leader_y", first_name="Lãnh đạo Y")
    RoleFactory(user=user, role=Role.LEADER, unit=org.y)
    return user


@pytest.fixture
def phase_review(org, hr) -> Setup:
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
