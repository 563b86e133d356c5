"""Award rounds, nominations, their dossiers, and the review up to "accepted for the council".

Every use case is keyword-only, atomic and guarded: a refusal raises
``campaigns.errors.DomainError`` (``FieldErrors`` when it belongs to form fields,
``ConflictError`` when someone else changed the nomination first) with a message
the user can read. Every step of a nomination writes a ``NominationEvent`` with a
dotted action name (``awards.nomination.submitted``), who, when and why; nothing
is deleted.

Workflow handled here: draft → submitted → (returned with a reason → submitted
again) → accepted for the council. What follows (vote, approval, decision) is the
council and decision part's business.

The dossier a nomination needs before it can be submitted follows the Law on
Emulation and Commendation 06/2022/QH15, Art. 84: a submission letter (tờ trình),
the achievement report (báo cáo thành tích) and the minutes of the unit's review
(biên bản). Initiative certificates are asked for by Art. 84(1)(d) only when a
title is proposed on the strength of an initiative; since the same titles can
also be earned otherwise (an excellent rating, a science topic), they are not
required to submit, only shown as a reminder where the title's rules look at
initiatives.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import Campaign, Person, Phase, Unit
from campaigns.text import clean_multiline, clean_text
from campaigns.uploads import SCAN_TYPES, inspect_upload, stored
from campaigns.versioning import check_version
from pledges.services import FieldErrors

from . import access
from .models import (
    AwardRound,
    AwardType,
    DossierFile,
    DossierKind,
    Nomination,
    NominationEvent,
    NominationStatus,
    Subject,
    Track,
)

logger = logging.getLogger(__name__)

# Law 06/2022/QH15 Art. 84(1)(a–c) and 84(2)(a–c): letter, report, minutes.
REQUIRED_DOSSIER_KINDS: tuple[str, ...] = (
    DossierKind.SUBMISSION_LETTER,
    DossierKind.ACHIEVEMENT_REPORT,
    DossierKind.MINUTES,
)
# What each kind of dossier file may be (checked by content, not by name).
DOSSIER_TYPES: dict[str, tuple[str, ...]] = {kind: SCAN_TYPES for kind in DossierKind.values}

# Statuses whose eligibility a round-wide check refreshes: up to the council's vote.
# From the vote on, the stored result is what the council saw and stays as it was.
CHECKED_STATUSES: tuple[str, ...] = (
    NominationStatus.DRAFT,
    NominationStatus.SUBMITTED,
    NominationStatus.RETURNED,
    NominationStatus.ACCEPTED,
)
# Nominations that still count as "this person is already proposed for this title".
_LIVE_STATUSES = [s for s in NominationStatus.values if s != NominationStatus.REJECTED]

ACTION_PREFIX = "awards.nomination."


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _full_clean(obj: Any, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise FieldErrors(
            {field: list(messages) for field, messages in error.message_dict.items()}
        ) from error


# Rounds ----------------------------------------------------------------------------------------


def _round_errors(
    *,
    by: AbstractBaseUser,
    year: int,
    campaign: Campaign | None,
    phase: Phase | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if campaign is not None and not unit_access.can_plan(by, campaign):
        errors["campaign"] = [
            _("Bạn chỉ gắn được đợt khen thưởng với phong trào do đơn vị mình ban hành.")
        ]
    if phase is not None:
        if campaign is None:
            errors["phase"] = [_("Chọn phong trào của giai đoạn này.")]
        elif phase.campaign_id != campaign.pk:
            errors["phase"] = [
                _("Giai đoạn “%(phase)s” không thuộc phong trào đã chọn.") % {"phase": phase.name}
            ]
    if campaign is not None and not campaign.start_year <= year <= campaign.end_year:
        errors.setdefault("year", []).append(
            _("Năm %(year)s nằm ngoài thời gian %(years)s của phong trào.")
            % {"year": year, "years": campaign.years_label}
        )
    if (
        phase is not None
        and "phase" not in errors
        and not phase.start_date.year <= year <= phase.end_date.year
    ):
        errors.setdefault("year", []).append(
            _("Năm %(year)s nằm ngoài giai đoạn “%(phase)s” (%(start)s – %(end)s).")
            % {
                "year": year,
                "phase": phase.name,
                "start": _d(phase.start_date),
                "end": _d(phase.end_date),
            }
        )
    return errors


def _save_round(award_round: AwardRound, by: AbstractBaseUser, reason: str) -> None:
    award_round._history_user = by  # type: ignore[attr-defined]
    award_round._change_reason = reason  # type: ignore[attr-defined]
    award_round.save()


@transaction.atomic
def round_create(
    *,
    by: AbstractBaseUser,
    body: Unit,
    name: str,
    year: int,
    campaign: Campaign | None = None,
    phase: Phase | None = None,
    nomination_deadline: datetime.date | None = None,
    is_open: bool = True,
) -> AwardRound:
    """Open an award round of a body: the year's merit review, or a campaign (phase) review.

    Only HR staff of the body (or of a unit above it) run its rounds; a round tied to a
    campaign takes a campaign they plan, and its year must fall in the campaign (and
    phase) years.
    """
    if not access.can_review(by, body):
        raise DomainError(_("Chỉ cán bộ thi đua – khen thưởng của cơ quan mới tạo được đợt."))
    errors = _round_errors(by=by, year=year, campaign=campaign, phase=phase)
    if errors:
        raise FieldErrors(errors)
    award_round = AwardRound(
        body=body,
        name=clean_text(name),
        year=year,
        campaign=campaign,
        phase=phase,
        nomination_deadline=nomination_deadline,
        is_open=is_open,
    )
    _full_clean(award_round)
    _save_round(award_round, by, "awards.round.created")
    return award_round


@transaction.atomic
def round_update(
    *,
    award_round: AwardRound,
    by: AbstractBaseUser,
    name: str,
    year: int,
    campaign: Campaign | None = None,
    phase: Phase | None = None,
    nomination_deadline: datetime.date | None = None,
    is_open: bool = True,
    expected_version: int | None = None,
) -> AwardRound:
    """Change a round. Once it has nominations, its year, campaign and phase stay.

    The form's version is checked under the row lock (campaigns.versioning)."""
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    if not access.can_review(by, award_round.body):
        raise DomainError(_("Chỉ cán bộ thi đua – khen thưởng của cơ quan mới sửa được đợt."))
    check_version(award_round, expected_version)
    errors = _round_errors(by=by, year=year, campaign=campaign, phase=phase)
    moved = (year, getattr(campaign, "pk", None), getattr(phase, "pk", None)) != (
        award_round.year,
        award_round.campaign_id,
        award_round.phase_id,
    )
    if moved and award_round.nominations.exists():
        errors.setdefault("year", []).append(
            _(
                "Đợt đã có đề nghị khen thưởng: không thể đổi năm, phong trào hoặc giai đoạn "
                "(các đề nghị đã lập theo năm này)."
            )
        )
    if errors:
        raise FieldErrors(errors)
    award_round.name = clean_text(name)
    award_round.year = year
    award_round.campaign = campaign
    award_round.phase = phase
    award_round.nomination_deadline = nomination_deadline
    award_round.is_open = is_open
    _full_clean(award_round)
    award_round.version += 1
    _save_round(award_round, by, "awards.round.updated")
    return award_round


