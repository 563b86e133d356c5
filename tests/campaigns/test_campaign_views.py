"""Campaign pages: who may use each, who may not, and what bad input gets."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from campaigns.models import Campaign, CampaignStatus, ContentArea, Milestone, Phase, Target
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    MilestoneFactory,
    PhaseFactory,
    TargetFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(org):
    campaign = CampaignFactory(
        name="KTNN thi đua xây dựng xã hội học tập",
        issuing_unit=org.x,
        start_year=2023,
        end_year=2030,
    )
    PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1")
    PhaseFactory(
        campaign=campaign,
        number=2,
        name="Giai đoạn 2",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2030, 12, 31),
        review_kind="final",
    )
    area = ContentAreaFactory(campaign=campaign, number=1, title="Học tập suốt đời")
    TargetFactory(content_area=area)
    MilestoneFactory(campaign=campaign, responsible_unit=org.x1)
    return campaign


def campaign_data(org, **overrides):
    data = {
        "name": "Phong trào thi đua chuyển đổi số",
        "short_name": "Chuyển đổi số",
        "kind": "regular",
        "issuing_unit": org.x.pk,
        "plan_number": "12/KH-KTNN",
        "plan_date": "2024-01-15",
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Tổng Kiểm toán nhà nước",
        "start_year": 2024,
        "end_year": 2030,
        "objectives": "Mục tiêu",
        "motto": "",
        "requires_registration": "on",
        "registration_deadline": "2024-03-31",
    }
    data.update(overrides)
    return data


def management(prefix, total, initial):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


# Create / edit --------------------------------------------------------------------------------


def test_hr_creates_a_campaign_with_its_body_taking_part(client_for, hr, org):
    response = client_for(hr).post(reverse("campaigns:create"), campaign_data(org))
    campaign = Campaign.objects.get(name="Phong trào thi đua chuyển đổi số")
    assert response.status_code == 302
    assert campaign.status == CampaignStatus.DRAFT
    assert list(campaign.participating_units.all()) == [org.x]
    assert campaign.created_by == hr
    assert campaign.history.count() == 1


@pytest.mark.parametrize("persona", ["focal_x1", "leader", "council", "secretary"])
def test_other_roles_cannot_create(client_for, org, persona, request):
    user = request.getfixturevalue(persona)
    assert client_for(user).get(reverse("campaigns:create")).status_code == 403
    assert client_for(user).post(reverse("campaigns:create"), campaign_data(org)).status_code == 403
    assert not Campaign.objects.exists()


def test_hr_cannot_issue_for_another_body(client_for, hr, org):
    response = client_for(hr).post(
        reverse("campaigns:create"), campaign_data(org, issuing_unit=org.y.pk)
    )
    assert response.status_code == 200
    assert "issuing_unit" in response.context["form"].errors
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"name": "   "}, "name"),
        ({"name": "\x00\x01"}, "name"),
        ({"start_year": "2030", "end_year": "2023"}, "end_year"),
        ({"start_year": "99999"}, "start_year"),
        ({"start_year": "abc"}, "start_year"),
        ({"plan_date": "31/02/2024"}, "plan_date"),
        ({"kind": "secret"}, "kind"),
        ({"name": "x" * 600}, "name"),
    ],
)
def test_bad_campaign_input_gets_a_message_next_to_the_field(client_for, hr, org, overrides, field):
    response = client_for(hr).post(reverse("campaigns:create"), campaign_data(org, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_text_is_normalised_to_nfc_and_trimmed(client_for, hr, org):
    decomposed = "Phong tra\u0300o thi đua  hoc ta\u0323\u0302p  "
    client_for(hr).post(reverse("campaigns:create"), campaign_data(org, name=decomposed))
    campaign = Campaign.objects.get()
    assert campaign.name == "Phong trào thi đua hoc tập"


def test_hr_edits_a_campaign(client_for, hr, org, campaign):
    data = campaign_data(
        org, name="Tên mới", start_year=2023, end_year=2030, version=campaign.version
    )
    response = client_for(hr).post(reverse("campaigns:edit", args=[campaign.pk]), data)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Tên mới"
    assert campaign.version == 2


def test_a_stale_edit_is_refused_not_overwritten(client_for, hr, org, campaign):
    Campaign.objects.filter(pk=campaign.pk).update(version=5)
    data = campaign_data(org, name="Bản cũ", start_year=2023, end_year=2030, version=1)
    response = client_for(hr).post(reverse("campaigns:edit", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert "người khác cập nhật" in response.text
    campaign.refresh_from_db()
    assert campaign.name != "Bản cũ"


def test_shrinking_years_under_existing_phases_is_refused(client_for, hr, org, campaign):
    data = campaign_data(org, start_year=2024, end_year=2030, version=campaign.version)
    response = client_for(hr).post(reverse("campaigns:edit", args=[campaign.pk]), data)
    assert response.status_code == 200
    campaign.refresh_from_db()
    assert campaign.start_year == 2023


def test_leader_cannot_edit(client_for, leader, org, campaign):
    assert client_for(leader).get(reverse("campaigns:edit", args=[campaign.pk])).status_code == 403


def test_hr_of_another_body_gets_404(client_for, hr_y, org, campaign):
    url = reverse("campaigns:edit", args=[campaign.pk])
    assert client_for(hr_y).get(url).status_code == 404


# Detail, timeline, history --------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hr", "leader", "council", "focal_x1"])
def test_people_of_the_body_read_the_campaign(client_for, campaign, persona, request):
    response = client_for(request.getfixturevalue(persona)).get(
        reverse("campaigns:detail", args=[campaign.pk])
    )
    assert response.status_code == 200
    assert "Học tập suốt đời" in response.text
    assert "Giai đoạn 2" in response.text


def test_leader_sees_no_edit_buttons(client_for, leader, campaign):
    text = client_for(leader).get(reverse("campaigns:detail", args=[campaign.pk])).text
    assert reverse("campaigns:edit", args=[campaign.pk]) not in text
    assert reverse("campaigns:phases", args=[campaign.pk]) not in text


@pytest.mark.parametrize("name", ["detail", "timeline", "history", "progress"])
def test_focal_point_of_another_body_gets_404(client_for, focal_y, campaign, name):
    assert (
        client_for(focal_y).get(reverse(f"campaigns:{name}", args=[campaign.pk])).status_code == 404
    )


def test_focal_point_of_a_sibling_department_does_not_see_a_department_campaign(
    client_for, focal_x2, org
):
    campaign = CampaignFactory(issuing_unit=org.x1)
    response = client_for(focal_x2).get(reverse("campaigns:detail", args=[campaign.pk]))
    assert response.status_code == 404


def test_timeline_shows_overdue_milestones(client_for, leader, campaign):
    MilestoneFactory(campaign=campaign, title="Việc đã trễ hạn", due_date=datetime.date(2020, 1, 1))
    response = client_for(leader).get(reverse("campaigns:timeline", args=[campaign.pk]))
    assert response.status_code == 200
    assert "Việc đã trễ hạn" in response.context["timeline"]["overdue"][0].title


def test_history_shows_who_changed_what(client_for, hr, org, campaign):
    data = campaign_data(org, name="Tên sau khi sửa", start_year=2023, end_year=2030, version=1)
    client_for(hr).post(reverse("campaigns:edit", args=[campaign.pk]), data)
    response = client_for(hr).get(reverse("campaigns:history", args=[campaign.pk]))
    entries = response.context["entries"]
    edit = next(e for e in entries if e.action == "Sửa" and "phong trào" in e.what)
    assert edit.who == "hr"
    assert "tên phong trào" in edit.changes


def test_user_text_is_escaped(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x, name="<script>alert(1)</script>")
    text = client_for(hr).get(reverse("campaigns:detail", args=[campaign.pk])).text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;" in text


# Phases ---------------------------------------------------------------------------------------


def phase_row(prefix, index, pk, name, start, end, kind, due=""):
    return {
        f"{prefix}-{index}-id": str(pk or ""),
        f"{prefix}-{index}-name": name,
        f"{prefix}-{index}-start_date": start,
        f"{prefix}-{index}-end_date": end,
        f"{prefix}-{index}-review_kind": kind,
        f"{prefix}-{index}-review_due_date": due,
    }


def test_hr_enters_phases(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x, start_year=2023, end_year=2030)
    data = {"version": "1", **management("phases", 2, 0)}
    data |= phase_row(
        "phases", 0, None, "Giai đoạn 1", "2023-01-01", "2025-12-31", "interim", "2025-12-31"
    )
    data |= phase_row("phases", 1, None, "Giai đoạn 2", "2026-01-01", "2030-12-31", "final")
    response = client_for(hr).post(reverse("campaigns:phases", args=[campaign.pk]), data)
    assert response.status_code == 302
    assert list(campaign.phases.values_list("number", "name")) == [
        (1, "Giai đoạn 1"),
        (2, "Giai đoạn 2"),
    ]


def test_the_seed_003_phase_gets_a_message_and_nothing_is_saved(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x, start_year=2023, end_year=2030)
    data = {"version": "1", **management("phases", 2, 0)}
    data |= phase_row("phases", 0, None, "Giai đoạn 1", "2022-01-01", "2025-12-31", "interim")
    data |= phase_row("phases", 1, None, "Giai đoạn 2", "2026-01-01", "2030-12-31", "final")
    response = client_for(hr).post(reverse("campaigns:phases", args=[campaign.pk]), data)
    assert response.status_code == 200
    form = response.context["formset"].forms[0]
    assert "năm 2022" in form.errors["start_date"][0]
    assert not Phase.objects.exists()


@pytest.mark.parametrize(
    "row",
    [
        ("Giai đoạn 1", "not-a-date", "2025-12-31", "final"),
        ("", "2023-01-01", "2025-12-31", "final"),
        ("Giai đoạn 1", "2023-01-01", "2025-12-31", "bogus"),
        ("Giai đoạn 1", "2023-01-01", "99999-12-31", "final"),
    ],
)
def test_bad_phase_rows_are_refused(client_for, hr, org, row):
    campaign = CampaignFactory(issuing_unit=org.x)
    data = {"version": "1", **management("phases", 1, 0), **phase_row("phases", 0, None, *row)}
    response = client_for(hr).post(reverse("campaigns:phases", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert not Phase.objects.exists()


def test_focal_point_cannot_edit_phases(client_for, focal_x1, campaign):
    assert (
        client_for(focal_x1).get(reverse("campaigns:phases", args=[campaign.pk])).status_code == 403
    )


# Content areas, targets, milestones -----------------------------------------------------------


def test_hr_adds_content_areas_numbered_in_order(client_for, hr, org, campaign):
    area = campaign.content_areas.get()
    data = {"version": str(campaign.version), **management("areas", 2, 1)}
    data |= {"areas-0-id": area.pk, "areas-0-title": "Học tập suốt đời", "areas-0-description": ""}
    data |= {
        "areas-1-id": "",
        "areas-1-title": "Chuyển đổi số",
        "areas-1-description": "Ứng dụng số",
    }
    response = client_for(hr).post(reverse("campaigns:content_areas", args=[campaign.pk]), data)
    assert response.status_code == 302
    assert list(campaign.content_areas.values_list("number", "title")) == [
        (1, "Học tập suốt đời"),
        (2, "Chuyển đổi số"),
    ]


def test_an_empty_content_area_title_is_refused(client_for, hr, campaign):
    data = {"version": str(campaign.version), **management("areas", 1, 0)}
    data |= {"areas-0-id": "", "areas-0-title": "  ", "areas-0-description": "x"}
    response = client_for(hr).post(reverse("campaigns:content_areas", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert ContentArea.objects.filter(campaign=campaign).count() == 1


def test_hr_edits_targets_and_negative_goals_are_refused(client_for, hr, campaign):
    area = campaign.content_areas.get()
    url = reverse("campaigns:targets", args=[campaign.pk, area.pk])
    target = area.targets.get()
    base = {
        "version": str(campaign.version),
        **management("targets", 1, 1),
        "targets-0-id": target.pk,
    }
    bad = base | {
        "targets-0-text": "Tỷ lệ",
        "targets-0-goal": "-5",
        "targets-0-unit_of_measure": "%",
    }
    assert client_for(hr).post(url, bad).status_code == 200
    good = base | {
        "targets-0-text": "Tỷ lệ mới",
        "targets-0-goal": "90",
        "targets-0-unit_of_measure": "%",
    }
    assert client_for(hr).post(url, good).status_code == 302
    assert Target.objects.get(pk=target.pk).text == "Tỷ lệ mới"


def test_targets_of_another_campaigns_area_get_404(client_for, hr, org, campaign):
    other = ContentAreaFactory(campaign=CampaignFactory(issuing_unit=org.x))
    url = reverse("campaigns:targets", args=[campaign.pk, other.pk])
    assert client_for(hr).get(url).status_code == 404


def test_hr_records_a_milestone_as_done(client_for, hr, campaign):
    milestone = campaign.milestones.get()
    data = {"version": str(campaign.version), **management("milestones", 1, 1)}
    data |= {
        "milestones-0-id": milestone.pk,
        "milestones-0-title": milestone.title,
        "milestones-0-due_date": "2024-03-31",
        "milestones-0-responsible_unit": milestone.responsible_unit_id,
        "milestones-0-done_date": "2024-02-20",
    }
    response = client_for(hr).post(reverse("campaigns:milestones", args=[campaign.pk]), data)
    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).done_date == datetime.date(2024, 2, 20)


def test_a_milestone_cannot_name_a_unit_outside_the_users_scope(client_for, hr, org, campaign):
    data = {"version": str(campaign.version), **management("milestones", 1, 0)}
    data |= {
        "milestones-0-id": "",
        "milestones-0-title": "Mốc lạ",
        "milestones-0-due_date": "2024-03-31",
        "milestones-0-responsible_unit": org.y.pk,
        "milestones-0-done_date": "",
    }
    response = client_for(hr).post(reverse("campaigns:milestones", args=[campaign.pk]), data)
    assert response.status_code == 200
    assert not Milestone.objects.filter(title="Mốc lạ").exists()


# Status ---------------------------------------------------------------------------------------


def test_launch_close_archive_restore(client_for, hr, campaign):
    client = client_for(hr)
    for action, status in [
        ("launch", "launched"),
        ("close", "closed"),
        ("archive", "archived"),
        ("restore", "closed"),
    ]:
        client.post(reverse("campaigns:status", args=[campaign.pk, action]))
        campaign.refresh_from_db()
        assert campaign.status == status


def test_launch_needs_phases(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x)
    response = client_for(hr).post(
        reverse("campaigns:status", args=[campaign.pk, "launch"]), follow=True
    )
    assert "Cần ít nhất một giai đoạn" in response.text
    campaign.refresh_from_db()
    assert campaign.status == "draft"


def test_status_change_needs_post_and_the_plan_role(client_for, hr, leader, campaign):
    url = reverse("campaigns:status", args=[campaign.pk, "launch"])
    assert client_for(hr).get(url).status_code == 405
    assert client_for(leader).post(url).status_code == 403
    assert (
        client_for(hr).post(reverse("campaigns:status", args=[campaign.pk, "explode"])).status_code
        == 302
    )
    campaign.refresh_from_db()
    assert campaign.status == "draft"


# Progress -------------------------------------------------------------------------------------


@pytest.fixture
def launched(campaign):
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.LAUNCHED)
    campaign.refresh_from_db()
    return campaign


def progress_data(campaign, summary="Tổ chức 3 lớp bồi dưỡng", value="85"):
    area = campaign.content_areas.get()
    target = area.targets.get()
    return {f"area{area.pk}-summary": summary, f"area{area.pk}-target_{target.pk}": value}


def test_focal_point_reports_their_units_progress(client_for, focal_x1, org, launched):
    phase = launched.phases.first()
    url = reverse("campaigns:progress_edit", args=[launched.pk, phase.pk, org.x1.pk])
    response = client_for(focal_x1).post(url, progress_data(launched))
    assert response.status_code == 302
    entry = phase.progress_entries.get()
    assert entry.unit == org.x1
    assert entry.figures.get().value == 85


def test_focal_point_cannot_report_for_a_sibling_unit(client_for, focal_x1, org, launched):
    phase = launched.phases.first()
    url = reverse("campaigns:progress_edit", args=[launched.pk, phase.pk, org.x2.pk])
    assert client_for(focal_x1).get(url).status_code == 404
    assert client_for(focal_x1).post(url, progress_data(launched)).status_code == 404


@pytest.mark.parametrize(("summary", "value"), [("", "5"), ("Có làm", "-1"), ("Có làm", "abc")])
def test_bad_progress_input_is_refused(client_for, focal_x1, org, launched, summary, value):
    phase = launched.phases.first()
    url = reverse("campaigns:progress_edit", args=[launched.pk, phase.pk, org.x1.pk])
    response = client_for(focal_x1).post(url, progress_data(launched, summary, value))
    assert response.status_code == 200
    assert not phase.progress_entries.exists()


def test_progress_is_refused_before_launch(client_for, focal_x1, org, campaign):
    phase = campaign.phases.first()
    url = reverse("campaigns:progress_edit", args=[campaign.pk, phase.pk, org.x1.pk])
    client_for(focal_x1).post(url, progress_data(campaign))
    assert not phase.progress_entries.exists()


def test_leader_cannot_report_progress(client_for, leader, org, launched):
    phase = launched.phases.first()
    url = reverse("campaigns:progress_edit", args=[launched.pk, phase.pk, org.x1.pk])
    assert client_for(leader).get(url).status_code == 404


def test_progress_overview_lists_the_focal_points_units(client_for, focal_x1, org, launched):
    response = client_for(focal_x1).get(reverse("campaigns:progress", args=[launched.pk]))
    units = [row["unit"] for row in response.context["matrix"]["rows"]]
    assert org.x1 in units
    assert org.x2 not in units
