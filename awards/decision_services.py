"""Use cases of award decisions (quyết định khen thưởng) and revocations. Atomic and guarded.

HR staff of a body draft a decision listing nominations the council approved,
then issue it: in one transaction each nomination becomes "decided" and gets
its AwardRecord. An issued decision does not change. An award is revoked
(Law 06/2022, Chapter VII) by recording the revoking decision, the reason and
the date; the record stays, marked revoked. Every step writes a NominationEvent
and a history row with the user.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns.errors import DomainError
from campaigns.models import Unit
from campaigns.versioning import check_version

from . import access
from .models import (
    AwardDecision,
    AwardRecord,
    AwardRound,
    DecisionStatus,
    Nomination,
    NominationEvent,
    NominationStatus,
)


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _require_reviewer(user: AbstractBaseUser, body: Unit) -> None:
    if not access.can_review(user, body):
        raise DomainError(
            _("Chỉ cán bộ thi đua – khen thưởng của %(body)s mới thực hiện được thao tác này.")
            % {"body": body.name}
        )


def require_record_authority(user: AbstractBaseUser, record: AwardRecord) -> None:
    """The services' guard of awards.access.can_change_record (revoke, annul, correct)."""
    if not access.can_change_record(user, record):
        issuer = access.record_issuer(record)
        raise DomainError(
            _("Chỉ cán bộ thi đua – khen thưởng của %(body)s mới thực hiện được thao tác này.")
            % {"body": issuer.name}
            if issuer is not None
            else _(
                "Khen thưởng này chưa rõ cơ quan khen thưởng; chỉ quản trị hệ thống thay đổi được."
            )
        )


def _lock(decision: AwardDecision) -> AwardDecision:
    return (
        AwardDecision.objects.select_for_update(of=("self",))
        .select_related("body", "round", "round__campaign", "round__phase")
        .get(pk=decision.pk)
    )


def _require_draft(decision: AwardDecision) -> None:
    if decision.status != DecisionStatus.DRAFT:
        raise DomainError(
            _("Quyết định số %(number)s đã ban hành; không thể thay đổi.")
            % {"number": decision.number}
        )


def _number_taken(body: Unit, number: str, exclude: int | None = None) -> DomainError | None:
    others = AwardDecision.objects.filter(body=body, number__iexact=number)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if others.exists():
        return DomainError(
            _("%(body)s đã có quyết định số %(number)s.") % {"body": body.name, "number": number}
        )
    return None


def _check_nominations(
    body: Unit,
    round: AwardRound | None,
    nominations: Iterable[Nomination],
    decision: AwardDecision | None,
) -> list[Nomination]:
    """Lock and check the nominations a draft lists: approved, of the body's rounds, in no
    other draft decision."""
    ids = sorted({n.pk for n in nominations})
    if not ids:
        raise DomainError(_("Quyết định phải có ít nhất một đề nghị được khen thưởng."))
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round", "award_type", "person", "unit")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    if len(locked) != len(ids):
        raise DomainError(_("Có đề nghị đã chọn không còn tồn tại."))
    others = AwardDecision.nominations.through.objects.filter(
        nomination_id__in=ids, awarddecision__status=DecisionStatus.DRAFT
    )
    if decision is not None:
        others = others.exclude(awarddecision_id=decision.pk)
    in_other = dict(others.values_list("nomination_id", "awarddecision__number"))
    for nomination in locked:
        if nomination.round.body_id != body.pk or (round and nomination.round_id != round.pk):
            raise DomainError(
                _("Đề nghị “%(nomination)s” không thuộc đợt khen thưởng của %(body)s.")
                % {"nomination": nomination, "body": body.name}
            )
        if nomination.status != NominationStatus.APPROVED:
            raise DomainError(
                _(
                    "Đề nghị “%(nomination)s” đang ở trạng thái “%(status)s”; quyết định chỉ "
                    "gồm các đề nghị được Hội đồng thông qua."
                )
                % {"nomination": nomination, "status": nomination.get_status_display()}
            )
        if nomination.pk in in_other:
            raise DomainError(
                _("Đề nghị “%(nomination)s” đã có trong dự thảo quyết định số %(number)s.")
                % {"nomination": nomination, "number": in_other[nomination.pk]}
            )
    return locked