@transaction.atomic
def round_set_open(*, award_round: AwardRound, by: AbstractBaseUser, is_open: bool) -> AwardRound:
    """Stop or resume taking nominations (submissions and resubmissions)."""
    award_round = AwardRound.objects.select_for_update().get(pk=award_round.pk)
    if not access.can_review(by, award_round.body):
        raise DomainError(_("Chỉ cán bộ thi đua – khen thưởng của cơ quan mới đóng, mở được đợt."))
    if award_round.is_open != is_open:
        award_round.is_open = is_open
        award_round.version += 1  # a form opened before shows the old state: refused
        _save_round(award_round, by, "awards.round.opened" if is_open else "awards.round.closed")
    return award_round


def round_last_check(award_round: AwardRound) -> datetime.datetime | None:
    """When the round's eligibility was last checked: the newest check of its nominations."""
    return award_round.nominations.aggregate(at=Max("eligibility_checked_at"))["at"]


def round_check_request(*, award_round: AwardRound, by: AbstractBaseUser) -> None:
    """Queue the eligibility check of the whole round (``awards.tasks.check_round``).

    Queued once the surrounding transaction commits, so the worker reads what the
    request saw.
    """
    if not access.can_review(by, award_round.body):
        raise DomainError(
            _("Chỉ cán bộ thi đua – khen thưởng của cơ quan mới kiểm tra được cả đợt.")
        )
    from . import tasks

    round_id = award_round.pk
    logger.info("Eligibility check of round %s requested by %s", round_id, by.pk)
    transaction.on_commit(lambda: tasks.check_round.delay(round_id))


