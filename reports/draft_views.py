"""Report draft pages: the reports area, starting a phase review, writing its narrative.

Access (reports.access): anyone who can see a draft reads it, its figures and its
versions; someone else gets 404. Writers (HR staff who plan the campaign) edit it
and get the form; a reader posting to it gets 403. Starting a draft needs a
campaign the user plans.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awards.models import NominationStatus, RegistrationStatus
from campaigns.errors import ConflictError, DomainError

from . import access
from . import draft_selectors as selectors
from . import draft_services as services
from .charts import bar_chart
from .draft_forms import DraftCreateForm, DraftForm
from .figures import gather_phase_figures
from .models import ReportDraft, ReportKind


def draft_areas(draft: ReportDraft) -> list[tuple[str, str]]:
    return selectors.area_sections(draft)


def narrative_sections(draft: ReportDraft) -> list[tuple[str, str]]:
    """The narrative as (heading, text), in the order of the report, for readers."""
    labels = DraftForm._meta.labels
    areas = draft.area_results or {}
    sections = [(labels[name], getattr(draft, name)) for name in ("context", "direction")]
    sections += [(label, areas.get(key, "")) for key, label in draft_areas(draft)]
    sections += [
        (labels[name], getattr(draft, name))
        for name in (
            "exemplars",
            "strengths",
            "shortcomings",
            "causes",
            "lessons",
            "next_direction",
            "proposals",
        )
    ]
    return sections


def _require_write(request: HttpRequest, draft: ReportDraft) -> None:
    if not access.can_write(request.user, draft):
        raise PermissionDenied


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.draft_list(request.user), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "reports/index.html",
        {
            "page": page,
            "stale": selectors.stale_drafts(page.object_list),
            "can_create": selectors.plannable_campaigns(request.user).exists(),
        },
    )


def _chosen_campaign(request: HttpRequest, campaigns: Any) -> Any:
    value = (
        request.POST.get("campaign") if request.method == "POST" else request.GET.get("campaign")
    )
    if not value or not str(value).isdigit():
        return None
    return campaigns.filter(pk=int(value)).first()


@login_required
@require_http_methods(["GET", "POST"])
def draft_create(request: HttpRequest) -> HttpResponse:
    campaigns = selectors.plannable_campaigns(request.user)
    if not campaigns.exists():
        raise PermissionDenied
    phases = selectors.phases_of(campaigns)
    chosen = _chosen_campaign(request, campaigns)
    if request.method == "POST":
        # Every plannable campaign's phases stay valid choices, so that a phase of another
        # campaign gets "not of this campaign" rather than a bare "invalid choice".
        form = DraftCreateForm(request.POST, campaigns=campaigns, phases=phases)
        if form.is_valid():
            try:
                draft = services.draft_create(by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã tạo dự thảo báo cáo."))
                return redirect("reports:draft_detail", pk=draft.pk)
        if chosen:
            form.fields["phase"].queryset = phases.filter(campaign=chosen)
            form.fields["phase"].with_campaign = False
        status = 400
    else:
        narrowed = phases.filter(campaign=chosen) if chosen else phases
        form = DraftCreateForm(
            campaigns=campaigns,
            phases=narrowed,
            narrowed=chosen is not None,
            initial={"campaign": chosen.pk} if chosen else None,
        )
        status = 200
    return render(request, "reports/draft_create.html", {"form": form}, status=status)


@login_required
@require_GET
def draft_phases(request: HttpRequest) -> HttpResponse:
    """htmx partial: the phase options of the campaign chosen on the new-draft form."""
    campaigns = selectors.plannable_campaigns(request.user)
    chosen = _chosen_campaign(request, campaigns)
    phases = selectors.phases_of(campaigns)
    # No campaign chosen (back to "— Chọn —"): every phase again, with its campaign's name.
    form = DraftCreateForm(
        campaigns=campaigns,
        phases=phases.filter(campaign=chosen) if chosen else phases,
        narrowed=chosen is not None,
    )
    return render(request, "reports/_phase_options.html", {"field": form["phase"]})


def draft_page(
    request: HttpRequest, draft: ReportDraft, form: DraftForm | None, *, status: int = 200
) -> HttpResponse:
    """The draft page: versions, figures (loaded apart), the narrative form or text."""
    page = Paginator(selectors.draft_versions(draft), settings.PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    versions = list(page.object_list)
    return render(
        request,
        "reports/draft_detail.html",
        {
            "draft": draft,
            "form": form,
            "narrative": None if form else narrative_sections(draft),
            "areas_legend": (
                _("3. Kết quả thực hiện giao ước thi đua")
                if draft.kind == ReportKind.BLOC_YEAR
                else _("3. Kết quả thực hiện các nội dung thi đua")
            ),
            "review_word": services.review_word(draft.phase) if draft.phase_id else "",
            "page": page,
            "versions": versions,
            "stale": selectors.stale_versions(draft, versions),
            "can_request": access.can_request(request.user, draft),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def draft_detail(request: HttpRequest, pk: int) -> HttpResponse:
    draft = access.get_draft(request.user, pk)
    writer = access.can_write(request.user, draft)
    if request.method == "POST":
        _require_write(request, draft)
        form = DraftForm(request.POST, instance=draft, areas=draft_areas(draft))
        status = 400
        if form.is_valid():
            try:
                services.draft_update(
                    draft=draft,
                    by=request.user,
                    expected_version=form.cleaned_data["version"],
                    **form.draft_fields(),
                )
            except ConflictError as error:
                form.add_error(None, error.message)
                status = 409
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã lưu dự thảo báo cáo."))
                return redirect("reports:draft_detail", pk=draft.pk)
        return draft_page(request, draft, form, status=status)
    form = DraftForm(instance=draft, areas=draft_areas(draft)) if writer else None
    return draft_page(request, draft, form)


@login_required
@require_POST
def draft_autosave(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: save the draft as the user types; answer with the line that says so.

    400 with the problems when the input is invalid, 409 when the draft was saved
    elsewhere meanwhile (nothing is overwritten); the page's script shows both.
    """
    draft = access.get_draft(request.user, pk)
    _require_write(request, draft)
    form = DraftForm(request.POST, instance=draft, areas=draft_areas(draft))
    context: dict[str, Any] = {"draft": draft}
    if not form.is_valid():
        context.update(state="invalid", form=form)
        return render(request, "reports/_autosave_status.html", context, status=400)
    try:
        stored, _changed = services.draft_update(
            draft=draft,
            by=request.user,
            expected_version=form.cleaned_data["version"],
            **form.draft_fields(),
        )
    except ConflictError as error:
        context.update(state="conflict", message=error.message)
        return render(request, "reports/_autosave_status.html", context, status=409)
    except DomainError as error:
        context.update(state="refused", message=error.message)
        return render(request, "reports/_autosave_status.html", context, status=400)
    context.update(state="saved", stored=stored)
    return render(request, "reports/_autosave_status.html", context)


