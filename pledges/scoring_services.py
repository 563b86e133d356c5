"""Use cases of the year-end scoring in a bloc (chấm điểm, suy tôn). Each is atomic and guarded.

The round moves setup → self → cross → meeting → closed, only forward and only
by the secretariat. Each write is allowed in one stage; a stage with a deadline
is locked the day after it unless the secretariat reopens it with a reason and
a new end date. Every write takes a row lock on the table first, so a write and
a stage change never interleave. History rows (django-simple-history) record
who changed what.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.forms import BaseModelFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Unit
from campaigns.uploads import CheckedUpload, stored
from campaigns.versioning import check_version, claim_version

from . import access
from .models import (
    Acclamation,
    BlocYear,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    ScoreEvidence,
    ScoringStage,
    ScoringTable,
    SelfScore,
    StageReopening,
)
from .scoring_selectors import is_locked, open_until, previous_table, stage_deadline
from .selectors import members_in

STAGE_ORDER = [
    ScoringStage.SETUP,
    ScoringStage.SELF,
    ScoringStage.CROSS,
    ScoringStage.MEETING,
    ScoringStage.CLOSED,
]


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _lock(table: ScoringTable) -> ScoringTable:
    """Re-read the table under a row lock: writes and stage changes are serialised."""
    return (
        ScoringTable.objects.select_for_update(of=("self",))
        .select_related("bloc_year", "bloc_year__bloc", "bloc_year__leader")
        .get(pk=table.pk)
    )


def _require_manager(user: AbstractBaseUser, bloc_year: BlocYear) -> None:
    if not access.can_manage(user, bloc_year.bloc, bloc_year):
        raise DomainError(_("Chỉ thư ký khối mới thực hiện được thao tác này."))


def _require_stage(table: ScoringTable, stage: str, doing: str) -> None:
    """Refuse unless the table is in ``stage`` and that stage is not past its deadline."""
    if table.stage != stage:
        raise DomainError(
            _("Chỉ %(doing)s ở giai đoạn “%(stage)s”; bảng điểm đang ở giai đoạn “%(current)s”.")
            % {
                "doing": doing,
                "stage": ScoringStage(stage).label,
                "current": table.get_stage_display(),
            }
        )
    if is_locked(table):
        raise DomainError(
            _(
                "Giai đoạn “%(stage)s” đã hết hạn ngày %(date)s nên bị khóa. Thư ký khối có "
                "thể mở lại giai đoạn này, kèm lý do."
            )
            % {"stage": table.get_stage_display(), "date": _date(open_until(table))}
        )


def _member_ids(bloc_year: BlocYear) -> set[int]:
    return set(members_in(bloc_year.bloc, bloc_year.year).values_list("pk", flat=True))


def _require_member(bloc_year: BlocYear, unit: Unit, member_ids: set[int] | None = None) -> None:
    ids = member_ids if member_ids is not None else _member_ids(bloc_year)
    if unit.pk not in ids:
        raise DomainError(
            _("%(unit)s không phải thành viên của khối năm %(year)s.")
            % {"unit": unit.name, "year": bloc_year.year}
        )


def _require_actor(user: AbstractBaseUser, bloc_year: BlocYear, member: Unit) -> None:
    """The user acts for ``member`` (a role over it) or manages the bloc."""
    if access.can_manage(user, bloc_year.bloc, bloc_year):
        return
    if not access.member_units_for(user, bloc_year).filter(pk=member.pk).exists():
        raise DomainError(_("Bạn không được chấm điểm thay cho %(unit)s.") % {"unit": member.name})


def _check_points(points: Decimal, criterion: Criterion) -> None:
    if points < 0:
        raise DomainError(
            _("Điểm của tiêu chí %(number)s không được âm.") % {"number": criterion.number}
        )
    if points > criterion.max_points:
        raise DomainError(
            _("Điểm của tiêu chí %(number)s vượt quá điểm tối đa %(max)s.")
            % {"number": criterion.number, "max": _points(criterion.max_points)}
        )


def _points(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _criteria(table: ScoringTable) -> dict[int, Criterion]:
    return {c.pk: c for c in Criterion.objects.filter(group__table=table)}


# The table -----------------------------------------------------------------------------------


@transaction.atomic
def scoring_table_create(
    *, bloc_year: BlocYear, by: AbstractBaseUser, copy_previous: bool = False
) -> ScoringTable:
    """Open the year's scoring table, empty or with the groups and criteria of the last one."""
    _require_manager(by, bloc_year)
    BlocYear.objects.select_for_update().get(pk=bloc_year.pk)
    if ScoringTable.objects.filter(bloc_year=bloc_year).exists():
        raise DomainError(_("Năm %(year)s đã có bảng chấm điểm.") % {"year": bloc_year.year})
    source = previous_table(bloc_year) if copy_previous else None
    if copy_previous and source is None:
        raise DomainError(_("Các năm trước chưa có bảng chấm điểm để sao chép."))
    table = ScoringTable(bloc_year=bloc_year, stage=ScoringStage.SETUP)
    table._history_user = by
    table.save()
    if source is not None:
        for old_group in source.groups.prefetch_related("criteria").order_by("number", "pk"):
            group = CriterionGroup(table=table, number=old_group.number, title=old_group.title)
            group._history_user = by
            group.save()
            for old in old_group.criteria.all():
                criterion = Criterion(
                    group=group, number=old.number, text=old.text, max_points=old.max_points
                )
                criterion._history_user = by
                criterion.save()
    return table


