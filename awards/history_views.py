"""The "Khen thưởng" area home, award histories, round overviews and exemplars.

Views check access (a person, unit or round outside the user's scope is a 404),
read through awards/history_selectors.py and render; every list also comes as an
Excel workbook with ``?format=xlsx`` (awards/export.py).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import Person, Unit
from campaigns.views import pk_url

from . import access
from . import history_selectors as selectors
from .export import Column, export_requested, list_querystring, xlsx_response
from .history_forms import (
    ExemplarFilterForm,
    ExemplarForm,
    HistorySearchForm,
    SubjectKind,
    UnitAwardsFilterForm,
)
from .history_services import EXEMPLAR_ROLES, can_record_exemplar_for, exemplar_save
from .models import AwardRecord, Exemplar, Track

# The other parts of the area, linked from its home once their pages exist: for each,
# the route names it may have (the first that resolves is used), a label and a line.
AREAS: list[tuple[tuple[str, ...], Any, Any]] = [
    (
        ("catalogue", "catalogue_list", "award_type_list"),
        gettext_lazy("Danh mục danh hiệu, hình thức khen thưởng"),
        gettext_lazy("Các danh hiệu, hình thức và tiêu chuẩn theo từng thời kỳ."),
    ),
    (
        ("registration_list", "registrations"),
        gettext_lazy("Đăng ký thi đua"),
        gettext_lazy("Đăng ký danh hiệu của đơn vị và cá nhân trong năm."),
    ),
    (
        ("records_home",),
        gettext_lazy("Xếp loại, kỷ luật, sáng kiến"),
        gettext_lazy("Dữ liệu các tiêu chuẩn khen thưởng cần đến, và khen thưởng từ trước."),
    ),
    (
        ("round_list", "rounds"),
        gettext_lazy("Đợt khen thưởng"),
        gettext_lazy("Các đợt xét khen thưởng hằng năm và theo phong trào."),
    ),
    (
        ("nomination_list", "nominations"),
        gettext_lazy("Đề nghị khen thưởng"),
        gettext_lazy("Hồ sơ đề nghị của các đơn vị và tình trạng xét duyệt."),
    ),
    (
        ("session_list", "council_session_list", "council_list", "sessions"),
        gettext_lazy("Phiên họp Hội đồng"),
        gettext_lazy("Phiên họp, bỏ phiếu của Hội đồng Thi đua – Khen thưởng."),
    ),
    (
        ("decision_list", "decisions"),
        gettext_lazy("Quyết định khen thưởng"),
        gettext_lazy("Quyết định đã ban hành và khen thưởng bị thu hồi."),
    ),
    (
        ("exemplar_list",),
        gettext_lazy("Điển hình tiên tiến"),
        gettext_lazy("Gương điển hình, cách làm hay gắn với các phong trào."),
    ),
]


def _area_links() -> list[dict[str, Any]]:
    links = []
    for names, label, line in AREAS:
        for name in names:
            try:
                url = reverse(f"awards:{name}")
            except NoReverseMatch:
                continue
            links.append({"url": url, "label": label, "line": line})
            break
    return links


def _label_awards(records: list[AwardRecord]) -> None:
    """Per history row, the decision's link and the track's label, worked out once.

    A ``{% url %}`` and a ``get_track_display`` per row cost a person's page more than
    its queries; the link differs only by the decision's key (``pk_url``).
    """
    try:
        decision_url = pk_url("awards:decision_detail")
    except NoReverseMatch:  # the decisions' pages are not installed
        decision_url = None
    tracks = {value: str(label) for value, label in Track.choices}
    for record in records:
        record.decision_url = (
            decision_url(record.decision_id) if decision_url and record.decision_id else ""
        )
        record.track_label = tracks.get(record.track, record.track)
        # dd/mm/yyyy, as the template's |date:"d/m/Y" wrote it: Django's date filter
        # builds a formatter per value, a tenth of the page's time for ~20 dates.
        record.decision_date_text = _dmy(_decision_date(record))
        record.revoked_on_text = _dmy(record.revoked_on)


def _dmy(value: datetime.date | None) -> str:
    return f"{value.day:02d}/{value.month:02d}/{value.year}" if value else ""


def _url_or_empty(name: str) -> str:
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _page(request: HttpRequest, items: Any) -> Any:
    return Paginator(items, settings.PAGE_SIZE).get_page(request.GET.get("page"))


# --- Columns of the exported lists ----------------------------------------------------


def _decision_number(record: AwardRecord) -> str:
    return record.decision.number if record.decision_id else record.decision_number


def _decision_date(record: AwardRecord) -> Any:
    return record.decision.signed_on if record.decision_id else record.decision_date


def _status(record: AwardRecord) -> str:
    return _("Đã thu hồi") if record.revoked_on else ""


def _award_columns(*, with_person: bool) -> list[Column]:
    person = (
        [
            Column(gettext_lazy("Họ và tên"), "person.full_name", width=28),
            Column(gettext_lazy("Mã cán bộ"), "person.staff_code", width=16),
            Column(gettext_lazy("Đơn vị"), "person.unit.name", width=36),
        ]
        if with_person
        else []
    )
    return [
        Column(gettext_lazy("Năm"), "year", width=8),
        *person,
        Column(gettext_lazy("Mã"), "award_type.code", width=12),
        Column(gettext_lazy("Danh hiệu, hình thức khen thưởng"), "award_type.name", width=40),
        Column(gettext_lazy("Loại hình"), "get_track_display", width=24),
        Column(gettext_lazy("Số quyết định"), _decision_number, width=20),
        Column(gettext_lazy("Ngày quyết định"), _decision_date, width=14),
        Column(gettext_lazy("Nhập từ dữ liệu cũ"), "is_imported", width=10),
        Column(gettext_lazy("Tình trạng"), _status, width=14),
        Column(gettext_lazy("Ngày thu hồi"), "revoked_on", width=14),
        Column(gettext_lazy("Lý do thu hồi"), "revocation_reason", width=40),
    ]


OVERVIEW_COLUMNS = [
    Column(gettext_lazy("Mã"), "code", width=12),
    Column(gettext_lazy("Danh hiệu, hình thức khen thưởng"), "name", width=44),
    Column(gettext_lazy("Đăng ký"), "registered", width=12),
    Column(gettext_lazy("Đề nghị"), "nominated", width=12),
    Column(gettext_lazy("Hội đồng thông qua"), "approved", width=14),
    Column(gettext_lazy("Đã khen thưởng"), "awarded", width=14),
]


def _subject_name(exemplar: Exemplar) -> str:
    return exemplar.person.full_name if exemplar.person_id else exemplar.unit.name


def _subject_unit(exemplar: Exemplar) -> str:
    return exemplar.person.unit.name if exemplar.person_id else ""


EXEMPLAR_COLUMNS = [
    Column(gettext_lazy("Năm"), "year", width=8),
    Column(gettext_lazy("Tiêu đề"), "headline", width=48),
    Column(gettext_lazy("Cá nhân, tập thể"), _subject_name, width=32),
    Column(gettext_lazy("Đơn vị"), _subject_unit, width=32),
    Column(gettext_lazy("Câu chuyện, cách làm hay"), "story", width=80),
]


# --- The area home ---------------------------------------------------------------------


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = HistorySearchForm(request.GET or None)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    return render(
        request,
        "awards/index.html",
        {
            "areas": _area_links(),
            "figures": selectors.nomination_figures(user),
            "nominations_url": _url_or_empty("awards:nomination_list"),
            "rounds": selectors.recent_rounds(user),
            "units": selectors.own_units(user),
            "form": form,
            "q": q,
            "found": selectors.history_search(user, q) if q else None,
        },
    )


# --- A person's and a unit's history -----------------------------------------------------


def _visible_person(request: HttpRequest, pk: int) -> Person:
    try:
        return unit_access.visible_people(request.user).select_related("unit").get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    person = _visible_person(request, pk)
    history = selectors.person_history(person)
    _label_awards(history["awards"])
    if export_requested(request):
        return xlsx_response(
            history["awards"],
            _award_columns(with_person=False),
            filename=f"lich-su-khen-thuong-{person.staff_code or person.pk}",
            title=_("Khen thưởng của %(name)s") % {"name": person.full_name},
        )
    return render(
        request,
        "awards/history_person.html",
        {
            "person": person,
            **history,
            "can_record_exemplar": unit_access.unit_in_scope(
                request.user, person.unit, EXEMPLAR_ROLES
            ),
        },
    )


@login_required
@require_GET
def unit_history(request: HttpRequest, pk: int) -> HttpResponse:
    unit = unit_access.get_unit(request.user, pk)
    history = selectors.unit_history(unit)
    _label_awards(history["awards"])
    if export_requested(request):
        return xlsx_response(
            history["awards"],
            _award_columns(with_person=False),
            filename=f"khen-thuong-tap-the-{unit.code}",
            title=_("Khen thưởng của %(name)s") % {"name": unit.name},
        )
    return render(request, "awards/history_unit.html", {"unit": unit, **history})


@login_required
@require_GET
def unit_people_awards(request: HttpRequest, pk: int) -> HttpResponse:
    """The individual awards of a unit's people, optionally of one year and one type."""
    unit = unit_access.get_unit(request.user, pk)
    form = UnitAwardsFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    year, award_type_id = filters.get("year"), filters.get("award_type")
    records = selectors.unit_people_awards(unit, year=year, award_type_id=award_type_id)
    if export_requested(request):
        return xlsx_response(
            records,
            _award_columns(with_person=True),
            filename=f"khen-thuong-ca-nhan-{unit.code}{f'-{year}' if year else ''}",
            title=_("Khen thưởng cá nhân"),
        )
    page = _page(request, records)
    award_type = page.object_list[0].award_type if award_type_id and len(page) else None
    return render(
        request,
        "awards/history_unit_people.html",
        {
            "unit": unit,
            "form": form,
            "year": year,
            "award_type": award_type,
            "page": page,
            "querystring": list_querystring(request),
        },
    )


