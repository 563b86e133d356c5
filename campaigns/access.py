"""Who may see and change what: the one place that scopes data to a user.

A role is held for a unit and reaches that unit's whole subtree. Every view
loads objects through these helpers, so a user of another unit gets a 404, never
the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from .models import Campaign, Person, Role, RoleAssignment, Unit

_CACHE_ATTR = "_thidua_grants"

# Roles that change campaign plans.
PLAN_ROLES = frozenset({Role.HR_STAFF})
# Roles that maintain units and people.
ORG_ROLES = frozenset({Role.HR_STAFF, Role.ADMINISTRATOR})
# Roles that report a unit's progress.
PROGRESS_ROLES = frozenset({Role.FOCAL_POINT, Role.HR_STAFF})
# The role whose holders, when they are staff, manage their subtree's records in the admin
# site (campaigns/admin_scope.py); no other role reaches anything there.
ADMIN_ROLES = frozenset({Role.ADMINISTRATOR})


@dataclass(frozen=True)
class Grant:
    role: str
    unit_id: int
    path: str


def grants(user: AbstractBaseUser | AnonymousUser) -> list[Grant]:
    """The user's (role, unit) grants, read once per request and cached on the user."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = [
            Grant(role, unit_id, path)
            for role, unit_id, path in RoleAssignment.objects.filter(
                user=user, unit__is_active=True
            ).values_list("role", "unit_id", "unit__path")
        ]
        setattr(user, _CACHE_ATTR, cached)
    return cached


def is_superuser(user: AbstractBaseUser | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


def has_role(user: AbstractBaseUser | AnonymousUser, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return is_superuser(user) or any(g.role in wanted for g in grants(user))


def _paths(user: AbstractBaseUser | AnonymousUser, roles: Iterable[str] | None) -> list[str]:
    wanted = set(roles) if roles is not None else None
    return sorted({g.path for g in grants(user) if wanted is None or g.role in wanted})


def subtree_q(
    user: AbstractBaseUser | AnonymousUser,
    roles: Iterable[str] | None = None,
    field: str = "",
) -> Q:
    """A Q matching units (through ``field``) inside the subtrees the user's roles reach."""
    prefix = f"{field}__" if field else ""
    if is_superuser(user):
        return Q()
    paths = _paths(user, roles)
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{prefix}path__startswith": path})
    return query


def administered_q(user: AbstractBaseUser | AnonymousUser, field: str = "") -> Q:
    """A Q matching rows whose unit (through ``field``) lies where the user administers.

    Everything for a superuser; for anyone else the subtrees of the units they hold
    ADMINISTRATOR for (nothing without such a grant). A row with no unit there (a null
    ``field``) never matches.
    """
    return subtree_q(user, ADMIN_ROLES, field)


def administers(user: AbstractBaseUser | AnonymousUser) -> bool:
    """A superuser, or the holder of an ADMINISTRATOR grant for some unit."""
    return has_role(user, ADMIN_ROLES)


def visible_units(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Unit]:
    return Unit.objects.filter(subtree_q(user))


def unit_in_scope(
    user: AbstractBaseUser | AnonymousUser, unit: Unit, roles: Iterable[str] | None = None
) -> bool:
    if is_superuser(user):
        return True
    return any(unit.path.startswith(path) for path in _paths(user, roles))


def get_unit(user: AbstractBaseUser | AnonymousUser, pk: int) -> Unit:
    try:
        return visible_units(user).get(pk=pk)
    except Unit.DoesNotExist:
        raise Http404 from None


def visible_people(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Person]:
    return Person.objects.filter(subtree_q(user, field="unit"))


def visible_campaigns(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Campaign]:
    """Campaigns issued inside the user's subtrees or in which a unit of theirs takes part.

    A participating unit brings its subtree, so a campaign is also visible when
    it names an ancestor of one of the user's units.
    """
    if is_superuser(user):
        return Campaign.objects.all()
    paths = _paths(user, None)
    if not paths:
        return Campaign.objects.none()
    ancestors: set[str] = set()
    below = Q()
    issued = Q()
    for path in paths:
        ids = [part for part in path.strip("/").split("/") if part]
        ancestors.update("/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids)))
        below |= Q(unit__path__startswith=path)
        issued |= Q(issuing_unit__path__startswith=path)
    joined = Campaign.participating_units.through.objects.filter(
        below | Q(unit__path__in=sorted(ancestors))
    ).values("campaign_id")
    return Campaign.objects.filter(issued | Q(pk__in=joined))


def get_campaign(user: AbstractBaseUser | AnonymousUser, pk: int) -> Campaign:
    try:
        return visible_campaigns(user).select_related("issuing_unit").get(pk=pk)
    except Campaign.DoesNotExist:
        raise Http404 from None


def can_plan(user: AbstractBaseUser | AnonymousUser, campaign: Campaign) -> bool:
    """HR staff of the issuing unit's subtree change the plan."""
    return unit_in_scope(user, campaign.issuing_unit, PLAN_ROLES)


def plan_units(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Unit]:
    """Units for which the user may issue a campaign."""
    return Unit.objects.filter(subtree_q(user, PLAN_ROLES), is_active=True)


def progress_units(user: AbstractBaseUser | AnonymousUser, campaign: Campaign) -> QuerySet[Unit]:
    """Units whose progress in ``campaign`` the user may report: theirs, if taking part."""
    joined = Q()
    for path in campaign.participating_units.values_list("path", flat=True):
        joined |= Q(path__startswith=path)
    if not joined:
        return Unit.objects.none()
    return Unit.objects.filter(subtree_q(user, PROGRESS_ROLES), joined, is_active=True)