def _save_numbered_rows(formset: BaseModelFormSet, parent_field: str, parent, by) -> None:
    """Save a formset's rows numbered 1..n: by the number typed, blank numbers last."""
    rows = []
    for index, form in enumerate(formset.forms):
        if formset._should_delete_form(form):
            continue
        if form.instance.pk is None and not form.has_changed():
            continue
        number = form.cleaned_data.get("number")
        rows.append((number if number is not None else 10_000, index, form))
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._history_user = by
            form.instance.delete()
    for position, (_number, _index, form) in enumerate(sorted(rows), start=1):
        obj = form.save(commit=False)
        setattr(obj, parent_field, parent)
        obj.number = position
        obj._history_user = by
        obj.save()


@transaction.atomic
def criterion_groups_save(
    *,
    table: ScoringTable,
    by: AbstractBaseUser,
    formset: BaseModelFormSet,
    expected_version: int | None = None,
) -> None:
    """Add, rename, renumber and remove the table's groups (only while the table is set up).

    The groups and criteria are the table's: their pages claim its version."""
    table = _lock(table)
    _require_manager(by, table.bloc_year)
    _require_stage(table, ScoringStage.SETUP, _("sửa bảng điểm"))
    claim_version(table, expected_version)
    for form in formset.forms:
        if form.instance.pk and form.instance.table_id != table.pk:
            raise DomainError(_("Nhóm tiêu chí không thuộc bảng điểm này."))
    _save_numbered_rows(formset, "table", table, by)


@transaction.atomic
def criteria_save(
    *,
    group: CriterionGroup,
    by: AbstractBaseUser,
    formset: BaseModelFormSet,
    expected_version: int | None = None,
) -> None:
    """Add, edit, renumber and remove a group's criteria and their maximum points."""
    table = _lock(group.table)
    _require_manager(by, table.bloc_year)
    _require_stage(table, ScoringStage.SETUP, _("sửa bảng điểm"))
    claim_version(table, expected_version)
    for form in formset.forms:
        if form.instance.pk and form.instance.group_id != group.pk:
            raise DomainError(_("Tiêu chí không thuộc nhóm này."))
    _save_numbered_rows(formset, "group", group, by)


