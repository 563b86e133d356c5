"""Decision pages: draft, edit and issue an award decision; revoke an award.

Access: HR staff and leaders of the issuing body read decisions, anyone else
gets 404; HR staff of the body (awards.access.can_review) draft, edit and issue, a
leader gets 403. An award is revoked by HR staff of the body that issued it
(awards.access.can_change_record): anyone else who can see it gets 403.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from campaigns.errors import DomainError

from . import access, council_selectors
from . import decision_selectors as selectors
from . import decision_services as services
from .council_forms import BodyForm
from .council_views import pick_body
from .decision_forms import DecisionForm, RevokeForm
from .export import Column, export_requested, xlsx_response
from .models import AwardDecision, DecisionStatus, Nomination


def _require_review(request: HttpRequest, decision: AwardDecision) -> None:
    if not access.can_review(request.user, decision.body):
        raise PermissionDenied


def _limited(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    ids = queryset.values("pk")[: council_selectors.CANDIDATE_LIMIT]
    return (
        Nomination.objects.filter(pk__in=ids)
        .select_related("award_type", "person", "unit", "proposing_unit", "round")
        .order_by("award_type__order", "award_type__name", "pk")
    )


DECISION_COLUMNS = [
    Column(gettext_lazy("Số quyết định"), "number", width=20),
    Column(gettext_lazy("Ngày ký"), "signed_on", width=12),
    Column(gettext_lazy("Cơ quan ban hành"), "body.name", width=36),
    Column(gettext_lazy("Người ký"), "signer_name", width=24),
    Column(gettext_lazy("Chức vụ người ký"), "signer_position", width=24),
    Column(gettext_lazy("Số đề nghị"), "nomination_count", width=10),
    Column(gettext_lazy("Trạng thái"), "get_status_display", width=14),
    Column(gettext_lazy("Ngày ban hành"), "issued_at", width=18),
]


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    decisions = selectors.decision_list(request.user)
    if export_requested(request):
        return xlsx_response(
            decisions,
            DECISION_COLUMNS,
            filename="quyet-dinh-khen-thuong",
            title=_("Quyết định khen thưởng"),
        )
    page = Paginator(decisions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = council_selectors.review_bodies(request.user).exists()
    return render(request, "awards/decision_list.html", {"page": page, "can_create": can_create})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request: HttpRequest) -> HttpResponse:
    bodies = council_selectors.review_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    body = pick_body(request, bodies)
    if body is None:
        body_form = BodyForm(request.GET if "body" in request.GET else None, bodies=bodies)
        if body_form.is_bound:
            body_form.is_valid()
        return render(
            request,
            "awards/decision_form.html",
            {"body_form": body_form},
            status=400 if body_form.is_bound else 200,
        )
    all_candidates = selectors.decision_candidates(body)
    candidates = _limited(all_candidates)
    rounds = council_selectors.body_rounds(body)
    if request.method == "POST":
        form = DecisionForm(request.POST, candidates=candidates, rounds=rounds)
        if form.is_valid():
            try:
                decision = services.decision_create(body=body, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã lưu dự thảo quyết định số %(number)s.") % {"number": decision.number},
                )
                return redirect("awards:decision_detail", pk=decision.pk)
        status = 400
    else:
        form = DecisionForm(candidates=candidates, rounds=rounds)
        status = 200
    total = all_candidates.count()
    return render(
        request,
        "awards/decision_form.html",
        {
            "form": form,
            "body": body,
            "total": total,
            "truncated": total > council_selectors.CANDIDATE_LIMIT,
            "limit": council_selectors.CANDIDATE_LIMIT,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.get_decision(request.user, pk)
    _require_review(request, decision)
    if decision.status != DecisionStatus.DRAFT:
        messages.error(request, _("Quyết định đã ban hành; không thể sửa."))
        return redirect("awards:decision_detail", pk=decision.pk)
    all_candidates = selectors.decision_candidates(decision.body, decision)
    candidates = _limited(all_candidates)
    if request.method == "POST":
        form = DecisionForm(request.POST, candidates=candidates, record=decision)
        if form.is_valid():
            try:
                services.decision_update(
                    decision=decision,
                    by=request.user,
                    expected_version=form.expected_version,
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã lưu dự thảo quyết định."))
                return redirect("awards:decision_detail", pk=decision.pk)
        status = 400
    else:
        form = DecisionForm(
            candidates=candidates,
            record=decision,
            initial={
                "number": decision.number,
                "signed_on": decision.signed_on,
                "signer_name": decision.signer_name,
                "signer_position": decision.signer_position,
                "nominations": list(decision.nominations.values_list("pk", flat=True)),
            },
        )
        status = 200
    total = all_candidates.count()
    return render(
        request,
        "awards/decision_form.html",
        {
            "form": form,
            "body": decision.body,
            "decision": decision,
            "total": total,
            "truncated": total > council_selectors.CANDIDATE_LIMIT,
            "limit": council_selectors.CANDIDATE_LIMIT,
        },
        status=status,
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.get_decision(request.user, pk)
    nominations = list(selectors.decision_nominations(decision))
    rows = [{"nomination": n, "record": getattr(n, "award", None)} for n in nominations]
    return render(
        request,
        "awards/decision_detail.html",
        {
            "decision": decision,
            "rows": rows,
            "can_manage": access.can_review(request.user, decision.body),
            "is_draft": decision.status == DecisionStatus.DRAFT,
            "revoked_count": sum(1 for r in rows if r["record"] and r["record"].is_revoked),
        },
    )


@login_required
@require_POST
def decision_issue(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.get_decision(request.user, pk)
    _require_review(request, decision)
    try:
        records = services.decision_issue(decision=decision, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã ban hành quyết định số %(number)s: %(n)s khen thưởng được ghi nhận.")
            % {"number": decision.number, "n": len(records)},
        )
    return redirect("awards:decision_detail", pk=decision.pk)


@login_required
@require_http_methods(["GET", "POST"])
def award_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    record = selectors.get_record(request.user, pk)
    if not access.can_change_record(request.user, record):
        raise PermissionDenied
    form = RevokeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if record.is_revoked:
            messages.error(request, _("Khen thưởng này đã bị thu hồi."))
            return redirect("awards:award_revoke", pk=record.pk)
        if form.is_valid():
            try:
                services.award_revoke(record=record, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã ghi nhận việc thu hồi khen thưởng."))
                if record.decision_id:
                    return redirect("awards:decision_detail", pk=record.decision_id)
                return redirect("awards:award_revoke", pk=record.pk)
        status = 400
    return render(
        request, "awards/decision_revoke.html", {"record": record, "form": form}, status=status
    )
