"""Rounds, titles and nominations for the nomination tests, on the shared personas' org.

Body X runs the round; X1 (with X1A below it) and X2 are its departments; Y is
another body. focal_x1 proposes for X1 and X1A, hr reviews for X.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from awards import nomination_services as services
from awards.models import AwardRound, AwardType, Nomination, Subject
from tests.awards.factories import AwardRoundFactory, AwardTypeFactory
from tests.factories import PersonFactory

YEAR = 2025


def make_round(org, **fields) -> AwardRound:
    fields.setdefault("body", org.x)
    fields.setdefault("name", "Khen thưởng thường xuyên năm 2025")
    fields.setdefault("year", YEAR)
    fields.setdefault("nomination_deadline", timezone.localdate() + datetime.timedelta(days=30))
    fields.setdefault("is_open", True)
    return AwardRoundFactory(**fields)


def individual_title(**fields) -> AwardType:
    fields.setdefault("name", "Chiến sĩ thi đua cơ sở")
    return AwardTypeFactory(subject=Subject.INDIVIDUAL, **fields)


def collective_title(**fields) -> AwardType:
    fields.setdefault("name", "Tập thể lao động xuất sắc")
    return AwardTypeFactory(subject=Subject.COLLECTIVE, **fields)


def person_of(unit, name: str = "Nguyễn Thị Hằng"):
    return PersonFactory(unit=unit, full_name=name)


def draft(by, award_round, *, person=None, unit=None, award_type=None, proposing_unit=None):
    """A draft nomination made through the service, as the create page makes it."""
    if award_type is None:
        award_type = individual_title() if person is not None else collective_title()
    return services.nomination_create(
        by=by,
        award_round=award_round,
        proposing_unit=proposing_unit or (person.unit if person is not None else unit),
        award_type=award_type,
        person=person,
        unit=unit,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ; có sáng kiến được công nhận.",
    )


def actions(nomination: Nomination) -> list[str]:
    return list(nomination.events.order_by("at", "pk").values_list("action", flat=True))
