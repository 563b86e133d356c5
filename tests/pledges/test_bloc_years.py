"""Bloc members and bloc years: leader, deputies, the rotating flag."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from campaigns.errors import DomainError
from pledges import pledge_selectors, services
from pledges.models import BlocMembership, BlocYear
from tests.factories import BlocMembershipFactory, BlocYearFactory, UnitFactory
from tests.versions import version_of

from .pledge_setup import body, build

pytestmark = pytest.mark.django_db


def create_year(org, by, **overrides):
    fields = {
        "bloc": org.bloc_a,
        "by": by,
        "year": 2025,
        "leader": org.x,
        "deputies": [],
        "flag_handover_date": None,
        "flag_handover_occasion": "",
    }
    fields.update(overrides)
    return services.bloc_year_create(**fields)


# Services ------------------------------------------------------------------------------------


def test_it_creates_a_year_and_derives_the_flag_giver(org, secretary):
    setup = build(org)  # 2024: leader P
    bloc_year = create_year(
        org,
        secretary,
        deputies=[setup.q],
        flag_handover_date=datetime.date(2025, 4, 10),
        flag_handover_occasion="Hội nghị tổng kết\x00 công tác TĐKT năm 2024",
    )
    assert bloc_year.leader == org.x
    assert list(bloc_year.deputies.all()) == [setup.q]
    assert bloc_year.flag_handover_occasion == "Hội nghị tổng kết công tác TĐKT năm 2024"
    assert pledge_selectors.previous_leader(bloc_year) == setup.p
    assert pledge_selectors.previous_leader(setup.year_a) is None
    assert bloc_year.history.first().history_user == secretary


def test_the_leader_must_be_a_member_that_year(org, secretary):
    build(org)
    newcomer = body("N", "Cơ quan N")
    BlocMembershipFactory(bloc=org.bloc_a, unit=newcomer, joined_on=datetime.date(2026, 1, 1))
    with pytest.raises(services.FieldErrors) as error:
        create_year(org, secretary, leader=newcomer)
    assert error.value.errors["leader"] == [
        "Cơ quan N không phải là thành viên của khối trong năm 2025."
    ]
    with pytest.raises(services.FieldErrors) as error:
        create_year(org, secretary, leader=org.y)  # a member of bloc B
    assert "leader" in error.value.errors
    assert not BlocYear.objects.filter(year=2025).exists()


def test_deputies_must_be_members_and_not_the_leader(org, secretary):
    setup = build(org)
    with pytest.raises(services.FieldErrors) as error:
        create_year(org, secretary, deputies=[org.y, org.x])
    messages = error.value.errors["deputies"]
    assert "Không phải là thành viên của khối trong năm 2025: Cơ quan Y." in messages
    assert "Cơ quan X không thể vừa là khối trưởng vừa là khối phó." in messages
    assert "leader" not in error.value.errors
    create_year(org, secretary, deputies=[setup.p])


def test_one_leader_per_bloc_per_year(org, secretary):
    setup = build(org)
    with pytest.raises(services.FieldErrors) as error:
        create_year(org, secretary, year=2024, leader=setup.q)
    assert error.value.errors["year"] == [
        "Khối đã có năm thi đua 2024: mỗi năm chỉ có một khối trưởng."
    ]
    assert BlocYear.objects.get(bloc=org.bloc_a, year=2024).leader == setup.p


def test_the_flag_date_belongs_to_the_year(org, secretary):
    build(org)
    with pytest.raises(services.FieldErrors) as error:
        create_year(org, secretary, flag_handover_date=datetime.date(2022, 4, 10))
    assert "flag_handover_date" in error.value.errors


def test_updating_a_year_checks_the_same_rules(org, secretary):
    setup = build(org)
    services.bloc_year_update(
        bloc_year=setup.year_a,
        by=secretary,
        leader=setup.q,
        deputies=[setup.p, org.x],
        expected_version=setup.year_a.version,
    )
    setup.year_a.refresh_from_db()
    assert setup.year_a.leader == setup.q
    with pytest.raises(services.FieldErrors) as error:
        services.bloc_year_update(
            bloc_year=setup.year_a,
            by=secretary,
            leader=setup.q,
            deputies=[setup.q],
            expected_version=setup.year_a.version,
        )
    assert "deputies" in error.value.errors


def test_a_leader_cannot_leave_before_the_year_it_leads(org, secretary, client_for):
    setup = build(org)
    membership = BlocMembership.objects.get(bloc=org.bloc_a, unit=setup.p)
    rows = list(org.bloc_a.memberships.order_by("unit__name", "joined_on"))
    data = members_post(rows) | {"version": version_of(org.bloc_a)}
    index = rows.index(membership)
    data[f"members-{index}-left_on"] = "31/12/2023"
    response = client_for(secretary).post(
        reverse("pledges:bloc_members_edit", args=[org.bloc_a.pk]), data
    )
    assert response.status_code == 200
    assert "là khối trưởng năm 2024" in response.text
    membership.refresh_from_db()
    assert membership.left_on is None


# Members page --------------------------------------------------------------------------------


def members_post(rows, extra=()):
    data = {
        "members-TOTAL_FORMS": str(len(rows) + len(extra)),
        "members-INITIAL_FORMS": str(len(rows)),
        "members-MIN_NUM_FORMS": "0",
        "members-MAX_NUM_FORMS": "1000",
    }
    for index, m in enumerate(rows):
        data[f"members-{index}-id"] = str(m.pk)
        data[f"members-{index}-unit"] = str(m.unit_id)
        data[f"members-{index}-joined_on"] = m.joined_on.strftime("%d/%m/%Y")
        data[f"members-{index}-left_on"] = m.left_on.strftime("%d/%m/%Y") if m.left_on else ""
    for offset, (unit, joined, left) in enumerate(extra):
        index = len(rows) + offset
        data[f"members-{index}-unit"] = str(unit)
        data[f"members-{index}-joined_on"] = joined
        data[f"members-{index}-left_on"] = left
    return data


def test_a_manager_adds_a_member_and_records_a_departure(org, secretary, client_for):
    build(org)
    newcomer = body("N", "Cơ quan N")
    rows = list(org.bloc_a.memberships.order_by("unit__name", "joined_on"))
    data = members_post(rows, extra=[(newcomer.pk, "01/01/2024", "")])
    data["version"] = version_of(org.bloc_a)
    x_index = next(i for i, m in enumerate(rows) if m.unit_id == org.x.pk)
    data[f"members-{x_index}-left_on"] = "30/06/2025"
    client = client_for(secretary)
    url = reverse("pledges:bloc_members_edit", args=[org.bloc_a.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    assert response.status_code == 302
    assert BlocMembership.objects.get(bloc=org.bloc_a, unit=newcomer).joined_on == (
        datetime.date(2024, 1, 1)
    )
    assert BlocMembership.objects.get(bloc=org.bloc_a, unit=org.x).left_on == (
        datetime.date(2025, 6, 30)
    )
    page = client.get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk]))
    assert "Cơ quan N" in page.text and "30/06/2025" in page.text


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        (("01/01/2024", "01/01/2023"), "left_on"),  # leaves before joining
        (("31/02/2024", ""), "joined_on"),  # no such day
        (("hôm qua", ""), "joined_on"),
        (("", ""), "joined_on"),
        (("01/01/1800", ""), "joined_on"),
    ],
)
def test_bad_member_rows_are_refused(org, secretary, client_for, extra, field):
    build(org)
    newcomer = body("N", "Cơ quan N")
    rows = list(org.bloc_a.memberships.order_by("unit__name", "joined_on"))
    response = client_for(secretary).post(
        reverse("pledges:bloc_members_edit", args=[org.bloc_a.pk]),
        members_post(rows, extra=[(newcomer.pk, *extra)]),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[-1].errors[field]
    assert not BlocMembership.objects.filter(unit=newcomer).exists()


def test_a_unit_cannot_be_in_the_bloc_twice_at_once(org, secretary, client_for):
    build(org)
    rows = list(org.bloc_a.memberships.order_by("unit__name", "joined_on"))
    response = client_for(secretary).post(
        reverse("pledges:bloc_members_edit", args=[org.bloc_a.pk]),
        members_post(rows, extra=[(org.x.pk, "01/06/2023", "")]),
    )
    assert response.status_code == 200
    assert "đã là thành viên của khối trong thời gian này" in response.text
    assert BlocMembership.objects.filter(bloc=org.bloc_a, unit=org.x).count() == 1


def test_a_unit_outside_the_choices_is_refused(org, secretary, client_for):
    build(org)
    department = UnitFactory(name="Vụ con", parent=org.y)  # not a body: not offered
    rows = list(org.bloc_a.memberships.order_by("unit__name", "joined_on"))
    response = client_for(secretary).post(
        reverse("pledges:bloc_members_edit", args=[org.bloc_a.pk]),
        members_post(rows, extra=[(department.pk, "01/01/2024", "")]),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[-1].errors["unit"]


def test_the_service_refuses_overlapping_stints(org, secretary):
    build(org)
    BlocMembershipFactory(bloc=org.bloc_a, unit=org.x, joined_on=datetime.date(2023, 1, 1))
    with pytest.raises(DomainError, match="chồng lên nhau"):
        services._check_memberships(org.bloc_a)


# Bloc-year pages -----------------------------------------------------------------------------


def year_post(**overrides):
    data = {
        "year": "2025",
        "leader": "",
        "deputies": [],
        "flag_handover_date": "",
        "flag_handover_occasion": "",
    }
    data.update(overrides)
    return data


def test_the_bloc_page_shows_the_rotation(org, secretary, client_for):
    setup = build(org)
    create_year(
        org,
        secretary,
        deputies=[setup.q],
        flag_handover_date=datetime.date(2025, 4, 10),
        flag_handover_occasion="Hội nghị tổng kết công tác TĐKT năm 2024",
    )
    response = client_for(secretary).get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk]))
    rotation = response.context["rotation"]
    assert [(r["bloc_year"].year, r["bloc_year"].leader, r["giver"]) for r in rotation] == [
        (2025, org.x, setup.p),
        (2024, setup.p, None),
    ]
    assert "10/04/2025" in response.text
    assert "Hội nghị tổng kết công tác TĐKT năm 2024" in response.text
    assert response.context["can_manage"]


def test_a_manager_adds_a_year_in_the_browser(org, secretary, client_for):
    setup = build(org)
    client = client_for(secretary)
    url = reverse("pledges:bloc_year_create", args=[org.bloc_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'for="id_leader"' in page.text
    response = client.post(
        url,
        year_post(
            leader=str(setup.q.pk),
            deputies=[str(setup.p.pk)],
            flag_handover_date="10/04/2025",
            flag_handover_occasion="  Hội nghị\x00   tổng\x07 kết ",
        ),
    )
    bloc_year = BlocYear.objects.get(bloc=org.bloc_a, year=2025)
    assert response.status_code == 302
    assert response.url == reverse("pledges:bloc_year", args=[bloc_year.pk])
    assert bloc_year.flag_handover_occasion == "Hội nghị tổng kết"
    page = client.get(response.url)
    assert "Cơ quan P trao cho Cơ quan Q" in page.text
    assert page.context["giver"] == setup.p


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"year": "2024"}, "year", "mỗi năm chỉ có một khối trưởng"),
        ({"year": "năm nay"}, "year", None),
        ({"year": "1800"}, "year", None),
        ({"deputies": []}, "deputies", "Chọn ít nhất một khối phó."),
        ({"flag_handover_date": "32/13/2025"}, "flag_handover_date", None),
        ({"flag_handover_date": "10/04/2020"}, "flag_handover_date", "năm 2024 hoặc năm 2025"),
        ({"leader": "Y"}, "leader", None),
    ],
)
def test_bad_year_input_is_shown_next_to_the_field(
    org, secretary, client_for, overrides, field, message
):
    setup = build(org)
    data = year_post(leader=str(setup.q.pk), deputies=[str(setup.p.pk)])
    if overrides.get("leader") == "Y":
        overrides = {"leader": str(org.y.pk)}  # a member of another bloc, posted by id
    data.update(overrides)
    response = client_for(secretary).post(
        reverse("pledges:bloc_year_create", args=[org.bloc_a.pk]), data
    )
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    if message:
        assert any(message in e for e in errors)
    assert BlocYear.objects.filter(bloc=org.bloc_a).count() == 1


def test_membership_rules_show_next_to_the_field(org, secretary, client_for):
    setup = build(org)
    newcomer = body("N", "Cơ quan N")
    BlocMembershipFactory(bloc=org.bloc_a, unit=newcomer, joined_on=datetime.date(2026, 1, 1))
    response = client_for(secretary).post(
        reverse("pledges:bloc_year_create", args=[org.bloc_a.pk]),
        year_post(leader=str(newcomer.pk), deputies=[str(setup.p.pk), str(newcomer.pk)]),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["leader"] == ["Cơ quan N không phải là thành viên của khối trong năm 2025."]
    assert form.errors["deputies"]
    assert 'id="error_1_id_leader"' in response.text


def test_editing_a_year_keeps_its_year(org, secretary, client_for):
    setup = build(org)
    url = reverse("pledges:bloc_year_edit", args=[setup.year_a.pk])
    client = client_for(secretary)
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        year_post(
            year="2030",
            leader=str(org.x.pk),
            deputies=[str(setup.q.pk)],
            version=version_of(setup.year_a),
        ),
    )
    assert response.status_code == 302
    setup.year_a.refresh_from_db()
    assert setup.year_a.year == 2024
    assert setup.year_a.leader == org.x


# Access --------------------------------------------------------------------------------------


def test_a_secretariat_of_another_bloc_gets_404(org, secretary_b, client_for):
    setup = build(org)
    client = client_for(secretary_b)
    for url in (
        reverse("pledges:bloc_detail", args=[org.bloc_a.pk]),
        reverse("pledges:bloc_members_edit", args=[org.bloc_a.pk]),
        reverse("pledges:bloc_year_create", args=[org.bloc_a.pk]),
        reverse("pledges:bloc_year", args=[setup.year_a.pk]),
        reverse("pledges:bloc_year_edit", args=[setup.year_a.pk]),
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, year_post()).status_code == 404, url


def test_a_members_focal_point_reads_but_cannot_change(org, focal_y, client_for):
    setup = build(org)  # bloc B: members Y and Z, Z leads 2024
    client = client_for(focal_y)
    page = client.get(reverse("pledges:bloc_detail", args=[org.bloc_b.pk]))
    assert page.status_code == 200 and not page.context["can_manage"]
    assert "Thêm năm thi đua" not in page.text
    assert client.get(reverse("pledges:bloc_year", args=[setup.year_b.pk])).status_code == 200
    for url in (
        reverse("pledges:bloc_members_edit", args=[org.bloc_b.pk]),
        reverse("pledges:bloc_year_create", args=[org.bloc_b.pk]),
        reverse("pledges:bloc_year_edit", args=[setup.year_b.pk]),
    ):
        assert client.get(url).status_code == 403, url
        assert client.post(url, year_post(leader=str(org.y.pk))).status_code == 403, url
    setup.year_b.refresh_from_db()
    assert setup.year_b.leader == setup.z


def test_the_leaders_focal_point_manages_that_year(org, client_for, focal_y):
    setup = build(org)
    setup.year_b.leader = org.y
    setup.year_b.save()
    setup.year_b.deputies.set([setup.z])
    client = client_for(focal_y)
    assert client.get(reverse("pledges:bloc_year_edit", args=[setup.year_b.pk])).status_code == 200


def test_the_year_factory_makes_a_year(org):
    assert BlocYearFactory(bloc=org.bloc_a, year=2030).bloc == org.bloc_a