def _draft_events(
    decision: AwardDecision, added: list[Nomination], removed: list[Nomination], by
) -> None:
    events = [
        NominationEvent(
            nomination=n,
            action="awards.decision.draft_added",
            from_status=n.status,
            to_status=n.status,
            reason=_("Đưa vào dự thảo quyết định số %(number)s.") % {"number": decision.number},
            by=by,
        )
        for n in added
    ] + [
        NominationEvent(
            nomination=n,
            action="awards.decision.draft_removed",
            from_status=n.status,
            to_status=n.status,
            reason=_("Bỏ khỏi dự thảo quyết định số %(number)s.") % {"number": decision.number},
            by=by,
        )
        for n in removed
    ]
    NominationEvent.objects.bulk_create(events)


# Drafts --------------------------------------------------------------------------------------


@transaction.atomic
def decision_create(
    *,
    body: Unit,
    by: AbstractBaseUser,
    number: str,
    signed_on: datetime.date,
    signer_name: str,
    signer_position: str,
    nominations: Iterable[Nomination],
    round: AwardRound | None = None,
) -> AwardDecision:
    """Draft a decision of ``body`` granting approved nominations."""
    _require_reviewer(by, body)
    if round is not None and round.body_id != body.pk:
        raise DomainError(
            _("Đợt khen thưởng “%(round)s” không thuộc %(body)s.")
            % {"round": round.name, "body": body.name}
        )
    error = _number_taken(body, number)
    if error:
        raise error
    locked = _check_nominations(body, round, nominations, None)
    decision = AwardDecision(
        body=body,
        round=round,
        number=number,
        signed_on=signed_on,
        signer_name=signer_name,
        signer_position=signer_position,
    )
    decision._history_user = by
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise DomainError(
            _("%(body)s đã có quyết định số %(number)s.") % {"body": body.name, "number": number}
        ) from None
    decision.nominations.set(locked)
    _draft_events(decision, locked, [], by)
    return decision


@transaction.atomic
def decision_update(
    *,
    decision: AwardDecision,
    by: AbstractBaseUser,
    number: str,
    signed_on: datetime.date,
    signer_name: str,
    signer_position: str,
    nominations: Iterable[Nomination],
    expected_version: int | None = None,
) -> AwardDecision:
    """Change a draft decision (number, date, signer, the nominations it grants); the
    form's version is checked under the row lock (campaigns.versioning)."""
    decision = _lock(decision)
    _require_reviewer(by, decision.body)
    _require_draft(decision)
    check_version(decision, expected_version)
    error = _number_taken(decision.body, number, exclude=decision.pk)
    if error:
        raise error
    locked = _check_nominations(decision.body, decision.round, nominations, decision)
    before = {n.pk: n for n in decision.nominations.all()}
    after = {n.pk: n for n in locked}
    decision.number, decision.signed_on = number, signed_on
    decision.signer_name, decision.signer_position = signer_name, signer_position
    decision.version += 1
    decision._history_user = by
    try:
        with transaction.atomic():
            decision.save()
    except IntegrityError:
        raise DomainError(
            _("%(body)s đã có quyết định số %(number)s.")
            % {"body": decision.body.name, "number": number}
        ) from None
    decision.nominations.set(locked)
    _draft_events(
        decision,
        [n for pk, n in after.items() if pk not in before],
        [n for pk, n in before.items() if pk not in after],
        by,
    )
    return decision


# Issuing -------------------------------------------------------------------------------------


