"""Bloc, bloc-year and pledge pages. Views load through pledges.access, check the
right to change, validate, call a service and redirect.

Someone who cannot see the bloc gets 404; someone who sees it but may not
change it gets 403 on every page or action that changes it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import CampaignStatus, Unit
from campaigns.versioning import VersionForm

from . import access, pledge_selectors, services
from .forms import (
    AmendmentForm,
    BlocYearForm,
    CommitmentFormSet,
    MembershipFormSet,
    PledgeForm,
    SignatureForm,
)
from .models import Bloc, BlocMembership, BlocYear, Pledge, PledgeAmendment, PledgeStatus
from .selectors import members_in


def _require_manage(request: HttpRequest, bloc: Bloc, bloc_year: BlocYear | None = None) -> None:
    if not access.can_manage(request.user, bloc, bloc_year):
        raise PermissionDenied


def _show_error(form: BaseForm, error: DomainError) -> None:
    """Put a service's refusal next to the field it concerns, else at the top of the form."""
    if isinstance(error, services.FieldErrors):
        for field, field_messages in error.errors.items():
            for message in field_messages:
                form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, error.message)


def _get_pledge(request: HttpRequest, pk: int) -> Pledge:
    try:
        return (
            Pledge.objects.filter(bloc_year__bloc__in=access.visible_blocs(request.user))
            .select_related(
                "bloc_year", "bloc_year__bloc", "bloc_year__bloc__organiser", "bloc_year__leader"
            )
            .get(pk=pk)
        )
    except Pledge.DoesNotExist:
        raise Http404 from None


# Blocs ---------------------------------------------------------------------------------------


