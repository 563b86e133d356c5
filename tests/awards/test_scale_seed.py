"""The awards stage of the national-scale data set (``manage.py seed_scale_awards``).

Run here on a small tree of ``SC-`` units and people built by hand (as seed_scale names
them), with a few thousand records;
what it must keep at any size: the nominations' years and rounds, the registrations
that make the prior-registration rule pass for most nominees and fail for some, and a
reset that removes exactly its own rows.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from awards import eligibility
from awards.models import AwardRecord, Nomination, Registration, RegistrationEntry
from campaigns.models import Person, Unit, UnitKind
from tests.awards.factories import RegistrationFactory
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    """Four bodies, each with three departments of two divisions, 40 people a division."""
    people = []
    for b in range(1, 5):
        body = Unit.objects.create(code=f"SC-B{b:02d}", name=f"Bộ {b}", kind=UnitKind.BODY)
        for d in range(1, 4):
            department = Unit.objects.create(
                code=f"{body.code}-V{d}", name=f"Vụ {d}", kind=UnitKind.DEPARTMENT, parent=body
            )
            for v in range(1, 3):
                division = Unit.objects.create(
                    code=f"{department.code}-P{v}",
                    name=f"Phòng {v}",
                    kind=UnitKind.DIVISION,
                    parent=department,
                )
                people += [
                    Person(
                        unit=division,
                        full_name=f"Cán bộ {division.code}-{n}",
                        staff_code=f"{division.code}-{n:03d}",
                    )
                    for n in range(40)
                ]
    Person.objects.bulk_create(people)
    call_command("seed_scale_awards", records=10_000, nominations=1_500)


def test_it_builds_records_nominations_and_the_units_registrations(seeded):
    assert AwardRecord.objects.filter(decision_number__startswith="SC-").count() == 10_000
    nominations = Nomination.objects.filter(round__name__startswith="SC-")
    assert nominations.count() == 1_500
    assert set(nominations.values_list("year", flat=True)) == {2024, 2025}
    registered = RegistrationEntry.objects.filter(registration__unit__code__startswith="SC-")
    people = nominations.filter(person__isnull=False).count()
    assert 0.8 * people < registered.count() < people  # nine in ten, each once
    assert Registration.objects.filter(collective_title__isnull=False).exists()


def test_the_prior_registration_rule_passes_for_most_and_fails_for_some(seeded):
    nominations = list(
        Nomination.objects.filter(round__name__startswith="SC-", year=2025).order_by("pk")[:400]
    )
    outcomes = Counter(
        result.status
        for report in eligibility.check_batch(nominations).values()
        for result in report.results
        if result.kind == "prior_registration"
    )
    assert outcomes["pass"] > outcomes["fail"] > 0


def test_a_reset_removes_its_registrations_and_nothing_else(seeded):
    own = RegistrationFactory(unit=UnitFactory(code="DEMO-1"), year=2025)
    with pytest.raises(CommandError):
        call_command("seed_scale_awards", records=10_000, nominations=1_500)
    call_command("seed_scale_awards", delete=True)
    assert not Registration.objects.filter(unit__code__startswith="SC-").exists()
    assert not Nomination.objects.exists()
    assert list(Registration.objects.all()) == [own]
