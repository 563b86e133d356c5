"""WCAG 2.1 A/AA checks (axe-core) on the award history, round overview and exemplar pages,
and the exemplar form's errors shown next to their fields."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from awards.models import Exemplar, NominationStatus, Rating, TaskRating
from tests.awards.history_setup import award_round, decision, nomination, record, registration
from tests.browser.conftest import assert_no_axe_violations, login
from tests.factories import CampaignFactory, PersonFactory


@pytest.fixture
def data(org) -> dict[str, Any]:
    person = PersonFactory(unit=org.x1, full_name="Nguyễn Thị Hoa", staff_code="CB001")
    dec = decision(org.x, "125/QĐ-X")
    this_year = datetime.date.today().year
    record("CSTDCS", this_year - 1, person=person, decision=dec)
    record("LDTT", this_year - 1, person=person, decision=dec)
    record("LDTT", this_year - 2, person=person, decision_number="9/QĐ", is_imported=True)
    record(
        "GIAY_KHEN",
        this_year - 3,
        person=person,
        revoked_on=datetime.date(this_year - 1, 6, 1),
        revocation_reason="Khai không đúng thành tích",
    )
    record("TTLDXS", this_year - 1, unit=org.x1, decision=dec)
    TaskRating.objects.create(person=person, year=this_year - 1, rating=Rating.EXCELLENT)
    r = award_round(org.x, this_year - 1)
    registration(org.x1, this_year - 1, [(person, "CSTDCS")], collective="TTLDXS")
    nomination(r, "CSTDCS", person=person, status=NominationStatus.DECIDED)
    exemplar = Exemplar.objects.create(
        person=person, headline="Đổi mới quy trình", story="Câu chuyện.\nCách làm hay.", year=2024
    )
    exemplar.campaigns.add(CampaignFactory(issuing_unit=org.x))
    return {"person": person, "round": r, "exemplar": exemplar, "org": org}


PAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "home": lambda d: "/awards/",
    "home search": lambda d: "/awards/?q=hoa",
    "person history": lambda d: f"/awards/people/{d['person'].pk}/history/",
    "unit history": lambda d: f"/awards/units/{d['org'].x1.pk}/history/",
    "unit people": lambda d: f"/awards/units/{d['org'].x.pk}/history/people/?year=2024",
    "round overview": lambda d: f"/awards/rounds/{d['round'].pk}/overview/",
    "exemplar list": lambda d: "/awards/exemplars/?q=doi+moi",
    "exemplar page": lambda d: f"/awards/exemplars/{d['exemplar'].pk}/",
    "exemplar form": lambda d: f"/awards/exemplars/{d['exemplar'].pk}/edit/",
}


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_axe_violations(page: Page, live_server, hr, data, name):
    login(page, live_server, "hr")
    page.goto(PAGES[name](data))
    expect(page.locator("h1")).to_be_visible()
    assert_no_axe_violations(page)


def test_the_top_navigation_marks_the_awards_area(page: Page, live_server, hr, data):
    login(page, live_server, "hr")
    page.get_by_role("link", name="Khen thưởng", exact=True).click()
    expect(page.get_by_role("heading", name="Khen thưởng", level=1)).to_be_visible()
    current = page.locator("#main-nav [aria-current=page]")
    expect(current).to_have_text("Khen thưởng")


def test_exemplar_form_errors_are_next_to_their_fields(page: Page, live_server, hr, data):
    login(page, live_server, "hr")
    page.goto("/awards/exemplars/new/")
    page.get_by_label("Mã cán bộ của cá nhân").fill("KHONG-CO")
    page.get_by_label("Năm").fill("1900")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Không có cá nhân mang mã cán bộ “KHONG-CO”")).to_be_visible()
    expect(page.get_by_label("Năm")).to_have_attribute("aria-invalid", "true")
    assert_no_axe_violations(page)
    page.get_by_label("Mã cán bộ của cá nhân").fill("CB001")
    page.get_by_label("Năm").fill("2025")
    page.get_by_label("Tiêu đề").fill("Tận tụy với công việc")
    page.get_by_label("Câu chuyện, cách làm hay").fill("Luôn đi đầu.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Tận tụy với công việc")).to_be_visible()
    page.get_by_role("link", name="Nguyễn Thị Hoa").click()
    expect(page.get_by_role("heading", name="Lịch sử khen thưởng: Nguyễn Thị Hoa")).to_be_visible()
    expect(page.get_by_text("Đã thu hồi").first).to_be_visible()
