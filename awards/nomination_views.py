"""Pages of award rounds, nominations and their dossiers.

Views load rounds and nominations through ``awards.access`` (anyone outside the
scope gets 404), check the role for the action (403 for someone who may see but
not act), validate the form, call a service and redirect; a refusal from the
service is shown, never a 500.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Func, IntegerField, QuerySet, Subquery
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaigns import access as unit_access
from campaigns import downloads
from campaigns.errors import DomainError
from campaigns.forms import unit_label
from campaigns.models import CampaignKind, Person, Unit
from campaigns.views import TotalInPagePaginator, pk_url
from pledges.services import FieldErrors

from . import access
from . import nomination_selectors as selectors
from . import nomination_services as services
from .export import Column, export_requested, list_querystring, xlsx_response
from .models import (
    AwardRound,
    AwardType,
    DossierFile,
    Nomination,
    NominationStatus,
    Subject,
    Track,
)
from .nomination_forms import (
    DossierFileForm,
    NominationFilterForm,
    NominationForm,
    NoteForm,
    ReturnForm,
    RoundForm,
)

logger = logging.getLogger(__name__)


def _add_errors(form: Form, error: DomainError) -> None:
    """Show a service's refusal next to the fields it names, else above the form."""
    if isinstance(error, FieldErrors):
        for name, messages_ in error.errors.items():
            for message in messages_:
                form.add_error(name if name in form.fields else None, message)
    else:
        form.add_error(None, error.message)


def _nominee(nomination: Nomination) -> str:
    return nomination.person.full_name if nomination.person_id else nomination.unit.name


NOMINATION_COLUMNS = [
    Column(gettext_lazy("Người, tập thể được đề nghị"), _nominee, width=32),
    Column(gettext_lazy("Mã cán bộ"), "person.staff_code", width=14),
    Column(gettext_lazy("Đơn vị công tác"), "person.unit.name", width=32),
    Column(gettext_lazy("Mã"), "award_type.code", width=12),
    Column(gettext_lazy("Danh hiệu, hình thức"), "award_type.name", width=36),
    Column(gettext_lazy("Loại hình"), "get_track_display", width=22),
    Column(gettext_lazy("Đơn vị đề nghị"), lambda n: str(n.proposing_unit), width=28),
    Column(gettext_lazy("Đợt khen thưởng"), "round.name", width=32),
    Column(gettext_lazy("Năm"), "year", width=8),
    Column(gettext_lazy("Trạng thái"), "get_status_display", width=22),
    Column(gettext_lazy("Ngày lập"), "created_at", width=18),
    Column(gettext_lazy("Ngày gửi"), "submitted_at", width=18),
]


def _label_rows(page: Any) -> None:
    """Per row, the link and translated labels, worked out once per page."""
    statuses = {value: str(label) for value, label in NominationStatus.choices}
    detail_url = pk_url("awards:nomination_detail")
    for nomination in page:
        nomination.url = detail_url(nomination.pk)
        nomination.status_label = statuses.get(nomination.status, nomination.status)


# Rounds ----------------------------------------------------------------------------------------


def _review_bodies(request: HttpRequest) -> QuerySet[Unit]:
    return Unit.objects.filter(
        unit_access.subtree_q(request.user, access.REVIEW_ROLES), is_active=True
    ).order_by("path")


def _plannable_campaigns(request: HttpRequest, award_round: AwardRound | None) -> Any:
    campaigns = unit_access.visible_campaigns(request.user).filter(
        unit_access.subtree_q(request.user, unit_access.PLAN_ROLES, field="issuing_unit")
    )
    if award_round is not None and award_round.campaign_id:
        campaigns = campaigns | unit_access.visible_campaigns(request.user).filter(
            pk=award_round.campaign_id
        )
    return campaigns.distinct().order_by("-start_year", "name")


