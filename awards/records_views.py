"""Pages for ratings, discipline and initiatives of a unit and year, their Excel imports,
and the import of awards granted before the system existed.

Anyone with a role over the unit sees its records; only HR staff of its body
change them (403 for others); a unit outside the user's scope is a 404.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import Person, Unit

from . import access, excel, records_imports
from . import records_services as services
from .export import Column, export_requested, list_querystring, xlsx_response
from .models import DisciplineRecord, Initiative, Rating, TaskRating
from .records_forms import (
    DisciplineFormSet,
    InitiativeForm,
    PersonRatingFormSet,
    RecordsChooserForm,
    UnitRatingForm,
    person_label,
    pick_choices,
)

MIN_YEAR, MAX_YEAR = 1945, 2100
# People per page of the ratings table: one page is one form, well under Django's
# limit on the number of fields in a request.
RATING_PAGE_SIZE = 100


def _unit(request: HttpRequest, unit_pk: int, year: int | None = None) -> Unit:
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404
    return unit_access.get_unit(request.user, unit_pk)


def _require_keeper(request: HttpRequest, unit: Unit) -> None:
    if not services.can_keep_records(request.user, unit):
        raise PermissionDenied


def _crumbs(unit: Unit, year: int | None) -> list[tuple[str, str]]:
    crumbs = [
        (_("Khen thưởng"), reverse("awards:index")),
        (_("Xếp loại, kỷ luật, sáng kiến"), reverse("awards:records_home")),
    ]
    if year is not None:
        crumbs.append(
            (
                _("%(unit)s – năm %(year)s") % {"unit": unit, "year": year},
                reverse("awards:records_unit", args=[unit.pk, year]),
            )
        )
    return crumbs


@login_required
@require_GET
def records_home(request: HttpRequest) -> HttpResponse:
    units = unit_access.visible_units(request.user).filter(is_active=True).order_by("path")
    default_year = timezone.localdate().year
    form = RecordsChooserForm(request.GET or None, units=units, initial={"year": default_year})
    if request.GET and form.is_valid():
        return redirect(
            "awards:records_unit",
            unit_pk=form.cleaned_data["unit"].pk,
            year=form.cleaned_data["year"],
        )
    return render(
        request,
        "awards/records_home.html",
        {
            "form": form,
            "can_import_history": unit_access.has_role(request.user, access.REVIEW_ROLES),
        },
    )


@login_required
@require_GET
def records_unit(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _unit(request, unit_pk, year)
    people = services.subtree_people(unit)
    summary = {
        "people": people.filter(is_active=True).count(),
        "rated": TaskRating.objects.filter(person__in=people, year=year).count(),
        "discipline": services.discipline_in_year(unit, year).count(),
        "initiatives": Initiative.objects.filter(
            unit__path__startswith=unit.path, year=year
        ).count(),
    }
    unit_rating = TaskRating.objects.filter(unit=unit, year=year).first()
    return render(
        request,
        "awards/records_unit.html",
        {
            "unit": unit,
            "year": year,
            "summary": summary,
            "unit_rating": unit_rating,
            "can_edit": services.can_keep_records(request.user, unit),
            "crumbs": _crumbs(unit, None),
            "years": [year - 1, year + 1],
        },
    )


# Ratings -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def ratings_edit(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _unit(request, unit_pk, year)
    can_edit = services.can_keep_records(request.user, unit)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    people_qs = (
        services.subtree_people(unit)
        .filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "full_name", "pk")
    )
    page = Paginator(people_qs, RATING_PAGE_SIZE).get_page(request.GET.get("page"))
    people = {p.pk: p for p in page}
    stored = {
        r.person_id: r for r in TaskRating.objects.filter(person_id__in=list(people), year=year)
    }
    ratings = {pk: r.rating for pk, r in stored.items()}
    unit_stored = TaskRating.objects.filter(unit=unit, year=year).first()
    unit_rating = unit_stored.rating if unit_stored else None
    data = request.POST if request.method == "POST" else None
    unit_form = UnitRatingForm(
        data, prefix="unit", initial={"rating": unit_rating or ""}, record=unit_stored
    )
    formset = PersonRatingFormSet(
        data,
        prefix="ratings",
        initial=[{"person": pk, "rating": ratings.get(pk, "")} for pk in people],
        form_kwargs={"people": people, "ratings": stored},
    )
    if request.method == "POST" and unit_form.is_valid() and formset.is_valid():
        try:
            change = services.ratings_save(
                unit=unit,
                year=year,
                by=request.user,
                unit_rating=unit_form.cleaned_data["rating"],
                person_ratings={
                    f.cleaned_data["person"]: f.cleaned_data["rating"] for f in formset.forms
                },
                expected_versions={
                    f.cleaned_data["person"].pk: f.expected_version for f in formset.forms
                },
                unit_expected_version=unit_form.expected_version,
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Đã lưu xếp loại: thêm %(c)d, sửa %(u)d, bỏ %(r)d.")
                % {"c": change.created, "u": change.updated, "r": change.removed},
            )
            return redirect(request.get_full_path())
    labels = dict(Rating.choices)
    return render(
        request,
        "awards/records_ratings.html",
        {
            "unit": unit,
            "year": year,
            "page": page,
            "querystring": list_querystring(request),
            "unit_form": unit_form,
            "formset": formset,
            "rows": [
                (
                    form,
                    form.person_obj,
                    labels.get(ratings.get(getattr(form.person_obj, "pk", None), ""), ""),
                )
                for form in formset.forms
            ],
            "unit_rating_label": labels.get(unit_rating or "", ""),
            "can_edit": can_edit,
            "crumbs": _crumbs(unit, year),
        },
    )


# Discipline ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def discipline_edit(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _unit(request, unit_pk, year)
    can_edit = services.can_keep_records(request.user, unit)
    if request.method == "POST" and not can_edit:
        raise PermissionDenied
    queryset = (
        services.discipline_in_year(unit, year)
        .select_related("person", "person__unit")
        .order_by("person__full_name", "start_date", "pk")
    )
    if not can_edit:
        labels = dict(DisciplineRecord._meta.get_field("form").choices or [])
        records = list(queryset)
        for record in records:
            record.form_label = labels.get(record.form, record.form)
        return render(
            request,
            "awards/records_discipline.html",
            {
                "unit": unit,
                "year": year,
                "records": records,
                "can_edit": False,
                "crumbs": _crumbs(unit, year),
            },
        )
    people_list = list(
        services.subtree_people(unit)
        .select_related("unit")
        .order_by("unit__path", "full_name", "pk")
    )
    people = {p.pk: p for p in people_list}
    form_kwargs = {
        "people": people,
        "people_choices": pick_choices(people_list, person_label),
        "year": year,
    }
    if request.method == "POST":
        formset = DisciplineFormSet(
            request.POST, queryset=queryset, prefix="discipline", form_kwargs=form_kwargs
        )
        if formset.is_valid():
            changed = [
                form.save(commit=False)
                for form in formset.forms
                if form.has_changed() and not formset._should_delete_form(form)
            ]
            removed = [form.instance for form in formset.deleted_forms if form.instance.pk]
            try:
                services.discipline_save(
                    unit=unit,
                    year=year,
                    by=request.user,
                    records=changed,
                    removed=removed,
                    expected_versions={
                        form.instance.pk: form.expected_version
                        for form in formset.forms
                        if form.instance.pk
                    },
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu kỷ luật."))
                return redirect("awards:records_discipline", unit_pk=unit.pk, year=year)
    else:
        formset = DisciplineFormSet(queryset=queryset, prefix="discipline", form_kwargs=form_kwargs)
        if not queryset.exists():
            formset.extra = 1
    return render(
        request,
        "awards/records_discipline.html",
        {
            "unit": unit,
            "year": year,
            "formset": formset,
            "can_edit": True,
            "crumbs": _crumbs(unit, year),
        },
    )


# Initiatives ---------------------------------------------------------------------------------


def _authors(initiative: Initiative) -> str:
    return ", ".join(author.full_name for author in initiative.authors.all())


INITIATIVE_COLUMNS = [
    Column(gettext_lazy("Năm công nhận"), "year", width=10),
    Column(gettext_lazy("Tên sáng kiến, đề tài"), "title", width=48),
    Column(gettext_lazy("Loại"), "get_kind_display", width=16),
    Column(gettext_lazy("Phạm vi ảnh hưởng"), "get_scope_display", width=18),
    Column(gettext_lazy("Đơn vị"), "unit.name", width=32),
    Column(gettext_lazy("Tác giả"), _authors, width=40),
    Column(gettext_lazy("Quyết định công nhận"), "recognition", width=28),
    Column(gettext_lazy("Ngày công nhận"), "recognised_on", width=14),
]


@login_required
@require_GET
def initiative_list(request: HttpRequest, unit_pk: int, year: int) -> HttpResponse:
    unit = _unit(request, unit_pk, year)
    initiatives = (
        Initiative.objects.filter(unit__path__startswith=unit.path, year=year)
        .select_related("unit")
        .prefetch_related(Prefetch("authors", queryset=Person.objects.order_by("full_name", "pk")))
        .order_by("title", "pk")
    )
    if export_requested(request):
        return xlsx_response(
            initiatives,
            INITIATIVE_COLUMNS,
            filename=f"sang-kien-{unit.code}-{year}",
            title=_("Sáng kiến, đề tài năm %(year)s") % {"year": year},
        )
    page = Paginator(initiatives, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    kinds = dict(Initiative._meta.get_field("kind").choices or [])
    scopes = dict(Initiative._meta.get_field("scope").choices or [])
    for initiative in page:
        initiative.kind_label = kinds.get(initiative.kind, initiative.kind)
        initiative.scope_label = scopes.get(initiative.scope, initiative.scope)
    return render(
        request,
        "awards/records_initiatives.html",
        {
            "unit": unit,
            "year": year,
            "page": page,
            "querystring": "",
            "can_edit": services.can_keep_records(request.user, unit),
            "crumbs": _crumbs(unit, year),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_edit(
    request: HttpRequest, unit_pk: int, year: int, pk: int | None = None
) -> HttpResponse:
    unit = _unit(request, unit_pk, year)
    _require_keeper(request, unit)
    if pk is None:
        initiative = Initiative(unit=unit, year=year)
    else:
        initiative = get_object_or_404(
            Initiative.objects.select_related("unit"), pk=pk, unit__path__startswith=unit.path
        )
    units = Unit.objects.filter(path__startswith=unit.path, is_active=True).order_by("path")
    if initiative.pk:
        units = units | Unit.objects.filter(pk=initiative.unit_id)
    people_list = list(
        services.subtree_people(unit)
        .filter(is_active=True)
        .select_related("unit")
        .order_by("unit__path", "full_name", "pk")
    )
    if initiative.pk:
        known = {p.pk for p in people_list}
        people_list += [p for p in initiative.authors.select_related("unit") if p.pk not in known]
    form = InitiativeForm(
        request.POST or None,
        instance=initiative,
        units=units.distinct(),
        people={p.pk: p for p in people_list},
    )
    if request.method == "POST" and form.is_valid():
        authors = form.cleaned_data["authors"]
        try:
            saved = services.initiative_save(
                by=request.user,
                initiative=form.save(commit=False),
                authors=authors,
                scope_unit=unit,
                expected_version=form.expected_version,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu sáng kiến “%(title)s”.") % {"title": saved.title})
            return redirect("awards:records_initiatives", unit_pk=unit.pk, year=saved.year)
    return render(
        request,
        "awards/records_initiative_form.html",
        {
            "unit": unit,
            "year": year,
            "form": form,
            "initiative": initiative,
            "crumbs": _crumbs(unit, year),
        },
    )


# Excel imports of a unit's records -----------------------------------------------------------

_IMPORTS: dict[str, dict[str, Any]] = {
    "ratings": {
        "importer": records_imports.RatingsImport,
        "template": records_imports.ratings_template,
        "title": gettext_lazy("Nhập xếp loại hoàn thành nhiệm vụ"),
        "filename": "mau-xep-loai.xlsx",
        "done": "awards:records_ratings",
    },
    "discipline": {
        "importer": records_imports.DisciplineImport,
        "template": records_imports.discipline_template,
        "title": gettext_lazy("Nhập kỷ luật"),
        "filename": "mau-ky-luat.xlsx",
        "done": "awards:records_discipline",
    },
    "initiatives": {
        "importer": records_imports.InitiativesImport,
        "template": records_imports.initiatives_template,
        "title": gettext_lazy("Nhập sáng kiến, đề tài"),
        "filename": "mau-sang-kien.xlsx",
        "done": "awards:records_initiatives",
    },
}


def _unit_import_page(request: HttpRequest, unit_pk: int, kind: str) -> excel.ImportPage:
    spec = _IMPORTS.get(kind)
    if spec is None:
        raise Http404
    unit = _unit(request, unit_pk)
    _require_keeper(request, unit)
    year = request.GET.get("year", "")
    year_value = int(year) if year.isdigit() and MIN_YEAR <= int(year) <= MAX_YEAR else None
    year_value = year_value or timezone.localdate().year
    suffix = f"?year={year_value}"
    return excel.ImportPage(
        importer=spec["importer"](user=request.user, unit=unit),
        session_key=f"awards_import_{kind}_{unit.pk}",
        title=f"{spec['title']}: {unit}",
        breadcrumbs=_crumbs(unit, year_value),
        upload_url=reverse("awards:records_import", args=[unit.pk, kind]) + suffix,
        confirm_url=reverse("awards:records_import_confirm", args=[unit.pk, kind]) + suffix,
        template_url=reverse("awards:records_import_template", args=[unit.pk, kind]),
        done_url=reverse(spec["done"], args=[unit.pk, year_value]),
        template_name=spec["filename"],
        guide=[
            _("Chỉ nhận cán bộ và đơn vị thuộc %(unit)s.") % {"unit": unit},
        ],
        template_builder=spec["template"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def records_import(request: HttpRequest, unit_pk: int, kind: str) -> HttpResponse:
    return excel.upload_view(request, _unit_import_page(request, unit_pk, kind))


@login_required
@require_POST
def records_import_confirm(request: HttpRequest, unit_pk: int, kind: str) -> HttpResponse:
    return excel.confirm_view(request, _unit_import_page(request, unit_pk, kind))


@login_required
@require_GET
def records_import_template(request: HttpRequest, unit_pk: int, kind: str) -> HttpResponse:
    return excel.template_response(_unit_import_page(request, unit_pk, kind))


# Past awards ---------------------------------------------------------------------------------


def _past_awards_page(request: HttpRequest) -> excel.ImportPage:
    if not unit_access.has_role(request.user, access.REVIEW_ROLES):
        raise PermissionDenied
    home = reverse("awards:records_home")
    return excel.ImportPage(
        importer=records_imports.PastAwardsImport(user=request.user),
        session_key="awards_import_past_awards",
        title=_("Nhập khen thưởng trước khi có hệ thống"),
        breadcrumbs=[
            (_("Khen thưởng"), reverse("awards:index")),
            (_("Xếp loại, kỷ luật, sáng kiến"), home),
        ],
        upload_url=reverse("awards:past_awards_import"),
        confirm_url=reverse("awards:past_awards_import_confirm"),
        template_url=reverse("awards:past_awards_import_template"),
        done_url=home,
        template_name="mau-khen-thuong-truoc-day.xlsx",
        guide=[
            _(
                "Để các điều kiện về số năm liên tục được tính đúng ngay từ đầu, nhập các danh "
                "hiệu, hình thức khen thưởng đã trao trước khi dùng hệ thống."
            ),
            _("Chỉ nhận cán bộ và đơn vị thuộc phạm vi bạn quản lý."),
            _("Khen thưởng đã có (cùng đối tượng, danh hiệu và năm) bị từ chối."),
        ],
        template_builder=records_imports.past_awards_template,
    )


@login_required
@require_http_methods(["GET", "POST"])
def past_awards_import(request: HttpRequest) -> HttpResponse:
    return excel.upload_view(request, _past_awards_page(request))


@login_required
@require_POST
def past_awards_import_confirm(request: HttpRequest) -> HttpResponse:
    return excel.confirm_view(request, _past_awards_page(request))


@login_required
@require_GET
def past_awards_import_template(request: HttpRequest) -> HttpResponse:
    return excel.template_response(_past_awards_page(request))
