"""No history page's query count grows with its rows (DESIGN.md, "done"): each page is
rendered with a few rows, then with three times as many, and must cost the same."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import (
    DisciplineForm,
    DisciplineRecord,
    Exemplar,
    Initiative,
    NominationStatus,
    Rating,
    Scope,
    TaskRating,
)
from tests.factories import CampaignFactory, PersonFactory, UnitFactory

from .history_setup import award_round, decision, nomination, record, registration

pytestmark = pytest.mark.django_db

N = 3
CODES = ["LDTT", "CSTDCS", "GIAY_KHEN", "BK_BO"]


def drain(response: Any) -> None:
    """Read a download to its end, as a server does (the test client then closes the file)."""
    if response.streaming:
        b"".join(response.streaming_content)


def queries(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    drain(response)
    assert response.status_code == 200, url
    return len(captured)


def assert_flat(client: Client, url: str, add_rows: Callable[[int], None], **params: str) -> None:
    add_rows(N)
    drain(client.get(url, params))
    with_n = queries(client, url, params)
    add_rows(2 * N)
    with_3n = queries(client, url, params)
    assert with_3n == with_n, f"{url}: {with_n} queries with {N} rows, {with_3n} with {3 * N}"


def test_person_history(client_for, hr, org):
    person = PersonFactory(unit=org.x1)
    years = count(2000)
    numbers = count(1)

    def add(n: int) -> None:
        for _ in range(n):
            year = next(years)
            dec = decision(org.x, f"{next(numbers)}/QĐ-X")
            record(CODES[year % 4], year, person=person, decision=dec)
            record("LDTT", year, person=person, decision_number="1/QĐ", is_imported=True)
            TaskRating.objects.create(person=person, year=year, rating=Rating.GOOD)
            initiative = Initiative.objects.create(
                title=f"Sáng kiến {year}", unit=org.x1, year=year, scope=Scope.GRASSROOTS
            )
            initiative.authors.add(person)
            DisciplineRecord.objects.create(
                person=person, form=DisciplineForm.REPRIMAND, start_date=datetime.date(year, 1, 1)
            )
            Exemplar.objects.create(person=person, headline=f"Gương {year}", story="…", year=year)

    url = reverse("awards:person_history", args=[person.pk])
    assert_flat(client_for(hr), url, add)
    assert_flat(client_for(hr), url, add, format="xlsx")


def test_unit_history(client_for, hr, org):
    this_year = datetime.date.today().year
    years = count(this_year - 9)

    def add(n: int) -> None:
        for _ in range(n):
            year = next(years)
            record("TTLDXS", year, unit=org.x1)
            for code in CODES:
                record(code, year, person=PersonFactory(unit=org.x1a))
            TaskRating.objects.create(unit=org.x1, year=year, rating=Rating.EXCELLENT)

    assert_flat(client_for(hr), reverse("awards:unit_history", args=[org.x1.pk]), add)


def test_unit_people_awards(client_for, hr, org):
    def add(n: int) -> None:
        for _ in range(n):
            dec = decision(org.x, f"{PersonFactory(unit=org.x2).pk}/QĐ")
            record("LDTT", 2024, person=PersonFactory(unit=org.x1), decision=dec)
            record(
                "CSTDCS", 2024, person=PersonFactory(unit=org.x1a), revoked_on=datetime.date.today()
            )

    url = reverse("awards:unit_people_awards", args=[org.x.pk])
    assert_flat(client_for(hr), url, add)
    assert_flat(client_for(hr), url, add, format="xlsx")


def test_round_overview(client_for, hr, org):
    r = award_round(org.x, 2024)
    codes = iter([f"T{i:02d}" for i in range(40)])

    def add(n: int) -> None:
        for _ in range(n):
            code = next(codes)
            unit = UnitFactory(parent=org.x1)
            person = PersonFactory(unit=unit)
            registration(unit, 2024, [(person, code), (person, "LDTT")], collective="TTLDXS")
            nomination(r, code, person=person, status=NominationStatus.APPROVED)
            nomination(r, "LDTT", person=person, status=NominationStatus.DECIDED)

    url = reverse("awards:round_overview", args=[r.pk])
    assert_flat(client_for(hr), url, add)
    assert_flat(client_for(hr), url, add, format="xlsx")


def test_exemplar_list(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x)

    def add(n: int) -> None:
        for _ in range(n):
            person = PersonFactory(unit=org.x1)
            e = Exemplar.objects.create(person=person, headline="Gương sáng", story="…", year=2024)
            e.campaigns.add(campaign)
            Exemplar.objects.create(unit=org.x2, headline="Tập thể tiêu biểu", story="…", year=2023)

    url = reverse("awards:exemplar_list")
    assert_flat(client_for(hr), url, add)
    assert_flat(client_for(hr), url, add, q="guong")
    assert_flat(client_for(hr), url, add, format="xlsx")


def test_home(client_for, hr, org):
    def add(n: int) -> None:
        for _ in range(n):
            r = award_round(org.x, 2024)
            nomination(r, "LDTT", person=PersonFactory(unit=org.x1))

    assert_flat(client_for(hr), reverse("awards:index"), add)
    assert_flat(client_for(hr), reverse("awards:index"), add, q="nguyen")