@transaction.atomic
def scoring_deadlines_set(
    *,
    table: ScoringTable,
    by: AbstractBaseUser,
    self_deadline: datetime.date | None,
    cross_deadline: datetime.date | None,
    expected_version: int | None = None,
) -> ScoringTable:
    """Set the deadlines of the self- and cross-scoring stages.

    A deadline can change only before its stage is over and while it has not
    passed: a stage past its deadline is reopened with a reason instead. The form's
    version of the table is checked last, under the row lock (campaigns.versioning).
    """
    table = _lock(table)
    _require_manager(by, table.bloc_year)
    today = timezone.localdate()
    position = STAGE_ORDER.index(table.stage)
    changes = {"self_deadline": self_deadline, "cross_deadline": cross_deadline}
    for name, new in changes.items():
        stage = ScoringStage.SELF if name == "self_deadline" else ScoringStage.CROSS
        old = getattr(table, name)
        if new == old:
            continue
        if position > STAGE_ORDER.index(stage):
            raise DomainError(
                _("Giai đoạn “%(stage)s” đã kết thúc, không sửa hạn được nữa.")
                % {"stage": stage.label}
            )
        if old is not None and today > old:
            raise DomainError(
                _("Hạn “%(stage)s” đã qua (%(date)s). Để gia hạn, hãy mở lại giai đoạn kèm lý do.")
                % {"stage": stage.label, "date": _date(old)}
            )
        if new is not None and new < today:
            raise DomainError(
                _("Hạn “%(stage)s” không được trước ngày hôm nay.") % {"stage": stage.label}
            )
    if self_deadline and cross_deadline and cross_deadline < self_deadline:
        raise DomainError(_("Hạn chấm chéo không được trước hạn tự chấm."))
    check_version(table, expected_version)
    table.version += 1
    table.self_deadline = self_deadline
    table.cross_deadline = cross_deadline
    table._history_user = by
    table.save()
    return table


@transaction.atomic
def scoring_stage_advance(
    *, table: ScoringTable, by: AbstractBaseUser, expected_stage: str
) -> ScoringTable:
    """Move the round to its next stage (setup → self → cross → meeting → closed).

    ``expected_stage`` is the stage the user saw: a second click, or two
    secretaries at once, does not skip a stage.
    """
    table = _lock(table)
    _require_manager(by, table.bloc_year)
    if table.stage != expected_stage:
        raise DomainError(
            _("Bảng điểm vừa được chuyển sang giai đoạn “%(stage)s”; tải lại trang để xem.")
            % {"stage": table.get_stage_display()}
        )
    if table.stage == ScoringStage.CLOSED:
        raise DomainError(_("Đợt chấm điểm đã kết thúc."))
    target = STAGE_ORDER[STAGE_ORDER.index(table.stage) + 1]
    if target == ScoringStage.SELF and not Criterion.objects.filter(group__table=table).exists():
        raise DomainError(_("Bảng điểm chưa có tiêu chí nào; hãy nhập tiêu chí trước."))
    deadline = stage_deadline(table, target)
    if deadline is not None and deadline < timezone.localdate():
        raise DomainError(
            _("Hạn “%(stage)s” (%(date)s) đã qua; hãy đặt hạn mới trước khi mở giai đoạn này.")
            % {"stage": ScoringStage(target).label, "date": _date(deadline)}
        )
    table.stage = target
    table.reopened_until = None  # a reopening belongs to the stage it reopened
    table._history_user = by
    table.save()
    return table


@transaction.atomic
def scoring_stage_reopen(
    *, table: ScoringTable, by: AbstractBaseUser, until: datetime.date, reason: str
) -> StageReopening:
    """Reopen the current stage past its deadline until ``until``, recording why."""
    table = _lock(table)
    _require_manager(by, table.bloc_year)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Hãy ghi lý do mở lại giai đoạn."))
    deadline = stage_deadline(table)
    if deadline is None:
        raise DomainError(
            _("Giai đoạn “%(stage)s” không có hạn nên không cần mở lại.")
            % {"stage": table.get_stage_display()}
        )
    today = timezone.localdate()
    if today <= deadline:
        raise DomainError(
            _("Giai đoạn “%(stage)s” chưa quá hạn (%(date)s), không cần mở lại.")
            % {"stage": table.get_stage_display(), "date": _date(deadline)}
        )
    if until < today:
        raise DomainError(_("Ngày mở lại đến phải từ hôm nay trở đi."))
    reopening = StageReopening.objects.create(
        table=table, stage=table.stage, until=until, reason=reason, by=by
    )
    table.reopened_until = until
    table._history_user = by
    table.save()
    return reopening


