"""Council pages: sessions, the agenda, votes, closing and the minutes (PDF).

Access (awards.access): whoever sees the session (HR staff and leaders of the
body, its members) reads it, anyone else gets 404; HR staff of the body
(can_review) set it up, change the agenda and close it, anyone else gets 403;
only the session's members vote, anyone else who sees it gets 403.

For a secret item the pages show no count at all until voting on it is closed (the
session is closed), then the tally, never who voted what. The minutes show attendance
and, once voting is closed, the results.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import downloads
from campaigns.documents import render_pdf, vietnamese_date
from campaigns.errors import DomainError
from campaigns.models import Unit

from . import access
from . import council_selectors as selectors
from . import council_services as services
from .council_forms import AgendaForm, BodyForm, SessionForm, VoteForm
from .export import Column, export_requested, xlsx_response
from .models import AgendaItem, Choice, CouncilSession, Nomination, SessionStatus

# Helpers -------------------------------------------------------------------------------------


def _get_session(request: HttpRequest, pk: int) -> CouncilSession:
    try:
        return (
            access.visible_sessions(request.user)
            .select_related("body", "body__parent", "round")
            .get(pk=pk)
        )
    except CouncilSession.DoesNotExist:
        raise Http404 from None


def _require_review(request: HttpRequest, session: CouncilSession) -> None:
    if not access.can_review(request.user, session.body):
        raise PermissionDenied


def _to_session(session: CouncilSession, anchor: str = "") -> HttpResponse:
    url = reverse("awards:council_session_detail", args=[session.pk])
    return redirect(f"{url}#{anchor}" if anchor else url)


def _limited(queryset: QuerySet[Nomination]) -> QuerySet[Nomination]:
    """The first CANDIDATE_LIMIT candidates, still a queryset so a form validates against it."""
    ids = queryset.order_by("award_type__order", "proposing_unit__path", "pk").values("pk")[
        : selectors.CANDIDATE_LIMIT
    ]
    return (
        Nomination.objects.filter(pk__in=ids)
        .select_related("award_type", "person", "unit", "proposing_unit", "round")
        .order_by("award_type__order", "proposing_unit__path", "pk")
    )


def pick_body(request: HttpRequest, bodies: QuerySet[Unit]) -> Unit | None:
    """The body named by ?body= (or the only one the user reviews)."""
    raw = request.POST.get("body") or request.GET.get("body")
    if raw:
        try:
            return bodies.get(pk=int(raw))
        except (ValueError, Unit.DoesNotExist):
            return None
    only = list(bodies[:2])
    return only[0] if len(only) == 1 else None


# List and creation ---------------------------------------------------------------------------


SESSION_COLUMNS = [
    Column(gettext_lazy("Ngày họp"), "held_on", width=12),
    Column(gettext_lazy("Tên phiên họp"), "title", width=40),
    Column(gettext_lazy("Cơ quan"), "body.name", width=32),
    Column(gettext_lazy("Đợt khen thưởng"), "round.name", width=32),
    Column(gettext_lazy("Chủ tịch Hội đồng"), "chair", width=24),
    Column(gettext_lazy("Số thành viên"), "member_count", width=10),
    Column(gettext_lazy("Số đề nghị"), "item_count", width=10),
    Column(gettext_lazy("Trạng thái"), "get_status_display", width=14),
]


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    sessions = selectors.sessions_with_counts(access.visible_sessions(request.user)).order_by(
        "-held_on", "-pk"
    )
    if export_requested(request):
        return xlsx_response(
            sessions,
            SESSION_COLUMNS,
            filename="phien-hop-hoi-dong",
            title=_("Phiên họp Hội đồng"),
        )
    page = Paginator(sessions, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = selectors.review_bodies(request.user).exists()
    return render(
        request, "awards/council_session_list.html", {"page": page, "can_create": can_create}
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    bodies = selectors.review_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    body = pick_body(request, bodies)
    if body is None:
        body_form = BodyForm(request.GET if "body" in request.GET else None, bodies=bodies)
        if body_form.is_bound:
            body_form.is_valid()  # show why the body named is not one of theirs
        return render(
            request,
            "awards/council_session_form.html",
            {"body_form": body_form},
            status=400 if body_form.is_bound else 200,
        )
    candidates = selectors.member_candidates(body)
    rounds = selectors.body_rounds(body)
    if request.method == "POST":
        form = SessionForm(request.POST, candidates=candidates, rounds=rounds)
        if form.is_valid():
            try:
                session = services.session_create(body=body, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Đã mở phiên họp “%(title)s”.") % {"title": session.title}
                )
                return _to_session(session)
        status = 400
    else:
        form = SessionForm(
            candidates=candidates,
            rounds=rounds,
            initial={"members": list(candidates.values_list("pk", flat=True))},
        )
        status = 200
    return render(
        request,
        "awards/council_session_form.html",
        {"form": form, "body": body, "no_candidates": not candidates.exists()},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    _require_review(request, session)
    if session.status != SessionStatus.OPEN:
        messages.error(request, _("Phiên họp đã kết thúc; không thể sửa."))
        return _to_session(session)
    candidates = selectors.member_candidates(session.body)
    if request.method == "POST":
        form = SessionForm(request.POST, candidates=candidates, record=session)
        if form.is_valid():
            try:
                services.session_update(
                    session=session,
                    by=request.user,
                    expected_version=form.expected_version,
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Đã lưu phiên họp."))
                return _to_session(session)
        status = 400
    else:
        form = SessionForm(
            candidates=candidates,
            record=session,
            initial={
                "title": session.title,
                "held_on": session.held_on,
                "chair": session.chair,
                "members": list(session.members.values_list("pk", flat=True)),
            },
        )
        status = 200
    return render(
        request,
        "awards/council_session_form.html",
        {"form": form, "body": session.body, "session": session},
        status=status,
    )


# The session page ----------------------------------------------------------------------------


def _session_context(request: HttpRequest, session: CouncilSession) -> dict[str, Any]:
    members = selectors.session_members(session)
    is_member = any(m.pk == request.user.pk for m in members)
    tallies = selectors.session_tally(session, member_count=len(members), viewer=request.user)
    if is_member:
        mine = selectors.my_open_choices(session, request.user)
        for tally in tallies:
            if tally.item.pk in mine and not tally.item.secret:
                tally.my_choice_label = str(Choice(mine[tally.item.pk]).label)
    return {
        "session": session,
        "members": members,
        "is_member": is_member,
        "can_manage": access.can_review(request.user, session.body),
        "is_open": session.status == SessionStatus.OPEN,
        "tallies": tallies,
        "voted_count": sum(1 for t in tallies if t.mine),
    }


def _session_page(
    request: HttpRequest,
    session: CouncilSession,
    *,
    vote_form: VoteForm | None = None,
    vote_item: int | None = None,
    status: int = 200,
) -> HttpResponse:
    context = _session_context(request, session)
    context.update(vote_form=vote_form, vote_item=vote_item, vote_choices=Choice.choices)
    return render(request, "awards/council_session_detail.html", context, status=status)


@login_required
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _session_page(request, _get_session(request, pk))


@login_required
@require_POST
def vote(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.only("pk", "session_id"), pk=item_pk)
    session = _get_session(request, item.session_id)
    if not access.is_session_member(request.user, session):
        raise PermissionDenied
    form = VoteForm(request.POST)
    if not form.is_valid():
        return _session_page(request, session, vote_form=form, vote_item=item.pk, status=400)
    try:
        services.vote_cast(item=item, voter=request.user, choice=form.cleaned_data["choice"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        # Never the choice in the message: messages may be stored server-side.
        messages.success(request, _("Đã ghi nhận phiếu của bạn."))
    return _to_session(session, f"item-{item.pk}")


# The agenda ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def agenda_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    _require_review(request, session)
    if session.status != SessionStatus.OPEN:
        messages.error(request, _("Phiên họp đã kết thúc; không thể thay đổi chương trình."))
        return _to_session(session)
    all_candidates = selectors.agenda_candidates(session)
    candidates = _limited(all_candidates)
    if request.method == "POST":
        form = AgendaForm(request.POST, candidates=candidates)
        if form.is_valid():
            try:
                items = services.agenda_add(
                    session=session, by=request.user, nominations=form.cleaned_data["nominations"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã đưa %(n)s đề nghị vào chương trình phiên họp.") % {"n": len(items)},
                )
                return _to_session(session)
        status = 400
    else:
        form = AgendaForm(candidates=candidates)
        status = 200
    total = all_candidates.count()
    return render(
        request,
        "awards/council_agenda_form.html",
        {
            "session": session,
            "form": form,
            "total": total,
            "truncated": total > selectors.CANDIDATE_LIMIT,
            "limit": selectors.CANDIDATE_LIMIT,
        },
        status=status,
    )


@login_required
@require_POST
def agenda_remove(request: HttpRequest, item_pk: int) -> HttpResponse:
    item = get_object_or_404(AgendaItem.objects.only("pk", "session_id"), pk=item_pk)
    session = _get_session(request, item.session_id)
    _require_review(request, session)
    try:
        services.agenda_remove(item=item, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Đã rút đề nghị khỏi chương trình phiên họp."))
    return _to_session(session)


@login_required
@require_POST
def session_close(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get_session(request, pk)
    _require_review(request, session)
    try:
        results = services.session_close(session=session, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        approved = sum(1 for r in results if r.changed and r.approved)
        rejected = sum(1 for r in results if r.changed and not r.approved)
        messages.success(
            request,
            _(
                "Đã kết thúc phiên họp: %(approved)s đề nghị được thông qua, %(rejected)s đề "
                "nghị không được thông qua."
            )
            % {"approved": approved, "rejected": rejected},
        )
    return _to_session(session)


# Minutes -------------------------------------------------------------------------------------


@login_required
def minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes (biên bản): members and their participation (attendance); once voting is
    closed, per item the tally and the result, and the names of voters for open items
    only. While the session is open no item's result is in them."""
    session = _get_session(request, pk)
    members = selectors.session_members(session)
    present = selectors.participants(session)
    tallies = selectors.session_tally(session, member_count=len(members))
    is_open = session.status == SessionStatus.OPEN
    context = {
        "session": session,
        "members": [{"user": m, "present": m.pk in present} for m in members],
        "present_count": sum(1 for m in members if m.pk in present),
        "tallies": tallies,
        "open_tallies": [] if is_open else [t for t in tallies if not t.item.secret],
        "is_open": is_open,
        "issuer": session.body.name,
        "parent_body": session.body.parent.name if session.body.parent_id else "",
        "place_date": vietnamese_date("Hà Nội", session.held_on),
        "signer_position": _("Chủ tịch Hội đồng"),
        "signer_name": session.chair,
        "recipients": [_("Các thành viên Hội đồng"), _("Lưu: VT, TĐKT")],
    }
    content = render_pdf("awards/council_minutes_pdf.html", context)
    return downloads.file_response(
        content,
        name=f"bien-ban-hoi-dong-{session.held_on:%Y%m%d}-{session.pk}",
        content_type=downloads.PDF,
    )
