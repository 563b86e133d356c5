"""The bloc, bloc-year and pledge pages and their forms pass axe, with errors shown too."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from pledges.models import PledgeStatus
from tests.browser.conftest import assert_no_axe_violations, login
from tests.factories import SignatureFactory
from tests.pledges.pledge_setup import build, pledge_for


@pytest.fixture
def setup(org):
    return build(org)


def test_bloc_and_year_pages_pass_axe(page: Page, live_server, secretary, org, setup):
    login(page, live_server, "secretary")
    for path in (
        f"/blocs/{org.bloc_a.pk}/",
        f"/blocs/{org.bloc_a.pk}/members/",
        f"/blocs/years/{setup.year_a.pk}/",
        f"/blocs/years/{setup.year_a.pk}/edit/",
    ):
        page.goto(path)
        assert_no_axe_violations(page)


def test_a_year_form_with_errors_passes_axe(page: Page, live_server, secretary, org, setup):
    login(page, live_server, "secretary")
    page.goto(f"/blocs/{org.bloc_a.pk}/years/new/")
    page.get_by_label("Năm").fill("2024")
    page.get_by_label("Khối trưởng").select_option(label="Cơ quan Q")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Chọn ít nhất một khối phó.")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_role("checkbox", name="Cơ quan Q").check()
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("mỗi năm chỉ có một khối trưởng")).to_be_visible()
    expect(page.get_by_text("không thể vừa là khối trưởng vừa là khối phó")).to_be_visible()
    assert_no_axe_violations(page)


def test_pledge_pages_pass_axe(page: Page, live_server, secretary, org, setup):
    draft = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    signed = pledge_for(setup.year_a, status=PledgeStatus.OPEN)
    SignatureFactory(pledge=signed, member=org.x)
    login(page, live_server, "secretary")
    for path in (
        f"/blocs/years/{setup.year_a.pk}/pledges/new/",
        f"/blocs/pledges/{draft.pk}/",
        f"/blocs/pledges/{draft.pk}/edit/",
        f"/blocs/pledges/{draft.pk}/commitments/",
        f"/blocs/pledges/{signed.pk}/",
        f"/blocs/pledges/{signed.pk}/signatures/",
        f"/blocs/pledges/{signed.pk}/amend/",
    ):
        page.goto(path)
        assert_no_axe_violations(page)


def test_reordering_commitments_in_the_browser(page: Page, live_server, secretary, setup):
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    login(page, live_server, "secretary")
    page.goto(f"/blocs/pledges/{pledge.pk}/commitments/")
    page.get_by_role("button", name="Thêm dòng").click()
    page.locator("#id_commitments-2-text").fill("Cam kết mới đứng đầu")
    page.locator("#id_commitments-2-ORDER").fill("0")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("lớn hơn hoặc bằng với 1")).to_be_visible()
    assert_no_axe_violations(page)
    page.locator("#id_commitments-2-ORDER").fill("1")
    page.locator("#id_commitments-0-ORDER").fill("2")
    page.locator("#id_commitments-1-ORDER").fill("3")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("status")).to_contain_text("Đã lưu nội dung giao ước.")
    items = page.locator("main ol li")
    expect(items.first).to_have_text("Cam kết mới đứng đầu")
    assert list(pledge.commitments.order_by("number").values_list("text", flat=True)) == [
        "Cam kết mới đứng đầu",
        "Cam kết số 1",
        "Cam kết số 2",
    ]
