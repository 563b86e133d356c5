"""The phase review in the browser (issue 5, quality bars): a leader requests the phase-1 review
of the learning-society campaign, watches the progress bar and downloads the PDF; HR staff
write the narrative and the page saves it as they type. Tasks run in-process here, so the
status page is already at "Hoàn thành" when it opens (tests/reports/test_report_worker.py
covers the real worker)."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from campaigns.models import CampaignStatus
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.browser.conftest import assert_no_axe_violations, login
from tests.factories import CampaignFactory, ContentAreaFactory, PhaseFactory, TargetFactory

CAMPAIGN = "Thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời giai đoạn 2023-2030"


@pytest.fixture
def draft(org, hr, leader) -> ReportDraft:
    campaign = CampaignFactory(
        name=CAMPAIGN,
        issuing_unit=org.x,
        status=CampaignStatus.LAUNCHED,
        signer_name="Nguyễn Văn Ký",
        signer_position="Thủ trưởng cơ quan",
    )
    phase = PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1 (2023-2025)")
    area = ContentAreaFactory(campaign=campaign, number=1, title="Xây dựng đơn vị học tập")
    TargetFactory(content_area=area, text="Tỷ lệ công chức được bồi dưỡng", goal=90)
    return ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Báo cáo sơ kết giai đoạn 1 phong trào xây dựng xã hội học tập",
        context="Phong trào được triển khai rộng khắp các đơn vị.",
        strengths="Các đơn vị hưởng ứng tích cực.",
        number="12/BC-X",
        document_date=datetime.date(2025, 3, 5),
        signer_name="Nguyễn Văn Ký",
        signer_position="Thủ trưởng cơ quan",
        recipients="Ban Thi đua - Khen thưởng Trung ương\nLưu: VT",
        created_by=hr,
    )


def test_a_leader_requests_the_phase_review_and_downloads_the_pdf(
    page: Page, live_server: Any, draft: ReportDraft
):
    login(page, live_server, "leader")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("heading", name="Báo cáo", level=1)).to_be_visible()
    page.get_by_role("link", name=draft.title).click()

    expect(page.get_by_role("heading", name=draft.title, level=1)).to_be_visible()
    # The figures arrive by htmx: read-only tables and the server-drawn charts.
    expect(page.get_by_role("img", name="Tham gia phong trào")).to_be_visible()
    expect(page.get_by_text("Tỷ lệ công chức được bồi dưỡng")).to_be_visible()
    expect(page.get_by_text("Các đơn vị hưởng ứng tích cực.")).to_be_visible()
    assert_no_axe_violations(page)

    page.get_by_role("button", name="Tạo báo cáo", exact=True).click()
    page.wait_for_url(re.compile(r"/reports/versions/\d+/$"), timeout=60_000)
    expect(page.get_by_role("heading", name="Báo cáo – phiên bản 1")).to_be_visible()
    bar = page.get_by_role("progressbar", name="Tiến độ tạo báo cáo")
    expect(bar).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#version-progress .badge")).to_have_text("Hoàn thành")
    expect(page.locator("#version-progress")).not_to_have_attribute("hx-trigger", re.compile("."))
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải bản PDF").click()
    download = download_info.value
    # The app names the file (ASCII, see campaigns/downloads.py), never the user.
    assert download.suggested_filename.endswith("-phien-ban-1.pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    version = ReportVersion.objects.get()
    assert version.status == ReportStatus.DONE and version.requested_by.username == "leader"

    # Back on the draft page, the version is listed with its files.
    page.get_by_role("link", name="Về dự thảo báo cáo và các phiên bản").click()
    row = page.get_by_role("row", name=re.compile("Phiên bản 1"))
    expect(row.get_by_role("link", name="PDF")).to_be_visible()
    expect(row.get_by_text("Hoàn thành")).to_be_visible()


def test_hr_writes_the_narrative_and_it_saves_itself(
    page: Page, live_server: Any, draft: ReportDraft
):
    login(page, live_server, "hr")
    page.goto(f"/reports/drafts/{draft.pk}/")
    expect(page.get_by_role("img", name="Tham gia phong trào")).to_be_visible()
    assert_no_axe_violations(page)

    # Typing (keyup) saves two seconds after the last key, without leaving the field.
    page.get_by_label("7. Bài học kinh nghiệm").press_sequentially(
        "Lãnh đạo, chỉ đạo sát sao, kịp thời."
    )
    status = page.locator("#autosave-status")
    expect(status).to_contain_text(re.compile(r"Đã lưu lúc \d\d:\d\d"), timeout=15_000)
    draft.refresh_from_db()
    assert draft.lessons == "Lãnh đạo, chỉ đạo sát sao, kịp thời."
    saved_version = draft.version

    # A second change goes through with the version the first save handed back.
    page.get_by_label("Nội dung 1. Xây dựng đơn vị học tập").fill("Đã mở 12 lớp bồi dưỡng.")
    page.get_by_label("Số, ký hiệu").click()  # leaving the field is a change
    expect(page.locator("#id_version")).not_to_have_value(str(saved_version), timeout=15_000)
    draft.refresh_from_db()
    assert list(draft.area_results.values()) == ["Đã mở 12 lớp bồi dưỡng."]

    # Someone else saves meanwhile: the next autosave says so and overwrites nothing.
    ReportDraft.objects.filter(pk=draft.pk).update(version=draft.version + 5)
    page.get_by_label("Hạn chế").fill("Một số đơn vị còn chậm.")
    page.get_by_label("Nguyên nhân").click()
    expect(status).to_contain_text("vừa được người khác", timeout=15_000)
    draft.refresh_from_db()
    assert draft.shortcomings == ""
