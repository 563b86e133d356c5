from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .access import get_bloc, visible_blocs


@login_required
def bloc_list(request: HttpRequest) -> HttpResponse:
    blocs = (
        visible_blocs(request.user)
        .select_related("organiser")
        .annotate(
            member_count=Count(
                "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
            )
        )
        .order_by("name")
    )
    return render(request, "pledges/bloc_list.html", {"blocs": blocs})


@login_required
def bloc_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = get_bloc(request.user, pk)
    memberships = bloc.memberships.select_related("unit").order_by("left_on", "unit__name")
    secretariat = bloc.secretariat.select_related("user")
    return render(
        request,
        "pledges/bloc_detail.html",
        {"bloc": bloc, "memberships": memberships, "secretariat": secretariat},
    )
