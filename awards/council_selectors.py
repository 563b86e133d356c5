"""Read side of council sessions: who may sit, what may go on the agenda, the tally.

Each helper is one query (or a fixed few), whatever the number of members or
items, so the session page, the minutes PDF and the closing service read the
same figures the same way.

The secret ballot: a secret item has counts (SecretCount) and receipts, never a
ballot row, and its counts are sealed (not read at all, for anyone, on any page,
export or PDF) until voting on the item is closed, i.e. its session is closed
(``voting_closed``). While sealed, its tally holds no number at all, not even how
many have voted: only ``sealed``, and ``has_votes`` (someone has voted, so the item
can no longer be withdrawn). Open items are shown as they are voted, with their
voters' names (``open_votes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Count, Q, QuerySet

from campaigns import access as unit_access
from campaigns.models import Role, Unit

from . import access
from .models import (
    AgendaItem,
    AwardRound,
    AwardType,
    Ballot,
    Choice,
    CouncilSession,
    Nomination,
    NominationStatus,
    Rule,
    RuleKind,
    RuleSet,
    SecretCount,
    SessionStatus,
    VoterReceipt,
)

User = get_user_model()

# Statuses a nomination on an open session's agenda can be in.
ON_AGENDA_STATUSES = (NominationStatus.ACCEPTED, NominationStatus.VOTED)
# At most this many candidate nominations are listed on the agenda and decision forms.
CANDIDATE_LIMIT = 200


def member_candidates(body: Unit) -> QuerySet:
    """Active users holding the council-member role for the body or a unit inside it."""
    return (
        User.objects.filter(
            is_active=True,
            role_assignments__role=Role.COUNCIL_MEMBER,
            role_assignments__unit__path__startswith=body.path,
            role_assignments__unit__is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def review_bodies(user: AbstractBaseUser) -> QuerySet[Unit]:
    """Units whose commendation the user reviews (HR staff) and that run an award round."""
    return (
        Unit.objects.filter(
            unit_access.subtree_q(user, access.REVIEW_ROLES),
            is_active=True,
            award_rounds__isnull=False,
        )
        .distinct()
        .order_by("path")
    )


def body_rounds(body: Unit) -> QuerySet[AwardRound]:
    return AwardRound.objects.filter(body=body).order_by("-year", "name")


def agenda_candidates(session: CouncilSession) -> QuerySet[Nomination]:
    """Accepted nominations of the body's rounds (of the session's round, if it has one)
    that are not already on the agenda of an open session."""
    busy = AgendaItem.objects.filter(
        session__status=SessionStatus.OPEN, nomination__status__in=ON_AGENDA_STATUSES
    ).values("nomination_id")
    queryset = Nomination.objects.filter(
        round__body=session.body, status=NominationStatus.ACCEPTED
    ).exclude(pk__in=busy)
    if session.round_id:
        queryset = queryset.filter(round_id=session.round_id)
    return queryset.select_related("award_type", "person", "unit", "proposing_unit", "round")


def council_rule(award_type: AwardType, year: int) -> tuple[bool, Decimal | None, str]:
    """(secret, required share or None for a simple majority, legal basis) in force.

    Read from the COUNCIL_APPROVAL rule of the rule set in force for the award type and
    year (params as documented in awards/rules.py). Without such a rule: an open vote
    and a strict majority of all members. Raises ValueError when the rule's share is not
    a number in (0, 1].
    """
    rule_set = RuleSet.in_force(award_type, year)
    if rule_set is None:
        return False, None, ""
    rule = (
        Rule.objects.filter(rule_set=rule_set, kind=RuleKind.COUNCIL_APPROVAL, is_enabled=True)
        .order_by("order", "pk")
        .first()
    )
    if rule is None:
        return False, None, ""
    params = rule.params if isinstance(rule.params, dict) else {}
    # As awards/rules.py reads it: a council rule without "secret" means a secret ballot.
    secret = bool(params.get("secret", True))
    raw = params.get("share")
    if raw in (None, ""):
        return secret, None, rule.legal_basis or rule_set.legal_basis
    try:
        share = Decimal(str(raw)).quantize(Decimal("0.0001"))
    except ArithmeticError as error:
        raise ValueError(raw) from error
    if not Decimal(0) < share <= Decimal(1):
        raise ValueError(raw)
    return secret, share, rule.legal_basis or rule_set.legal_basis


def is_approved(agree: int, member_count: int, required_share: Decimal | None) -> bool:
    """The council's rule: a share of ALL members, absent members counting as not agreeing.

    With a required share, agree / members ≥ share (compared exactly: 8 of 9 is below
    90 %); without one, a strict majority of all members.
    """
    if member_count <= 0:
        return False
    if required_share is None:
        return agree * 2 > member_count
    return Decimal(agree) >= required_share * member_count


def percent(agree: int, member_count: int) -> Decimal:
    """The approval share in percent, one decimal (for display and minutes)."""
    if member_count <= 0:
        return Decimal(0)
    return (Decimal(agree) * 100 / member_count).quantize(Decimal("0.1"), ROUND_HALF_UP)


def voting_closed(item: AgendaItem, session: CouncilSession) -> bool:
    """Voting on an item is closed with its session (the one place to change should items
    ever be closed one by one)."""
    return session.status == SessionStatus.CLOSED


@dataclass
class ItemTally:
    item: AgendaItem
    member_count: int
    agree: int = 0
    disagree: int = 0
    voted: int = 0
    # A secret item still being voted on: no count of it was read (agree, disagree and
    # voted stay 0 and mean nothing); pages show that voting is under way, nothing more.
    sealed: bool = False
    # Whether anyone has voted (receipts, not choices): an item is withdrawn before that only.
    has_votes: bool = False
    # Open items only: names per choice. Always empty for a secret item.
    agree_names: list[str] = field(default_factory=list)
    disagree_names: list[str] = field(default_factory=list)
    mine: bool = False  # the viewing user has voted on this item
    my_choice_label: str = ""  # their choice, for an open item only

    @property
    def not_voted(self) -> int:
        return max(self.member_count - self.voted, 0)

    @property
    def share(self) -> Decimal:
        return percent(self.agree, self.member_count)

    @property
    def required_percent(self) -> Decimal | None:
        share = self.item.required_share
        return None if share is None else (share * 100).quantize(Decimal("0.1"))

    @property
    def approved(self) -> bool:
        return is_approved(self.agree, self.member_count, self.item.required_share)


def display_name(user: AbstractBaseUser) -> str:
    return user.get_full_name() or user.get_username()


def session_agenda(session: CouncilSession) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(session=session)
        .select_related(
            "nomination",
            "nomination__award_type",
            "nomination__person",
            "nomination__unit",
            "nomination__proposing_unit",
            "nomination__round",
        )
        .order_by("pk")
    )


def session_members(session: CouncilSession) -> list:
    return list(session.members.order_by("last_name", "first_name", "username"))


def session_tally(
    session: CouncilSession,
    *,
    member_count: int,
    viewer: AbstractBaseUser | None = None,
    items: list[AgendaItem] | None = None,
    closing: bool = False,
) -> list[ItemTally]:
    """The tally of every agenda item, in a fixed number of queries.

    A secret item's counts are read only once voting on it is closed, or by the closing
    service itself (``closing``, under the session's lock, to decide); until then the
    item's tally is ``sealed`` and holds no count at all.
    """
    items = list(session_agenda(session)) if items is None else items
    tallies = {item.pk: ItemTally(item=item, member_count=member_count) for item in items}
    if not tallies:
        return []
    for tally in tallies.values():
        tally.sealed = tally.item.secret and not (closing or voting_closed(tally.item, session))
    readable = [pk for pk, tally in tallies.items() if not tally.sealed]
    if readable:
        counts = (
            Ballot.objects.filter(item_id__in=readable)
            .values("item_id")
            .annotate(
                agree=Count("pk", filter=Q(choice=Choice.AGREE)),
                disagree=Count("pk", filter=Q(choice=Choice.DISAGREE)),
            )
            .order_by()
        )
        for row in counts:
            tallies[row["item_id"]].agree = row["agree"]
            tallies[row["item_id"]].disagree = row["disagree"]
        secret = [pk for pk in readable if tallies[pk].item.secret]
        if secret:
            for item_id, choice, count in SecretCount.objects.filter(
                item_id__in=secret
            ).values_list("item_id", "choice", "count"):
                if choice == Choice.AGREE:
                    tallies[item_id].agree = count
                elif choice == Choice.DISAGREE:
                    tallies[item_id].disagree = count
    receipts = (
        VoterReceipt.objects.filter(item__session=session)
        .values("item_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in receipts:
        tally = tallies.get(row["item_id"])
        if tally is not None:
            tally.has_votes = row["n"] > 0
            if not tally.sealed:
                tally.voted = row["n"]
    for item_id, voter_name, choice in open_votes(session):
        tally = tallies.get(item_id)
        if tally is None or tally.item.secret:  # never names on a secret item
            continue
        (tally.agree_names if choice == Choice.AGREE else tally.disagree_names).append(voter_name)
    if viewer is not None and viewer.is_authenticated:
        for item_id in VoterReceipt.objects.filter(item__session=session, voter=viewer).values_list(
            "item_id", flat=True
        ):
            if item_id in tallies:
                tallies[item_id].mine = True
    return [tallies[item.pk] for item in items]


def open_votes(session: CouncilSession) -> list[tuple[int, str, str]]:
    """(item id, voter's name, choice) of the open (non-secret) items only."""
    rows = (
        Ballot.objects.filter(item__session=session, item__secret=False)
        .order_by("voter__last_name", "voter__first_name", "voter__username")
        .values_list(
            "item_id", "voter__first_name", "voter__last_name", "voter__username", "choice"
        )
    )
    return [
        (item_id, f"{first} {last}".strip() or username, choice)
        for item_id, first, last, username, choice in rows
    ]


def my_open_choices(session: CouncilSession, viewer: AbstractBaseUser) -> dict[int, str]:
    """The viewer's own choice on open items (a secret item's choice is stored with no one)."""
    if not viewer.is_authenticated:
        return {}
    return dict(
        Ballot.objects.filter(item__session=session, item__secret=False, voter=viewer).values_list(
            "item_id", "choice"
        )
    )


def participants(session: CouncilSession) -> set[int]:
    """Ids of the members who cast at least one ballot in the session (present)."""
    return set(
        VoterReceipt.objects.filter(item__session=session)
        .values_list("voter_id", flat=True)
        .distinct()
    )


def has_votes(session: CouncilSession) -> bool:
    return VoterReceipt.objects.filter(item__session=session).exists()


def sessions_with_counts(queryset: QuerySet[CouncilSession]) -> QuerySet[CouncilSession]:
    return queryset.select_related("body", "round").annotate(
        item_count=Count("agenda", distinct=True), member_count=Count("members", distinct=True)
    )
