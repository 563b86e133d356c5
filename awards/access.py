"""Who may see and do what in commendation work: the awards app's one scoping helper.

Built on campaigns.access (a role held for a unit reaches its subtree):
- see a nomination: any role over the proposing unit's subtree, or membership of a
  council session that has it on its agenda;
- propose (nominate, register): focal points and HR staff, for units in their subtree,
  and only for people and collectives inside the proposing unit;
- review (accept, return, council sessions, decisions): HR staff of the round's body;
- revoke, correct or annul an award record: HR staff of the body that issued it, or of
  a unit above it (``can_change_record``);
- vote: the members of that council session.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns import access as unit_access
from campaigns.models import Role, Unit

from .models import (
    AgendaItem,
    AwardRecord,
    AwardRound,
    CouncilSession,
    Nomination,
    Registration,
)

User = AbstractBaseUser | AnonymousUser

PROPOSE_ROLES = frozenset({Role.FOCAL_POINT, Role.HR_STAFF})
REVIEW_ROLES = frozenset({Role.HR_STAFF})


def visible_nominations(
    user: User, *, resolve: bool = False, scope_unit_ids: list[int] | None = None
) -> QuerySet[Nomination]:
    """Nominations the user may see.

    With ``resolve`` the scope's unit and agenda keys are read first (two small
    queries) and the nominations are filtered by those literal keys: PostgreSQL then
    reads one body's nominations through the ``(proposing_unit, year)`` index instead
    of scanning every nomination of the country against two hashed sub-plans. Worth
    it for the list pages; a lookup of one nomination is better served by the
    semi-joins. A page that has read the keys of ``visible_units(user)`` already
    passes them as ``scope_unit_ids`` (with ``resolve``), so they are not read twice.
    """
    if unit_access.is_superuser(user):
        return Nomination.objects.all()
    if not user.is_authenticated:
        return Nomination.objects.none()
    # Two semi-joins, not one join of nominations to agenda items, sessions and members
    # filtered by an OR across them: that shape made PostgreSQL read and join every
    # nomination of the country (200,000 rows: 7 s) to find one body's 8,839.
    units: Any = Unit.objects.filter(unit_access.subtree_q(user)).values("pk")
    on_agenda: Any = AgendaItem.objects.filter(session__members=user).values("nomination_id")
    if resolve:
        if scope_unit_ids is None:
            scope_unit_ids = list(units.order_by().values_list("pk", flat=True))
        units = scope_unit_ids
        on_agenda = sorted(set(on_agenda.order_by().values_list("nomination_id", flat=True)))
    return Nomination.objects.filter(Q(proposing_unit__in=units) | Q(pk__in=on_agenda))


def get_nomination(user: User, pk: int) -> Nomination:
    try:
        return (
            visible_nominations(user)
            .select_related(
                "round", "round__body", "proposing_unit", "award_type", "person", "unit"
            )
            .get(pk=pk)
        )
    except Nomination.DoesNotExist:
        raise Http404 from None


def proposing_units(user: User) -> QuerySet[Unit]:
    """Units on whose behalf the user may nominate and register."""
    return Unit.objects.filter(unit_access.subtree_q(user, PROPOSE_ROLES), is_active=True)


def can_propose_for(user: User, unit: Unit) -> bool:
    return unit_access.unit_in_scope(user, unit, PROPOSE_ROLES)


def visible_rounds(user: User) -> QuerySet[AwardRound]:
    """Rounds of bodies the user belongs to (their units or an ancestor run the round)."""
    if unit_access.is_superuser(user):
        return AwardRound.objects.all()
    paths = {g.path for g in unit_access.grants(user)}
    if not paths:
        return AwardRound.objects.none()
    ancestors: set[str] = set()
    for path in paths:
        ids = [part for part in path.strip("/").split("/") if part]
        ancestors.update("/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids)))
    below = unit_access.subtree_q(user, field="body")
    return AwardRound.objects.filter(below | Q(body__path__in=sorted(ancestors)))


def get_round(user: User, pk: int) -> AwardRound:
    try:
        return visible_rounds(user).select_related("body", "campaign", "phase").get(pk=pk)
    except AwardRound.DoesNotExist:
        raise Http404 from None


def can_review(user: User, body: Unit) -> bool:
    """HR staff of the body that runs the round (or of a unit above it)."""
    return unit_access.unit_in_scope(user, body, REVIEW_ROLES)


def record_issuer(record: AwardRecord) -> Unit | None:
    """The body that issued an award record: the one stored on the record, else its
    decision's body; None for an old row that nobody could attribute."""
    if record.issuing_body_id is not None:
        return record.issuing_body
    if record.decision_id is not None:
        return record.decision.body
    return None


def can_change_record(user: User, record: AwardRecord) -> bool:
    """Who may revoke (thu hồi), annul (hủy bỏ) or correct an award record.

    The policy: authority over an award belongs to the body that issued it
    (``record_issuer``): its HR staff, the HR staff of a unit above it, and
    superusers. Nobody else, and in particular:

    - not the recipient's unit: HR staff or the focal point of a department inside
      the body may see the department's awards but not change what their body granted;
    - not another body: HR staff of the body a recipient has since moved to see the
      person's history, awards granted elsewhere included, and change none of it;
    - leaders and council members never change a record.

    A record with no known issuer (an old row the migration could not attribute) is
    changed by a superuser only. Routes load the record through
    ``decision_selectors.get_record`` (404 when the user may not see it) and answer
    403 when this says no; the services ask again and refuse with a DomainError, so a
    call that bypasses the page changes nothing either.
    """
    if unit_access.is_superuser(user):
        return True
    issuer = record_issuer(record)
    return issuer is not None and unit_access.unit_in_scope(user, issuer, REVIEW_ROLES)


def visible_registrations(user: User) -> QuerySet[Registration]:
    return Registration.objects.filter(unit_access.subtree_q(user, field="unit"))


def visible_sessions(user: User) -> QuerySet[CouncilSession]:
    if unit_access.is_superuser(user):
        return CouncilSession.objects.all()
    if not user.is_authenticated:
        return CouncilSession.objects.none()
    reviewer = unit_access.subtree_q(user, REVIEW_ROLES | {Role.LEADER}, field="body")
    ids = CouncilSession.objects.filter(reviewer | Q(members=user)).values("pk")
    return CouncilSession.objects.filter(pk__in=ids)


def is_session_member(user: User, session: CouncilSession) -> bool:
    return bool(user.is_authenticated and session.members.filter(pk=user.pk).exists())


def in_scope(user: User, units: Iterable[Unit], roles: Iterable[str] | None = None) -> bool:
    return all(unit_access.unit_in_scope(user, unit, roles) for unit in units)