# --- A round's overview ---------------------------------------------------------------------


@login_required
@require_GET
def round_overview(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = access.get_round(request.user, pk)
    overview = selectors.round_overview(request.user, award_round)
    if export_requested(request):
        return xlsx_response(
            [*overview["rows"], _total_row(overview["total"])],
            OVERVIEW_COLUMNS,
            filename=f"tong-hop-dot-khen-thuong-{award_round.pk}",
            title=award_round.name,
        )
    return render(request, "awards/round_overview.html", {"round": award_round, **overview})


def _total_row(total: selectors.OverviewRow) -> dict[str, Any]:
    return {
        "code": "",
        "name": _("Tổng cộng"),
        "registered": total.registered,
        "nominated": total.nominated,
        "approved": total.approved,
        "awarded": total.awarded,
    }


# --- Exemplars -------------------------------------------------------------------------------


def _get_exemplar(request: HttpRequest, pk: int) -> Exemplar:
    try:
        return (
            selectors.visible_exemplars(request.user)
            .select_related("person", "person__unit", "unit", "created_by")
            .get(pk=pk)
        )
    except Exemplar.DoesNotExist:
        raise Http404 from None


@login_required
@require_GET
def exemplar_list(request: HttpRequest) -> HttpResponse:
    form = ExemplarFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    exemplars = selectors.exemplar_list(
        selectors.visible_exemplars(request.user),
        q=filters.get("q", ""),
        year=filters.get("year"),
    )
    if export_requested(request):
        return xlsx_response(
            exemplars,
            EXEMPLAR_COLUMNS,
            filename="dien-hinh-tien-tien",
            title=_("Điển hình tiên tiến"),
        )
    return render(
        request,
        "awards/exemplar_list.html",
        {
            "form": form,
            "page": _page(request, exemplars),
            "querystring": list_querystring(request),
            "can_create": unit_access.has_role(request.user, EXEMPLAR_ROLES),
        },
    )


@login_required
@require_GET
def exemplar_detail(request: HttpRequest, pk: int) -> HttpResponse:
    exemplar = _get_exemplar(request, pk)
    campaigns = unit_access.visible_campaigns(request.user).filter(exemplars=exemplar)
    return render(
        request,
        "awards/exemplar_detail.html",
        {
            "exemplar": exemplar,
            "campaigns": list(campaigns.order_by("-start_year", "name")),
            "can_edit": can_record_exemplar_for(request.user, exemplar),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def exemplar_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    exemplar = _get_exemplar(request, pk) if pk else Exemplar()
    if pk and not can_record_exemplar_for(user, exemplar):
        raise PermissionDenied
    if not pk and not unit_access.has_role(user, EXEMPLAR_ROLES):
        raise PermissionDenied
    hr_scope = unit_access.subtree_q(user, EXEMPLAR_ROLES)
    initial: dict[str, Any] = {}
    if not pk:
        initial = {"year": timezone.localdate().year, **_initial_subject(request)}
    form = ExemplarForm(
        request.POST or None,
        instance=exemplar,
        initial=initial,
        people=Person.objects.filter(unit_access.subtree_q(user, EXEMPLAR_ROLES, field="unit")),
        units=Unit.objects.filter(hr_scope, is_active=True).order_by("path"),
        campaigns=unit_access.visible_campaigns(user).order_by("-start_year", "name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = exemplar_save(
                exemplar=form.save(commit=False),
                campaigns=form.cleaned_data["campaigns"],
                by=user,
                expected_version=form.expected_version,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Đã lưu điển hình “%(headline)s”.") % {"headline": saved.headline}
            )
            return redirect("awards:exemplar_detail", pk=saved.pk)
    return render(
        request, "awards/exemplar_form.html", {"form": form, "exemplar": exemplar if pk else None}
    )


def _initial_subject(request: HttpRequest) -> dict[str, Any]:
    """Links from a history page prefill the person (?person=pk) or collective (?unit=pk)."""
    person_pk, unit_pk = request.GET.get("person", ""), request.GET.get("unit", "")
    if person_pk.isdigit():
        person = unit_access.visible_people(request.user).filter(pk=person_pk).first()
        if person is not None and person.staff_code:
            return {"subject": SubjectKind.PERSON, "person_code": person.staff_code}
    if unit_pk.isdigit():
        return {"subject": SubjectKind.COLLECTIVE, "unit": unit_pk}
    return {}
