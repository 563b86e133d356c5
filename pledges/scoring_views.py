"""Scoring pages of a bloc year: the table, self- and cross-scoring, results and acclamation.

Access: whoever sees the bloc (pledges.access) sees these pages, anyone else
gets 404; the secretariat (access.can_manage) changes the table, the stages,
the meeting's final scores and the acclamation, anyone else gets 403; a
member's scores are entered by someone acting for that member
(access.member_units_for) or by the secretariat.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.utils import formats, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from campaigns import downloads
from campaigns.documents import render_pdf, vietnamese_date
from campaigns.errors import DomainError
from campaigns.models import Unit
from campaigns.versioning import VersionForm
from campaigns.views import pk_url

from . import access
from . import scoring_selectors as selectors
from . import scoring_services as services
from .models import BlocYear, CriterionGroup, ScoreEvidence, ScoringStage, ScoringTable
from .scoring_forms import (
    AcclamationForm,
    CriterionFormSet,
    CriterionGroupFormSet,
    CrossScoreForm,
    DeadlinesForm,
    FinalScoreForm,
    ReopenForm,
    SelfScoreForm,
    TableCreateForm,
)
from .selectors import members_in

# Helpers -------------------------------------------------------------------------------------


def _can_manage(request: HttpRequest, bloc_year: BlocYear) -> bool:
    return access.can_manage(request.user, bloc_year.bloc, bloc_year)


def _require_manage(request: HttpRequest, bloc_year: BlocYear) -> None:
    if not _can_manage(request, bloc_year):
        raise PermissionDenied


def _table(bloc_year: BlocYear) -> ScoringTable:
    try:
        return ScoringTable.objects.select_related("bloc_year", "bloc_year__bloc").get(
            bloc_year=bloc_year
        )
    except ScoringTable.DoesNotExist:
        raise Http404 from None


def _members(bloc_year: BlocYear) -> QuerySet[Unit]:
    return members_in(bloc_year.bloc, bloc_year.year)


def _member(bloc_year: BlocYear, member_pk: int) -> Unit:
    return get_object_or_404(_members(bloc_year), pk=member_pk)


def _acts_for(request: HttpRequest, bloc_year: BlocYear, member: Unit) -> bool:
    if _can_manage(request, bloc_year):
        return True
    return access.member_units_for(request.user, bloc_year).filter(pk=member.pk).exists()


def _to_table(bloc_year: BlocYear) -> HttpResponse:
    return redirect("pledges:scoring_table", pk=bloc_year.pk)


def _stages(table: ScoringTable) -> list[dict[str, Any]]:
    current = services.STAGE_ORDER.index(table.stage)
    return [
        {"label": ScoringStage(stage).label, "done": n < current, "current": n == current}
        for n, stage in enumerate(services.STAGE_ORDER)
    ]


def _lock_message(table: ScoringTable) -> str:
    return _(
        "Giai đoạn “%(stage)s” đã hết hạn ngày %(date)s nên bị khóa. Thư ký khối có thể mở "
        "lại giai đoạn này, kèm lý do."
    ) % {
        "stage": table.get_stage_display(),
        "date": selectors.open_until(table).strftime("%d/%m/%Y"),
    }


# The table -----------------------------------------------------------------------------------


def _table_page(
    request: HttpRequest,
    bloc_year: BlocYear,
    *,
    deadlines_form: DeadlinesForm | None = None,
    reopen_form: ReopenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = _can_manage(request, bloc_year)
    table = ScoringTable.objects.filter(bloc_year=bloc_year).first()
    context: dict[str, Any] = {"bloc_year": bloc_year, "table": table, "can_manage": can_manage}
    if table is None:
        context["create_form"] = TableCreateForm()
        context["previous"] = selectors.previous_table(bloc_year) if can_manage else None
        return render(request, "pledges/scoring_table.html", context, status=status)
    groups = selectors.table_groups(table)
    criteria = selectors.criteria_of(groups)
    total = selectors.table_total(groups)
    members = list(_members(bloc_year))
    mine = set(access.member_units_for(request.user, bloc_year).values_list("pk", flat=True))
    progress = selectors.scoring_progress(table)
    cross_cells = len(criteria) * max(len(members) - 1, 0)
    rows = [
        {
            "unit": m,
            "mine": m.pk in mine,
            "self": progress.get(m.pk, {}).get("self", 0),
            "given": progress.get(m.pk, {}).get("given", 0),
        }
        for m in members
    ]
    context.update(
        groups=groups,
        criteria_count=len(criteria),
        total=total,
        total_is_100=total == 100,
        stages=_stages(table),
        locked=selectors.is_locked(table),
        past_deadline=selectors.is_past_deadline(table),
        open_until=selectors.open_until(table),
        deadline=selectors.stage_deadline(table),
        reopenings=table.reopenings.select_related("by"),
        rows=rows,
        cross_cells=cross_cells,
        can_cross=table.stage in (ScoringStage.CROSS, ScoringStage.MEETING, ScoringStage.CLOSED),
        deadlines_form=deadlines_form
        or DeadlinesForm(
            initial={"self_deadline": table.self_deadline, "cross_deadline": table.cross_deadline},
            record=table,
        ),
        reopen_form=reopen_form or ReopenForm(),
        next_stage=(
            ScoringStage(services.STAGE_ORDER[services.STAGE_ORDER.index(table.stage) + 1]).label
            if table.stage != ScoringStage.CLOSED
            else None
        ),
    )
    return render(request, "pledges/scoring_table.html", context, status=status)


@login_required
def scoring_table(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    return _table_page(request, bloc_year)


@login_required
@require_POST
def scoring_table_create(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year)
    form = TableCreateForm(request.POST)
    form.is_valid()  # a single checkbox: always valid
    try:
        services.scoring_table_create(
            bloc_year=bloc_year,
            by=request.user,
            copy_previous=form.cleaned_data.get("copy_previous", False),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("Đã tạo bảng chấm điểm năm %(year)s.") % {"year": bloc_year.year}
        )
    return _to_table(bloc_year)


@login_required
@require_POST
def scoring_deadlines(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year)
    table = _table(bloc_year)
    form = DeadlinesForm(request.POST, record=table)
    if form.is_valid():
        try:
            services.scoring_deadlines_set(
                table=table,
                by=request.user,
                expected_version=form.expected_version,
                **form.cleaned_data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã lưu hạn chấm điểm."))
            return _to_table(bloc_year)
    return _table_page(request, bloc_year, deadlines_form=form, status=400)


@login_required
@require_POST
def scoring_advance(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year)
    table = _table(bloc_year)
    try:
        table = services.scoring_stage_advance(
            table=table, by=request.user, expected_stage=request.POST.get("stage", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Đã chuyển sang giai đoạn “%(stage)s”.") % {"stage": table.get_stage_display()},
        )
    return _to_table(bloc_year)


@login_required
@require_POST
def scoring_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year)
    table = _table(bloc_year)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopening = services.scoring_stage_reopen(
                table=table, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã mở lại giai đoạn “%(stage)s” đến hết ngày %(date)s.")
                % {
                    "stage": reopening.get_stage_display(),
                    "date": reopening.until.strftime("%d/%m/%Y"),
                },
            )
            return _to_table(bloc_year)
    return _table_page(request, bloc_year, reopen_form=form, status=400)


def _formset_page(
    request: HttpRequest,
    bloc_year: BlocYear,
    *,
    formset_class: Any,
    queryset: QuerySet,
    save: Any,
    title: str,
    prefix: str,
    help_text: str,
) -> HttpResponse:
    _require_manage(request, bloc_year)
    table = _table(bloc_year)
    status = 200
    if request.method == "POST":
        formset = formset_class(request.POST, queryset=queryset, prefix=prefix)
        # The version is claimed by the service, after its stage check (campaigns.versioning).
        version = VersionForm(request.POST, record=table)
        if formset.is_valid():
            try:
                save(table=table, formset=formset, expected_version=version.expected_version)
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("Đã lưu."))
                return _to_table(bloc_year)
        status = 400
    else:
        formset = formset_class(queryset=queryset, prefix=prefix)
        version = VersionForm(record=table)
        if not queryset.exists():
            formset.extra = 3
    return render(
        request,
        "pledges/scoring_formset.html",
        {
            "bloc_year": bloc_year,
            "table": table,
            "formset": formset,
            "version_form": version,
            "title": title,
            "help": help_text,
            "editable": table.stage == ScoringStage.SETUP,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_groups(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)

    def save(*, table: ScoringTable, formset: Any, expected_version: int | None) -> None:
        services.criterion_groups_save(
            table=table, by=request.user, formset=formset, expected_version=expected_version
        )

    return _formset_page(
        request,
        bloc_year,
        formset_class=CriterionGroupFormSet,
        queryset=CriterionGroup.objects.filter(table__bloc_year=bloc_year).order_by("number", "pk"),
        save=save,
        title=_("Nhóm tiêu chí"),
        prefix="groups",
        help_text=_(
            "Gõ số thứ tự để sắp xếp lại; để trống thì nhóm được xếp cuối. Xóa một nhóm là "
            "xóa cả các tiêu chí của nhóm."
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_criteria(request: HttpRequest, pk: int, group_pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    group = get_object_or_404(CriterionGroup, pk=group_pk, table__bloc_year=bloc_year)

    def save(*, table: ScoringTable, formset: Any, expected_version: int | None) -> None:
        services.criteria_save(
            group=group, by=request.user, formset=formset, expected_version=expected_version
        )

    return _formset_page(
        request,
        bloc_year,
        formset_class=CriterionFormSet,
        queryset=group.criteria.order_by("number", "pk"),
        save=save,
        title=_("Tiêu chí của nhóm %(number)s. %(title)s")
        % {"number": group.number, "title": group.title},
        prefix="criteria",
        help_text=_(
            "Mỗi tiêu chí có điểm tối đa; tổng điểm tối đa của bảng thường là 100. Gõ số thứ tự "
            "để sắp xếp lại."
        ),
    )


# Scores --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def scoring_self(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """A member's self-assessment: visible to the bloc, entered by the member or the secretariat."""
    bloc_year = access.get_bloc_year(request.user, pk)
    table = _table(bloc_year)
    member = _member(bloc_year, member_pk)
    may_score = _acts_for(request, bloc_year, member)
    if request.method == "POST" and not may_score:
        raise PermissionDenied
    criteria = selectors.criteria_of(selectors.table_groups(table))
    existing = selectors.self_scores_of(table, member)
    open_stage = table.stage == ScoringStage.SELF and not selectors.is_locked(table)
    form = SelfScoreForm(
        request.POST or None,
        request.FILES or None,
        criteria=criteria,
        existing=existing,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.self_scores_save(
                    table=table, member=member, by=request.user, entries=form.entries()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Đã lưu điểm tự chấm của %(unit)s.") % {"unit": member.name}
                )
                return redirect("pledges:scoring_self", pk=bloc_year.pk, member_pk=member.pk)
        status = 400
    elif may_score and table.stage == ScoringStage.SELF and not open_stage:
        messages.warning(request, _lock_message(table))
    return render(
        request,
        "pledges/scoring_self.html",
        {
            "bloc_year": bloc_year,
            "table": table,
            "member": member,
            "form": form,
            "existing": existing,
            "editable": may_score and open_stage,
            "total": sum((s.points for s in existing.values()), 0),
            "max_total": sum((c.max_points for c in criteria), 0),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def scoring_cross(request: HttpRequest, pk: int, scorer_pk: int) -> HttpResponse:
    """One scorer's sheet: every criterion for every OTHER member, in one table."""
    bloc_year = access.get_bloc_year(request.user, pk)
    table = _table(bloc_year)
    scorer = _member(bloc_year, scorer_pk)
    if not _acts_for(request, bloc_year, scorer):
        raise PermissionDenied
    criteria = selectors.criteria_of(selectors.table_groups(table))
    members = list(_members(bloc_year))
    open_stage = table.stage == ScoringStage.CROSS and not selectors.is_locked(table)
    form = CrossScoreForm(
        request.POST or None,
        scorer=scorer,
        criteria=criteria,
        members=members,
        existing=selectors.cross_scores_by(table, scorer),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.cross_scores_save(
                    table=table, scorer=scorer, by=request.user, scores=form.scores()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("Đã lưu điểm chấm chéo của %(unit)s.") % {"unit": scorer.name}
                )
                return redirect("pledges:scoring_cross", pk=bloc_year.pk, scorer_pk=scorer.pk)
        status = 400
    elif table.stage == ScoringStage.CROSS and not open_stage:
        messages.warning(request, _lock_message(table))
    self_points = selectors.self_points(table)
    return render(
        request,
        "pledges/scoring_cross.html",
        {
            "bloc_year": bloc_year,
            "table": table,
            "scorer": scorer,
            "form": form,
            "grid": [
                (
                    criterion,
                    [
                        (member, cell, self_points.get((criterion.pk, member.pk)))
                        for member, cell in zip(form.others, cells, strict=True)
                    ],
                )
                for criterion, cells in form.grid()
            ],
            "others": form.others,
            "editable": open_stage,
        },
        status=status,
    )


# Results, final scores and acclamation -------------------------------------------------------


def _results_context(table: ScoringTable) -> dict[str, Any]:
    groups = selectors.table_groups(table)
    criteria = selectors.criteria_of(groups)
    ranking = list(selectors.ranking(table))
    stats = selectors.criterion_stats(table, criteria)
    empty = selectors.CellStats()
    matrix = [
        (criterion, [stats.get((criterion.pk, member.pk), empty) for member in ranking])
        for criterion in criteria
    ]
    return {
        "groups": groups,
        "criteria": criteria,
        "ranking": ranking,
        "matrix": matrix,
        "max_total": selectors.table_total(groups),
        "acclamations": selectors.acclamations(table.bloc_year),
    }


class _Figures:
    """The score matrix's numbers as ``|floatformat:"2"`` and ``:"-2"`` write them.

    The matrix holds a few thousand numbers for a 40-member bloc (every member on
    every criterion, with the spread), and the filter's Decimal arithmetic cost
    more than the rest of the page. Scores have two decimals and stay below 1,000,
    where this gives the filter's output; anything else goes through the filter.
    """

    def __init__(self) -> None:
        self.separator = formats.get_format("DECIMAL_SEPARATOR")

    def fixed(self, value: Decimal | float | None) -> str:
        if value is None:
            return ""
        if not -1000 < value < 1000:
            return floatformat(value, "2")
        return f"{value:.2f}".replace(".", self.separator)

    def short(self, value: Decimal | None) -> str:
        if value is None or not -1000 < value < 1000:
            return floatformat(value, "-2") if value is not None else ""
        return str(int(value)) if value == int(value) else self.fixed(value)


def _cells_html(cells: list[selectors.CellStats], figures: _Figures, mean_label: str) -> str:
    """One row of the score matrix, a cell per member, written here rather than by the
    template, whose tags cost ~0.1 ms a cell (480 cells for 40 members, 12 criteria).

    The numbers are digits and the locale's separator; the reason and the label are
    escaped.
    """
    mean_label = escape(mean_label)
    html = []
    for cell in cells:
        if cell.value is not None:
            text = f"<strong>{figures.fixed(cell.value)}</strong>"
            if cell.overridden:
                text += f'<span title="{escape(cell.reason)}">*</span>'
        else:
            text = "—"
        if cell.overridden and cell.mean is not None:
            text += (
                f'<div class="text-body-secondary">{mean_label} {figures.fixed(cell.mean)}</div>'
            )
        if cell.disagree:
            text += (
                f'<div class="text-body-secondary">{figures.short(cell.low)}–'
                f"{figures.short(cell.high)}; σ {figures.fixed(cell.stddev)}</div>"
            )
        danger = ' class="table-danger"' if cell.strong_disagreement else ""
        html.append(f"<td{danger}>{text}</td>")
    return mark_safe("".join(html))  # noqa: S308 - see above: numbers, escaped text


def _results_page(
    request: HttpRequest,
    bloc_year: BlocYear,
    table: ScoringTable,
    *,
    form: AcclamationForm | None = None,
    status: int = 200,
) -> HttpResponse:
    can_manage = _can_manage(request, bloc_year)
    context = _results_context(table)
    acclaimed = {a.member_id for a in context["acclamations"]}
    may_acclaim = can_manage and table.stage == ScoringStage.MEETING
    if may_acclaim and form is None:
        today = timezone.localdate()
        members = _members(bloc_year).exclude(pk__in=acclaimed)
        form = AcclamationForm(
            members=members,
            member_count=len(context["ranking"]),
            year=bloc_year.year,
            initial={
                "meeting_date": today
                if bloc_year.year <= today.year <= bloc_year.year + 1
                else None
            },
        )
    figures, mean_label = _Figures(), _("TB chấm chéo")
    final_url = pk_url("pledges:scoring_final", bloc_year.pk)
    for unit in context["ranking"]:
        # What each ranking row shows, worked out once here rather than by a
        # {% url %} and a |floatformat per row.
        unit.total_text = figures.fixed(unit.total)
        unit.final_url = final_url(unit.pk)
    context.update(
        matrix_rows=[
            (criterion, _cells_html(cells, figures, mean_label))
            for criterion, cells in context["matrix"]
        ],
        bloc_year=bloc_year,
        table=table,
        can_manage=can_manage,
        acclaimed=acclaimed,
        form=form if may_acclaim else None,
        provisional=table.stage not in (ScoringStage.MEETING, ScoringStage.CLOSED),
        may_set_final=can_manage and table.stage == ScoringStage.MEETING,
    )
    return render(request, "pledges/scoring_results.html", context, status=status)


@login_required
def scoring_results(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    return _results_page(request, bloc_year, _table(bloc_year))


@login_required
@require_POST
def scoring_acclaim(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year)
    table = _table(bloc_year)
    members = _members(bloc_year)
    form = AcclamationForm(
        request.POST, members=members, member_count=members.count(), year=bloc_year.year
    )
    if form.is_valid():
        try:
            acclamation = services.acclamation_record(
                table=table, by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Đã ghi kết quả suy tôn %(unit)s là đơn vị dẫn đầu.")
                % {"unit": acclamation.member.name},
            )
            return redirect("pledges:scoring_results", pk=bloc_year.pk)
    return _results_page(request, bloc_year, table, form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def scoring_final(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    """The bloc meeting's scores for one member, over the cross-scores' mean and spread."""
    bloc_year = access.get_bloc_year(request.user, pk)
    _require_manage(request, bloc_year)
    table = _table(bloc_year)
    member = _member(bloc_year, member_pk)
    criteria = selectors.criteria_of(selectors.table_groups(table))
    stats = selectors.criterion_stats(table, criteria)
    existing = {
        c.pk: (stats[(c.pk, member.pk)].final, stats[(c.pk, member.pk)].reason)
        for c in criteria
        if (c.pk, member.pk) in stats and stats[(c.pk, member.pk)].final is not None
    }
    form = FinalScoreForm(request.POST or None, criteria=criteria, existing=existing)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.final_scores_save(
                    table=table, member=member, by=request.user, entries=form.entries()
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Đã lưu điểm hội nghị quyết định cho %(unit)s.") % {"unit": member.name},
                )
                return redirect("pledges:scoring_results", pk=bloc_year.pk)
        status = 400
    empty = selectors.CellStats()
    return render(
        request,
        "pledges/scoring_final.html",
        {
            "bloc_year": bloc_year,
            "table": table,
            "member": member,
            "form": form,
            "rows": [
                (criterion, stats.get((criterion.pk, member.pk), empty), points, reason)
                for criterion, points, reason in form.rows()
            ],
            "editable": table.stage == ScoringStage.MEETING,
        },
        status=status,
    )


# Files ---------------------------------------------------------------------------------------


@login_required
def scoring_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An evidence file, for whoever may see the bloc year it belongs to."""
    evidence = get_object_or_404(
        ScoreEvidence.objects.select_related("self_score__criterion__group__table"),
        pk=pk,
    )
    bloc_year = access.get_bloc_year(
        request.user, evidence.self_score.criterion.group.table.bloc_year_id
    )
    # Named by the app, never by the uploader: the name they gave is shown on the page only.
    return downloads.stored_file_response(
        evidence.file.name,
        name=f"minh-chung-{bloc_year.year}-{evidence.self_score_id}-{evidence.pk}",
        content_type=evidence.content_type,
    )


def _document_context(bloc_year: BlocYear, day: Any) -> dict[str, Any]:
    return {
        "issuer": bloc_year.bloc.name,
        "parent_body": "",
        "place_date": vietnamese_date("Hà Nội", day),
        "signer_position": (
            _("TM. Khối trưởng – %(unit)s") % {"unit": bloc_year.leader.name}
            if bloc_year.leader
            else _("TM. Khối trưởng")
        ),
        "signer_name": "",
        "recipients": [
            _("Các đơn vị thành viên Khối"),
            _("Ban Thi đua – Khen thưởng Trung ương"),
            _("Lưu: VT"),
        ],
    }


def _pdf_response(content: bytes, filename: str) -> HttpResponse:
    return downloads.file_response(content, name=filename, content_type=downloads.PDF)


@login_required
def scoring_ranking_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    table = _table(bloc_year)
    context = _results_context(table)
    context.update(_document_context(bloc_year, timezone.localdate()))
    context.update(bloc_year=bloc_year, table=table)
    content = render_pdf("pledges/scoring_ranking_pdf.html", context)
    return _pdf_response(content, f"xep-hang-cham-diem-{bloc_year.year}.pdf")


@login_required
def scoring_minutes_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = access.get_bloc_year(request.user, pk)
    table = _table(bloc_year)
    context = _results_context(table)
    acclamations = context["acclamations"]
    if not acclamations:
        messages.error(request, _("Chưa có kết quả suy tôn để in biên bản."))
        return redirect("pledges:scoring_results", pk=bloc_year.pk)
    meeting_day = max(a.meeting_date for a in acclamations)
    minutes = []
    for a in acclamations:  # one text per meeting, however many members it acclaimed
        if a.minutes and a.minutes not in minutes:
            minutes.append(a.minutes)
    context.update(_document_context(bloc_year, meeting_day))
    context.update(
        bloc_year=bloc_year,
        table=table,
        meeting_day=meeting_day,
        minutes_texts=minutes,
        member_count=len(context["ranking"]),
    )
    content = render_pdf("pledges/scoring_minutes_pdf.html", context)
    return _pdf_response(content, f"bien-ban-suy-ton-{bloc_year.year}.pdf")
