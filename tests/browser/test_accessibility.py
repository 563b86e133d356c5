"""WCAG 2.1 A/AA checks (axe-core) on the main pages, and keyboard access to the content."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import CampaignStatus, ReviewKind
from tests.browser.conftest import ADMIN_PASSWORD, PASSWORD, assert_no_axe_violations, login
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    MilestoneFactory,
    PersonFactory,
    PhaseFactory,
    TargetFactory,
)


@pytest.fixture
def plan(org) -> dict[str, Any]:
    """A launched campaign with what its pages show: phases, content, targets, milestones."""
    campaign = CampaignFactory(
        name="Thi đua xây dựng xã hội học tập",
        issuing_unit=org.x,
        status=CampaignStatus.LAUNCHED,
        plan_number="125/KH-BNV",
        motto="Đoàn kết, sáng tạo",
        objectives="Khuyến học, khuyến tài.\nXây dựng xã hội học tập.",
    )
    PhaseFactory(campaign=campaign, number=1)
    PhaseFactory(
        campaign=campaign,
        number=2,
        name="Giai đoạn 2",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        review_kind=ReviewKind.FINAL,
        review_due_date=datetime.date(2030, 11, 30),
    )
    area = ContentAreaFactory(campaign=campaign, number=1, description="Học tập suốt đời.")
    TargetFactory(content_area=area)
    # One milestone in each state the timeline draws: overdue, done, upcoming.
    MilestoneFactory(campaign=campaign, due_date=datetime.date(2024, 3, 31))
    MilestoneFactory(
        campaign=campaign,
        title="Sơ kết giai đoạn 1",
        due_date=datetime.date(2025, 12, 15),
        done_date=datetime.date(2025, 12, 10),
    )
    MilestoneFactory(campaign=campaign, title="Tổng kết", due_date=datetime.date(2030, 11, 30))
    PersonFactory(unit=org.x1, full_name="Nguyễn Thị Hoa", staff_code="CB001")
    return {"campaign": campaign, "org": org}


PAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "home": lambda d: "/",
    "campaign list": lambda d: "/campaigns/",
    "campaign form": lambda d: "/campaigns/new/",
    "campaign detail": lambda d: f"/campaigns/{d['campaign'].pk}/",
    "phases formset": lambda d: f"/campaigns/{d['campaign'].pk}/phases/",
    "unit tree": lambda d: "/org/units/",
    "people search": lambda d: "/org/people/?q=nguyen+thi+hoa",
    "bloc list": lambda d: "/blocs/",
}


def test_login_page_has_no_axe_violations(page: Page, live_server):
    page.goto("/accounts/login/")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(page: Page, live_server, hr, plan, name):
    login(page, live_server, "hr")
    page.goto(PAGES[name](plan))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert_no_axe_violations(page)


def test_campaign_form_with_errors_has_no_axe_violations(page: Page, live_server, hr, org):
    login(page, live_server, "hr")
    page.goto("/campaigns/new/")
    page.get_by_role("button", name="Lưu").click()
    expect(page.locator(".invalid-feedback").first).to_be_visible()
    assert_no_axe_violations(page)


def test_unit_tree_expanded_has_no_axe_violations(page: Page, live_server, hr, org):
    login(page, live_server, "hr")
    page.goto("/org/units/")
    toggle = page.get_by_role("button", name="Mở các đơn vị trực thuộc Cơ quan X")
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("link", name="Vụ X1")).to_be_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", ["/admin/", "/admin/campaigns/campaign/"])
def test_admin_page_has_no_axe_violations(page: Page, live_server, admin_user, plan, path):
    login(page, live_server, "admin", ADMIN_PASSWORD)
    page.goto(path)
    expect(page.locator("#content h1")).to_be_visible()
    assert_no_axe_violations(page)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page: Page, live_server, hr):
    page.goto("/accounts/login/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Chuyển đến nội dung chính")
    expect(skip).to_be_focused()
    # Hidden until focused, then shown where a sighted keyboard user can read it.
    box = skip.bounding_box()
    assert box is not None
    assert box["width"] > 20
    assert box["height"] > 10

    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the content: the login form's first field.
    page.keyboard.press("Tab")
    expect(page.get_by_label("Tên đăng nhập")).to_be_focused()
    page.keyboard.type("hr")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mật khẩu")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Xin chào, hr")


@pytest.mark.parametrize("which", ["campaign", "user", "unit"])
def test_admin_change_forms_have_no_axe_violations(
    page: Page, live_server, admin_user, hr, plan, which
):
    paths = {
        "campaign": f"/admin/campaigns/campaign/{plan['campaign'].pk}/change/",
        "user": f"/admin/auth/user/{hr.pk}/change/",
        "unit": f"/admin/campaigns/unit/{plan['org'].x1.pk}/change/",
    }
    login(page, live_server, "admin", ADMIN_PASSWORD)
    page.goto(paths[which])
    expect(page.locator("#content h1")).to_be_visible()
    assert_no_axe_violations(page)
