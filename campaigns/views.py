"""Campaign pages. Views check access, validate, call a service and redirect."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, QuerySet, Window
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import access, selectors, services
from .errors import DomainError
from .forms import (
    CampaignFilterForm,
    CampaignForm,
    ContentAreaFormSet,
    MilestoneFormSet,
    PhaseFormSet,
    ProgressForm,
    TargetFormSet,
)
from .models import Campaign, CampaignKind, CampaignStatus, ContentArea, Phase, Target
from .versioning import VersionForm


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The user's roles, and the campaigns they reach with what is due next."""
    campaigns = (
        access.visible_campaigns(request.user)
        .filter(status=CampaignStatus.LAUNCHED)
        .select_related("issuing_unit")
        .order_by("-start_year", "name")[:10]
    )
    assignments = request.user.role_assignments.select_related("unit").order_by("role")
    return render(
        request,
        "campaigns/home.html",
        {
            "campaigns": campaigns,
            "assignments": assignments,
            "can_plan": access.has_role(request.user, access.PLAN_ROLES),
        },
    )


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))


def pk_url(viewname: str, *args: Any) -> Callable[[Any], str]:
    """``reverse(viewname, args=[*args, pk])`` for every row of a list, at the cost of one reverse.

    ``{% url %}`` costs about 40 µs a call here, a third of the time a list row
    takes to render; the URL of the row is the same but for its primary key.
    """
    marker = 2147483647
    prefix, suffix = reverse(viewname, args=[*args, marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}"


class TotalInPagePaginator(Paginator):
    """A paginator whose page rows also carry the length of the whole list.

    Each row gets ``COUNT(*) OVER ()``, which the database works out with the page,
    so a page costs one query instead of two (a COUNT, then the rows). Only a page
    number past the end, an invalid one, or an empty list falls back to Django's
    COUNT query; the pages are then the same as ``Paginator``'s.
    """

    total_alias = "paginator_total"

    def __init__(self, object_list: QuerySet[Any], per_page: int) -> None:
        super().__init__(object_list.annotate(**{self.total_alias: Window(Count("*"))}), per_page)

    def get_page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # as Paginator.get_page does with a missing or invalid number
        if wanted >= 1:
            bottom = (wanted - 1) * self.per_page
            rows = list(self.object_list[bottom : bottom + self.per_page])
            if rows:
                self.count = getattr(rows[0], self.total_alias)
                return self._get_page(rows, wanted, self)
        return super().get_page(wanted)


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    # The units in the user's scope that issued a campaign: every campaign issued
    # inside the user's subtrees is visible to them (access.visible_campaigns), so
    # this is the same set as "issuers of visible campaigns", without repeating
    # the participation subquery.
    issuing_units = access.visible_units(user).filter(
        pk__in=Campaign.objects.values("issuing_unit")
    )
    form = CampaignFilterForm(request.GET or None, issuing_units=issuing_units)
    campaigns = access.visible_campaigns(user)
    if form.is_valid():
        filters = form.cleaned_data
        campaigns = selectors.campaign_list(
            campaigns,
            q=filters["q"],
            status=filters["status"],
            kind=filters["kind"],
            year=filters["year"],
            issuing_unit=filters["issuing_unit"],
        )
    else:
        campaigns = selectors.campaign_list(campaigns)
    page = TotalInPagePaginator(campaigns, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    # Per row, what the template would otherwise work out per row: the link, and
    # the labels, translated once per page (get_FOO_display() rebuilds the choices
    # dict, translating every label, on each call).
    kinds = {value: str(label) for value, label in CampaignKind.choices}
    statuses = {value: str(label) for value, label in CampaignStatus.choices}
    detail_url = pk_url("campaigns:detail")
    for campaign in page:
        campaign.url = detail_url(campaign.pk)
        campaign.kind_label = kinds.get(campaign.kind, campaign.kind)
        campaign.status_label = statuses.get(campaign.status, campaign.status)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "campaigns/campaign_list.html",
        {
            "form": form,
            "page": page,
            "querystring": query.urlencode(),
            "can_plan": access.has_role(user, access.PLAN_ROLES),
        },
    )


def _require_plan(request: HttpRequest, campaign: Campaign) -> None:
    if not access.can_plan(request.user, campaign):
        raise PermissionDenied


def _form_kwargs(request: HttpRequest, campaign: Campaign | None) -> dict[str, Any]:
    user = request.user
    issuing = access.plan_units(user).filter(depth__lte=3).order_by("path")
    participating = access.visible_units(user).filter(is_active=True, depth__lte=3).order_by("path")
    linkable = access.visible_campaigns(user).exclude(status=CampaignStatus.ARCHIVED)
    if campaign is not None:
        linkable = linkable.exclude(pk=campaign.pk)
        # Keep the saved choices selectable even when outside the usual depth.
        issuing = issuing | access.plan_units(user).filter(pk=campaign.issuing_unit_id)
        participating = participating | campaign.participating_units.all()
    return {
        "issuing_units": issuing.distinct(),
        "participating_choices": participating.distinct(),
        "linkable": linkable.order_by("-start_year", "name"),
    }


def _campaign_fields(form: CampaignForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request: HttpRequest) -> HttpResponse:
    if not access.has_role(request.user, access.PLAN_ROLES):
        raise PermissionDenied
    form = CampaignForm(request.POST or None, **_form_kwargs(request, None))
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(by=request.user, **_campaign_fields(form))
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Đã tạo phong trào “%(name)s”. Tiếp theo: nhập các giai đoạn và nội dung thi đua."
                )
                % {"name": campaign.name},
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": None})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    _require_plan(request, campaign)
    form = CampaignForm(request.POST or None, instance=campaign, **_form_kwargs(request, campaign))
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(
                campaign=Campaign.objects.get(pk=campaign.pk),
                by=request.user,
                expected_version=form.expected_version,
                **_campaign_fields(form),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu thông tin phong trào."))
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    context = selectors.campaign_page(campaign)
    timeline = selectors.campaign_timeline(context["phases"], context["milestones"])
    can_plan = access.can_plan(request.user, campaign)
    if can_plan and campaign.is_editable:
        targets_url = pk_url("campaigns:targets", campaign.pk)
        for area in context["areas"]:
            area.targets_url = targets_url(area.pk)
    context.update(
        campaign=campaign,
        timeline=timeline,
        can_plan=can_plan,
        can_report=access.has_role(request.user, access.PROGRESS_ROLES)
        and campaign.status == CampaignStatus.LAUNCHED,
    )
    return render(request, "campaigns/campaign_detail.html", context)


@login_required
def campaign_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    phases = list(campaign.phases.all())
    milestones = list(campaign.milestones.select_related("responsible_unit"))
    return render(
        request,
        "campaigns/campaign_timeline.html",
        {"campaign": campaign, "timeline": selectors.campaign_timeline(phases, milestones)},
    )


@login_required
def campaign_history(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    return render(
        request,
        "campaigns/campaign_history.html",
        {"campaign": campaign, "entries": selectors.campaign_history(campaign)},
    )


@login_required
@require_POST
def campaign_status(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    _require_plan(request, campaign)
    try:
        campaign = services.campaign_change_status(
            campaign=campaign, by=request.user, action=action
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Phong trào đã chuyển sang trạng thái “%(status)s”.")
            % {"status": campaign.get_status_display()},
        )
    return redirect("campaigns:detail", pk=campaign.pk)


def _formset_view(
    request: HttpRequest,
    campaign: Campaign,
    *,
    formset_class: Any,
    queryset: Any,
    save: Any,
    title: str,
    prefix: str,
    formset_kwargs: dict[str, Any] | None = None,
    extra_context: dict[str, Any] | None = None,
    empty_rows: int = 1,
) -> HttpResponse:
    """Shared GET/POST handling for the plan's editable tables (phases, contents, ...)."""
    _require_plan(request, campaign)
    kwargs = formset_kwargs or {}
    if request.method == "POST":
        formset = formset_class(request.POST, queryset=queryset, prefix=prefix, **kwargs)
        version = VersionForm(request.POST, record=campaign)
        if not version.is_valid():
            messages.error(request, version.conflict())
        elif formset.is_valid():
            try:
                save(formset=formset, expected_version=version.expected_version)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu."))
                return redirect("campaigns:detail", pk=campaign.pk)
    else:
        formset = formset_class(queryset=queryset, prefix=prefix, **kwargs)
        version = VersionForm(record=campaign)
        if not queryset.exists():
            # An empty table opens with rows to fill. ``extra`` is read when the forms are
            # first built, so setting it on this instance is enough.
            formset.extra = empty_rows
    context = {
        "campaign": campaign,
        "formset": formset,
        "title": title,
        "prefix": prefix,
        "version_form": version,
    }
    context.update(extra_context or {})
    return render(request, "campaigns/formset_page.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def phases_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)

    def save(*, formset: Any, expected_version: int) -> None:
        services.phases_save(
            campaign=campaign, by=request.user, formset=formset, expected_version=expected_version
        )

    return _formset_view(
        request,
        campaign,
        formset_class=PhaseFormSet,
        queryset=Phase.objects.filter(campaign=campaign).order_by("number"),
        save=save,
        title=_("Giai đoạn"),
        prefix="phases",
        formset_kwargs={"campaign": campaign},
        extra_context={
            "help": _(
                "Các giai đoạn nằm trong thời gian %(years)s của phong trào, theo thứ tự, "
                "không chồng lấn; chỉ giai đoạn cuối cùng tổng kết."
            )
            % {"years": campaign.years_label}
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def content_areas_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)

    def save(*, formset: Any, expected_version: int) -> None:
        services.content_areas_save(
            campaign=campaign, by=request.user, formset=formset, expected_version=expected_version
        )

    return _formset_view(
        request,
        campaign,
        formset_class=ContentAreaFormSet,
        queryset=ContentArea.objects.filter(campaign=campaign).order_by("number"),
        save=save,
        title=_("Nội dung thi đua"),
        prefix="areas",
    )


@login_required
@require_http_methods(["GET", "POST"])
def targets_edit(request: HttpRequest, pk: int, area_pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    area = get_object_or_404(ContentArea, pk=area_pk, campaign=campaign)

    def save(*, formset: Any, expected_version: int) -> None:
        services.targets_save(
            content_area=area, by=request.user, formset=formset, expected_version=expected_version
        )

    return _formset_view(
        request,
        campaign,
        formset_class=TargetFormSet,
        queryset=Target.objects.filter(content_area=area).order_by("number"),
        save=save,
        title=_("Chỉ tiêu của nội dung %(number)s") % {"number": area.number},
        prefix="targets",
        extra_context={"area": area},
    )


@login_required
@require_http_methods(["GET", "POST"])
def milestones_edit(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    units = access.visible_units(request.user).filter(is_active=True, depth__lte=3).order_by("path")

    def save(*, formset: Any, expected_version: int) -> None:
        services.milestones_save(
            campaign=campaign, by=request.user, formset=formset, expected_version=expected_version
        )

    return _formset_view(
        request,
        campaign,
        formset_class=MilestoneFormSet,
        queryset=campaign.milestones.select_related("responsible_unit").order_by("due_date"),
        save=save,
        title=_("Mốc thời gian"),
        prefix="milestones",
        formset_kwargs={"form_kwargs": {"units": units}},
    )


# Progress ------------------------------------------------------------------------------------


@login_required
def progress_overview(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    phases = list(campaign.phases.all())
    if not phases:
        messages.info(request, _("Phong trào chưa có giai đoạn nào."))
        return redirect("campaigns:detail", pk=campaign.pk)
    phase_id = request.GET.get("phase", "")
    phase = next((p for p in phases if str(p.pk) == phase_id), None) or next(
        (p for p in phases if p.is_current()), phases[-1]
    )
    units = access.progress_units(request.user, campaign)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        from .text import fold

        for word in fold(q).split():
            units = units.filter(search_text__contains=word)
    matrix = selectors.progress_matrix(campaign, phase, units)
    return render(
        request,
        "campaigns/progress_overview.html",
        {
            "campaign": campaign,
            "phases": phases,
            "phase": phase,
            "matrix": matrix,
            "q": q,
            "can_report": campaign.status == CampaignStatus.LAUNCHED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def progress_edit(request: HttpRequest, pk: int, phase_pk: int, unit_pk: int) -> HttpResponse:
    campaign = access.get_campaign(request.user, pk)
    phase = get_object_or_404(Phase, pk=phase_pk, campaign=campaign)
    unit = get_object_or_404(access.progress_units(request.user, campaign), pk=unit_pk)
    areas = list(campaign.content_areas.prefetch_related("targets"))
    entries = selectors.progress_for_unit(phase, unit)
    forms = []
    for area in areas:
        entry = entries.get(area.pk)
        initial: dict[str, Any] = {}
        if entry:
            initial["summary"] = entry.summary
            initial.update({f"target_{f.target_id}": f.value for f in entry.figures.all()})
        data = request.POST if request.method == "POST" else None
        form = ProgressForm(
            data,
            targets=list(area.targets.all()),
            initial=initial,
            prefix=f"area{area.pk}",
            record=entry,
        )
        forms.append((area, form, entry))
    if request.method == "POST":
        if campaign.status != CampaignStatus.LAUNCHED:
            messages.error(request, _("Chỉ báo cáo kết quả khi phong trào đang được triển khai."))
            return redirect("campaigns:progress", pk=campaign.pk)
        # A content area left blank is simply not reported yet.
        filled = [(a, f, e) for a, f, e in forms if f.has_changed() or e is not None]
        if all(f.is_valid() for _a, f, _e in filled):
            try:
                with transaction.atomic():
                    for area, form, _entry in filled:
                        services.progress_record(
                            phase=phase,
                            content_area=area,
                            unit=unit,
                            by=request.user,
                            summary=form.cleaned_data["summary"],
                            figures=form.figures(),
                            expected_version=form.expected_version,
                        )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu kết quả của %(unit)s.") % {"unit": unit})
                return redirect(f"{request.path}")
    return render(
        request,
        "campaigns/progress_form.html",
        {"campaign": campaign, "phase": phase, "unit": unit, "forms": forms},
    )
