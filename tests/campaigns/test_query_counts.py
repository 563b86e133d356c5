"""No page's query count grows with the number of rows it shows (DESIGN.md, "done").

Each test renders a page with a few rows, adds twice as many again, renders it
once more and expects exactly the same number of queries: a query per row (a
missing select_related or prefetch) shows up as a difference.

Every request loads its own user from the session, so the grants that the access
helpers cache on a user object are read afresh for each request here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import Campaign, Role, Unit, UnitKind
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    MilestoneFactory,
    PersonFactory,
    PhaseFactory,
    RoleFactory,
    TargetFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db

N = 3


def queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured)


def assert_flat(client: Client, url: str, add_rows: Callable[[int], None], **params: str) -> None:
    """Same query count with N rows and with 3N rows."""
    add_rows(N)
    client.get(url, params)  # warm caches filled once per process (content types, ...)
    with_n = queries(client, url, params)
    add_rows(2 * N)
    with_3n = queries(client, url, params)
    assert with_3n == with_n, f"{url}: {with_n} queries with {N} rows, {with_3n} with {3 * N}"


def test_campaign_list(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            unit = UnitFactory(parent=org.x)
            campaign = CampaignFactory(issuing_unit=unit)
            PhaseFactory(campaign=campaign)

    assert_flat(client_for(hr), reverse("campaigns:list"), add)


def test_campaign_list_search(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            CampaignFactory(issuing_unit=org.x, name="Thi đua chuyển đổi số")

    assert_flat(client_for(hr), reverse("campaigns:list"), add, q="chuyen doi so")


@pytest.fixture
def campaign(org) -> Campaign:
    return CampaignFactory(issuing_unit=org.x, start_year=2023, end_year=2030)


def _grow_plan(campaign: Campaign, count: int) -> None:
    """Phases, content areas each with targets, milestones of several units, participants."""
    start = campaign.phases.count()
    for n in range(start, start + count):
        PhaseFactory(
            campaign=campaign,
            number=n + 1,
            name=f"Giai đoạn {n + 1}",
            start_date=datetime.date(2023, 1, 1) + datetime.timedelta(days=30 * n),
            end_date=datetime.date(2023, 1, 20) + datetime.timedelta(days=30 * n),
            review_due_date=datetime.date(2023, 1, 25) + datetime.timedelta(days=30 * n),
        )
        area = ContentAreaFactory(campaign=campaign)
        for _ in range(count):
            TargetFactory(content_area=area)
        unit = UnitFactory(parent=campaign.issuing_unit)
        MilestoneFactory(campaign=campaign, responsible_unit=unit)
        campaign.participating_units.add(unit)
        campaign.linked_campaigns.add(CampaignFactory(issuing_unit=campaign.issuing_unit))


def test_campaign_page(client_for, hr, campaign):
    url = reverse("campaigns:detail", args=[campaign.pk])
    assert_flat(client_for(hr), url, lambda count: _grow_plan(campaign, count))


def test_campaign_page_for_a_focal_point(client_for, focal_x1, campaign):
    url = reverse("campaigns:detail", args=[campaign.pk])
    assert_flat(client_for(focal_x1), url, lambda count: _grow_plan(campaign, count))


def test_timeline(client_for, leader, campaign):
    url = reverse("campaigns:timeline", args=[campaign.pk])
    assert_flat(client_for(leader), url, lambda count: _grow_plan(campaign, count))


def test_history(client_for, hr, campaign):
    def add(count: int) -> None:
        # Records by a named user, so the page shows who changed what.
        _grow_plan(campaign, count)
        for milestone in campaign.milestones.all():
            milestone.title += " (sửa)"
            milestone._history_user = hr
            milestone.save()
        for area in campaign.content_areas.all():
            for target in area.targets.all():
                target.goal = (target.goal or 0) + 1
                target._history_user = hr
                target.save()

    url = reverse("campaigns:history", args=[campaign.pk])
    assert_flat(client_for(hr), url, add)


def _body(code: str) -> Unit:
    body = UnitFactory(code=code, kind=UnitKind.BODY)
    UnitFactory(parent=body)
    return body


def test_unit_tree_for_a_user_with_many_units(client_for, hr):
    def add(count: int) -> None:
        for _ in range(count):
            RoleFactory(user=hr, role=Role.HR_STAFF, unit=_body(f"B{Unit.objects.count()}"))

    assert_flat(client_for(hr), reverse("org:unit_tree"), add)


def test_unit_tree_for_an_administrator(client_for, admin_user, org):
    def add(count: int) -> None:
        for _ in range(count):
            _body(f"B{Unit.objects.count()}")

    assert_flat(client_for(admin_user), reverse("org:unit_tree"), add)


def test_unit_children(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            UnitFactory(parent=UnitFactory(parent=org.x))

    url = reverse("org:unit_children", args=[org.x.pk])
    assert_flat(client_for(hr), url, add)


def test_unit_detail(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            UnitFactory(parent=UnitFactory(parent=org.x1a))
            PersonFactory(unit=org.x1a, full_name="Nguyễn Thị Lan")

    url = reverse("org:unit_detail", args=[org.x1a.pk])
    assert_flat(client_for(hr), url, add)


@pytest.mark.parametrize("q", ["nguyen thi lan", "lan", "le an"])
def test_people_search(client_for, hr, org, q):
    def add(count: int) -> None:
        # Spread over several units: each row shows its unit.
        for _ in range(count):
            unit = UnitFactory(parent=org.x1)
            PersonFactory(unit=unit, full_name="Nguyễn Thị Lan")
            PersonFactory(unit=unit, full_name="Lê Văn An")

    assert_flat(client_for(hr), reverse("org:people"), add, q=q)