@login_required
def bloc_list(request: HttpRequest) -> HttpResponse:
    blocs = (
        access.visible_blocs(request.user)
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
    bloc = access.get_bloc(request.user, pk)
    context = pledge_selectors.bloc_page(bloc)
    context.update(
        bloc=bloc,
        can_manage=access.can_manage(request.user, bloc, context["latest_year"]),
    )
    return render(request, "pledges/bloc_detail.html", context)


def _candidate_units(bloc: Bloc) -> Any:
    """Units that may join: the organiser's units for a bloc inside a body, else the bodies."""
    if bloc.organiser_id:
        organiser = bloc.organiser
        scope = Q(path__startswith=organiser.path, depth__lte=organiser.depth + 2) & ~Q(
            pk=organiser.pk
        )
    else:
        scope = Q(depth=0)
    current = BlocMembership.objects.filter(bloc=bloc).values("unit_id")
    return Unit.objects.filter((scope & Q(is_active=True)) | Q(pk__in=current)).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def bloc_members_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = access.get_bloc(request.user, pk)
    _require_manage(request, bloc, pledge_selectors.latest_year(bloc))
    queryset = bloc.memberships.select_related("unit").order_by("unit__name", "joined_on")
    kwargs = {
        "queryset": queryset,
        "prefix": "members",
        "form_kwargs": {"units": _candidate_units(bloc)},
    }
    if request.method == "POST":
        formset = MembershipFormSet(request.POST, **kwargs)
        version = VersionForm(request.POST, record=bloc)
        if not version.is_valid():
            messages.error(request, version.conflict())
        elif formset.is_valid():
            try:
                services.memberships_save(
                    bloc=bloc,
                    by=request.user,
                    formset=formset,
                    expected_version=version.expected_version,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu danh sách thành viên."))
                return redirect("pledges:bloc_detail", pk=bloc.pk)
    else:
        formset = MembershipFormSet(**kwargs)
        version = VersionForm(record=bloc)
        if not queryset.exists():
            formset.extra = 1
    return render(
        request,
        "pledges/bloc_members_form.html",
        {"bloc": bloc, "formset": formset, "version_form": version},
    )


# Bloc years ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def bloc_year_create(request: HttpRequest, pk: int) -> HttpResponse:
    bloc = access.get_bloc(request.user, pk)
    _require_manage(request, bloc, pledge_selectors.latest_year(bloc))
    form = BlocYearForm(request.POST or None, units=pledge_selectors.ever_members(bloc))
    if request.method == "POST" and form.is_valid():
        try:
            bloc_year = services.bloc_year_create(bloc=bloc, by=request.user, **form.cleaned_data)
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã thêm năm thi đua %(year)s.") % {"year": bloc_year.year})
            return redirect("pledges:bloc_year", pk=bloc_year.pk)
    return render(
        request, "pledges/bloc_year_form.html", {"bloc": bloc, "bloc_year": None, "form": form}
    )


@login_required
def bloc_year_detail(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    context = pledge_selectors.bloc_year_page(bloc_year)
    context.update(
        bloc=bloc_year.bloc,
        bloc_year=bloc_year,
        can_manage=access.can_manage(request.user, bloc_year.bloc, bloc_year),
    )
    return render(request, "pledges/bloc_year_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def bloc_year_edit(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    bloc = bloc_year.bloc
    _require_manage(request, bloc, bloc_year)
    form = BlocYearForm(
        request.POST or None, units=pledge_selectors.ever_members(bloc), bloc_year=bloc_year
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("year", None)
        try:
            services.bloc_year_update(
                bloc_year=bloc_year,
                by=request.user,
                expected_version=form.expected_version,
                **data,
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã lưu năm thi đua %(year)s.") % {"year": bloc_year.year})
            return redirect("pledges:bloc_year", pk=bloc_year.pk)
    return render(
        request,
        "pledges/bloc_year_form.html",
        {"bloc": bloc, "bloc_year": bloc_year, "form": form},
    )


# Pledges -------------------------------------------------------------------------------------


def _campaign_choices(request: HttpRequest, pledge: Pledge | None) -> Any:
    campaigns = unit_access.visible_campaigns(request.user).exclude(status=CampaignStatus.ARCHIVED)
    if pledge is not None:
        # Keep the campaigns already linked selectable, even if archived or out of sight.
        campaigns = campaigns | pledge.campaigns.all()
    return campaigns.distinct().order_by("-start_year", "name")


@login_required
@require_http_methods(["GET", "POST"])
def pledge_create(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year.bloc, bloc_year)
    form = PledgeForm(
        request.POST or None,
        bloc_year=bloc_year,
        campaigns=_campaign_choices(request, None),
        initial={
            "title": _("Giao ước thi đua năm %(year)s của %(bloc)s")
            % {"year": bloc_year.year, "bloc": bloc_year.bloc.name}
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            pledge = services.pledge_create(
                bloc_year=bloc_year, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã tạo giao ước. Tiếp theo: nhập các nội dung cam kết."))
            return redirect("pledges:commitments_edit", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_form.html",
        {"bloc": bloc_year.bloc, "bloc_year": bloc_year, "pledge": None, "form": form},
    )


@login_required
def pledge_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    bloc_year = pledge.bloc_year
    context = pledge_selectors.pledge_page(pledge)
    can_manage = access.can_manage(request.user, bloc_year.bloc, bloc_year)
    has_signatures = bool(context["signatures"])
    context.update(
        pledge=pledge,
        bloc_year=bloc_year,
        bloc=bloc_year.bloc,
        can_manage=can_manage,
        can_edit=can_manage and pledge.status != PledgeStatus.SIGNED and not has_signatures,
        can_open=can_manage and pledge.status == PledgeStatus.DRAFT,
        can_sign=can_manage and pledge.status == PledgeStatus.OPEN,
        can_amend=can_manage and has_signatures,
    )
    return render(request, "pledges/pledge_detail.html", context)


def _refuse_if_signed(request: HttpRequest, pledge: Pledge) -> HttpResponse | None:
    """A signed text is changed only through an amendment: send the user there."""
    if pledge.status == PledgeStatus.SIGNED or pledge.signatures.exists():
        messages.error(
            request,
            _(
                "Giao ước đã có chữ ký: nội dung đã ký chỉ có thể thay đổi bằng cách lập "
                "sửa đổi, ghi rõ lý do."
            ),
        )
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    return None


@login_required
@require_http_methods(["GET", "POST"])
def pledge_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    bloc_year = pledge.bloc_year
    _require_manage(request, bloc_year.bloc, bloc_year)
    refused = _refuse_if_signed(request, pledge)
    if refused:
        return refused
    form = PledgeForm(
        request.POST or None,
        bloc_year=bloc_year,
        campaigns=_campaign_choices(request, pledge),
        initial={
            "title": pledge.title,
            "ceremony_date": pledge.ceremony_date,
            "place": pledge.place,
            "campaigns": list(pledge.campaigns.values_list("pk", flat=True)),
        },
        record=pledge,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pledge_update(
                pledge=pledge,
                by=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(request, _("Đã lưu giao ước."))
            return redirect("pledges:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_form.html",
        {"bloc": bloc_year.bloc, "bloc_year": bloc_year, "pledge": pledge, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def commitments_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    bloc_year = pledge.bloc_year
    _require_manage(request, bloc_year.bloc, bloc_year)
    refused = _refuse_if_signed(request, pledge)
    if refused:
        return refused
    queryset = pledge.commitments.order_by("number", "pk")
    if request.method == "POST":
        formset = CommitmentFormSet(request.POST, queryset=queryset, prefix="commitments")
        version = VersionForm(request.POST, record=pledge)
        if not version.is_valid():
            messages.error(request, version.conflict())
        elif formset.is_valid():
            try:
                services.commitments_save(
                    pledge=pledge,
                    by=request.user,
                    formset=formset,
                    expected_version=version.expected_version,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu nội dung giao ước."))
                return redirect("pledges:pledge_detail", pk=pledge.pk)
    else:
        formset = CommitmentFormSet(queryset=queryset, prefix="commitments")
        version = VersionForm(record=pledge)
        if not queryset.exists():
            formset.extra = 3
    return render(
        request,
        "pledges/commitments_form.html",
        {
            "bloc": bloc_year.bloc,
            "bloc_year": bloc_year,
            "pledge": pledge,
            "formset": formset,
            "version_form": version,
        },
    )


@login_required
@require_POST
def pledge_open(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    _require_manage(request, pledge.bloc_year.bloc, pledge.bloc_year)
    try:
        services.pledge_open(pledge=pledge, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Giao ước đã mở ký: ghi nhận chữ ký của từng thành viên."))
    return redirect("pledges:pledge_detail", pk=pledge.pk)


@login_required
@require_http_methods(["GET", "POST"])
def signatures_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The signing sheet: one row per member that has not signed; blank rows are skipped."""
    pledge = _get_pledge(request, pk)
    bloc_year = pledge.bloc_year
    _require_manage(request, bloc_year.bloc, bloc_year)
    if pledge.status != PledgeStatus.OPEN:
        messages.error(request, _("Chỉ ghi nhận chữ ký khi giao ước đang mở ký."))
        return redirect("pledges:pledge_detail", pk=pledge.pk)
    signed = pledge.signatures.values("member_id")
    required = set(pledge_selectors.required_signers(pledge).values_list("pk", flat=True))
    data = request.POST if request.method == "POST" else None
    rows = [
        (
            unit,
            unit.pk in required,
            SignatureForm(
                data,
                prefix=f"m{unit.pk}",
                initial={"signed_on": pledge.ceremony_date},
                empty_permitted=True,
                use_required_attribute=False,
                year=bloc_year.year,
            ),
        )
        for unit in members_in(bloc_year.bloc, bloc_year.year).exclude(pk__in=signed)
    ]
    if request.method == "POST":
        filled = [(unit, form) for unit, _required, form in rows if form.has_changed()]
        if not filled:
            messages.info(request, _("Chưa nhập chữ ký nào."))
        elif all(form.is_valid() for _unit, form in filled):
            current = filled[0][1]
            try:
                with transaction.atomic():
                    for unit, form in filled:
                        current = form
                        services.pledge_sign(
                            pledge=pledge, member=unit, by=request.user, **form.cleaned_data
                        )
            except DomainError as error:
                _show_error(current, error)
            else:
                pledge.refresh_from_db()
                if pledge.status == PledgeStatus.SIGNED:
                    messages.success(request, _("Đã ghi nhận chữ ký. Giao ước đã được ký đủ."))
                else:
                    messages.success(
                        request,
                        _("Đã ghi nhận %(n)s chữ ký.") % {"n": len(filled)},
                    )
                return redirect("pledges:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pledges/signatures_form.html",
        {"bloc": bloc_year.bloc, "bloc_year": bloc_year, "pledge": pledge, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
def pledge_amend(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    bloc_year = pledge.bloc_year
    _require_manage(request, bloc_year.bloc, bloc_year)
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.pledge_amend(
                pledge=pledge, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            _show_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Đã lập sửa đổi lần %(n)s và lưu bản đã ký. Giao ước trở về dự thảo: sửa "
                    "nội dung rồi mở ký lại."
                )
                % {"n": amendment.number},
            )
            return redirect("pledges:pledge_detail", pk=pledge.pk)
    return render(
        request,
        "pledges/pledge_amend.html",
        {"bloc": bloc_year.bloc, "bloc_year": bloc_year, "pledge": pledge, "form": form},
    )


def _snapshot_for_display(snapshot: dict[str, Any]) -> dict[str, Any]:
    """Turn the snapshot's ISO dates back into dates so the template formats them."""

    def day(value: str | None) -> datetime.date | None:
        return datetime.date.fromisoformat(value) if value else None

    shown = dict(snapshot)
    shown["ceremony_date"] = day(snapshot.get("ceremony_date"))
    shown["signatures"] = [
        {**s, "signed_on": day(s.get("signed_on"))} for s in snapshot.get("signatures", [])
    ]
    return shown


@login_required
def amendment_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """The version of the pledge that an amendment replaced, as it was signed."""
    pledge = _get_pledge(request, pk)
    amendment = get_object_or_404(
        PledgeAmendment.objects.select_related("amended_by"), pledge=pledge, number=number
    )
    return render(
        request,
        "pledges/amendment_detail.html",
        {
            "bloc": pledge.bloc_year.bloc,
            "bloc_year": pledge.bloc_year,
            "pledge": pledge,
            "amendment": amendment,
            "snapshot": _snapshot_for_display(amendment.snapshot),
        },
    )
