"""Registrations (đăng ký thi đua, DOMAIN.md step 5): a unit registers its collective title
and its people's titles for a year (and campaign); draft → submitted → approved, or
returned with a reason and resubmitted; the campaign's deadline closes it for all but
HR staff of the body. Every step records who and when.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import registration_services as services
from awards.models import Registration, RegistrationEntry, RegistrationStatus
from campaigns.errors import DomainError
from campaigns.models import CampaignStatus
from tests.awards.records_setup import YEAR, launched_campaign, person, titles
from tests.versions import version_of

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"awards:{name}", args=args)


@pytest.fixture
def t(db):
    return titles()


@pytest.fixture
def people(org):
    return {
        "an": person(org.x1, "Nguyễn Văn An", "X1-001"),
        "binh": person(org.x1a, "Trần Thị Bình", "X1A-001"),
        "cuong": person(org.x2, "Lê Văn Cường", "X2-001"),
    }


def make_draft(by, unit, **fields) -> Registration:
    return services.registration_create(by=by, unit=unit, year=fields.pop("year", YEAR), **fields)


# Services --------------------------------------------------------------------------------


def test_it_creates_a_draft_and_records_who(focal_x1, org, t):
    registration = make_draft(focal_x1, org.x1, collective_title=t["TTLDXS"])
    assert registration.status == RegistrationStatus.DRAFT
    first = registration.history.earliest()
    assert first.history_user == focal_x1
    assert first.history_change_reason == "Tạo đăng ký"


def test_it_refuses_a_second_registration_for_the_same_year(focal_x1, org):
    make_draft(focal_x1, org.x1)
    with pytest.raises(DomainError, match="đã có đăng ký thi đua năm 2025"):
        make_draft(focal_x1, org.x1)


def test_a_campaign_registration_is_separate_from_the_yearly_one(focal_x1, org):
    campaign = launched_campaign(org)
    make_draft(focal_x1, org.x1)
    registration = make_draft(focal_x1, org.x1, campaign=campaign)
    assert registration.campaign == campaign


def test_it_refuses_an_individual_title_as_the_collective_title(focal_x1, org, t):
    with pytest.raises(DomainError, match="không phải danh hiệu thi đua tập thể"):
        make_draft(focal_x1, org.x1, collective_title=t["LDTT"])


def test_it_refuses_a_campaign_not_launched(focal_x1, org):
    campaign = launched_campaign(org, status=CampaignStatus.DRAFT)
    with pytest.raises(DomainError, match="chưa phát động"):
        make_draft(focal_x1, org.x1, campaign=campaign)


def test_it_refuses_a_year_outside_the_campaign(focal_x1, org):
    campaign = launched_campaign(org, start_year=2026, end_year=2030)
    with pytest.raises(DomainError, match="nằm ngoài thời gian 2026–2030"):
        make_draft(focal_x1, org.x1, campaign=campaign)


def test_it_refuses_a_unit_not_taking_part(focal_x1, org):
    campaign = launched_campaign(org, participating_units=[org.x2])
    with pytest.raises(DomainError, match="không tham gia phong trào"):
        make_draft(focal_x1, org.x1, campaign=campaign)


def test_a_sub_unit_takes_part_through_its_parent(focal_x1, org):
    campaign = launched_campaign(org, participating_units=[org.x1])
    assert make_draft(focal_x1, org.x1a, campaign=campaign).unit == org.x1a


def test_update_replaces_the_list_and_keeps_history(focal_x1, org, t, people):
    registration = make_draft(focal_x1, org.x1)
    services.registration_update(
        registration=registration,
        expected_version=int(version_of(registration)),
        by=focal_x1,
        collective_title=t["TTLDTT"],
        entries=[(people["an"], t["CSTDCS"]), (people["binh"], t["LDTT"])],
    )
    services.registration_update(
        registration=registration,
        expected_version=int(version_of(registration)),
        by=focal_x1,
        collective_title=t["TTLDTT"],
        entries=[(people["an"], t["CSTDCS"]), (people["an"], t["LDTT"])],
    )
    pairs = set(registration.entries.values_list("person__full_name", "award_type__code"))
    assert pairs == {("Nguyễn Văn An", "CSTDCS"), ("Nguyễn Văn An", "LDTT")}
    removed = RegistrationEntry.history.filter(history_type="-").get()
    assert removed.person_id == people["binh"].pk and removed.history_user == focal_x1
    reasons = list(registration.history.values_list("history_change_reason", flat=True))
    assert "Thêm 1, bỏ 1 cá nhân" in reasons


def test_update_refuses_a_person_outside_the_unit(focal_x1, org, t, people):
    registration = make_draft(focal_x1, org.x1)
    with pytest.raises(DomainError, match="không thuộc"):
        services.registration_update(
            registration=registration,
            expected_version=int(version_of(registration)),
            by=focal_x1,
            collective_title=None,
            entries=[(people["cuong"], t["LDTT"])],
        )


def test_update_refuses_a_form_of_commendation_as_a_title(focal_x1, org, t, people):
    registration = make_draft(focal_x1, org.x1)
    with pytest.raises(DomainError, match="không phải danh hiệu thi đua cá nhân"):
        services.registration_update(
            registration=registration,
            expected_version=int(version_of(registration)),
            by=focal_x1,
            collective_title=None,
            entries=[(people["an"], t["BK_BO"])],
        )


def test_update_refuses_someone_who_left(focal_x1, org, t):
    gone = person(org.x1, "Phạm Văn Nghỉ", "X1-009", is_active=False)
    registration = make_draft(focal_x1, org.x1)
    with pytest.raises(DomainError, match="đã nghỉ công tác"):
        services.registration_update(
            registration=registration,
            expected_version=int(version_of(registration)),
            by=focal_x1,
            collective_title=None,
            entries=[(gone, t["LDTT"])],
        )


def test_submit_then_approve_records_who_and_when(focal_x1, hr, org, t):
    registration = make_draft(focal_x1, org.x1, collective_title=t["TTLDXS"])
    services.registration_submit(registration=registration, by=focal_x1)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.submitted_by == focal_x1 and registration.submitted_at is not None
    services.registration_approve(registration=registration, by=hr)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.APPROVED
    assert registration.reviewed_by == hr and registration.reviewed_at is not None
    steps = list(
        registration.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", "history_user__username"
        )
    )
    assert steps == [
        ("Tạo đăng ký", "focal_x1"),
        ("Gửi đăng ký", "focal_x1"),
        ("Duyệt đăng ký", "hr"),
    ]


def test_an_empty_registration_cannot_be_submitted(focal_x1, org):
    registration = make_draft(focal_x1, org.x1)
    with pytest.raises(DomainError, match="chưa có danh hiệu"):
        services.registration_submit(registration=registration, by=focal_x1)


def test_return_needs_a_reason_then_the_unit_corrects_and_resubmits(focal_x1, hr, org, t, people):
    registration = make_draft(focal_x1, org.x1, collective_title=t["TTLDXS"])
    services.registration_submit(registration=registration, by=focal_x1)
    with pytest.raises(DomainError, match="lý do"):
        services.registration_return(registration=registration, by=hr, reason="  ")
    services.registration_return(
        registration=registration, by=hr, reason="Thiếu danh sách cá nhân đăng ký."
    )
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.RETURNED
    assert registration.return_reason == "Thiếu danh sách cá nhân đăng ký."
    with pytest.raises(DomainError, match="Chỉ duyệt đăng ký đã gửi"):
        services.registration_approve(registration=registration, by=hr)
    services.registration_update(
        registration=registration,
        expected_version=int(version_of(registration)),
        by=focal_x1,
        collective_title=t["TTLDXS"],
        entries=[(people["an"], t["CSTDCS"])],
    )
    services.registration_submit(registration=registration, by=focal_x1)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.return_reason == ""
    returned = registration.history.filter(status=RegistrationStatus.RETURNED).first()
    assert returned.return_reason == "Thiếu danh sách cá nhân đăng ký."
    assert registration.history.latest().history_change_reason == "Gửi lại sau khi bị trả lại"


def test_a_submitted_registration_cannot_be_edited(focal_x1, org, t, people):
    registration = make_draft(focal_x1, org.x1, collective_title=t["TTLDXS"])
    services.registration_submit(registration=registration, by=focal_x1)
    with pytest.raises(DomainError, match="không thể sửa"):
        services.registration_update(
            registration=registration,
            expected_version=int(version_of(registration)),
            by=focal_x1,
            collective_title=None,
            entries=[(people["an"], t["LDTT"])],
        )


# Deadline --------------------------------------------------------------------------------


@pytest.fixture
def closed_campaign(org):
    return launched_campaign(
        org, registration_deadline=timezone.localdate() - datetime.timedelta(days=1)
    )


def test_after_the_deadline_a_focal_point_cannot_create(focal_x1, org, closed_campaign):
    with pytest.raises(DomainError, match="Đã quá hạn đăng ký thi đua"):
        make_draft(focal_x1, org.x1, campaign=closed_campaign)


def test_after_the_deadline_hr_of_the_body_still_can(hr, org, closed_campaign):
    assert make_draft(hr, org.x1, campaign=closed_campaign).pk


def test_on_the_deadline_day_registering_is_open(focal_x1, org):
    campaign = launched_campaign(org, registration_deadline=timezone.localdate())
    assert make_draft(focal_x1, org.x1, campaign=campaign).pk


def test_after_the_deadline_a_draft_cannot_be_submitted(focal_x1, hr, org, t, closed_campaign):
    registration = make_draft(hr, org.x1, campaign=closed_campaign, collective_title=t["TTLDTT"])
    with pytest.raises(DomainError, match="Đã quá hạn đăng ký thi đua"):
        services.registration_submit(registration=registration, by=focal_x1)
    services.registration_submit(registration=registration, by=hr)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.SUBMITTED


def test_a_returned_registration_may_be_resubmitted_after_the_deadline(focal_x1, hr, org, t):
    campaign = launched_campaign(org, registration_deadline=timezone.localdate())
    registration = make_draft(focal_x1, org.x1, campaign=campaign, collective_title=t["TTLDTT"])
    services.registration_submit(registration=registration, by=focal_x1)
    services.registration_return(registration=registration, by=hr, reason="Sửa danh hiệu.")
    campaign.registration_deadline = timezone.localdate() - datetime.timedelta(days=3)
    campaign.save()
    services.registration_submit(registration=registration, by=focal_x1)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.SUBMITTED


def test_the_deadline_refusal_shows_on_the_create_page(client_for, focal_x1, org, closed_campaign):
    response = client_for(focal_x1).post(
        url("registration_create"),
        {"unit": org.x1.pk, "year": YEAR, "campaign": closed_campaign.pk},
    )
    assert response.status_code == 200
    assert "Đã quá hạn đăng ký thi đua" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_deadline_refusal_shows_after_submit(client_for, focal_x1, hr, org, t, closed_campaign):
    registration = make_draft(hr, org.x1, campaign=closed_campaign, collective_title=t["TTLDTT"])
    response = client_for(focal_x1).post(url("registration_submit", registration.pk), follow=True)
    assert "Đã quá hạn đăng ký thi đua" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.DRAFT


# Pages: who may and who may not -----------------------------------------------------------


def test_focal_point_creates_for_their_unit(client_for, focal_x1, org, t):
    response = client_for(focal_x1).post(
        url("registration_create"),
        {"unit": org.x1.pk, "year": YEAR, "collective_title": t["TTLDXS"].pk},
    )
    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response.url == url("registration_edit", registration.pk)
    assert registration.unit == org.x1 and registration.collective_title == t["TTLDXS"]


def test_create_form_offers_only_the_users_units(client_for, focal_x1, org):
    response = client_for(focal_x1).get(url("registration_create"))
    offered = {u.pk for u in response.context["form"].fields["unit"].queryset}
    assert offered == {org.x1.pk, org.x1a.pk}
    response = client_for(focal_x1).post(
        url("registration_create"), {"unit": org.x2.pk, "year": YEAR}
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Registration.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"year": YEAR}, "unit"),
        ({"unit": "X1", "year": ""}, "year"),
        ({"unit": "X1", "year": "hai nghìn"}, "year"),
        ({"unit": "X1", "year": 1800}, "year"),
        ({"unit": "X1", "year": 2999}, "year"),
        ({"unit": "X1", "year": YEAR, "collective_title": "LDTT"}, "collective_title"),
        ({"unit": "X1", "year": YEAR, "campaign": 999999}, "campaign"),
    ],
)
def test_create_form_rejects_bad_input(client_for, focal_x1, org, t, data, field):
    if data.get("unit") == "X1":
        data["unit"] = org.x1.pk
    if data.get("collective_title") == "LDTT":
        data["collective_title"] = t["LDTT"].pk
    response = client_for(focal_x1).post(url("registration_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Registration.objects.exists()


def test_leader_and_council_may_not_create(client_for, leader, council):
    assert client_for(leader).get(url("registration_create")).status_code == 403
    assert client_for(council).get(url("registration_create")).status_code == 403


def test_login_is_required(client, org):
    response = client.get(url("registration_list"))
    assert response.status_code == 302 and "login" in response.url


@pytest.fixture
def draft_x1(focal_x1, org, t, people):
    registration = make_draft(focal_x1, org.x1, collective_title=t["TTLDXS"])
    services.registration_update(
        registration=registration,
        expected_version=int(version_of(registration)),
        by=focal_x1,
        collective_title=t["TTLDXS"],
        entries=[(people["an"], t["CSTDCS"])],
    )
    return registration


@pytest.mark.parametrize("name", ["focal_x1", "hr", "leader", "council", "admin_user"])
def test_people_of_the_unit_and_above_see_the_registration(client_for, request, draft_x1, name):
    user = request.getfixturevalue(name)
    response = client_for(user).get(url("registration_detail", draft_x1.pk))
    assert response.status_code == 200
    assert "Nguyễn Văn An" in response.content.decode()


@pytest.mark.parametrize("name", ["focal_x2", "focal_y", "hr_y"])
@pytest.mark.parametrize(
    ("view", "method"),
    [
        ("registration_detail", "get"),
        ("registration_edit", "get"),
        ("registration_edit", "post"),
        ("registration_submit", "post"),
        ("registration_approve", "post"),
        ("registration_return", "get"),
        ("registration_return", "post"),
        ("registration_import", "get"),
        ("registration_import_template", "get"),
    ],
)
def test_another_units_user_gets_404(client_for, request, draft_x1, name, view, method):
    client = client_for(request.getfixturevalue(name))
    response = getattr(client, method)(url(view, draft_x1.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("view", ["registration_approve", "registration_return"])
def test_a_focal_point_may_not_review(client_for, focal_x1, draft_x1, view):
    services.registration_submit(registration=draft_x1, by=focal_x1)
    response = client_for(focal_x1).post(url(view, draft_x1.pk), {"reason": "Không đạt."})
    assert response.status_code == 403
    assert Registration.objects.get(pk=draft_x1.pk).status == RegistrationStatus.SUBMITTED


@pytest.mark.parametrize(
    "view", ["registration_edit", "registration_submit", "registration_import"]
)
def test_a_leader_may_not_change_a_registration(client_for, leader, draft_x1, view):
    assert client_for(leader).post(url(view, draft_x1.pk)).status_code == 403


def test_hr_of_a_department_is_not_hr_of_the_body(client_for, draft_x1, focal_x1, org):
    from campaigns.models import Role
    from tests.factories import RoleFactory, UserFactory

    dept_hr = UserFactory(username="hr_x1")
    RoleFactory(user=dept_hr, role=Role.HR_STAFF, unit=org.x1)
    services.registration_submit(registration=draft_x1, by=focal_x1)
    assert client_for(dept_hr).post(url("registration_approve", draft_x1.pk)).status_code == 403


def test_the_whole_journey_in_pages(client_for, focal_x1, hr, draft_x1):
    detail = url("registration_detail", draft_x1.pk)
    focal = client_for(focal_x1)
    assert focal.post(url("registration_submit", draft_x1.pk)).url == detail
    page = focal.get(detail)
    assert not page.context["can_edit"] and not page.context["can_review"]

    reviewer = client_for(hr)
    assert reviewer.get(detail).context["can_review"]
    response = reviewer.post(url("registration_return", draft_x1.pk), {"reason": "  "})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = reviewer.post(
        url("registration_return", draft_x1.pk), {"reason": "Bổ sung cá nhân đăng ký LĐTT."}
    )
    assert response.url == detail

    focal = client_for(focal_x1)
    page = focal.get(detail).content.decode()
    assert "Đăng ký bị trả lại:" in page and "Bổ sung cá nhân đăng ký LĐTT." in page
    assert "Gửi lại" in page
    assert focal.post(url("registration_submit", draft_x1.pk)).url == detail

    reviewer = client_for(hr)
    reviewer.post(url("registration_approve", draft_x1.pk))
    registration = Registration.objects.get(pk=draft_x1.pk)
    assert registration.status == RegistrationStatus.APPROVED
    events = reviewer.get(detail).context["events"]
    assert [e["what"] for e in events] == [
        "Tạo đăng ký",
        "Thêm 1, bỏ 0 cá nhân",
        "Gửi đăng ký",
        "Trả lại đăng ký",
        "Gửi lại sau khi bị trả lại",
        "Duyệt đăng ký",
    ]
    assert events[3]["reason"] == "Bổ sung cá nhân đăng ký LĐTT."
    assert events[3]["who"] == hr


def test_approving_twice_says_why(client_for, focal_x1, hr, draft_x1):
    services.registration_submit(registration=draft_x1, by=focal_x1)
    client = client_for(hr)
    client.post(url("registration_approve", draft_x1.pk))
    response = client.post(url("registration_approve", draft_x1.pk), follow=True)
    assert "Chỉ duyệt đăng ký đã gửi" in response.content.decode()


# The edit page ---------------------------------------------------------------------------


def formset_data(rows, *, title=None, initial=0, prefix="entries") -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
        "collective_title": title.pk if title else "",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def test_edit_page_saves_the_people_list(client_for, focal_x1, org, t, people):
    registration = make_draft(focal_x1, org.x1)
    client = client_for(focal_x1)
    page = client.get(url("registration_edit", registration.pk))
    assert page.status_code == 200
    offered = {value for value, _label in page.context["formset"].forms[0].fields["person"].choices}
    assert str(people["binh"].pk) in offered and str(people["cuong"].pk) not in offered
    response = client.post(
        url("registration_edit", registration.pk),
        formset_data(
            [
                {"person": people["an"].pk, "award_type": t["CSTDCS"].pk},
                {"person": people["binh"].pk, "award_type": t["LDTT"].pk},
                {"person": "", "award_type": ""},
            ],
            title=t["TTLDXS"],
        )
        | {"version": version_of(registration)},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.collective_title == t["TTLDXS"]
    assert registration.entries.count() == 2


def test_edit_page_deletes_a_row(client_for, focal_x1, draft_x1, people, t):
    response = client_for(focal_x1).post(
        url("registration_edit", draft_x1.pk),
        formset_data(
            [{"person": people["an"].pk, "award_type": t["CSTDCS"].pk, "DELETE": "on"}],
            title=t["TTLDXS"],
            initial=1,
        )
        | {"version": version_of(draft_x1)},
    )
    assert response.status_code == 302
    assert not draft_x1.entries.exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [{"person": "AN", "award_type": "CSTDCS"}, {"person": "AN", "award_type": "CSTDCS"}],
            "đã được đăng ký “Chiến sĩ thi đua cơ sở” ở dòng 1",
        ),
        ([{"person": "AN", "award_type": ""}], "Chọn danh hiệu đăng ký."),
        ([{"person": "", "award_type": "LDTT"}], "Chọn cá nhân."),
        ([{"person": "CUONG", "award_type": "LDTT"}], None),
        ([{"person": "AN", "award_type": "TTLDXS"}], None),
        ([{"person": "AN", "award_type": "BK_BO"}], None),
        ([{"person": "99999999", "award_type": "LDTT"}], None),
    ],
)
def test_edit_page_rejects_bad_rows(client_for, focal_x1, org, t, people, rows, message):
    names = {"AN": people["an"].pk, "CUONG": people["cuong"].pk}
    data_rows = [
        {
            "person": names.get(r["person"], r["person"]),
            "award_type": t[r["award_type"]].pk if r["award_type"] else "",
        }
        for r in rows
    ]
    registration = make_draft(focal_x1, org.x1)
    response = client_for(focal_x1).post(
        url("registration_edit", registration.pk),
        formset_data(data_rows) | {"version": version_of(registration)},
    )
    assert response.status_code == 200
    assert any(response.context["formset"].errors)
    if message:
        assert message in response.content.decode()
    assert not registration.entries.exists()


def test_edit_page_rejects_a_withdrawn_collective_title(client_for, focal_x1, org, t):
    registration = make_draft(focal_x1, org.x1)
    response = client_for(focal_x1).post(
        url("registration_edit", registration.pk),
        formset_data([], title=t["LDTT"]) | {"version": version_of(registration)},
    )
    assert response.status_code == 200
    assert "collective_title" in response.context["title_form"].errors


def test_a_submitted_registration_opens_read_only(client_for, focal_x1, draft_x1):
    services.registration_submit(registration=draft_x1, by=focal_x1)
    response = client_for(focal_x1).get(url("registration_edit", draft_x1.pk), follow=True)
    assert "không thể sửa" in response.content.decode()
    assert response.redirect_chain[-1][0] == url("registration_detail", draft_x1.pk)


def test_a_long_list_is_kept_when_only_the_title_changes(client_for, focal_x1, org, t, monkeypatch):
    from awards import registration_views

    monkeypatch.setattr(registration_views, "ENTRY_EDIT_LIMIT", 1)
    registration = make_draft(focal_x1, org.x1)
    a, b = person(org.x1, "Người Một", "L-1"), person(org.x1, "Người Hai", "L-2")
    services.registration_update(
        registration=registration,
        expected_version=int(version_of(registration)),
        by=focal_x1,
        collective_title=None,
        entries=[(a, t["LDTT"]), (b, t["LDTT"])],
    )
    client = client_for(focal_x1)
    assert client.get(url("registration_edit", registration.pk)).context["too_long"]
    response = client.post(
        url("registration_edit", registration.pk),
        {"collective_title": t["TTLDTT"].pk, "version": version_of(registration)},
    )
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.collective_title == t["TTLDTT"] and registration.entries.count() == 2
