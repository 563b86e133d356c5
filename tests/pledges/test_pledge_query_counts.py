"""The bloc, bloc-year, pledge and signing pages read a fixed number of queries,
however many members, years, commitments and signatures they show."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from itertools import count

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from pledges.models import PledgeAmendment, PledgeStatus
from tests.factories import (
    BlocMembershipFactory,
    BlocYearFactory,
    CommitmentFactory,
    SignatureFactory,
)

from .pledge_setup import body, build, pledge_for

pytestmark = pytest.mark.django_db

N = 3
MAX_QUERIES = 12
_codes = count(1)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def assert_flat(
    client: Client, url: str, add_rows: Callable[[int], None], django_assert_max_num_queries
) -> None:
    add_rows(N)
    client.get(url)  # warm per-process caches (content types, ...)
    with_n = queries(client, url)
    add_rows(2 * N)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    with_3n = queries(client, url)
    assert with_3n == with_n, f"{url}: {with_n} queries with {N} rows, {with_3n} with {3 * N}"


def new_member(bloc):
    unit = body(f"M{next(_codes)}", f"Cơ quan thành viên {next(_codes)}")
    BlocMembershipFactory(bloc=bloc, unit=unit)
    return unit


def test_bloc_page(org, secretary, client_for, django_assert_max_num_queries):
    setup = build(org)
    years = count(2000)

    def add(n: int) -> None:
        for _ in range(n):
            member = new_member(org.bloc_a)
            BlocYearFactory(
                bloc=org.bloc_a, year=next(years), leader=member, deputies=[setup.p, setup.q]
            )

    assert_flat(
        client_for(secretary),
        reverse("pledges:bloc_detail", args=[org.bloc_a.pk]),
        add,
        django_assert_max_num_queries,
    )


def test_bloc_year_page(org, secretary, client_for, django_assert_max_num_queries):
    setup = build(org)

    def add(n: int) -> None:
        for _ in range(n):
            member = new_member(org.bloc_a)
            setup.year_a.deputies.add(member)
            pledge = pledge_for(setup.year_a)
            SignatureFactory(pledge=pledge, member=member)

    assert_flat(
        client_for(secretary),
        reverse("pledges:bloc_year", args=[setup.year_a.pk]),
        add,
        django_assert_max_num_queries,
    )


def test_pledge_page(org, secretary, client_for, django_assert_max_num_queries):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.OPEN)
    numbers = count(10)

    def add(n: int) -> None:
        for _ in range(n):
            signer = new_member(org.bloc_a)
            new_member(org.bloc_a)  # one that has not signed yet
            SignatureFactory(pledge=pledge, member=signer, recorded_by=secretary)
            CommitmentFactory(pledge=pledge, number=next(numbers))
            number = PledgeAmendment.objects.filter(pledge=pledge).count() + 1
            PledgeAmendment.objects.create(
                pledge=pledge, number=number, reason="Lý do", snapshot={}, amended_by=secretary
            )

    assert_flat(
        client_for(secretary),
        reverse("pledges:pledge_detail", args=[pledge.pk]),
        add,
        django_assert_max_num_queries,
    )


def test_signing_sheet(org, secretary, client_for, django_assert_max_num_queries):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.OPEN)

    def add(n: int) -> None:
        for _ in range(n):
            new_member(org.bloc_a)
            SignatureFactory(
                pledge=pledge, member=new_member(org.bloc_a), signed_on=datetime.date(2024, 3, 15)
            )

    assert_flat(
        client_for(secretary),
        reverse("pledges:signatures_record", args=[pledge.pk]),
        add,
        django_assert_max_num_queries,
    )
