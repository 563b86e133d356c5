"""Demo blocs from seeds 001 and 004. Loading twice changes nothing."""

from __future__ import annotations

import datetime
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db import transaction

from campaigns.models import Unit

from .models import Bloc, BlocLevel, BlocMembership, BlocSecretariat

INTERNAL_AFFAIRS = "Khối thi đua các bộ, ngành nội chính Trung ương"
INSPECTORATE_SERVICES = "Khối Các đơn vị sự nghiệp Thanh tra Chính phủ"

BLOCS = {
    INTERNAL_AFFAIRS: {
        "short_name": "Khối Nội chính",
        "level": BlocLevel.CENTRAL,
        "organiser": None,
        "members": ["BCA", "BTP", "TANDTC", "VKSNDTC", "TTCP", "KTNN", "TCCT", "BTLBVL"],
    },
    INSPECTORATE_SERVICES: {
        "short_name": "Khối sự nghiệp TTCP",
        "level": BlocLevel.INTERNAL,
        "organiser": "TTCP",
        "members": ["TTCP-BAO", "TTCP-TAPCHI", "TTCP-TRUONG", "TTCP-VIEN", "TTCP-TTTT"],
    },
}


@transaction.atomic
def load(stdout: TextIO) -> list[tuple[str, str]]:
    units = {u.code: u for u in Unit.objects.all()}
    for name, spec in BLOCS.items():
        bloc, _ = Bloc.objects.get_or_create(
            name=name,
            defaults={
                "short_name": spec["short_name"],
                "level": spec["level"],
                "organiser": units.get(spec["organiser"]) if spec["organiser"] else None,
            },
        )
        for code in spec["members"]:
            BlocMembership.objects.get_or_create(
                bloc=bloc, unit=units[code], joined_on=datetime.date(2020, 1, 1)
            )
    secretary = get_user_model().objects.filter(username="thuky.noichinh").first()
    if secretary:
        BlocSecretariat.objects.get_or_create(
            user=secretary, bloc=Bloc.objects.get(name=INTERNAL_AFFAIRS)
        )
    stdout.write(f"Khối thi đua: {len(BLOCS)}\n")
    return []