# Scores --------------------------------------------------------------------------------------


@dataclass
class SelfScoreInput:
    points: Decimal
    note: str = ""
    files: list[CheckedUpload] = field(default_factory=list)


def self_scores_save(
    *,
    table: ScoringTable,
    member: Unit,
    by: AbstractBaseUser,
    entries: Mapping[int, SelfScoreInput],
) -> list[SelfScore]:
    """Record (or revise) a member's self-scores, notes and evidence, by criterion id.

    Uploads come already inspected (``campaigns.uploads.inspect_upload``), so a
    file that is not what it claims never reaches this point; a file already
    attached to the same score (same SHA-256) is not stored twice. All or nothing:
    when any entry is refused (or the commit fails) the rows are rolled back and the
    files stored for the earlier entries removed; the ExitStack closes the files'
    ``stored`` contexts after the transaction.
    """
    with ExitStack() as files, transaction.atomic():
        table = _lock(table)
        bloc_year = table.bloc_year
        _require_member(bloc_year, member)
        _require_actor(by, bloc_year, member)
        _require_stage(table, ScoringStage.SELF, _("tự chấm điểm"))
        criteria = _criteria(table)
        existing = {
            s.criterion_id: s
            for s in SelfScore.objects.select_for_update().filter(
                criterion__in=list(criteria), member=member
            )
        }
        saved = []
        for criterion_id, entry in entries.items():
            criterion = criteria.get(criterion_id)
            if criterion is None:
                raise DomainError(_("Tiêu chí không thuộc bảng điểm này."))
            _check_points(entry.points, criterion)
            score = existing.get(criterion_id) or SelfScore(criterion=criterion, member=member)
            if score.pk and score.points == entry.points and score.note == entry.note:
                pass  # unchanged: no history row
            else:
                score.points = entry.points
                score.note = entry.note
                score.recorded_by = by
                score._history_user = by
                score.save()
            _attach_evidence(score, entry.files, by, files)
            saved.append(score)
        return saved


def _attach_evidence(
    score: SelfScore, uploads: Iterable[CheckedUpload], by: AbstractBaseUser, files: ExitStack
) -> None:
    known = set(score.evidence.values_list("sha256", flat=True)) if uploads else set()
    for upload in uploads:
        if upload.sha256 in known:
            continue
        known.add(upload.sha256)
        evidence = ScoreEvidence(self_score=score)
        evidence.describe(upload, by=by)
        files.enter_context(stored(evidence, upload))
        evidence.save()


@transaction.atomic
def cross_scores_save(
    *,
    table: ScoringTable,
    scorer: Unit,
    by: AbstractBaseUser,
    scores: Mapping[tuple[int, int], Decimal],
) -> int:
    """Record the scorer's cross-scores, as {(criterion id, scored member id): points}.

    A member never scores itself, and scores only members of the bloc that year.
    Returns how many scores changed.
    """
    table = _lock(table)
    bloc_year = table.bloc_year
    member_ids = _member_ids(bloc_year)
    _require_member(bloc_year, scorer, member_ids)
    _require_actor(by, bloc_year, scorer)
    _require_stage(table, ScoringStage.CROSS, _("chấm chéo"))
    criteria = _criteria(table)
    existing = {
        (s.criterion_id, s.scored_id): s
        for s in CrossScore.objects.select_for_update().filter(
            criterion__in=list(criteria), scorer=scorer
        )
    }
    changed = 0
    for (criterion_id, scored_id), points in scores.items():
        if scored_id == scorer.pk:
            raise DomainError(
                _("Đơn vị không được tự chấm chéo cho chính mình (%(unit)s).")
                % {"unit": scorer.name}
            )
        if scored_id not in member_ids:
            raise DomainError(_("Chỉ chấm chéo cho các thành viên của khối năm này."))
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise DomainError(_("Tiêu chí không thuộc bảng điểm này."))
        _check_points(points, criterion)
        score = existing.get((criterion_id, scored_id))
        if score is not None and score.points == points:
            continue
        if score is None:
            score = CrossScore(criterion=criterion, scorer=scorer, scored_id=scored_id)
        score.points = points
        score.recorded_by = by
        score._history_user = by
        score.save()
        changed += 1
    return changed


