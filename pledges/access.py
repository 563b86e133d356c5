"""Which blocs a user may see: as its secretariat, or through a unit role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns import access as unit_access

from .models import Bloc, BlocMembership


def visible_blocs(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Bloc]:
    if unit_access.is_superuser(user):
        return Bloc.objects.all()
    if not user.is_authenticated:
        return Bloc.objects.none()
    member_of = BlocMembership.objects.filter(unit_access.subtree_q(user, field="unit")).values(
        "bloc_id"
    )
    return Bloc.objects.filter(
        Q(secretariat__user=user)
        | Q(pk__in=member_of)
        | unit_access.subtree_q(user, field="organiser")
    ).distinct()


def get_bloc(user: AbstractBaseUser | AnonymousUser, pk: int) -> Bloc:
    try:
        return visible_blocs(user).get(pk=pk)
    except Bloc.DoesNotExist:
        raise Http404 from None
