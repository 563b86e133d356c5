"""Pledges built straight from the models for the document tests (no factory needed)."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import User
from PIL import Image

from campaigns.models import Role, Unit
from pledges.models import BlocYear, Commitment, Pledge, PledgeStatus, Signature
from tests.factories import BlocMembershipFactory, RoleFactory, UnitFactory, UserFactory


def png_bytes(size: int = 4) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), "white").save(buffer, "PNG")
    return buffer.getvalue()


def media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def make_pledge(
    org,
    *,
    title: str = "Giao ước thi đua năm 2024 của Khối A",
    year: int = 2024,
    status: str = PledgeStatus.OPEN,
    ceremony_date: datetime.date | None = datetime.date(2024, 3, 5),
    place: str = "Hà Nội",
) -> Pledge:
    """A pledge of bloc A with two commitments.

    Bloc A's members are body X and the year's leader, unit L (so X's focal points
    see the pledge but do not manage it).
    """
    leader = Unit.objects.filter(code="L").first() or add_member(org, "Đơn vị khối trưởng", "L")
    bloc_year, _ = BlocYear.objects.get_or_create(
        bloc=org.bloc_a, year=year, defaults={"leader": leader}
    )
    pledge = Pledge.objects.create(
        bloc_year=bloc_year,
        title=title,
        ceremony_date=ceremony_date,
        place=place,
        status=status,
    )
    Commitment.objects.create(
        pledge=pledge, number=1, text="Thực hiện tốt nhiệm vụ chính trị được giao."
    )
    Commitment.objects.create(
        pledge=pledge, number=2, text="Đẩy mạnh cải cách hành chính, chuyển đổi số."
    )
    return pledge


def add_member(org, name: str, code: str) -> Unit:
    unit = UnitFactory(code=code, name=name)
    BlocMembershipFactory(bloc=org.bloc_a, unit=unit)
    return unit


def focal_point_of(unit: Unit, username: str) -> User:
    user = UserFactory(username=username, first_name=username)
    RoleFactory(user=user, unit=unit, role=Role.FOCAL_POINT)
    return user


def sign(pledge: Pledge, member: Unit, name: str, position: str, day: int = 5) -> Signature:
    return Signature.objects.create(
        pledge=pledge,
        member=member,
        signatory_name=name,
        signatory_position=position,
        signed_on=datetime.date(pledge.bloc_year.year, 3, day),
    )
