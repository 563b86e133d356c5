"""Registration pages. Views load through awards.access, check the right, validate,
call a service and redirect.

Someone who cannot see the registration's unit gets 404; someone who sees it but
may not do the action (a focal point approving, a leader editing) gets 403.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import CampaignStatus

from . import access, excel, registration_imports
from . import registration_services as services
from .export import Column, export_requested, list_querystring, xlsx_response
from .models import AwardType, Registration, RegistrationStatus
from .registration_forms import (
    CollectiveTitleForm,
    EntryFormSet,
    RegistrationCreateForm,
    RegistrationFilterForm,
    ReturnForm,
    entry_form_kwargs,
)

# Beyond this many people the list is edited through the Excel import: a form
# with thousands of fields is refused by Django (DATA_UPLOAD_MAX_NUMBER_FIELDS).
ENTRY_EDIT_LIMIT = 300


def _get(request: HttpRequest, pk: int) -> Registration:
    try:
        return (
            access.visible_registrations(request.user)
            .select_related("unit", "campaign", "collective_title", "submitted_by", "reviewed_by")
            .get(pk=pk)
        )
    except Registration.DoesNotExist:
        raise Http404 from None


def _require_edit(request: HttpRequest, registration: Registration) -> None:
    if not services.can_edit_registration(request.user, registration):
        raise PermissionDenied


def _require_review(request: HttpRequest, registration: Registration) -> None:
    if not services.can_review_registration(request.user, registration):
        raise PermissionDenied


REGISTRATION_COLUMNS = [
    Column(gettext_lazy("Năm"), "year", width=8),
    Column(gettext_lazy("Đơn vị"), "unit.name", width=36),
    Column(gettext_lazy("Phong trào"), "campaign.name", width=36),
    Column(gettext_lazy("Danh hiệu tập thể đăng ký"), "collective_title.name", width=32),
    Column(gettext_lazy("Số cá nhân đăng ký"), "entry_count", width=12),
    Column(gettext_lazy("Trạng thái"), "get_status_display", width=16),
    Column(gettext_lazy("Ngày gửi"), "submitted_at", width=18),
    Column(gettext_lazy("Lý do trả lại"), "return_reason", width=40),
]


@login_required
@require_GET
def registration_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = access.visible_registrations(user)
    units = unit_access.visible_units(user).filter(pk__in=visible.values("unit"))
    form = RegistrationFilterForm(request.GET or None, units=units)
    registrations = visible
    if form.is_valid():
        filters = form.cleaned_data
        if filters["year"]:
            registrations = registrations.filter(year=filters["year"])
        if filters["status"]:
            registrations = registrations.filter(status=filters["status"])
        if filters["unit"]:
            registrations = registrations.filter(unit__path__startswith=filters["unit"].path)
    registrations = (
        registrations.select_related("unit", "campaign", "collective_title")
        .annotate(entry_count=Count("entries"))
        .order_by("-year", "unit__path", "pk")
    )
    if export_requested(request):
        return xlsx_response(
            registrations,
            REGISTRATION_COLUMNS,
            filename="dang-ky-thi-dua",
            title=_("Đăng ký thi đua"),
        )
    page = Paginator(registrations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = dict(RegistrationStatus.choices)
    for registration in page:
        registration.status_label = statuses.get(registration.status, registration.status)
    return render(
        request,
        "awards/registration_list.html",
        {
            "form": form,
            "page": page,
            "querystring": list_querystring(request),
            "can_create": access.proposing_units(user).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = access.proposing_units(user).order_by("path")
    if not units.exists():
        raise PermissionDenied
    campaigns = (
        unit_access.visible_campaigns(user)
        .filter(status=CampaignStatus.LAUNCHED)
        .order_by("-start_year", "name")
    )
    form = RegistrationCreateForm(
        request.POST or None,
        units=units,
        campaigns=campaigns,
        titles=services.collective_titles(),
        initial={"campaign": request.GET.get("campaign")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.registration_create(by=user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã tạo đăng ký thi đua. Tiếp theo: lập danh sách cá nhân đăng ký rồi gửi."),
            )
            return redirect("awards:registration_edit", pk=registration.pk)
    return render(request, "awards/registration_create.html", {"form": form})


def _events(registration: Registration) -> list[dict[str, Any]]:
    """Who did what and when, from the history (one query)."""
    statuses = dict(RegistrationStatus.choices)
    events = []
    for record in registration.history.select_related("history_user").order_by(
        "history_date", "history_id"
    ):
        events.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "who_name": (
                    (record.history_user.get_full_name() or record.history_user.get_username())
                    if record.history_user
                    else _("hệ thống")
                ),
                "what": record.history_change_reason or _("Cập nhật"),
                "status": statuses.get(record.status, record.status),
                "reason": record.return_reason
                if record.status == RegistrationStatus.RETURNED
                else "",
            }
        )
    return events


@login_required
@require_GET
def registration_detail(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _get(request, pk)
    user = request.user
    entries = registration.entries.select_related("person", "person__unit", "award_type").order_by(
        "person__full_name", "person__pk", "award_type__order"
    )
    can_edit = services.can_edit_registration(user, registration)
    can_review = services.can_review_registration(user, registration)
    editable = registration.status in services.EDITABLE
    return render(
        request,
        "awards/registration_detail.html",
        {
            "registration": registration,
            "entries": entries,
            "events": _events(registration),
            "can_edit": can_edit and editable,
            "can_review": can_review and registration.status == RegistrationStatus.SUBMITTED,
            "deadline_passed": services.deadline_passed(registration.campaign),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def registration_edit(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _get(request, pk)
    _require_edit(request, registration)
    if registration.status not in services.EDITABLE:
        messages.error(
            request,
            _("Đăng ký đang ở trạng thái “%(status)s”, không thể sửa.")
            % {"status": registration.get_status_display()},
        )
        return redirect("awards:registration_detail", pk=registration.pk)
    current = list(
        registration.entries.select_related("person", "person__unit", "award_type").order_by(
            "person__full_name", "person__pk", "award_type__order"
        )
    )
    too_long = len(current) > ENTRY_EDIT_LIMIT
    people = list(
        services.registrable_people(registration.unit)
        .select_related("unit")
        .order_by("unit__path", "full_name", "pk")
    )
    # People already listed stay choosable even if they have left the unit since.
    known = {p.pk for p in people}
    people += [e.person for e in current if e.person_id not in known]
    titles = list(services.individual_titles().order_by("order", "name"))
    listed_titles = {e.award_type_id: e.award_type for e in current}
    titles += [t for pk, t in listed_titles.items() if pk not in {t.pk for t in titles}]
    form_kwargs = entry_form_kwargs(people, titles)
    titles_qs = AwardType.objects.filter(
        Q(pk__in=services.collective_titles().values("pk")) | Q(pk=registration.collective_title_id)
    ).order_by("order", "name")
    data = request.POST if request.method == "POST" else None
    title_form = CollectiveTitleForm(
        data,
        titles=titles_qs,
        initial={"collective_title": registration.collective_title_id},
        record=registration,
    )
    formset = None
    if not too_long:
        formset = EntryFormSet(
            data,
            prefix="entries",
            initial=[{"person": e.person_id, "award_type": e.award_type_id} for e in current],
            form_kwargs=form_kwargs,
        )
        if data is None:
            formset.extra = 0 if current else 3
    if request.method == "POST":
        valid = title_form.is_valid() and (formset is None or formset.is_valid())
        if valid:
            entries = (
                formset.entries()
                if formset is not None
                else [(e.person, e.award_type) for e in current]
            )
            try:
                services.registration_update(
                    registration=registration,
                    by=request.user,
                    collective_title=title_form.cleaned_data["collective_title"],
                    entries=entries,
                    expected_version=title_form.expected_version,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu đăng ký."))
                return redirect("awards:registration_detail", pk=registration.pk)
    return render(
        request,
        "awards/registration_edit.html",
        {
            "registration": registration,
            "title_form": title_form,
            "formset": formset,
            "too_long": too_long,
            "entry_limit": ENTRY_EDIT_LIMIT,
        },
    )


def _transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    registration = _get(request, pk)
    if action == "submit":
        _require_edit(request, registration)
    else:
        _require_review(request, registration)
    try:
        if action == "submit":
            services.registration_submit(registration=registration, by=request.user)
            messages.success(request, _("Đã gửi đăng ký đến cán bộ thi đua – khen thưởng."))
        else:
            services.registration_approve(registration=registration, by=request.user)
            messages.success(request, _("Đã duyệt đăng ký."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("awards:registration_detail", pk=registration.pk)


@login_required
@require_POST
def registration_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "submit")


@login_required
@require_POST
def registration_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(request, pk, "approve")


@login_required
@require_http_methods(["GET", "POST"])
def registration_return(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _get(request, pk)
    _require_review(request, registration)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.registration_return(
                registration=registration, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã trả lại đăng ký cho đơn vị."))
            return redirect("awards:registration_detail", pk=registration.pk)
    return render(
        request, "awards/registration_return.html", {"registration": registration, "form": form}
    )


# Excel import of the people list ------------------------------------------------------------


def _import_page(request: HttpRequest, registration: Registration) -> excel.ImportPage:
    detail = reverse("awards:registration_detail", args=[registration.pk])
    return excel.ImportPage(
        importer=registration_imports.RegistrationEntryImport(
            user=request.user, registration=registration
        ),
        session_key=f"awards_import_registration_{registration.pk}",
        title=_("Nhập danh sách cá nhân đăng ký: %(unit)s, năm %(year)s")
        % {"unit": registration.unit, "year": registration.year},
        breadcrumbs=[
            (_("Khen thưởng"), reverse("awards:index")),
            (_("Đăng ký thi đua"), reverse("awards:registration_list")),
            (str(registration), detail),
        ],
        upload_url=reverse("awards:registration_import", args=[registration.pk]),
        confirm_url=reverse("awards:registration_import_confirm", args=[registration.pk]),
        template_url=reverse("awards:registration_import_template", args=[registration.pk]),
        done_url=detail,
        template_name="mau-dang-ky-ca-nhan.xlsx",
        guide=[
            _("Mỗi dòng: mã cán bộ của một người thuộc %(unit)s và mã danh hiệu đăng ký.")
            % {"unit": registration.unit},
            _("Các cặp cá nhân – danh hiệu đã có trong đăng ký được bỏ qua."),
        ],
        template_builder=registration_imports.template_bytes,
    )


def _importable(request: HttpRequest, pk: int) -> Registration | HttpResponse:
    registration = _get(request, pk)
    _require_edit(request, registration)
    if registration.status not in services.EDITABLE:
        messages.error(
            request,
            _("Đăng ký đang ở trạng thái “%(status)s”, không thể nhập thêm.")
            % {"status": registration.get_status_display()},
        )
        return redirect("awards:registration_detail", pk=registration.pk)
    return registration


@login_required
@require_http_methods(["GET", "POST"])
def registration_import(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _importable(request, pk)
    if isinstance(registration, HttpResponse):
        return registration
    return excel.upload_view(request, _import_page(request, registration))


@login_required
@require_POST
def registration_import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _importable(request, pk)
    if isinstance(registration, HttpResponse):
        return registration
    return excel.confirm_view(request, _import_page(request, registration))


@login_required
@require_GET
def registration_import_template(request: HttpRequest, pk: int) -> HttpResponse:
    registration = _get(request, pk)
    _require_edit(request, registration)
    return excel.template_response(_import_page(request, registration))
