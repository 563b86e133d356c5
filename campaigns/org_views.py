"""Units and people: the organisational tree, scoped to the user's subtrees."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from . import access, selectors
from .models import Unit


def _roots(request: HttpRequest) -> list[Unit]:
    """The top of what the user may see: their own units, minus ones inside another."""
    if access.is_superuser(request.user):
        units = Unit.objects.filter(parent__isnull=True)
    else:
        paths = sorted({g.path for g in access.grants(request.user)})
        tops = [p for p in paths if not any(p != o and p.startswith(o) for o in paths)]
        units = Unit.objects.filter(path__in=tops)
    return list(units.annotate(child_count=Count("children")).order_by("name"))


@login_required
def unit_tree(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "campaigns/unit_tree.html",
        {"roots": _roots(request), "can_import": access.has_role(request.user, access.ORG_ROLES)},
    )


@login_required
def unit_children(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial: the direct children of a unit, loaded when the user expands it."""
    unit = access.get_unit(request.user, pk)
    children = unit.children.annotate(child_count=Count("children")).order_by("name")
    return render(request, "campaigns/_unit_children.html", {"children": children, "parent": unit})


@login_required
def unit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    unit = access.get_unit(request.user, pk)
    ancestors = list(
        Unit.objects.filter(pk__in=unit.ancestor_ids[:-1])
        .order_by("depth")
        .only("pk", "name", "short_name")
    )
    children = unit.children.annotate(child_count=Count("children")).order_by("name")
    people = unit.people.order_by("full_name", "pk")
    page = Paginator(people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/unit_detail.html",
        {
            "unit": unit,
            "ancestors": [a for a in ancestors if access.unit_in_scope(request.user, a)],
            "children": children,
            "page": page,
            "can_edit": access.unit_in_scope(request.user, unit, access.ORG_ROLES),
        },
    )


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows.

    Counting every "nguyen" among 300,000 people costs more than finding the page,
    and nobody pages through thousands of matches: they refine the search. Past
    the cap the pages shown reach the first ``cap`` matches.
    """

    cap = 1000

    @cached_property
    def count(self) -> int:
        # Without ORDER BY the database stops at the cap instead of sorting every match.
        return self.object_list.order_by()[: self.cap].count()


@login_required
def people_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    people = selectors.people_search(
        access.visible_people(request.user), q, units=access.visible_units(request.user)
    )
    page = CappedPaginator(people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "campaigns/people_search.html", {"q": q, "page": page})
