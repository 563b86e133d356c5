"""Factories for the bloc scoring tests (the shared ones live in tests/factories.py)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import factory

from campaigns.models import Role, Unit
from pledges.models import (
    Acclamation,
    Bloc,
    BlocYear,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    ScoringStage,
    ScoringTable,
    SelfScore,
)
from tests.factories import (
    BlocFactory,
    BlocMembershipFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)


class ScoringBlocYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BlocYear
        django_get_or_create = ("bloc", "year")

    bloc = factory.SubFactory(BlocFactory)
    year = 2023


class ScoringTableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoringTable

    bloc_year = factory.SubFactory(ScoringBlocYearFactory)
    stage = ScoringStage.SETUP


class CriterionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CriterionGroup

    table = factory.SubFactory(ScoringTableFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Nhóm tiêu chí {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    group = factory.SubFactory(CriterionGroupFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Tiêu chí số {n}")
    max_points = Decimal(10)


class SelfScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfScore

    criterion = factory.SubFactory(CriterionFactory)
    member = factory.SubFactory(UnitFactory)
    points = Decimal(8)


class CrossScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CrossScore

    criterion = factory.SubFactory(CriterionFactory)
    scorer = factory.SubFactory(UnitFactory)
    scored = factory.SubFactory(UnitFactory)
    points = Decimal(8)


class FinalScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FinalScore

    criterion = factory.SubFactory(CriterionFactory)
    member = factory.SubFactory(UnitFactory)
    points = Decimal(9)
    reason = "Hội nghị thống nhất"


class AcclamationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acclamation

    bloc_year = factory.SubFactory(ScoringBlocYearFactory)
    member = factory.SubFactory(UnitFactory)
    votes_for = 7
    votes_total = 8
    meeting_date = datetime.date(2024, 4, 10)


def add_members(bloc: Bloc, count: int, prefix: str = "Thành viên") -> list[Unit]:
    """``count`` new member units of ``bloc``, named so they sort in creation order."""
    units = []
    for n in range(count):
        unit = UnitFactory(name=f"{prefix} {n + 1:02d}")
        BlocMembershipFactory(bloc=bloc, unit=unit)
        units.append(unit)
    return units


def table_with_criteria(
    bloc_year: BlocYear, maxima: list[int | str], stage: str = ScoringStage.SETUP, **fields
) -> tuple[ScoringTable, list[Criterion]]:
    """A table with one group holding one criterion per maximum given."""
    table = ScoringTableFactory(bloc_year=bloc_year, stage=stage, **fields)
    group = CriterionGroupFactory(table=table, number=1)
    criteria = [
        CriterionFactory(group=group, number=n + 1, max_points=Decimal(str(m)))
        for n, m in enumerate(maxima)
    ]
    return table, criteria


@dataclass
class Round:
    """Bloc A's scoring round: members X (from the personas), M2 and M3 (the leader)."""

    bloc_year: BlocYear
    table: ScoringTable
    criteria: list[Criterion]
    x: Unit
    m2: Unit
    m3: Unit

    @property
    def members(self) -> list[Unit]:
        return [self.x, self.m2, self.m3]


def make_round(
    org, *, stage: str = ScoringStage.SETUP, maxima: list[int | str] | None = None, **fields
) -> Round:
    m2, m3 = add_members(org.bloc_a, 2)
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a, year=2023, leader=m3)
    table, criteria = table_with_criteria(bloc_year, maxima or [10, 20], stage=stage, **fields)
    return Round(bloc_year, table, criteria, org.x, m2, m3)


def focal_point_of(unit: Unit, username: str = "focal_member"):
    """A user holding the focal-point role for ``unit`` (acts for it in the bloc)."""
    user = UserFactory(username=username)
    RoleFactory(user=user, unit=unit, role=Role.FOCAL_POINT)
    return user