@transaction.atomic
def decision_issue(*, decision: AwardDecision, by: AbstractBaseUser) -> list[AwardRecord]:
    """Issue the decision: every nomination it lists becomes "decided" and gets its award
    record (award type, recipient, year, track, the round's campaign and phase)."""
    decision = _lock(decision)
    _require_reviewer(by, decision.body)
    _require_draft(decision)
    nominations = _check_nominations(
        decision.body, decision.round, decision.nominations.all(), decision
    )
    existing = set(
        AwardRecord.objects.filter(nomination__in=nominations).values_list(
            "nomination_id", flat=True
        )
    )
    if existing:
        raise DomainError(_("Có đề nghị trong quyết định đã được khen thưởng trước đó."))
    rounds = {
        r.pk: r
        for r in AwardRound.objects.filter(pk__in={n.round_id for n in nominations})
        .select_related("campaign", "phase")
        .order_by()
    }
    records = []
    for nomination in nominations:
        source = rounds[nomination.round_id]
        records.append(
            AwardRecord(
                award_type=nomination.award_type,
                person=nomination.person,
                unit=nomination.unit,
                year=nomination.year,
                track=nomination.track,
                decision=decision,
                issuing_body=decision.body,
                nomination=nomination,
                campaign=source.campaign,
                phase=source.phase,
                decision_number=decision.number,
                decision_date=decision.signed_on,
            )
        )
    records = bulk_create_with_history(
        records,
        AwardRecord,
        default_user=by,
        default_change_reason="awards.decision.issued",
    )
    reason = _("Quyết định số %(number)s ngày %(date)s, %(signer)s ký.") % {
        "number": decision.number,
        "date": _date(decision.signed_on),
        "signer": decision.signer_name,
    }
    events = [
        NominationEvent(
            nomination=n,
            action="awards.nomination.decided",
            from_status=n.status,
            to_status=NominationStatus.DECIDED,
            reason=reason,
            by=by,
        )
        for n in nominations
    ]
    for nomination in nominations:
        nomination.status = NominationStatus.DECIDED
    bulk_update_with_history(
        nominations,
        Nomination,
        ["status"],
        default_user=by,
        default_change_reason="awards.nomination.decided",
    )
    NominationEvent.objects.bulk_create(events)
    decision.status = DecisionStatus.ISSUED
    decision.issued_at = timezone.now()
    decision.issued_by = by
    decision._history_user = by
    decision._change_reason = "awards.decision.issued"
    decision.save(update_fields=["status", "issued_at", "issued_by"])
    return records


# Revocation ----------------------------------------------------------------------------------


@transaction.atomic
def award_revoke(
    *,
    record: AwardRecord,
    by: AbstractBaseUser,
    revocation_decision: str,
    reason: str,
    revoked_on: datetime.date,
) -> AwardRecord:
    """Revoke an award (Chapter VII of the Law): the record stays, marked revoked, with the
    revoking decision, the reason and the date."""
    record = (
        AwardRecord.objects.select_for_update(of=("self",))
        .select_related("decision", "decision__body", "issuing_body")
        .get(pk=record.pk)
    )
    require_record_authority(by, record)
    if record.revoked_on is not None:
        raise DomainError(
            _("Khen thưởng này đã bị thu hồi ngày %(date)s.") % {"date": _date(record.revoked_on)}
        )
    if not revocation_decision.strip():
        raise DomainError(_("Hãy ghi quyết định thu hồi."))
    if not reason.strip():
        raise DomainError(_("Hãy ghi lý do thu hồi."))
    if revoked_on > timezone.localdate():
        raise DomainError(_("Ngày thu hồi không được sau ngày hôm nay."))
    granted_on = record.decision.signed_on if record.decision_id else record.decision_date
    if granted_on and revoked_on < granted_on:
        raise DomainError(
            _("Ngày thu hồi không được trước ngày quyết định khen thưởng (%(date)s).")
            % {"date": _date(granted_on)}
        )
    record.revoked_on = revoked_on
    record.revocation_decision = revocation_decision
    record.revocation_reason = reason
    record._history_user = by
    record._change_reason = "awards.award.revoked"
    record.save(update_fields=["revoked_on", "revocation_decision", "revocation_reason"])
    if record.nomination_id:
        status = Nomination.objects.filter(pk=record.nomination_id).values_list(
            "status", flat=True
        )[0]
        NominationEvent.objects.create(
            nomination_id=record.nomination_id,
            action="awards.award.revoked",
            from_status=status,
            to_status=status,
            reason=_("Thu hồi theo %(decision)s ngày %(date)s: %(reason)s")
            % {"decision": revocation_decision, "date": _date(revoked_on), "reason": reason},
            by=by,
        )
    return record