ROUND_COLUMNS = [
    Column(gettext_lazy("Năm"), "year", width=8),
    Column(gettext_lazy("Tên đợt khen thưởng"), "name", width=40),
    Column(gettext_lazy("Cơ quan"), "body.name", width=32),
    Column(gettext_lazy("Phong trào"), "campaign.name", width=36),
    Column(gettext_lazy("Giai đoạn"), "phase.name", width=24),
    Column(gettext_lazy("Hạn gửi hồ sơ"), "nomination_deadline", width=14),
    Column(gettext_lazy("Đang nhận hồ sơ"), "is_open", width=10),
]


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    rounds = (
        access.visible_rounds(request.user)
        .select_related("body", "campaign", "phase")
        .order_by("-year", "name", "pk")
    )
    if export_requested(request):
        return xlsx_response(
            rounds, ROUND_COLUMNS, filename="dot-khen-thuong", title=_("Đợt khen thưởng")
        )
    page = TotalInPagePaginator(rounds, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "awards/round_list.html",
        {
            "page": page,
            "can_create": unit_access.has_role(request.user, access.REVIEW_ROLES),
        },
    )


def _round_fields(form: RoundForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("body", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    bodies = _review_bodies(request)
    if not bodies.exists():
        raise PermissionDenied
    form = RoundForm(
        request.POST or None,
        bodies=bodies,
        campaigns=_plannable_campaigns(request, None),
        initial={"body": bodies.first()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            award_round = services.round_create(
                by=request.user, body=form.cleaned_data["body"], **_round_fields(form)
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Đã tạo đợt khen thưởng “%(name)s”.") % {"name": award_round.name}
            )
            return redirect("awards:round_detail", pk=award_round.pk)
    return render(request, "awards/round_form.html", {"form": form, "award_round": None})


@login_required
@require_http_methods(["GET", "POST"])
def round_update(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = access.get_round(request.user, pk)
    if not access.can_review(request.user, award_round.body):
        raise PermissionDenied
    form = RoundForm(
        request.POST or None,
        instance=award_round,
        bodies=None,
        campaigns=_plannable_campaigns(request, award_round),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.round_update(
                award_round=award_round,
                by=request.user,
                expected_version=form.expected_version,
                **_round_fields(form),
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu đợt khen thưởng."))
            return redirect("awards:round_detail", pk=award_round.pk)
    # The form wrote the submitted values on the instance; show the saved round.
    award_round.refresh_from_db()
    return render(request, "awards/round_form.html", {"form": form, "award_round": award_round})


@login_required
@require_POST
def round_set_open(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = access.get_round(request.user, pk)
    if not access.can_review(request.user, award_round.body):
        raise PermissionDenied
    is_open = request.POST.get("is_open") == "1"
    try:
        services.round_set_open(award_round=award_round, by=request.user, is_open=is_open)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đợt đã mở lại để nhận hồ sơ.") if is_open else _("Đợt đã dừng nhận hồ sơ."),
        )
    return redirect("awards:round_detail", pk=award_round.pk)


@login_required
@require_POST
def round_check(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = access.get_round(request.user, pk)
    if not access.can_review(request.user, award_round.body):
        raise PermissionDenied
    try:
        services.round_check_request(award_round=award_round, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Đã yêu cầu kiểm tra điều kiện của mọi đề nghị trong đợt. Kết quả cập nhật "
                "khi kiểm tra xong; tải lại trang để xem thời điểm kiểm tra gần nhất."
            ),
        )
    return redirect("awards:round_detail", pk=award_round.pk)


def _round_proposing_units(request: HttpRequest, award_round: AwardRound) -> QuerySet[Unit]:
    return (
        access.proposing_units(request.user)
        .filter(path__startswith=award_round.body.path)
        .order_by("path")
    )


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    award_round = access.get_round(user, pk)
    mine = access.visible_nominations(user).filter(round=award_round)
    status = request.GET.get("status", "")
    if status not in NominationStatus.values:
        status = ""
    nominations = selectors.nomination_list(mine, status=status)
    if export_requested(request):
        return xlsx_response(
            selectors.nomination_export_rows(nominations),
            NOMINATION_COLUMNS,
            filename=f"de-nghi-{award_round.name}",
            title=_("Đề nghị khen thưởng"),
        )
    page = TotalInPagePaginator(nominations, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.name_rows(page, rounds={award_round.pk: award_round.name})
    _label_rows(page)
    may_review = access.can_review(user, award_round.body)
    return render(
        request,
        "awards/round_detail.html",
        {
            "award_round": award_round,
            "counts": selectors.status_counts(mine),
            "status": status,
            "page": page,
            "querystring": list_querystring(request),
            "may_review": may_review,
            "may_propose": award_round.is_open
            and _round_proposing_units(request, award_round).exists(),
            "last_check": services.round_last_check(award_round) if may_review else None,
        },
    )


# Nomination lists ------------------------------------------------------------------------------


class _CountAll(Func):
    """``COUNT(*)`` as a plain expression, so a subquery can select it without a GROUP BY."""

    template = "COUNT(*)"
    output_field = IntegerField()


class KeysFirstPaginator(Paginator):
    """Pages through a list in one query: the page's keys first, then its rows.

    The query reads the rows (``rows``, which carries the joins) whose keys a subquery
    picks from the list's own table with its filters, order, LIMIT and OFFSET, and
    selects the length of the whole list as a scalar subquery over the same filters.
    So the joins apply to the page's rows only, and the length is an index-only
    count of bare keys (8,839 of a body's nominations), not a window over all of
    them. Same pages and count as ``Paginator``; a page number past the end or an
    empty list falls back to its COUNT query.
    """

    total_alias = "paginator_total"

    def __init__(self, object_list: QuerySet[Any], per_page: int, *, rows: QuerySet[Any]) -> None:
        super().__init__(object_list, per_page)
        self.rows = rows

    def _page_rows(self, bottom: int, *, with_total: bool) -> list[Any]:
        keys = self.object_list.values("pk")[bottom : bottom + self.per_page]
        rows = self.rows.filter(pk__in=Subquery(keys)).order_by(*self.object_list.query.order_by)
        if with_total:
            total = self.object_list.order_by().annotate(n=_CountAll()).values("n")
            rows = rows.annotate(**{self.total_alias: Subquery(total)})
        return list(rows)

    def get_page(self, number: Any) -> Page:
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 1  # as Paginator.get_page does with a missing or invalid number
        if wanted >= 1:
            rows = self._page_rows((wanted - 1) * self.per_page, with_total=True)
            if rows:
                self.count = getattr(rows[0], self.total_alias)
                return self._get_page(rows, wanted, self)
        return super().get_page(wanted)

    def page(self, number: Any) -> Page:
        number = self.validate_number(number)
        rows = self._page_rows((number - 1) * self.per_page, with_total=False)
        return self._get_page(rows, number, self)


@login_required
def nomination_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    units = unit_access.visible_units(user)
    # The scope's units, read once: the scope of the list, the unit filter's options
    # and the names of the proposing units in the rows.
    scope = list(units.order_by("path").values_list("pk", "name", "short_name", "depth"))
    rounds = access.visible_rounds(user).order_by("-year", "name")
    form = NominationFilterForm(request.GET or None, rounds=rounds, units=units)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"],
            "award_round": data["round"],
            "year": data["year"],
            "status": data["status"],
            "award_type": data["award_type"],
            "unit": data["unit"],
        }
    nominations = selectors.nomination_list(
        access.visible_nominations(user, resolve=True, scope_unit_ids=[pk for pk, *_rest in scope]),
        **filters,
    )
    if export_requested(request):
        return xlsx_response(
            selectors.nomination_export_rows(nominations),
            NOMINATION_COLUMNS,
            filename="de-nghi-khen-thuong",
            title=_("Đề nghị khen thưởng"),
        )
    page = KeysFirstPaginator(
        nominations, settings.PAGE_SIZE, rows=selectors.nomination_rows()
    ).get_page(request.GET.get("page"))
    round_options = form.round_options()
    award_type_options = form.award_type_options()
    selectors.name_rows(
        page,
        rounds={int(pk): name for pk, name in round_options},
        award_types={int(pk): name for pk, name in award_type_options},
        units={pk: short_name or name for pk, name, short_name, _depth in scope},
    )
    _label_rows(page)
    return render(
        request,
        "awards/nomination_list.html",
        {
            "form": form,
            "page": page,
            "querystring": list_querystring(request),
            "statuses": NominationStatus.choices,
            "options": {
                "round": _options(form, "round", round_options),
                "status": _options(form, "status", form.fields["status"].choices),
                "award_type": _options(form, "award_type", award_type_options),
                "unit": _options(
                    form,
                    "unit",
                    ((pk, unit_label(name, depth)) for pk, name, _short, depth in scope),
                ),
            },
        },
    )


def _options(form: Form, name: str, choices: Any) -> SafeString:
    """A select's ``<option>`` elements, the submitted value selected.

    Written here in one pass rather than by a template loop: a body's list offers
    some 120 units and 50 rounds, and the loop's per-option tag and filter calls
    cost more than all the rows of the page.
    """
    current = form[name].value()
    current = "" if current is None else str(current)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, SELECTED if str(value) == current else "", label) for value, label in choices),
    )


SELECTED = mark_safe(" selected")  # a constant


# Nomination forms ------------------------------------------------------------------------------


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _form_kwargs(
    request: HttpRequest,
    *,
    award_round: AwardRound,
    root: Unit,
    proposing_units: QuerySet[Unit] | None,
    selected: Person | None,
) -> dict[str, Any]:
    people = Person.objects.filter(unit__path__startswith=root.path).select_related("unit")
    posted = _int(request.POST.get("person")) if request.method == "POST" else None
    if posted is not None:
        selected = people.filter(pk=posted).first() or selected
    options = selectors.person_options(selectors.nominee_people(root), selected)
    nominees = reverse("awards:nomination_nominees")
    return {
        "people": people,
        "units": selectors.nominee_units(root),
        "proposing_units": proposing_units,
        "person_options": options,
        "preview_url": f"{reverse('awards:nomination_eligibility')}?round={award_round.pk}",
        "nominees_url": f"{nominees}?proposing_unit={root.pk}",
    }


def _nomination_fields(form: NominationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "award_type": data["award_type"],
        "person": data["person"],
        "unit": data["unit"],
        "track": data["track"],
        "achievement_summary": data["achievement_summary"],
    }


@login_required
@require_http_methods(["GET", "POST"])
def nomination_create(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = access.get_round(request.user, pk)
    units = _round_proposing_units(request, award_round)
    choices = list(units.only("pk", "name", "depth", "path"))
    if not choices:
        raise PermissionDenied
    top = min(u.depth for u in choices)
    for u in choices:
        u.label = f"{'— ' * (u.depth - top)}{u.name}"
    if not award_round.is_open:
        messages.error(
            request, _("Đợt “%(round)s” đã dừng nhận hồ sơ.") % {"round": award_round.name}
        )
        return redirect("awards:round_detail", pk=award_round.pk)
    wanted = _int(request.POST.get("proposing_unit") or request.GET.get("proposing_unit"))
    root = next((u for u in choices if u.pk == wanted), choices[0])
    thematic = award_round.campaign_id and award_round.campaign.kind == CampaignKind.THEMATIC
    form = NominationForm(
        request.POST or None,
        initial={
            "proposing_unit": root.pk,
            "track": Track.THEMATIC if thematic else Track.MERIT,
        },
        **_form_kwargs(
            request, award_round=award_round, root=root, proposing_units=units, selected=None
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(
                by=request.user,
                award_round=award_round,
                proposing_unit=form.cleaned_data["proposing_unit"],
                **_nomination_fields(form),
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Đã lập đề nghị (dự thảo). Tiếp theo: tải lên tờ trình, báo cáo thành tích "
                    "và biên bản, rồi gửi đề nghị."
                ),
            )
            return redirect("awards:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "awards/nomination_form.html",
        {
            "form": form,
            "award_round": award_round,
            "nomination": None,
            "root": root,
            "choices": choices,
            "preview": None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nomination_update(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    if not access.can_propose_for(request.user, nomination.proposing_unit):
        raise PermissionDenied
    if not nomination.is_editable:
        messages.error(
            request,
            _(
                "Đề nghị đang ở trạng thái “%(status)s”: không thể sửa. Chỉ sửa được đề nghị "
                "dự thảo hoặc bị trả lại để bổ sung."
            )
            % {"status": nomination.get_status_display()},
        )
        return redirect("awards:nomination_detail", pk=nomination.pk)
    form = NominationForm(
        request.POST or None,
        initial={
            "award_type": nomination.award_type_id,
            "person": nomination.person_id,
            "unit": nomination.unit_id,
            "track": nomination.track,
            "achievement_summary": nomination.achievement_summary,
        },
        record=nomination,
        **_form_kwargs(
            request,
            award_round=nomination.round,
            root=nomination.proposing_unit,
            proposing_units=None,
            selected=nomination.person,
        ),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_update(
                nomination=nomination,
                by=request.user,
                expected_version=form.expected_version,
                **_nomination_fields(form),
            )
        except DomainError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Đã lưu đề nghị."))
            return redirect("awards:nomination_detail", pk=nomination.pk)
    return render(
        request,
        "awards/nomination_form.html",
        {
            "form": form,
            "award_round": nomination.round,
            "nomination": nomination,
            "root": nomination.proposing_unit,
            "choices": [],
            "preview": selectors.eligibility_view(nomination.eligibility),
        },
    )


@login_required
@require_GET
def nomination_nominees(request: HttpRequest) -> HttpResponse:
    """htmx partial: the nominee list's options, narrowed by the name typed."""
    root_id = _int(request.GET.get("proposing_unit"))
    root = access.proposing_units(request.user).filter(pk=root_id).first()
    if root is None:
        raise Http404
    selected = None
    person_id = _int(request.GET.get("person"))
    if person_id is not None:
        selected = (
            Person.objects.filter(pk=person_id, unit__path__startswith=root.path)
            .select_related("unit")
            .first()
        )
    q = (request.GET.get("nominee_q") or "")[:100]
    people = selectors.nominee_people(root, q)
    return render(
        request,
        "awards/nomination_nominee_options.html",
        {
            "options": selectors.person_options(people, selected),
            "selected": selected.pk if selected else None,
            "none_found": bool(q) and not people,
        },
    )


@login_required
@require_GET
def nomination_eligibility(request: HttpRequest) -> HttpResponse:
    """htmx partial: the rules checked for the award and nominee chosen so far."""
    user = request.user
    award_round = access.get_round(user, _int(request.GET.get("round")) or 0)
    award_type = AwardType.objects.filter(
        pk=_int(request.GET.get("award_type")), is_active=True
    ).first()
    person = (
        Person.objects.filter(
            unit_access.subtree_q(user, access.PROPOSE_ROLES, field="unit"),
            pk=_int(request.GET.get("person")),
        ).first()
        if _int(request.GET.get("person"))
        else None
    )
    unit = (
        access.proposing_units(user).filter(pk=_int(request.GET.get("unit"))).first()
        if _int(request.GET.get("unit")) and person is None
        else None
    )
    context: dict[str, Any] = {"report": None, "hint": ""}
    if award_type is None or (person is None and unit is None):
        context["hint"] = _(
            "Chọn danh hiệu, hình thức và người (hoặc tập thể) được đề nghị để xem kết quả "
            "kiểm tra điều kiện."
        )
    elif (person is not None) != (award_type.subject == Subject.INDIVIDUAL):
        context["hint"] = _("Danh hiệu, hình thức đã chọn không dành cho đối tượng này.")
    else:
        from . import eligibility

        report = eligibility.check(
            award_type=award_type,
            year=award_round.year,
            person=person,
            unit=unit,
            campaign=award_round.campaign,
        )
        context["report"] = selectors.eligibility_view(report)
    return render(request, "awards/nomination_eligibility.html", context)


# The nomination page ---------------------------------------------------------------------------


def _detail_context(request: HttpRequest, nomination: Nomination, **forms: Any) -> dict[str, Any]:
    user = request.user
    may_propose = access.can_propose_for(user, nomination.proposing_unit)
    may_review = access.can_review(user, nomination.round.body)
    status = nomination.status
    editable = may_propose and nomination.is_editable
    files = list(nomination.files.select_related("uploaded_by"))
    events = selectors.timeline(nomination)
    can_return = may_review and status == NominationStatus.SUBMITTED
    return {
        "nomination": nomination,
        "award_round": nomination.round,
        "lines": selectors.dossier_lines(files),
        "initiatives_hint": editable
        and selectors.looks_at_initiatives(nomination.award_type, nomination.year),
        "events": events,
        "eligibility": selectors.eligibility_view(nomination.eligibility),
        "can_edit": editable,
        "can_submit": may_propose and status == NominationStatus.DRAFT,
        "can_resubmit": may_propose and status == NominationStatus.RETURNED,
        "can_return": can_return,
        "can_accept": can_return,
        "can_check": (may_propose or may_review) and status in services.CHECKED_STATUSES,
        "upload_form": forms.get("upload_form") or (DossierFileForm() if editable else None),
        "return_form": forms.get("return_form") or (ReturnForm() if can_return else None),
        "accept_form": NoteForm(prefix="accept") if can_return else None,
        "resubmit_form": NoteForm(prefix="resubmit")
        if may_propose and status == NominationStatus.RETURNED
        else None,
        "last_return": next((e for e in reversed(events) if e.action.endswith(".returned")), None)
        if status == NominationStatus.RETURNED
        else None,
    }


@login_required
def nomination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    return render(request, "awards/nomination_detail.html", _detail_context(request, nomination))


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _done(request: HttpRequest, nomination: Nomination, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("awards:nomination_detail", pk=nomination.pk)


def _refused(request: HttpRequest, nomination: Nomination, error: DomainError) -> HttpResponse:
    messages.error(request, error.message)
    return redirect("awards:nomination_detail", pk=nomination.pk)


@login_required
@require_POST
def dossier_upload(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    _require(access.can_propose_for(request.user, nomination.proposing_unit))
    form = DossierFileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            document = services.dossier_file_add(
                nomination=nomination,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error("file", error)
        except DomainError as error:
            form.add_error(None, error.message)
        except OSError:
            logger.exception("Storing a dossier file of nomination %s failed", nomination.pk)
            form.add_error(
                None, _("Không lưu được tệp do lỗi hệ thống lưu trữ; chưa có gì được ghi.")
            )
        else:
            return _done(
                request,
                nomination,
                _("Đã tải lên “%(name)s” (%(kind)s).")
                % {"name": document.original_name, "kind": document.get_kind_display()},
            )
    return render(
        request,
        "awards/nomination_detail.html",
        _detail_context(request, nomination, upload_form=form),
        status=400,
    )


@login_required
@require_POST
def nomination_submit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    _require(access.can_propose_for(request.user, nomination.proposing_unit))
    try:
        services.nomination_submit(nomination=nomination, by=request.user)
    except DomainError as error:
        return _refused(request, nomination, error)
    return _done(request, nomination, _("Đã gửi đề nghị đến bộ phận thi đua – khen thưởng."))


@login_required
@require_POST
def nomination_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    _require(access.can_propose_for(request.user, nomination.proposing_unit))
    form = NoteForm(request.POST, prefix="resubmit")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.nomination_resubmit(nomination=nomination, by=request.user, note=note)
    except DomainError as error:
        return _refused(request, nomination, error)
    return _done(request, nomination, _("Đã gửi lại đề nghị sau khi bổ sung."))


@login_required
@require_POST
def nomination_return(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    _require(access.can_review(request.user, nomination.round.body))
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.nomination_return(
                nomination=nomination, by=request.user, reason=form.cleaned_data["reason"]
            )
        except FieldErrors as error:
            _add_errors(form, error)
        except DomainError as error:
            return _refused(request, nomination, error)
        else:
            return _done(request, nomination, _("Đã trả lại đề nghị cho đơn vị, kèm lý do."))
    return render(
        request,
        "awards/nomination_detail.html",
        _detail_context(request, nomination, return_form=form),
        status=400,
    )


@login_required
@require_POST
def nomination_accept(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    _require(access.can_review(request.user, nomination.round.body))
    form = NoteForm(request.POST, prefix="accept")
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.nomination_accept(nomination=nomination, by=request.user, note=note)
    except DomainError as error:
        return _refused(request, nomination, error)
    return _done(request, nomination, _("Đã đưa đề nghị ra Hội đồng Thi đua – Khen thưởng."))


@login_required
@require_POST
def nomination_check(request: HttpRequest, pk: int) -> HttpResponse:
    nomination = access.get_nomination(request.user, pk)
    _require(
        access.can_propose_for(request.user, nomination.proposing_unit)
        or access.can_review(request.user, nomination.round.body)
    )
    try:
        services.nomination_check(nomination=nomination, by=request.user)
    except DomainError as error:
        return _refused(request, nomination, error)
    return _done(request, nomination, _("Đã kiểm tra lại điều kiện khen thưởng."))


@login_required
@require_GET
def dossier_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = DossierFile.objects.get(
            pk=pk, nomination__in=access.visible_nominations(request.user)
        )
    except DossierFile.DoesNotExist:
        raise Http404 from None
    # Named by the app, never by the uploader: the name they gave is shown on the page only.
    return downloads.stored_file_response(
        document.file.name,
        name=f"ho-so-de-nghi-{document.nomination_id}-{document.get_kind_display()}-{document.pk}",
        content_type=document.content_type,
    )
