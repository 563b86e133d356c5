"""The award journey in the browser (issue 4, quality bars): a unit's focal point nominates
a person with the dossier, HR staff put it to the council, the council members vote, HR
closes the session and issues the decision, and the person's award history shows it."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from awards.models import AwardRecord, NominationStatus
from campaigns.models import Role
from tests.awards.history_setup import award_round, award_type
from tests.browser.conftest import assert_no_axe_violations, login
from tests.documents import tiny_pdf
from tests.factories import PersonFactory, RoleFactory, UserFactory

YEAR = datetime.date.today().year
DOSSIER = ["Tờ trình", "Báo cáo thành tích", "Biên bản họp Hội đồng đơn vị"]


@pytest.fixture
def journey(org, hr, focal_x1, council) -> dict[str, Any]:
    # Two more members: the approval share is counted over all of the council.
    members = [council]
    for username, name in (("council2", "Phan Văn Quang"), ("council3", "Lý Thanh Xuân")):
        user = UserFactory(username=username, first_name=name)
        RoleFactory(user=user, role=Role.COUNCIL_MEMBER, unit=org.x)
        members.append(user)
    return {
        "person": PersonFactory(unit=org.x1, full_name="Hoàng Minh Châu", staff_code="X1-042"),
        "round": award_round(org.x, YEAR, name=f"Khen thưởng công trạng năm {YEAR}"),
        "award_type": award_type("CSTDCS"),
        "members": members,
    }


def switch_user(page: Page, live_server: Any, username: str) -> None:
    logout = page.get_by_role("button", name="Đăng xuất")
    if logout.count():
        logout.click()
    login(page, live_server, username)


def test_a_nomination_goes_from_the_unit_to_the_decision_and_into_the_history(
    page: Page, live_server, journey, tmp_path
):
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure?" of irreversible steps
    person, the_round = journey["person"], journey["round"]

    # 1. The focal point of X1 drafts the nomination, uploads the dossier and submits it.
    login(page, live_server, "focal_x1")
    page.goto(f"/awards/rounds/{the_round.pk}/")
    page.get_by_role("link", name="Lập đề nghị khen thưởng").click()
    page.get_by_label("Danh hiệu, hình thức khen thưởng").select_option(
        str(journey["award_type"].pk)
    )
    page.get_by_label("Cá nhân được đề nghị").select_option(str(person.pk))
    page.get_by_label("Tóm tắt thành tích").fill(
        "Hoàn thành xuất sắc nhiệm vụ; sáng kiến số hóa hồ sơ được công nhận cấp cơ sở."
    )
    page.get_by_role("button", name="Lập đề nghị (dự thảo)").click()
    expect(page.get_by_role("heading", name="Hoàng Minh Châu", level=1)).to_be_visible()
    for n, kind in enumerate(DOSSIER):
        scan = tmp_path / f"ho-so-{n}.pdf"
        scan.write_bytes(tiny_pdf())
        page.get_by_label("Loại hồ sơ").select_option(label=kind)
        page.get_by_label("Tệp (PDF, JPEG hoặc PNG)").set_input_files(str(scan))
        page.get_by_role("button", name="Tải lên").click()
        expect(page.get_by_role("link", name=scan.name)).to_be_visible()
    page.get_by_role("button", name="Gửi đề nghị").click()
    expect(page.locator(".badge", has_text="Đã gửi")).to_be_visible()
    nomination_url = page.url

    # 2. HR staff of body X put it to the council.
    switch_user(page, live_server, "hr")
    page.goto(nomination_url)
    page.get_by_role("button", name="Đưa ra Hội đồng").click()
    expect(page.locator(".badge", has_text="Đưa ra Hội đồng")).to_be_visible()

    # 3. HR staff open a council session with its members and put the nomination on it.
    page.goto("/awards/council/new/")
    page.get_by_label("Tên phiên họp").fill(f"Phiên họp Hội đồng TĐKT xét khen thưởng năm {YEAR}")
    page.get_by_label("Ngày họp").fill(f"{YEAR}-12-18")
    page.get_by_label("Chủ tịch Hội đồng").fill("Nguyễn Văn Chủ tịch")
    for member in journey["members"]:
        page.get_by_label(member.get_full_name() or member.username, exact=True).check()
    page.get_by_role("button", name="Mở phiên họp").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Phiên họp Hội đồng TĐKT")
    session_url = page.url
    page.get_by_role("link", name="Thêm đề nghị vào chương trình").click()
    page.get_by_label(re.compile("Hoàng Minh Châu")).check()
    page.get_by_role("button", name="Đưa vào chương trình").click()
    expect(page.get_by_role("heading", name=re.compile("Hoàng Minh Châu"))).to_be_visible()

    # 4. Each member of the council votes.
    for member in journey["members"]:
        switch_user(page, live_server, member.username)
        page.goto(session_url)
        page.get_by_label("Đồng ý", exact=True).check()
        page.get_by_role("button", name="Bỏ phiếu").click()
        expect(page.locator(".badge", has_text="Bạn đã bỏ phiếu")).to_be_visible()

    # 5. HR staff close the session: 3 of 3 members agreed.
    switch_user(page, live_server, "hr")
    page.goto(session_url)
    page.get_by_role("button", name="Kết thúc phiên họp").click()
    expect(page.locator(".badge", has_text="Thông qua").first).to_be_visible()

    # 6. HR staff draft the decision for the approved nomination and issue it.
    page.goto("/awards/decisions/new/")
    page.get_by_label("Số quyết định").fill(f"125/QĐ-X-{YEAR}")
    page.get_by_label("Ngày ký").fill(f"{YEAR}-12-27")
    page.get_by_label(re.compile(r"^Người ký")).fill("Nguyễn Văn Ký")
    page.get_by_label("Chức vụ người ký").fill("Thủ trưởng cơ quan")
    page.get_by_label(re.compile("Hoàng Minh Châu")).check()
    page.get_by_role("button", name="Lưu dự thảo").click()
    page.get_by_role("button", name="Ban hành quyết định").click()
    expect(page.locator(".badge", has_text="Đã ban hành")).to_be_visible()

    # 7. The person's award history shows the award with its decision, to HR and to the unit.
    record = AwardRecord.objects.get(person=person)
    assert record.nomination.status == NominationStatus.DECIDED
    for username in ("hr", "focal_x1"):
        switch_user(page, live_server, username)
        page.goto("/awards/")
        page.get_by_label("Họ tên, mã cán bộ hoặc tên đơn vị (không cần dấu)").fill(
            "hoang minh chau"
        )
        page.get_by_role("button", name="Tìm").click()
        page.get_by_role("link", name="Hoàng Minh Châu").click()
        expect(
            page.get_by_role("heading", name="Lịch sử khen thưởng: Hoàng Minh Châu")
        ).to_be_visible()
        row = page.get_by_role("row", name=re.compile("Chiến sĩ thi đua cơ sở"))
        expect(row).to_contain_text(str(YEAR))
        expect(row).to_contain_text(f"125/QĐ-X-{YEAR}")
        expect(row).to_contain_text("Còn hiệu lực")
        assert_no_axe_violations(page)


def test_another_bodys_focal_point_cannot_see_the_history(
    page: Page, live_server, journey, focal_y
):
    login(page, live_server, "focal_y")
    response = page.goto(f"/awards/people/{journey['person'].pk}/history/")
    assert response is not None and response.status == 404
