"""The home page fetches the user's due and overdue items with htmx (axe-checked)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from playwright.sync_api import Page, expect

from awards.models import AwardRound
from campaigns.models import CampaignStatus
from tests.browser.conftest import assert_no_axe_violations, login
from tests.factories import CampaignFactory, MilestoneFactory


def test_the_home_page_lists_what_is_due_and_overdue(page: Page, live_server, org, focal_x1):
    today = timezone.localdate()
    campaign = CampaignFactory(
        name="Thi đua xây dựng xã hội học tập", issuing_unit=org.x, status=CampaignStatus.LAUNCHED
    )
    MilestoneFactory(
        campaign=campaign,
        title="Gửi báo cáo sơ kết",
        due_date=today - datetime.timedelta(days=2),
        responsible_unit=org.x1,
    )
    AwardRound.objects.create(
        body=org.x,
        name="Khen thưởng năm",
        year=today.year,
        nomination_deadline=today + datetime.timedelta(days=5),
    )
    login(page, live_server, "focal_x1")
    section = page.get_by_role("region", name="Việc sắp đến hạn và quá hạn")
    overdue = section.get_by_role("link", name="Mốc “Gửi báo cáo sơ kết”", exact=False)
    expect(overdue).to_be_visible()
    rows = section.get_by_role("listitem")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Quá hạn")  # overdue first
    expect(rows.nth(1)).to_contain_text("Sắp đến hạn")
    expect(rows.nth(1)).to_contain_text("Gửi hồ sơ đề nghị khen thưởng – Khen thưởng năm")
    assert_no_axe_violations(page)
    overdue.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thi đua xây dựng xã hội học tập")
