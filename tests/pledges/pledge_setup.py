"""Blocs with a year, members and a pledge, shared by the pledge tests.

Bloc A (conftest) gets bodies P and Q beside X; its 2024 leader is P, so X's HR
staff only read (focal points of X's departments do not see the bloc at all). Bloc B gets body Z beside Y, and Z
leads it, so Y's focal point reads bloc B but changes nothing.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from campaigns.models import Unit, UnitKind
from pledges.models import BlocYear, Pledge, PledgeStatus
from tests.factories import (
    BlocMembershipFactory,
    BlocYearFactory,
    CommitmentFactory,
    PledgeFactory,
    UnitFactory,
)

CEREMONY = datetime.date(2024, 3, 15)


@dataclass
class Setup:
    p: Unit
    q: Unit
    z: Unit
    year_a: BlocYear
    year_b: BlocYear


def body(code: str, name: str) -> Unit:
    return UnitFactory(code=code, name=name, kind=UnitKind.BODY)


def build(org) -> Setup:
    p = body("P", "Cơ quan P")
    q = body("Q", "Cơ quan Q")
    z = body("Z", "Cơ quan Z")
    BlocMembershipFactory(bloc=org.bloc_a, unit=p)
    BlocMembershipFactory(bloc=org.bloc_a, unit=q)
    BlocMembershipFactory(bloc=org.bloc_b, unit=z)
    year_a = BlocYearFactory(bloc=org.bloc_a, year=2024, leader=p, deputies=[q])
    year_b = BlocYearFactory(bloc=org.bloc_b, year=2024, leader=z, deputies=[org.y])
    return Setup(p=p, q=q, z=z, year_a=year_a, year_b=year_b)


def pledge_for(
    bloc_year: BlocYear, *, status: str = PledgeStatus.OPEN, commitments: int = 2
) -> Pledge:
    pledge = PledgeFactory(
        bloc_year=bloc_year,
        title=f"Giao ước thi đua năm {bloc_year.year}",
        ceremony_date=CEREMONY,
        status=status,
    )
    for number in range(1, commitments + 1):
        CommitmentFactory(pledge=pledge, number=number, text=f"Cam kết số {number}")
    return pledge
