"""What the leader and a unit's focal point see and may do on a campaign."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import CampaignStatus, ProgressEntry, ReviewKind
from tests.browser.conftest import login
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    PhaseFactory,
    TargetFactory,
)


@pytest.fixture
def launched(org):
    """Campaign of body X (all its units take part), launched, with two phases and a target."""
    campaign = CampaignFactory(
        name="Thi đua xây dựng xã hội học tập",
        issuing_unit=org.x,
        status=CampaignStatus.LAUNCHED,
        launched_on=datetime.date(2023, 3, 1),
    )
    PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1")
    PhaseFactory(
        campaign=campaign,
        number=2,
        name="Giai đoạn 2",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        review_kind=ReviewKind.FINAL,
    )
    area = ContentAreaFactory(campaign=campaign, number=1, title="Học tập suốt đời")
    TargetFactory(content_area=area, text="Tỷ lệ cán bộ tham gia học tập", goal=100)
    return campaign


def test_leader_sees_a_campaign_read_only(page: Page, live_server, leader, launched):
    login(page, live_server, "leader")
    page.get_by_role("link", name="Thi đua xây dựng xã hội học tập").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Thi đua xây dựng xã hội học tập")
    expect(page.get_by_role("table").first).to_contain_text("Giai đoạn 2")
    expect(page.get_by_role("main")).to_contain_text("Học tập suốt đời")
    main = page.get_by_role("main")
    expect(main.get_by_role("link", name=re.compile(r"^Sửa"))).to_have_count(0)
    expect(main.get_by_role("button")).to_have_count(0)
    expect(main.get_by_role("link", name="Kết quả thực hiện")).to_have_count(0)

    response = page.goto(f"/campaigns/{launched.pk}/phases/")
    assert response is not None
    assert response.status == 403


def test_focal_point_reports_progress_for_their_unit(
    page: Page, live_server, focal_x1, org, launched
):
    login(page, live_server, "focal_x1")
    page.goto(f"/campaigns/{launched.pk}/")
    expect(page.get_by_role("link", name=re.compile(r"^Sửa"))).to_have_count(0)

    page.get_by_role("link", name="Kết quả thực hiện").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả thực hiện của đơn vị")
    # Today falls in the second phase; the focal point reaches X1 and its division, not X2.
    expect(page.get_by_label("Giai đoạn")).to_have_value(str(launched.phases.get(number=2).pk))
    rows = page.get_by_role("table").get_by_role("row")
    expect(rows.filter(has_text="Vụ X1")).to_have_count(1)
    expect(rows.filter(has_text="Vụ X2")).to_have_count(0)

    page.get_by_role("link", name="Nhập kết quả Vụ X1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kết quả của Vụ X1 — Giai đoạn 2")
    page.get_by_label("Kết quả thực hiện").fill(
        "Tổ chức 4 lớp bồi dưỡng kỹ năng số cho toàn thể công chức."
    )
    page.get_by_label("Tỷ lệ cán bộ tham gia học tập").fill("87.5")
    page.get_by_role("button", name="Lưu kết quả").click()

    expect(page.get_by_role("status")).to_have_text("Đã lưu kết quả của Vụ X1.")
    expect(page.get_by_label("Tỷ lệ cán bộ tham gia học tập")).to_have_value(
        re.compile(r"^87[.,]5")
    )
    entry = ProgressEntry.objects.get(unit=org.x1, phase__number=2)
    assert entry.summary.startswith("Tổ chức 4 lớp")
    assert entry.reported_by == focal_x1
    assert [f.value for f in entry.figures.all()] == [Decimal("87.5")]


def test_focal_point_cannot_open_another_bodys_campaign(page: Page, live_server, focal_x1, org):
    other = CampaignFactory(name="Phong trào riêng của cơ quan Y", issuing_unit=org.y)
    login(page, live_server, "focal_x1")

    response = page.goto(f"/campaigns/{other.pk}/")
    assert response is not None
    assert response.status == 404
    expect(page.get_by_text("Phong trào riêng của cơ quan Y")).to_have_count(0)

    page.goto("/campaigns/?status=all")
    expect(page.get_by_role("link", name="Phong trào riêng của cơ quan Y")).to_have_count(0)