def _chunks(ids: list[int], size: int) -> Iterator[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def round_check_eligibility(*, award_round: AwardRound, chunk_size: int = 2000) -> int:
    """Check and store the eligibility of every nomination of the round not yet voted on.

    ``eligibility.check_batch`` reads the facts for a whole chunk at once, so the
    number of queries grows with the chunks, not with the nominations. Returns how
    many nominations were checked.
    """
    from . import eligibility

    ids = list(
        award_round.nominations.filter(status__in=CHECKED_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    checked = 0
    for chunk in _chunks(ids, chunk_size):
        nominations = list(Nomination.objects.filter(pk__in=chunk).order_by("pk"))
        with transaction.atomic():
            checked += len(eligibility.check_batch(nominations, store=True))
    logger.info("Eligibility of round %s: %s nominations checked", award_round.pk, checked)
    return checked


# Eligibility ------------------------------------------------------------------------------------


def _store_check(nomination: Nomination) -> None:
    """The full check of one nomination, stored with it and the time of the check."""
    from . import eligibility

    eligibility.check_nomination(nomination)


@transaction.atomic
def nomination_check(*, nomination: Nomination, by: AbstractBaseUser) -> Nomination:
    """Run and store the eligibility check of one nomination again (before the vote)."""
    nomination = _lock(nomination)
    if not (
        access.can_propose_for(by, nomination.proposing_unit)
        or access.can_review(by, nomination.round.body)
    ):
        raise DomainError(_("Bạn không có quyền kiểm tra điều kiện của đề nghị này."))
    if nomination.status not in CHECKED_STATUSES:
        raise DomainError(
            _("Hội đồng đã xét đề nghị này; kết quả kiểm tra điều kiện được giữ như lúc xét.")
        )
    _store_check(nomination)
    return nomination


# Nominations ------------------------------------------------------------------------------------


def _lock(nomination: Nomination) -> Nomination:
    """Re-read the nomination under a row lock: concurrent steps queue here."""
    return (
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round", "round__body", "round__campaign", "proposing_unit", "award_type")
        .get(pk=nomination.pk)
    )


def _event(
    nomination: Nomination,
    *,
    action: str,
    from_status: str,
    by: AbstractBaseUser | None,
    reason: str = "",
) -> NominationEvent:
    return NominationEvent.objects.create(
        nomination=nomination,
        action=f"{ACTION_PREFIX}{action}",
        from_status=from_status,
        to_status=nomination.status,
        reason=reason,
        by=by,
    )


def _save(nomination: Nomination, by: AbstractBaseUser, action: str) -> None:
    nomination._history_user = by  # type: ignore[attr-defined]
    nomination._change_reason = f"{ACTION_PREFIX}{action}"  # type: ignore[attr-defined]
    nomination.save()


def _require_proposer(by: AbstractBaseUser, nomination: Nomination) -> None:
    if not access.can_propose_for(by, nomination.proposing_unit):
        raise DomainError(
            _("Chỉ cán bộ đầu mối hoặc cán bộ thi đua của đơn vị đề nghị mới làm được việc này.")
        )


def _require_reviewer(by: AbstractBaseUser, nomination: Nomination) -> None:
    if not access.can_review(by, nomination.round.body):
        raise DomainError(
            _("Chỉ cán bộ thi đua – khen thưởng của cơ quan tổ chức đợt mới xét được hồ sơ.")
        )


def _require_editable(nomination: Nomination) -> None:
    if not nomination.is_editable:
        raise DomainError(
            _(
                "Đề nghị đang ở trạng thái “%(status)s”: không thể sửa. Chỉ sửa được đề nghị "
                "dự thảo hoặc bị trả lại để bổ sung."
            )
            % {"status": nomination.get_status_display()}
        )


def _require_open(award_round: AwardRound) -> None:
    if not award_round.is_open:
        raise DomainError(_("Đợt “%(round)s” đã dừng nhận hồ sơ.") % {"round": award_round.name})


def _in_subtree(unit: Unit, root: Unit) -> bool:
    return unit.path.startswith(root.path)


def _nominee_errors(
    *,
    proposing_unit: Unit,
    award_type: AwardType,
    person: Person | None,
    unit: Unit | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if person is None and unit is None:
        errors["person"] = [_("Chọn một cá nhân hoặc một tập thể được đề nghị.")]
    elif person is not None and unit is not None:
        errors["unit"] = [_("Chỉ chọn cá nhân hoặc tập thể, không chọn cả hai.")]
    if not award_type.is_active:
        errors["award_type"] = [
            _("“%(award)s” không còn được áp dụng.") % {"award": award_type.name}
        ]
    elif person is not None and award_type.subject != Subject.INDIVIDUAL:
        errors["award_type"] = [
            _("“%(award)s” dành cho tập thể; chọn một danh hiệu, hình thức cho cá nhân.")
            % {"award": award_type.name}
        ]
    elif unit is not None and person is None and award_type.subject != Subject.COLLECTIVE:
        errors["award_type"] = [
            _("“%(award)s” dành cho cá nhân; chọn một danh hiệu, hình thức cho tập thể.")
            % {"award": award_type.name}
        ]
    if person is not None:
        if not _in_subtree(person.unit, proposing_unit):
            errors["person"] = [
                _(
                    "%(name)s không thuộc %(unit)s hoặc đơn vị trực thuộc: chỉ đề nghị được "
                    "người của đơn vị mình."
                )
                % {"name": person.full_name, "unit": proposing_unit.name}
            ]
        elif not person.is_active:
            errors["person"] = [_("%(name)s không còn công tác.") % {"name": person.full_name}]
    if unit is not None and person is None:
        if not _in_subtree(unit, proposing_unit):
            errors["unit"] = [
                _("%(name)s không thuộc %(unit)s: chỉ đề nghị được tập thể của đơn vị mình.")
                % {"name": unit.name, "unit": proposing_unit.name}
            ]
        elif not unit.is_active:
            errors["unit"] = [_("%(name)s đã ngừng hoạt động.") % {"name": unit.name}]
    return errors


def _duplicate_error(
    *,
    award_round: AwardRound,
    award_type: AwardType,
    person: Person | None,
    unit: Unit | None,
    exclude_pk: int | None,
) -> str | None:
    same = Nomination.objects.filter(
        round=award_round, award_type=award_type, status__in=_LIVE_STATUSES
    )
    same = same.filter(person=person) if person is not None else same.filter(unit=unit)
    if exclude_pk is not None:
        same = same.exclude(pk=exclude_pk)
    if same.exists():
        return _("%(nominee)s đã được đề nghị “%(award)s” trong đợt này.") % {
            "nominee": person or unit,
            "award": award_type.name,
        }
    return None


@transaction.atomic
def nomination_create(
    *,
    by: AbstractBaseUser,
    award_round: AwardRound,
    proposing_unit: Unit,
    award_type: AwardType,
    person: Person | None = None,
    unit: Unit | None = None,
    track: str = Track.MERIT,
    achievement_summary: str,
) -> Nomination:
    """Draft a nomination of a person or a collective of the proposing unit's subtree.

    The proposer is a focal point or HR officer of the proposing unit; the proposing
    unit belongs to the body that runs the round, and the round still takes
    nominations. The year (and campaign, phase) are the round's.
    """
    # Serialise nominations in one round so the duplicate check below holds.
    award_round = (
        AwardRound.objects.select_for_update().select_related("body").get(pk=award_round.pk)
    )
    if not access.can_propose_for(by, proposing_unit):
        raise FieldErrors(
            {"proposing_unit": [_("Bạn không có quyền đề nghị khen thưởng thay đơn vị này.")]}
        )
    if not _in_subtree(proposing_unit, award_round.body):
        raise FieldErrors(
            {
                "proposing_unit": [
                    _("%(unit)s không thuộc %(body)s, cơ quan tổ chức đợt này.")
                    % {"unit": proposing_unit.name, "body": award_round.body.name}
                ]
            }
        )
    _require_open(award_round)
    errors = _nominee_errors(
        proposing_unit=proposing_unit, award_type=award_type, person=person, unit=unit
    )
    if errors:
        raise FieldErrors(errors)
    duplicate = _duplicate_error(
        award_round=award_round, award_type=award_type, person=person, unit=unit, exclude_pk=None
    )
    if duplicate:
        raise FieldErrors({"__all__": [duplicate]})
    nomination = Nomination(
        round=award_round,
        proposing_unit=proposing_unit,
        award_type=award_type,
        person=person,
        unit=unit if person is None else None,
        year=award_round.year,
        track=track,
        achievement_summary=clean_multiline(achievement_summary),
        status=NominationStatus.DRAFT,
        created_by=by,
    )
    _full_clean(nomination, exclude=["created_by"])
    _save(nomination, by, "created")
    _event(nomination, action="created", from_status="", by=by)
    return nomination


@transaction.atomic
def nomination_update(
    *,
    nomination: Nomination,
    by: AbstractBaseUser,
    expected_version: int | None,
    award_type: AwardType,
    person: Person | None = None,
    unit: Unit | None = None,
    track: str = Track.MERIT,
    achievement_summary: str,
) -> Nomination:
    """Change a draft or returned nomination.

    ``expected_version`` is the version the user's form was built from: if anyone
    changed the nomination since (an edit, a submission, a return), the write is
    refused with ``ConflictError`` rather than silently overwriting their change.
    """
    nomination = _lock(nomination)
    _require_proposer(by, nomination)
    check_version(nomination, expected_version)
    _require_editable(nomination)
    errors = _nominee_errors(
        proposing_unit=nomination.proposing_unit,
        award_type=award_type,
        person=person,
        unit=unit,
    )
    if errors:
        raise FieldErrors(errors)
    duplicate = _duplicate_error(
        award_round=nomination.round,
        award_type=award_type,
        person=person,
        unit=unit,
        exclude_pk=nomination.pk,
    )
    if duplicate:
        raise FieldErrors({"__all__": [duplicate]})
    nomination.award_type = award_type
    nomination.person = person
    nomination.unit = unit if person is None else None
    nomination.track = track
    nomination.achievement_summary = clean_multiline(achievement_summary)
    _full_clean(nomination, exclude=["created_by"])
    nomination.version = F("version") + 1
    _save(nomination, by, "updated")
    nomination.refresh_from_db(fields=["version"])
    _event(nomination, action="updated", from_status=nomination.status, by=by)
    return nomination


def missing_dossier_kinds(nomination: Nomination) -> list[str]:
    present = set(nomination.files.values_list("kind", flat=True))
    return [kind for kind in REQUIRED_DOSSIER_KINDS if kind not in present]


def _require_dossier(nomination: Nomination) -> None:
    missing = missing_dossier_kinds(nomination)
    if missing:
        labels = dict(DossierKind.choices)
        raise DomainError(
            _("Hồ sơ còn thiếu: %(missing)s (Luật Thi đua, khen thưởng 2022, Điều 84).")
            % {"missing": ", ".join(str(labels[kind]) for kind in missing)}
        )


def _move(
    nomination: Nomination,
    *,
    by: AbstractBaseUser,
    allowed: Iterable[str],
    target: str,
    action: str,
    reason: str = "",
) -> Nomination:
    if nomination.status not in set(allowed):
        raise DomainError(
            _("Không thể thực hiện thao tác này khi đề nghị đang ở trạng thái “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )
    previous = nomination.status
    nomination.status = target
    nomination.version = F("version") + 1
    _save(nomination, by, action)
    nomination.refresh_from_db(fields=["version"])
    _event(nomination, action=action, from_status=previous, by=by, reason=reason)
    return nomination


def _check_submittable(nomination: Nomination, *, deadline_applies: bool) -> None:
    award_round = nomination.round
    _require_open(award_round)
    deadline = award_round.nomination_deadline
    if deadline_applies and deadline is not None and timezone.localdate() > deadline:
        raise DomainError(
            _("Đã quá hạn gửi hồ sơ của đợt (%(deadline)s).") % {"deadline": _d(deadline)}
        )
    _require_dossier(nomination)


@transaction.atomic
def nomination_submit(*, nomination: Nomination, by: AbstractBaseUser) -> Nomination:
    """Send a draft to the body's emulation office, and store its full eligibility check.

    Refused once the round stopped taking nominations or its deadline has passed, and
    while the dossier lacks a required file. A failed rule does not block: the
    council weighs it, and the result is there for everyone to see.
    """
    nomination = _lock(nomination)
    _require_proposer(by, nomination)
    if nomination.status != NominationStatus.DRAFT:
        raise DomainError(
            _("Đề nghị đang ở trạng thái “%(status)s”, không phải dự thảo: không gửi lại được.")
            % {"status": nomination.get_status_display()}
        )
    _check_submittable(nomination, deadline_applies=True)
    nomination.submitted_at = timezone.now()
    _move(
        nomination,
        by=by,
        allowed=[NominationStatus.DRAFT],
        target=NominationStatus.SUBMITTED,
        action="submitted",
    )
    _store_check(nomination)
    return nomination


@transaction.atomic
def nomination_return(*, nomination: Nomination, by: AbstractBaseUser, reason: str) -> Nomination:
    """Send a submitted nomination back to its unit for correction, saying why."""
    nomination = _lock(nomination)
    _require_reviewer(by, nomination)
    reason = clean_multiline(reason)
    if not reason:
        raise FieldErrors({"reason": [_("Ghi rõ lý do trả lại để đơn vị biết cần bổ sung gì.")]})
    return _move(
        nomination,
        by=by,
        allowed=[NominationStatus.SUBMITTED],
        target=NominationStatus.RETURNED,
        action="returned",
        reason=reason,
    )


@transaction.atomic
def nomination_resubmit(
    *, nomination: Nomination, by: AbstractBaseUser, note: str = ""
) -> Nomination:
    """Send a returned nomination again, corrected.

    The round must still take nominations, but its deadline does not apply: the
    dossier was sent in time and came back at the office's request.
    """
    nomination = _lock(nomination)
    _require_proposer(by, nomination)
    if nomination.status != NominationStatus.RETURNED:
        raise DomainError(
            _("Chỉ gửi lại được đề nghị đã bị trả lại; đề nghị đang ở trạng thái “%(status)s”.")
            % {"status": nomination.get_status_display()}
        )
    _check_submittable(nomination, deadline_applies=False)
    nomination.submitted_at = timezone.now()
    _move(
        nomination,
        by=by,
        allowed=[NominationStatus.RETURNED],
        target=NominationStatus.SUBMITTED,
        action="resubmitted",
        reason=clean_multiline(note),
    )
    _store_check(nomination)
    return nomination


@transaction.atomic
def nomination_accept(
    *, nomination: Nomination, by: AbstractBaseUser, note: str = ""
) -> Nomination:
    """Put a submitted nomination forward to the council (HR staff of the round's body)."""
    nomination = _lock(nomination)
    _require_reviewer(by, nomination)
    return _move(
        nomination,
        by=by,
        allowed=[NominationStatus.SUBMITTED],
        target=NominationStatus.ACCEPTED,
        action="accepted",
        reason=clean_multiline(note),
    )


# Dossier files ----------------------------------------------------------------------------------


def dossier_file_add(
    *, nomination: Nomination, kind: str, upload: UploadedFile, by: AbstractBaseUser
) -> DossierFile:
    """Check an uploaded file by its content and keep it in the nomination's dossier.

    Raises ``ValidationError`` (a message for the user) when it is not a whole
    PDF/JPEG/PNG within the size limit, and ``DomainError`` when the nomination can
    no longer change; nothing is written then. Files are never replaced or removed:
    a new file of a kind sits beside the earlier ones, and the newest is current.
    """
    if kind not in DOSSIER_TYPES:
        raise DomainError(_("Loại hồ sơ không hợp lệ."))
    upload.seek(0)
    checked = inspect_upload(upload, DOSSIER_TYPES[kind])
    # The file is written only once the checks under the lock pass, and it is removed
    # again if anything after that fails, the commit included: the ExitStack closes
    # ``stored`` after the transaction.
    with ExitStack() as files, transaction.atomic():
        locked = _lock(nomination)
        _require_proposer(by, locked)
        _require_editable(locked)
        document = DossierFile(nomination=locked, kind=kind)
        document.describe(checked, by=by)
        files.enter_context(stored(document, checked))
        document.save()
        _event(
            locked,
            action="file_added",
            from_status=locked.status,
            by=by,
            reason=f"{document.get_kind_display()}: {document.original_name}",
        )
    return document
