"""An HR officer plans a campaign in the browser, from the empty form to the list."""

from __future__ import annotations

import datetime
import re

from playwright.sync_api import Page, expect

from campaigns.models import Campaign, ContentArea, Phase, ReviewKind
from tests.browser.conftest import assert_no_axe_violations, login
from tests.factories import CampaignFactory

NAME = "Phong trào thi đua “Đổi mới, sáng tạo trong quản lý nhà nước” giai đoạn 2023–2030"


def _fill_phase(page: Page, row: int, name: str, start: str, end: str, review: str) -> None:
    page.locator(f"#id_phases-{row}-name").fill(name)
    page.locator(f"#id_phases-{row}-start_date").fill(start)
    page.locator(f"#id_phases-{row}-end_date").fill(end)
    page.locator(f"#id_phases-{row}-review_kind").select_option(label=review)


def test_it_plans_a_campaign_and_finds_it_without_diacritics(page: Page, live_server, hr, org):
    CampaignFactory(name="Thực hành tiết kiệm, chống lãng phí", issuing_unit=org.x)
    login(page, live_server, "hr")

    page.get_by_role("link", name="Phong trào", exact=True).click()
    page.get_by_role("link", name="Tạo phong trào").click()
    page.get_by_label("Tên phong trào").fill(NAME)
    page.get_by_label("Năm bắt đầu").fill("2023")
    page.get_by_label("Năm kết thúc").fill("2030")
    page.get_by_label("Đơn vị ban hành").select_option(label="Cơ quan X")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_role("status")).to_contain_text("Đã tạo phong trào")
    campaign = Campaign.objects.get(name=NAME)
    assert (campaign.start_year, campaign.end_year, campaign.issuing_unit) == (2023, 2030, org.x)

    page.get_by_role("link", name="Sửa giai đoạn").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Giai đoạn")
    # A campaign without phases opens with one empty row; the second comes from "+ Thêm dòng".
    expect(page.locator("#phases-rows tr")).to_have_count(1)
    _fill_phase(page, 0, "Giai đoạn 1", "2023-01-01", "2025-12-31", "Sơ kết")
    page.get_by_role("button", name="+ Thêm dòng").click()
    expect(page.locator("#phases-rows tr")).to_have_count(2)
    expect(page.locator("#id_phases-1-name")).to_be_focused()
    _fill_phase(page, 1, "Giai đoạn 2", "2026-01-01", "2030-12-31", "Tổng kết")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("status")).to_have_text("Đã lưu.")
    phases_table = page.get_by_role("region", name="Giai đoạn").get_by_role("table")
    expect(phases_table.get_by_role("row")).to_have_text(
        [
            re.compile("Giai đoạn.*Thời gian"),
            re.compile(r"Giai đoạn 1\s*01/01/2023 – 31/12/2025\s*Sơ kết"),
            re.compile(r"Giai đoạn 2\s*01/01/2026 – 31/12/2030\s*Tổng kết"),
        ]
    )
    assert list(
        Phase.objects.filter(campaign=campaign)
        .order_by("number")
        .values_list("number", "start_date", "end_date", "review_kind")
    ) == [
        (1, datetime.date(2023, 1, 1), datetime.date(2025, 12, 31), ReviewKind.INTERIM),
        (2, datetime.date(2026, 1, 1), datetime.date(2030, 12, 31), ReviewKind.FINAL),
    ]

    page.get_by_role("link", name="Sửa nội dung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nội dung thi đua")
    page.locator("#id_areas-0-title").fill("Cải cách hành chính, chuyển đổi số")
    page.locator("#id_areas-0-description").fill("Số hóa hồ sơ thi đua, khen thưởng.")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_have_text("Đã lưu.")
    expect(page.get_by_role("region", name="Nội dung thi đua")).to_contain_text(
        "Cải cách hành chính, chuyển đổi số"
    )
    assert ContentArea.objects.filter(campaign=campaign).count() == 1

    page.goto("/campaigns/")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    expect(page.get_by_role("link", name="Thực hành tiết kiệm, chống lãng phí")).to_be_visible()

    page.get_by_label("Tìm kiếm").fill("doi moi sang tao quan ly nha nuoc")
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"q=doi\+moi"))
    expect(page.get_by_role("link", name=NAME)).to_be_visible()
    expect(page.get_by_role("link", name="Thực hành tiết kiệm, chống lãng phí")).to_have_count(0)
    expect(page.get_by_text("1 phong trào", exact=True)).to_be_visible()


def test_a_phase_outside_the_campaign_years_is_refused_next_to_the_field(
    page: Page, live_server, hr, org
):
    campaign = CampaignFactory(
        name="Thi đua xây dựng xã hội học tập", issuing_unit=org.x, start_year=2023, end_year=2030
    )
    version = campaign.version
    login(page, live_server, "hr")

    page.goto(f"/campaigns/{campaign.pk}/")
    page.get_by_role("link", name="Sửa giai đoạn").click()
    _fill_phase(page, 0, "Giai đoạn 1", "2022-01-01", "2025-12-31", "Sơ kết")
    page.get_by_role("button", name="+ Thêm dòng").click()
    _fill_phase(page, 1, "Giai đoạn 2", "2026-01-01", "2030-12-31", "Tổng kết")
    page.get_by_role("button", name="Lưu").click()

    expect(page.get_by_role("alert")).to_contain_text("Các giai đoạn chưa hợp lệ")
    start_cell = page.locator("td").filter(has=page.locator("#id_phases-0-start_date"))
    expect(start_cell.locator(".invalid-feedback")).to_have_text(
        "Giai đoạn bắt đầu năm 2022, trước năm bắt đầu của phong trào (2023–2030). "
        "Kiểm tra lại kế hoạch."
    )
    # The message is tied to the field for screen readers (Django's aria-describedby).
    start = page.locator("#id_phases-0-start_date")
    expect(start).to_have_attribute("aria-invalid", "true")
    expect(start).to_have_accessible_description(re.compile("^Giai đoạn bắt đầu năm 2022"))
    # Only that field is flagged, and what the person typed is still there to correct.
    expect(page.locator(".invalid-feedback")).to_have_count(1)
    expect(page.locator("#id_phases-0-start_date")).to_have_value("2022-01-01")
    expect(page.locator("#id_phases-1-end_date")).to_have_value("2030-12-31")
    assert_no_axe_violations(page)

    assert not Phase.objects.filter(campaign=campaign).exists()
    campaign.refresh_from_db()
    assert campaign.version == version
