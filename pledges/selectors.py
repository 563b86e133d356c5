"""Read side of the pledges app."""

from __future__ import annotations

import datetime

from django.db.models import Q, QuerySet

from campaigns.models import Unit

from .models import Bloc, BlocMembership


def members_in(bloc: Bloc, year: int) -> QuerySet[Unit]:
    """Units that were members of ``bloc`` at any time during ``year``."""
    memberships = BlocMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=datetime.date(year, 1, 1)),
        bloc=bloc,
        joined_on__lte=datetime.date(year, 12, 31),
    )
    return Unit.objects.filter(pk__in=memberships.values("unit_id")).order_by("name")