@dataclass
class FinalScoreInput:
    points: Decimal | None
    reason: str = ""


@transaction.atomic
def final_scores_save(
    *,
    table: ScoringTable,
    member: Unit,
    by: AbstractBaseUser,
    entries: Mapping[int, FinalScoreInput],
) -> None:
    """The bloc meeting sets (or withdraws) a member's final score per criterion, with a reason.

    A final score overrides the mean of the cross-scores; ``points=None`` withdraws
    it, so the mean counts again (the history keeps the withdrawn score).
    """
    table = _lock(table)
    bloc_year = table.bloc_year
    _require_manager(by, bloc_year)
    _require_member(bloc_year, member)
    _require_stage(table, ScoringStage.MEETING, _("hội nghị khối quyết định điểm"))
    criteria = _criteria(table)
    existing = {
        f.criterion_id: f
        for f in FinalScore.objects.select_for_update().filter(
            criterion__in=list(criteria), member=member
        )
    }
    for criterion_id, entry in entries.items():
        criterion = criteria.get(criterion_id)
        if criterion is None:
            raise DomainError(_("Tiêu chí không thuộc bảng điểm này."))
        final = existing.get(criterion_id)
        if entry.points is None:
            if final is not None:
                final._history_user = by
                final.delete()
            continue
        _check_points(entry.points, criterion)
        reason = (entry.reason or "").strip()
        if not reason:
            raise DomainError(
                _("Hãy ghi lý do hội nghị quyết định điểm tiêu chí %(number)s.")
                % {"number": criterion.number}
            )
        if final is not None and final.points == entry.points and final.reason == reason:
            continue
        final = final or FinalScore(criterion=criterion, member=member)
        final.points = entry.points
        final.reason = reason
        final.set_by = by
        final._history_user = by
        final.save()


# Acclamation ---------------------------------------------------------------------------------


@transaction.atomic
def acclamation_record(
    *,
    table: ScoringTable,
    member: Unit,
    by: AbstractBaseUser,
    votes_for: int,
    votes_total: int,
    meeting_date: datetime.date,
    minutes: str = "",
    proposed_for_flag: bool = True,
) -> Acclamation:
    """The bloc meeting acclaims ``member`` as a leading unit, with its vote.

    No approval threshold is applied here: the meeting's rule is recorded in its
    minutes, and the vote is kept so a later check can apply the rule in force.
    """
    table = _lock(table)
    bloc_year = table.bloc_year
    _require_manager(by, bloc_year)
    _require_stage(table, ScoringStage.MEETING, _("ghi kết quả suy tôn"))
    member_ids = _member_ids(bloc_year)
    _require_member(bloc_year, member, member_ids)
    if votes_total < 1:
        raise DomainError(_("Tổng số phiếu phải lớn hơn 0."))
    if votes_total > len(member_ids):
        raise DomainError(
            _("Tổng số phiếu không được vượt quá số thành viên của khối (%(n)s).")
            % {"n": len(member_ids)}
        )
    if not 0 <= votes_for <= votes_total:
        raise DomainError(_("Số phiếu đồng ý phải từ 0 đến tổng số phiếu."))
    if meeting_date < datetime.date(bloc_year.year, 1, 1):
        raise DomainError(
            _("Ngày hội nghị không được trước năm thi đua %(year)s.") % {"year": bloc_year.year}
        )
    if Acclamation.objects.filter(bloc_year=bloc_year, member=member).exists():
        raise DomainError(
            _("%(unit)s đã được suy tôn trong năm %(year)s.")
            % {"unit": member.name, "year": bloc_year.year}
        )
    acclamation = Acclamation(
        bloc_year=bloc_year,
        member=member,
        votes_for=votes_for,
        votes_total=votes_total,
        meeting_date=meeting_date,
        minutes=(minutes or "").strip(),
        proposed_for_flag=proposed_for_flag,
        recorded_by=by,
    )
    acclamation._history_user = by
    acclamation.save()
    return acclamation
