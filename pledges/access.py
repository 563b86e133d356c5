"""Who may see and change a bloc's data: the one scoping helper of the pledges app.

See: the bloc's secretariat; anyone holding a role over a member unit, over the
organising body, or over this year's leader. "Over" means for that unit or one above
it: a role held for a department of a member body does not reach the bloc, whose
pledge and scores belong to the bodies. Change: the secretariat; the focal
points of the year's leader unit (they act as its secretariat by default); HR
staff and administrators of the organising body (or, for a bloc organised
centrally, of the year's leader); superusers.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns import access as unit_access
from campaigns.models import Role

from .models import Bloc, BlocMembership, BlocYear

User = AbstractBaseUser | AnonymousUser

_MANAGER_ROLES = frozenset({Role.HR_STAFF, Role.ADMINISTRATOR})


def visible_blocs(user: User) -> QuerySet[Bloc]:
    if unit_access.is_superuser(user):
        return Bloc.objects.all()
    if not user.is_authenticated:
        return Bloc.objects.none()
    member_of = BlocMembership.objects.filter(unit_access.subtree_q(user, field="unit")).values(
        "bloc_id"
    )
    return Bloc.objects.filter(
        Q(pk__in=user.bloc_secretariats.values("bloc_id"))
        | Q(pk__in=member_of)
        | unit_access.subtree_q(user, field="organiser")
    )


def get_bloc(user: User, pk: int) -> Bloc:
    try:
        return visible_blocs(user).select_related("organiser").get(pk=pk)
    except Bloc.DoesNotExist:
        raise Http404 from None


def get_bloc_year(user: User, pk: int) -> BlocYear:
    try:
        return (
            BlocYear.objects.filter(bloc__in=visible_blocs(user))
            .select_related("bloc", "bloc__organiser", "leader")
            .get(pk=pk)
        )
    except BlocYear.DoesNotExist:
        raise Http404 from None


def is_secretariat(user: User, bloc: Bloc) -> bool:
    return bool(user.is_authenticated and bloc.secretariat.filter(user=user).exists())


def can_manage(user: User, bloc: Bloc, bloc_year: BlocYear | None = None) -> bool:
    """May change the bloc's years, pledges and scoring (for ``bloc_year`` if given)."""
    if unit_access.is_superuser(user) or is_secretariat(user, bloc):
        return True
    if bloc.organiser_id and unit_access.unit_in_scope(user, bloc.organiser, _MANAGER_ROLES):
        return True
    leader = bloc_year.leader if bloc_year else None
    if leader is not None:
        if unit_access.unit_in_scope(user, leader, {Role.FOCAL_POINT}):
            return True
        if not bloc.organiser_id and unit_access.unit_in_scope(user, leader, _MANAGER_ROLES):
            return True
    return False


def member_units_for(user: User, bloc_year: BlocYear) -> QuerySet:
    """The members of the bloc that year on whose behalf the user acts (self-scoring)."""
    from .selectors import members_in

    return members_in(bloc_year.bloc, bloc_year.year).filter(unit_access.subtree_q(user))
