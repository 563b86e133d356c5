"""Units and people: the organisational tree, scoped to the user's subtrees."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import cached_property

from . import access, selectors
from .models import Gender, Person, Unit
from .views import TotalInPagePaginator, pk_url

# The columns the people tables show.
PERSON_ROW_FIELDS = ("pk", "unit_id", "full_name", "position", "gender", "birth_year", "staff_code")


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
    unit_url = pk_url("org:unit_detail")
    children = list(
        unit.children.only("pk", "name", "parent")
        .annotate(child_count=Count("children"))
        .order_by("name")
    )
    for child in children:
        child.url = unit_url(child.pk)
    people = unit.people.only(*PERSON_ROW_FIELDS).order_by("full_name", "pk")
    page = TotalInPagePaginator(people, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    can_edit = access.unit_in_scope(request.user, unit, access.ORG_ROLES)
    # The row's edit link and gender label, worked out here once rather than by
    # {% url %} and get_gender_display() in every row (see campaigns.views.pk_url).
    edit_url = pk_url("org:person_edit") if can_edit else None
    genders = {value: str(label) for value, label in Gender.choices}
    for person in page:
        person.gender_label = genders.get(person.gender, person.gender)
        if edit_url:
            person.edit_url = edit_url(person.pk)
    return render(
        request,
        "campaigns/unit_detail.html",
        {
            "unit": unit,
            "ancestors": [a for a in ancestors if access.unit_in_scope(request.user, a)],
            "children": children,
            "page": page,
            "can_edit": can_edit,
        },
    )


class CappedPaginator(Paginator):
    """Pages through at most ``cap`` matches of a search, which runs once.

    Counting every "nguyen" among 300,000 people costs more than finding the page,
    and nobody pages through thousands of matches: they refine the search. Past
    the cap the pages shown reach the first ``cap`` matches.

    The search runs once: it returns the primary keys of the first ``cap``
    matches in display order (narrow, the sort bounded by the cap), whose number
    is the count; the page's rows are then read by primary key, through the
    scoped search, which costs next to nothing. Running the search for the
    count and again for the page cost twice the trigram scan.
    """

    cap = 1000

    def __init__(
        self, object_list: QuerySet[Any], per_page: int, *, rows: QuerySet[Any] | None = None
    ) -> None:
        super().__init__(object_list, per_page)
        # Where the page's rows are read by primary key. The keys come from the
        # scoped search, so this can be a plain queryset: without the search's
        # conditions it is planned and built in a fraction of the time.
        self.rows = object_list if rows is None else rows

    @cached_property
    def _match_ids(self) -> list[int]:
        return list(self.object_list.values_list("pk", flat=True)[: self.cap])

    @cached_property
    def count(self) -> int:
        return len(self._match_ids)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self._match_ids[bottom : bottom + self.per_page]
        rows = {row.pk: row for row in self.rows.filter(pk__in=ids).order_by()} if ids else {}
        return self._get_page([rows[pk] for pk in ids if pk in rows], number, self)


@login_required
def people_search(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:200]
    people = selectors.people_search(
        access.visible_people(request.user), q, units=access.visible_units(request.user)
    )
    rows = Person.objects.select_related("unit").only(
        *PERSON_ROW_FIELDS, "unit__name", "unit__short_name"
    )
    page = CappedPaginator(people, settings.PAGE_SIZE, rows=rows).get_page(request.GET.get("page"))
    unit_url = pk_url("org:unit_detail")
    for person in page:
        person.unit_url = unit_url(person.unit_id)
    return render(request, "campaigns/people_search.html", {"q": q, "page": page})
