"""Read side of the bloc, bloc-year and pledge pages.

Each page reads a fixed number of queries whatever the number of members,
years, commitments or signatures (DESIGN.md, "done").
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from campaigns.models import Unit

from .models import Bloc, BlocMembership, BlocYear, Pledge, PledgeAmendment, Signature
from .selectors import members_in


def members_on(bloc: Bloc, day: datetime.date) -> QuerySet[Unit]:
    """Units that were members of ``bloc`` on ``day``."""
    memberships = BlocMembership.objects.filter(
        Q(left_on__isnull=True) | Q(left_on__gte=day), bloc=bloc, joined_on__lte=day
    )
    return Unit.objects.filter(pk__in=memberships.values("unit_id")).order_by("name")


def ever_members(bloc: Bloc) -> QuerySet[Unit]:
    """Every unit that has at some time been a member of ``bloc``."""
    return Unit.objects.filter(
        pk__in=BlocMembership.objects.filter(bloc=bloc).values("unit_id")
    ).order_by("name")


def required_signers(pledge: Pledge) -> QuerySet[Unit]:
    """The members whose signatures make the pledge fully signed.

    Any member of the bloc during the year may sign, but the pledge is complete
    when every unit that was a member on the ceremony day has signed: a unit
    that left before the ceremony, or joined after it, is not waited for.
    """
    bloc_year = pledge.bloc_year
    if pledge.ceremony_date:
        return members_on(bloc_year.bloc, pledge.ceremony_date)
    return members_in(bloc_year.bloc, bloc_year.year)


def unsigned_members(pledge: Pledge) -> QuerySet[Unit]:
    return required_signers(pledge).exclude(
        pk__in=Signature.objects.filter(pledge=pledge).values("member_id")
    )


def previous_leader(bloc_year: BlocYear) -> Unit | None:
    """The giver of the rotating flag: last year's leader (never stored twice)."""
    previous = (
        BlocYear.objects.filter(bloc_id=bloc_year.bloc_id, year=bloc_year.year - 1)
        .select_related("leader")
        .first()
    )
    return previous.leader if previous else None


def bloc_page(bloc: Bloc) -> dict[str, Any]:
    memberships = list(bloc.memberships.select_related("unit").order_by("unit__name", "joined_on"))
    years = list(
        bloc.years.select_related("leader")
        .prefetch_related(Prefetch("deputies", queryset=Unit.objects.order_by("name")))
        .order_by("-year")
    )
    leaders = {y.year: y.leader for y in years}
    rotation = [
        {"bloc_year": y, "giver": leaders.get(y.year - 1), "deputies": list(y.deputies.all())}
        for y in years
    ]
    return {
        "memberships": memberships,
        "rotation": rotation,
        "latest_year": latest_of(years),
        "secretariat": list(bloc.secretariat.select_related("user")),
    }


def latest_year(bloc: Bloc) -> BlocYear | None:
    """This calendar year's row if there is one, else the most recent one."""
    today = timezone.localdate()
    return (
        bloc.years.select_related("leader").filter(year__lte=today.year).order_by("-year").first()
        or bloc.years.select_related("leader").order_by("year").first()
    )


def latest_of(years: list[BlocYear]) -> BlocYear | None:
    """``latest_year`` picked from the bloc's years already read (no query)."""
    this_year = timezone.localdate().year
    past = [y for y in years if y.year <= this_year]
    if past:
        return max(past, key=lambda y: y.year)
    return min(years, key=lambda y: y.year, default=None)


def bloc_year_page(bloc_year: BlocYear) -> dict[str, Any]:
    pledges = (
        bloc_year.pledges.annotate(
            commitment_count=Count("commitments", distinct=True),
            signature_count=Count("signatures", distinct=True),
        )
        .order_by("-created_at")
        .all()
    )
    return {
        "deputies": list(bloc_year.deputies.order_by("name")),
        "giver": previous_leader(bloc_year),
        "members": list(members_in(bloc_year.bloc, bloc_year.year)),
        "pledges": list(pledges),
    }


def pledge_page(pledge: Pledge) -> dict[str, Any]:
    signatures = list(
        pledge.signatures.select_related("member", "recorded_by").order_by("member__name")
    )
    amendments = list(
        PledgeAmendment.objects.filter(pledge=pledge)
        .select_related("amended_by")
        .order_by("-number")
        .defer("snapshot")
    )
    # The required signers read once: who has not signed is worked out from the
    # signatures above rather than by a second query (unsigned_members).
    required = list(required_signers(pledge).only("pk", "name"))
    signed = {s.member_id for s in signatures}
    return {
        "commitments": list(pledge.commitments.order_by("number", "pk")),
        "signatures": signatures,
        "unsigned": [unit for unit in required if unit.pk not in signed],
        "required_count": len(required),
        "amendments": amendments,
        "campaigns": list(pledge.campaigns.order_by("name")),
    }
