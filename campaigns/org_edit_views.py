"""HR staff and administrators maintain units and people of their subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import access, services
from .errors import DomainError
from .forms import PersonForm, UnitForm
from .models import Person, Unit


def _org_units(request: HttpRequest):
    return Unit.objects.filter(access.subtree_q(request.user, access.ORG_ROLES), is_active=True)


def _require_org_role(request: HttpRequest, unit: Unit | None) -> None:
    if unit is None:
        allowed = access.has_role(request.user, access.ORG_ROLES)
    else:
        allowed = access.unit_in_scope(request.user, unit, access.ORG_ROLES)
    if not allowed:
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    unit = access.get_unit(request.user, pk) if pk else None
    _require_org_role(request, unit)
    parents = _org_units(request).order_by("path")
    initial = {}
    if unit is None and request.GET.get("parent", "").isdigit():
        initial["parent"] = request.GET["parent"]
    # Only a superuser creates a new top-level body; others work inside their subtree, so
    # the unit they hold the role for keeps its own parent (which they may not see).
    root_allowed = access.is_superuser(request.user) or bool(unit and unit.parent_id is None)
    if (
        unit
        and unit.parent_id
        and not access.unit_in_scope(request.user, unit.parent, access.ORG_ROLES)
    ):
        parents = parents | Unit.objects.filter(pk=unit.parent_id)
    form = UnitForm(
        request.POST or None,
        instance=unit,
        initial=initial,
        parents=parents.distinct(),
        root_allowed=root_allowed,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.unit_save(
                unit=form.save(commit=False),
                by=request.user,
                expected_version=form.expected_version,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu đơn vị “%(name)s”.") % {"name": saved.name})
            return redirect("org:unit_detail", pk=saved.pk)
    return render(request, "campaigns/unit_form.html", {"form": form, "unit": unit})


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = None
    if pk:
        try:
            person = access.visible_people(request.user).select_related("unit").get(pk=pk)
        except Person.DoesNotExist:
            from django.http import Http404

            raise Http404 from None
    _require_org_role(request, person.unit if person else None)
    initial = {}
    if person is None and request.GET.get("unit", "").isdigit():
        initial["unit"] = request.GET["unit"]
    form = PersonForm(
        request.POST or None,
        instance=person,
        initial=initial,
        units=_org_units(request).order_by("path"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.person_save(
                person=form.save(commit=False),
                by=request.user,
                expected_version=form.expected_version,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu cá nhân “%(name)s”.") % {"name": saved.full_name})
            return redirect("org:unit_detail", pk=saved.unit_id)
    return render(request, "campaigns/person_form.html", {"form": form, "person": person})
