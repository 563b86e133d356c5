"""Use cases of the emulation and commendation council (Hội đồng TĐKT). Atomic and guarded.

A session belongs to a body; its HR staff (awards.access.can_review) set it up,
put accepted nominations on its agenda and close it. Each agenda item takes its
voting rule from the COUNCIL_APPROVAL rule in force for the nomination's award
type and year (DOMAIN.md step 8): secret or not, and the required share of ALL
members; without a rule, open voting and a strict majority of all members.

Every write locks the session row first, so a vote and the closing never
interleave: a ballot is either counted in the result or refused as too late.

The secret ballot (Law 06/2022, Decree 98/2023 Art. 52): for a secret item a vote
writes a VoterReceipt (who voted, and the day) and adds one to its choice's SecretCount,
in one UPDATE that rewrites every count row of the item (1 added to the chosen one, 0
to the others); there is no ballot row. So no row, id, order or time pairs a member
with a choice: the receipts say who, the counts say how many, and nothing says which.
The counts stay sealed until voting on the item is closed (``council_selectors``).
The UPDATE is kept out of the SQL debug log (``_SecretBallotLogFilter``), whose
parameters would otherwise put the choice next to the receipt's voter. Open items keep
one named Ballot per vote. docs/reliability.md, "Secret ballots", has the design.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Unit
from campaigns.versioning import check_version

from . import access
from .council_selectors import (
    ON_AGENDA_STATUSES,
    council_rule,
    has_votes,
    is_approved,
    member_candidates,
    percent,
    session_agenda,
    session_tally,
)
from .models import (
    AgendaItem,
    AwardRound,
    Ballot,
    Choice,
    CouncilSession,
    Nomination,
    NominationEvent,
    NominationStatus,
    SecretCount,
    SessionStatus,
    VoterReceipt,
)


class _SecretBallotLogFilter(logging.Filter):
    """Drop SQL debug records that touch the secret counts (DEBUG=True logs every query
    with its parameters, which would put a secret choice next to the receipt's voter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        sql = getattr(record, "sql", None) or ""
        return SecretCount._meta.db_table not in str(sql)


_db_logger = logging.getLogger("django.db.backends")
if not any(isinstance(f, _SecretBallotLogFilter) for f in _db_logger.filters):
    _db_logger.addFilter(_SecretBallotLogFilter())


# Helpers -------------------------------------------------------------------------------------


def _date(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def _require_reviewer(user: AbstractBaseUser, body: Unit) -> None:
    if not access.can_review(user, body):
        raise DomainError(
            _("Chỉ cán bộ thi đua – khen thưởng của %(body)s mới thực hiện được thao tác này.")
            % {"body": body.name}
        )


def _lock(session: CouncilSession) -> CouncilSession:
    """Re-read the session under a row lock: votes, agenda changes and closing are serialised."""
    return (
        CouncilSession.objects.select_for_update(of=("self",))
        .select_related("body")
        .get(pk=session.pk)
    )


def _require_open(session: CouncilSession) -> None:
    if session.status != SessionStatus.OPEN:
        raise DomainError(
            _("Phiên họp “%(title)s” đã kết thúc; không thể thay đổi.") % {"title": session.title}
        )


def _event(
    nomination: Nomination,
    action: str,
    from_status: str,
    to_status: str,
    by: AbstractBaseUser | None,
    reason: str = "",
) -> NominationEvent:
    return NominationEvent(
        nomination=nomination,
        action=action,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        by=by,
    )


def _set_status(
    nomination: Nomination,
    status: str,
    *,
    action: str,
    by: AbstractBaseUser | None,
    reason: str = "",
) -> None:
    """Move a nomination to ``status``, with its history row and its event."""
    previous = nomination.status
    nomination.status = status
    nomination._history_user = by  # None: no user is recorded, not even the request's
    nomination._change_reason = action
    nomination.save(update_fields=["status"])
    _event(nomination, action, previous, status, by, reason).save()


def _check_members(body: Unit, members: Iterable[AbstractBaseUser]) -> list[AbstractBaseUser]:
    members = list(members)
    if not members:
        raise DomainError(_("Hội đồng phải có ít nhất một thành viên."))
    allowed = set(member_candidates(body).values_list("pk", flat=True))
    outsiders = [m for m in members if m.pk not in allowed]
    if outsiders:
        raise DomainError(
            _("%(names)s không phải thành viên Hội đồng Thi đua – Khen thưởng của %(body)s.")
            % {
                "names": ", ".join(m.get_full_name() or m.get_username() for m in outsiders),
                "body": body.name,
            }
        )
    return members


# Sessions ------------------------------------------------------------------------------------


@transaction.atomic
def session_create(
    *,
    body: Unit,
    by: AbstractBaseUser,
    title: str,
    held_on: datetime.date,
    members: Iterable[AbstractBaseUser],
    chair: str = "",
    round: AwardRound | None = None,
) -> CouncilSession:
    """Open a council session of ``body`` with its members (council members of the body)."""
    _require_reviewer(by, body)
    members = _check_members(body, members)
    if round is not None and round.body_id != body.pk:
        raise DomainError(
            _("Đợt khen thưởng “%(round)s” không thuộc %(body)s.")
            % {"round": round.name, "body": body.name}
        )
    session = CouncilSession(body=body, round=round, title=title, held_on=held_on, chair=chair)
    session._history_user = by
    session.save()
    session.members.set(members)
    return session


@transaction.atomic
def session_update(
    *,
    session: CouncilSession,
    by: AbstractBaseUser,
    title: str,
    held_on: datetime.date,
    members: Iterable[AbstractBaseUser],
    chair: str = "",
    expected_version: int | None = None,
) -> CouncilSession:
    """Change an open session. Its members are fixed once anyone has voted: the approval
    share is counted over them. The form's version is checked under the row lock."""
    session = _lock(session)
    _require_reviewer(by, session.body)
    _require_open(session)
    check_version(session, expected_version)
    members = _check_members(session.body, members)
    if {m.pk for m in members} != set(session.members.values_list("pk", flat=True)) and has_votes(
        session
    ):
        raise DomainError(
            _(
                "Đã có thành viên bỏ phiếu nên không thể thay đổi thành phần Hội đồng của "
                "phiên họp này."
            )
        )
    session.title, session.held_on, session.chair = title, held_on, chair
    session.version += 1
    session._history_user = by
    session.save()
    session.members.set(members)
    return session


# The agenda ----------------------------------------------------------------------------------


@transaction.atomic
def agenda_add(
    *, session: CouncilSession, by: AbstractBaseUser, nominations: Iterable[Nomination]
) -> list[AgendaItem]:
    """Put accepted nominations of the body's rounds on the agenda, each with the voting
    rule (secret, required share) in force for its award type and year."""
    session = _lock(session)
    _require_reviewer(by, session.body)
    _require_open(session)
    ids = [n.pk for n in nominations]
    if not ids:
        raise DomainError(_("Hãy chọn ít nhất một đề nghị."))
    locked = list(
        Nomination.objects.select_for_update(of=("self",))
        .select_related("round", "award_type")
        .filter(pk__in=ids)
        .order_by("pk")
    )
    busy = set(
        AgendaItem.objects.filter(
            nomination_id__in=ids,
            session__status=SessionStatus.OPEN,
            nomination__status__in=ON_AGENDA_STATUSES,
        ).values_list("nomination_id", flat=True)
    )
    items, events = [], []
    for nomination in locked:
        if nomination.round.body_id != session.body_id or (
            session.round_id and nomination.round_id != session.round_id
        ):
            raise DomainError(
                _("Đề nghị “%(nomination)s” không thuộc đợt khen thưởng của phiên họp này.")
                % {"nomination": nomination}
            )
        if nomination.status != NominationStatus.ACCEPTED:
            raise DomainError(
                _(
                    "Đề nghị “%(nomination)s” đang ở trạng thái “%(status)s”; chỉ đề nghị đã "
                    "được đưa ra Hội đồng mới vào chương trình họp."
                )
                % {"nomination": nomination, "status": nomination.get_status_display()}
            )
        if nomination.pk in busy:
            raise DomainError(
                _("Đề nghị “%(nomination)s” đã có trong chương trình một phiên họp khác.")
                % {"nomination": nomination}
            )
        try:
            secret, share, basis = council_rule(nomination.award_type, nomination.year)
        except ValueError:
            raise DomainError(
                _(
                    "Tỷ lệ đồng ý của Hội đồng quy định cho “%(award)s” năm %(year)s không hợp "
                    "lệ; hãy sửa bộ tiêu chuẩn trước."
                )
                % {"award": nomination.award_type, "year": nomination.year}
            ) from None
        items.append(
            AgendaItem(session=session, nomination=nomination, secret=secret, required_share=share)
        )
        rule = (
            _("bỏ phiếu kín") if secret else _("biểu quyết công khai"),
            _("tỷ lệ đồng ý từ %(share)s%% tổng số thành viên")
            % {"share": f"{share * 100:.1f}".replace(".", ",")}
            if share is not None
            else _("quá nửa tổng số thành viên đồng ý"),
        )
        reason = _("Phiên họp “%(title)s” ngày %(date)s; %(rule)s%(basis)s.") % {
            "title": session.title,
            "date": _date(session.held_on),
            "rule": "; ".join(str(part) for part in rule),
            "basis": f" ({basis})" if basis else "",
        }
        events.append(
            _event(
                nomination,
                "awards.council.item_added",
                nomination.status,
                nomination.status,
                by,
                reason,
            )
        )
    missing = set(ids) - {n.pk for n in locked}
    if missing:
        raise DomainError(_("Có đề nghị đã chọn không còn tồn tại."))
    try:
        with transaction.atomic():
            AgendaItem.objects.bulk_create(items)
    except IntegrityError:
        raise DomainError(_("Có đề nghị đã có trong chương trình phiên họp này.")) from None
    _create_counts([item for item in items if item.secret])
    NominationEvent.objects.bulk_create(events)
    return items


@transaction.atomic
def agenda_remove(*, item: AgendaItem, by: AbstractBaseUser) -> None:
    """Take an item off the agenda before anyone has voted on it (the event keeps the trace)."""
    session = _lock(item.session)
    _require_reviewer(by, session.body)
    _require_open(session)
    item = AgendaItem.objects.select_related("nomination").get(pk=item.pk)
    if VoterReceipt.objects.filter(item=item).exists():
        raise DomainError(
            _("Đã có thành viên bỏ phiếu cho đề nghị này nên không thể rút khỏi chương trình.")
        )
    nomination = item.nomination
    SecretCount.objects.filter(item=item).delete()  # all at zero: nobody has voted
    item.delete()
    _event(
        nomination,
        "awards.council.item_removed",
        nomination.status,
        nomination.status,
        by,
        _("Rút khỏi chương trình phiên họp “%(title)s”.") % {"title": session.title},
    ).save()


# Votes ---------------------------------------------------------------------------------------


def _create_counts(items: Iterable[AgendaItem]) -> None:
    """Every choice's count of each secret item, at zero, in one statement: the rows exist
    (ids, order, time of writing) before anyone votes, and do not depend on any choice."""
    SecretCount.objects.bulk_create(
        [SecretCount(item=item, choice=choice) for item in items for choice in Choice.values],
        ignore_conflicts=True,
    )


def _count_secret_vote(item: AgendaItem, choice: str) -> None:
    """Add one to ``choice`` on a secret item, rewriting every count row of the item in the
    same UPDATE (0 added to the others), so which row changed is not written anywhere
    (not even in which rows this transaction touched). The session row is locked."""
    add = Case(When(choice=Value(choice), then=Value(1)), default=Value(0))
    updated = SecretCount.objects.filter(item=item).update(count=F("count") + add)
    if updated != len(Choice.values):  # an item made without its counts (older data, a test)
        _create_counts([item])
        updated = SecretCount.objects.filter(item=item).update(count=F("count") + add)
    if updated != len(Choice.values):  # pragma: no cover - the unique constraint forbids it
        raise RuntimeError(f"agenda item {item.pk}: {updated} secret count rows")


@transaction.atomic
def vote_cast(*, item: AgendaItem, voter: AbstractBaseUser, choice: str) -> None:
    """Record a member's vote on an item, once. The receipt says who voted; for a secret
    item the vote is only counted, for an open item the ballot names its voter."""
    if choice not in Choice.values:
        raise DomainError(_("Phiếu không hợp lệ: hãy chọn Đồng ý hoặc Không đồng ý."))
    session = _lock(item.session)
    _require_open(session)
    if not session.members.filter(pk=voter.pk).exists():
        raise DomainError(_("Bạn không phải thành viên Hội đồng của phiên họp này."))
    item = AgendaItem.objects.select_related("nomination").get(pk=item.pk)
    nomination = item.nomination
    if nomination.status not in ON_AGENDA_STATUSES:
        raise DomainError(
            _("Đề nghị “%(nomination)s” đang ở trạng thái “%(status)s”, không còn chờ bỏ phiếu.")
            % {"nomination": nomination, "status": nomination.get_status_display()}
        )
    already = _("Bạn đã bỏ phiếu cho đề nghị này; mỗi thành viên chỉ bỏ phiếu một lần.")
    if VoterReceipt.objects.filter(item=item, voter=voter).exists():
        raise DomainError(already)
    try:
        with transaction.atomic():
            VoterReceipt.objects.create(item=item, voter=voter)
    except IntegrityError:  # a concurrent request by the same member got there first
        raise DomainError(already) from None
    if item.secret:
        _count_secret_vote(item, choice)
    else:
        Ballot.objects.create(item=item, voter=voter, choice=choice)
    if nomination.status == NominationStatus.ACCEPTED:
        # The session's step, not the voter's: no user is recorded on this change.
        _set_status(
            nomination,
            NominationStatus.VOTED,
            action="awards.nomination.voted",
            by=None,
            reason=_("Hội đồng bắt đầu bỏ phiếu tại phiên họp “%(title)s”.")
            % {"title": session.title},
        )


# Closing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    item_id: int
    nomination_id: int
    agree: int
    member_count: int
    required_share: Decimal | None
    approved: bool
    changed: bool


def result_text(agree: int, member_count: int, required_share: Decimal | None) -> str:
    share = f"{percent(agree, member_count)}".replace(".", ",")
    if required_share is None:
        rule = _("cần quá nửa tổng số thành viên")
    else:
        rule = _("cần từ %(share)s%%") % {"share": f"{required_share * 100:.1f}".replace(".", ",")}
    return _(
        "%(agree)s/%(members)s thành viên đồng ý (%(share)s%% tổng số thành viên; %(rule)s)."
    ) % {"agree": agree, "members": member_count, "share": share, "rule": rule}


@transaction.atomic
def session_close(*, session: CouncilSession, by: AbstractBaseUser) -> list[ItemResult]:
    """Close the session and decide each item: approved when the agreeing members reach the
    required share of ALL members (absent members count as not agreeing), else rejected."""
    session = _lock(session)
    _require_reviewer(by, session.body)
    _require_open(session)
    items = list(session_agenda(session))
    if not items:
        raise DomainError(_("Phiên họp chưa có đề nghị nào trong chương trình."))
    # Lock the nominations and read their current status (another page may have moved one).
    statuses = dict(
        Nomination.objects.select_for_update()
        .filter(pk__in=[item.nomination_id for item in items])
        .order_by("pk")
        .values_list("pk", "status")
    )
    member_count = session.members.count()
    # Voting closes here, under the session's lock: the secret counts are read to decide.
    tallies = session_tally(session, member_count=member_count, items=items, closing=True)
    results = []
    for tally in tallies:
        item = tally.item
        nomination = item.nomination
        nomination.status = statuses[nomination.pk]
        approved = is_approved(tally.agree, member_count, item.required_share)
        changed = nomination.status in ON_AGENDA_STATUSES
        if changed:
            _set_status(
                nomination,
                NominationStatus.APPROVED if approved else NominationStatus.REJECTED,
                action="awards.nomination.approved" if approved else "awards.nomination.rejected",
                by=by,
                reason=_("Phiên họp “%(title)s” ngày %(date)s: %(result)s")
                % {
                    "title": session.title,
                    "date": _date(session.held_on),
                    "result": result_text(tally.agree, member_count, item.required_share),
                },
            )
        results.append(
            ItemResult(
                item_id=item.pk,
                nomination_id=nomination.pk,
                agree=tally.agree,
                member_count=member_count,
                required_share=item.required_share,
                approved=approved,
                changed=changed,
            )
        )
    session.status = SessionStatus.CLOSED
    session._history_user = by
    session._change_reason = "awards.council.closed"
    session.save(update_fields=["status"])
    return results
