"""Helpers for the rule and eligibility tests: a title with one rule, facts in one line."""

from __future__ import annotations

import datetime
from typing import Any

from awards import eligibility
from awards.eligibility import EligibilityReport, RuleResult
from awards.models import AwardRecord, AwardType, Subject, TaskRating
from campaigns.models import Person, Unit
from tests.awards.factories import (
    AwardRecordFactory,
    AwardTypeFactory,
    RuleFactory,
    RuleSetFactory,
    TaskRatingFactory,
    seeded,
)

LAW_BASIS = "Luật 06/2022/QH15 Điều 23"


def titled(
    kind: str,
    params: dict[str, Any],
    *,
    subject: str = Subject.INDIVIDUAL,
    basis: str = LAW_BASIS,
    effective: datetime.date = datetime.date(2024, 1, 1),
    **type_fields: Any,
) -> AwardType:
    """A test title whose rule set (from ``effective``) has exactly this one rule."""
    for code in ("LDTT", "CSTDCS", "CSTD_BO"):
        seeded(code)  # the titles the params name
    award_type = AwardTypeFactory(subject=subject, **type_fields)
    rule_set = RuleSetFactory(award_type=award_type, effective_from=effective)
    RuleFactory(rule_set=rule_set, kind=kind, params=params, legal_basis=basis)
    return award_type


def only(report: EligibilityReport) -> RuleResult:
    assert len(report.results) == 1, report.as_json()
    return report.results[0]


def check_person(award_type: AwardType, person: Person, year: int = 2024, **kw: Any) -> RuleResult:
    return only(eligibility.check(award_type=award_type, year=year, person=person, **kw))


def check_unit(award_type: AwardType, unit: Unit, year: int = 2024, **kw: Any) -> RuleResult:
    return only(eligibility.check(award_type=award_type, year=year, unit=unit, **kw))


def award(
    code: str, year: int, *, person: Person | None = None, unit: Unit | None = None, **kw: Any
) -> AwardRecord:
    return AwardRecordFactory(award_type=seeded(code), year=year, person=person, unit=unit, **kw)


def rate(
    rating: str, year: int = 2024, *, person: Person | None = None, unit: Unit | None = None
) -> TaskRating:
    return TaskRatingFactory(rating=rating, year=year, person=person, unit=unit)
