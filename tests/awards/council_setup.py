"""Builders shared by the council and decision tests.

Body X (conftest) runs a 2025 round; its council members are the ``council``
persona plus members made here, each with a distinctive Vietnamese name so a
page or PDF can be searched for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.contrib.auth.models import User

from awards import council_services, decision_services
from awards.models import AwardRound, AwardType, CouncilSession, Nomination
from campaigns.models import Role, Unit
from tests.awards.factories import AwardRoundFactory, AwardTypeFactory, NominationFactory
from tests.factories import RoleFactory, UserFactory

HELD_ON = datetime.date(2025, 12, 15)
SURNAMES = ["Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]


def council_members(unit: Unit, count: int, *, tag: str = "") -> list[User]:
    """``count`` users holding the council-member role for ``unit``, named 'Ủy viên <Surname> …'."""
    users = []
    for n in range(count):
        surname = SURNAMES[n % len(SURNAMES)]
        username = f"uv{tag}{unit.pk}_{n}"
        user = UserFactory(
            username=username, first_name=f"Ủy viên {surname}", last_name=f"Thị{tag} {n + 1:02d}"
        )
        RoleFactory(user=user, role=Role.COUNCIL_MEMBER, unit=unit)
        users.append(user)
    return users


def full_name(user: User) -> str:
    return user.get_full_name()


def round_of(body: Unit, year: int = 2025) -> AwardRound:
    return AwardRoundFactory(body=body, year=year, name=f"Khen thưởng năm {year} của {body.name}")


def accepted(
    award_round: AwardRound, *, award_type: AwardType | None = None, count: int = 1, **kwargs
) -> list[Nomination]:
    award_type = award_type or AwardTypeFactory()
    return [
        NominationFactory(round=award_round, award_type=award_type, **kwargs) for _ in range(count)
    ]


def open_session(
    body: Unit,
    hr: User,
    members: Sequence[User],
    nominations: Sequence[Nomination] = (),
    **kwargs,
) -> CouncilSession:
    session = council_services.session_create(
        body=body,
        by=hr,
        title=kwargs.pop("title", "Phiên họp xét khen thưởng năm 2025"),
        held_on=kwargs.pop("held_on", HELD_ON),
        chair=kwargs.pop("chair", "Nguyễn Văn Chủ Tịch"),
        members=members,
        **kwargs,
    )
    if nominations:
        council_services.agenda_add(session=session, by=hr, nominations=nominations)
    return session


def item_of(session: CouncilSession, nomination: Nomination):
    return session.agenda.get(nomination=nomination)


def vote_all(item, voters: Sequence[User], choice: str) -> None:
    for voter in voters:
        council_services.vote_cast(item=item, voter=voter, choice=choice)


def approved(body: Unit, hr: User, count: int = 2, **kwargs) -> list[Nomination]:
    """Nominations of ``body`` the council approved (every member agreed)."""
    award_round = kwargs.pop("award_round", None) or round_of(body)
    nominations = accepted(award_round, count=count, **kwargs)
    members = council_members(body, 3, tag=f"a{Nomination.objects.count()}")
    session = open_session(body, hr, members, nominations)
    for item in session.agenda.all():
        vote_all(item, members, "agree")
    council_services.session_close(session=session, by=hr)
    for nomination in nominations:
        nomination.refresh_from_db()
    return nominations


def draft(body: Unit, hr: User, nominations: Sequence[Nomination], **kwargs):
    return decision_services.decision_create(
        body=body,
        by=hr,
        number=kwargs.pop("number", "125/QĐ-X"),
        signed_on=kwargs.pop("signed_on", datetime.date(2025, 12, 20)),
        signer_name=kwargs.pop("signer_name", "Phạm Văn Ký"),
        signer_position=kwargs.pop("signer_position", "Thủ trưởng cơ quan"),
        nominations=nominations,
        **kwargs,
    )


NINETY = Decimal("0.9000")
