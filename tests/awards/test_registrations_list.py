"""The registrations list: what each user sees, the filters, pages, and a query count
that does not grow with the rows shown (DESIGN.md, "done")."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import RegistrationStatus
from tests.awards.factories import RegistrationEntryFactory, RegistrationFactory
from tests.awards.records_setup import assert_flat, launched_campaign, titles
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

LIST = reverse("awards:registration_list")


@pytest.fixture
def registrations(org):
    t = titles()
    return {
        "x1": RegistrationFactory(unit=org.x1, year=2025, collective_title=t["TTLDXS"]),
        "x1a": RegistrationFactory(unit=org.x1a, year=2024, status=RegistrationStatus.APPROVED),
        "x2": RegistrationFactory(unit=org.x2, year=2025, status=RegistrationStatus.DRAFT),
        "y": RegistrationFactory(unit=org.y, year=2025),
    }


def shown(response) -> set[int]:
    return {r.pk for r in response.context["page"]}


def test_each_user_sees_their_subtree(client_for, registrations, focal_x1, hr, focal_y, admin_user):
    r = registrations
    assert shown(client_for(focal_x1).get(LIST)) == {r["x1"].pk, r["x1a"].pk}
    assert shown(client_for(hr).get(LIST)) == {r["x1"].pk, r["x1a"].pk, r["x2"].pk}
    assert shown(client_for(focal_y).get(LIST)) == {r["y"].pk}
    assert len(shown(client_for(admin_user).get(LIST))) == 4


def test_a_focal_point_has_a_create_button_a_leader_not(client_for, focal_x1, leader, org):
    assert client_for(focal_x1).get(LIST).context["can_create"]
    assert not client_for(leader).get(LIST).context["can_create"]


def test_filters(client_for, registrations, hr, org):
    client = client_for(hr)
    r = registrations
    assert shown(client.get(LIST, {"year": 2024})) == {r["x1a"].pk}
    assert shown(client.get(LIST, {"status": "draft"})) == {r["x2"].pk}
    # A unit brings its subtree.
    assert shown(client.get(LIST, {"unit": org.x1.pk})) == {r["x1"].pk, r["x1a"].pk}


@pytest.mark.parametrize(
    "params", [{"year": "abc"}, {"status": "lost"}, {"year": "1200"}, {"unit": "999999"}]
)
def test_bad_filters_are_reported_not_a_500(client_for, registrations, hr, params):
    response = client_for(hr).get(LIST, params)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert len(shown(response)) == 3


def test_another_bodys_unit_is_not_a_filter_choice(client_for, registrations, hr, org):
    response = client_for(hr).get(LIST, {"unit": org.y.pk})
    assert "unit" in response.context["form"].errors


def test_pages(client_for, hr, org, settings):
    settings.PAGE_SIZE = 2
    for year in (2021, 2022, 2023, 2024, 2025):
        RegistrationFactory(unit=org.x1, year=year)
    client = client_for(hr)
    first = client.get(LIST)
    assert len(first.context["page"]) == 2 and first.context["page"].paginator.num_pages == 3
    last = client.get(LIST, {"page": 3, "year": ""})
    assert [r.year for r in last.context["page"]] == [2021]
    assert "year=" in last.context["querystring"] and "page" not in last.context["querystring"]


def test_list_query_count_does_not_grow(client_for, hr, org):
    campaign = launched_campaign(org)
    t = titles()

    def add(count: int) -> None:
        for _ in range(count):
            unit = UnitFactory(parent=org.x1)
            registration = RegistrationFactory(
                unit=unit, year=2025, campaign=campaign, collective_title=t["TTLDTT"]
            )
            RegistrationEntryFactory(
                registration=registration,
                person=PersonFactory(unit=unit),
                award_type=t["LDTT"],
            )

    assert_flat(client_for(hr), LIST, add)


def test_detail_query_count_does_not_grow_with_the_people_listed(client_for, hr, org):
    t = titles()
    registration = RegistrationFactory(unit=org.x1, year=2025, collective_title=t["TTLDXS"])

    def add(count: int) -> None:
        for _ in range(count):
            RegistrationEntryFactory(
                registration=registration,
                person=PersonFactory(unit=UnitFactory(parent=org.x1)),
                award_type=t["LDTT"],
            )

    assert_flat(client_for(hr), reverse("awards:registration_detail", args=[registration.pk]), add)


def test_edit_query_count_does_not_grow_with_the_people_listed(client_for, focal_x1, org):
    t = titles()
    registration = RegistrationFactory(
        unit=org.x1, year=2025, status=RegistrationStatus.DRAFT, collective_title=t["TTLDXS"]
    )

    def add(count: int) -> None:
        for _ in range(count):
            RegistrationEntryFactory(
                registration=registration,
                person=PersonFactory(unit=UnitFactory(parent=org.x1)),
                award_type=t["LDTT"],
            )

    assert_flat(
        client_for(focal_x1), reverse("awards:registration_edit", args=[registration.pk]), add
    )
