"""Small builders for the history, overview, exemplar and export tests.

Award types are fetched by code when the catalogue's data migration has seeded
them, and created otherwise, so these tests do not depend on the seed.
"""

from __future__ import annotations

from typing import Any

from awards.models import (
    AwardDecision,
    AwardRecord,
    AwardRound,
    AwardType,
    Category,
    Level,
    Nomination,
    NominationStatus,
    Registration,
    RegistrationEntry,
    RegistrationStatus,
    Subject,
)
from campaigns.models import Person, Unit
from tests.factories import PersonFactory

NAMES = {
    "LDTT": ("Lao động tiên tiến", Subject.INDIVIDUAL, Category.EMULATION_TITLE),
    "CSTDCS": ("Chiến sĩ thi đua cơ sở", Subject.INDIVIDUAL, Category.EMULATION_TITLE),
    "CSTD_BO": (
        "Chiến sĩ thi đua bộ, ban, ngành, tỉnh",
        Subject.INDIVIDUAL,
        Category.EMULATION_TITLE,
    ),
    "TTLDXS": ("Tập thể lao động xuất sắc", Subject.COLLECTIVE, Category.EMULATION_TITLE),
    "BK_BO": ("Bằng khen của Bộ trưởng", Subject.INDIVIDUAL, Category.AWARD_FORM),
    "GIAY_KHEN": ("Giấy khen", Subject.INDIVIDUAL, Category.AWARD_FORM),
}


def award_type(code: str) -> AwardType:
    name, subject, category = NAMES.get(code, (code, Subject.INDIVIDUAL, Category.AWARD_FORM))
    found, _created = AwardType.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "subject": subject,
            "category": category,
            "level": Level.GRASSROOTS,
        },
    )
    return found


def record(
    code: str, year: int, *, person: Person | None = None, unit: Unit | None = None, **kw: Any
) -> AwardRecord:
    return AwardRecord.objects.create(
        award_type=award_type(code), person=person, unit=unit, year=year, **kw
    )


def people(unit: Unit, count: int) -> list[Person]:
    return [PersonFactory(unit=unit) for _ in range(count)]


def award_round(body: Unit, year: int = 2024, **kw: Any) -> AwardRound:
    kw.setdefault("name", f"Khen thưởng năm {year}")
    return AwardRound.objects.create(body=body, year=year, **kw)


def nomination(
    round_: AwardRound, code: str, *, person: Person, status: str = NominationStatus.SUBMITTED
) -> Nomination:
    return Nomination.objects.create(
        round=round_,
        proposing_unit=person.unit,
        award_type=award_type(code),
        person=person,
        year=round_.year,
        achievement_summary="Hoàn thành xuất sắc nhiệm vụ.",
        status=status,
    )


def registration(
    unit: Unit,
    year: int,
    entries: list[tuple[Person, str]],
    *,
    collective: str | None = None,
    status: str = RegistrationStatus.SUBMITTED,
) -> Registration:
    reg = Registration.objects.create(
        unit=unit,
        year=year,
        status=status,
        collective_title=award_type(collective) if collective else None,
    )
    for person, code in entries:
        RegistrationEntry.objects.create(
            registration=reg, person=person, award_type=award_type(code)
        )
    return reg


def decision(body: Unit, number: str, **kw: Any) -> AwardDecision:
    import datetime

    return AwardDecision.objects.create(
        body=body,
        number=number,
        signed_on=kw.pop("signed_on", datetime.date(2024, 12, 20)),
        signer_name="Nguyễn Văn Ký",
        signer_position="Tổng Kiểm toán nhà nước",
        **kw,
    )