def phase_charts(figures: Any) -> dict[str, str]:
    """The charts of the PDF, with ids of their own so that several fit on one page."""
    return {
        "participation": bar_chart(
            [
                (_("Đơn vị tham gia"), figures.units_taking_part),
                (_("Đơn vị đã báo cáo kết quả"), figures.units_reporting),
            ],
            title=_("Tham gia phong trào"),
            id_prefix="chart-participation-",
        ),
        "awards": bar_chart(
            [(row.name, row.total) for row in figures.awards],
            title=_("Khen thưởng theo danh hiệu, hình thức"),
            id_prefix="chart-awards-",
        ),
        "years": bar_chart(
            [(str(year), count) for year, count in figures.awards_by_year.items()],
            title=_("Khen thưởng theo năm"),
            id_prefix="chart-years-",
        ),
    }


@login_required
@require_GET
def draft_figures(request: HttpRequest, pk: int) -> HttpResponse:
    """The figures the report will hold, read-only (loaded into the draft page by htmx)."""
    draft = access.get_draft(request.user, pk)
    if draft.kind != ReportKind.PHASE_REVIEW:
        raise Http404
    figures = gather_phase_figures(draft.campaign, draft.phase)
    registration_labels = dict(RegistrationStatus.choices)
    nomination_labels = dict(NominationStatus.choices)
    context = {
        "draft": draft,
        "figures": figures,
        "charts": phase_charts(figures),
        "registration_rows": [
            (registration_labels.get(status, status), n)
            for status, n in sorted(figures.registrations.items())
        ],
        "nomination_rows": [
            (nomination_labels.get(status, status), n)
            for status, n in sorted(figures.nominations.items())
        ],
    }
    template = "reports/_figures.html" if request.htmx else "reports/draft_figures.html"
    return render(request, template, context)
