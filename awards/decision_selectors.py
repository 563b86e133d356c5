"""Read side of award decisions and revocations, scoped to the user.

A decision is seen by the HR staff and leaders of the issuing body's subtree
(or of a unit above it); anyone else gets 404. An award record is seen by the
same people through its decision or its issuing body, and, for imported history
without a decision, by anyone with a role over the recipient's unit. Who may change
a record is awards.access.can_change_record.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from campaigns import access as unit_access
from campaigns.models import Role, Unit

from . import access
from .council_selectors import CANDIDATE_LIMIT
from .models import AwardDecision, AwardRecord, DecisionStatus, Nomination, NominationStatus

User = AbstractBaseUser | AnonymousUser
READ_ROLES = access.REVIEW_ROLES | {Role.LEADER}


def visible_decisions(user: User) -> QuerySet[AwardDecision]:
    if unit_access.is_superuser(user):
        return AwardDecision.objects.all()
    if not user.is_authenticated:
        return AwardDecision.objects.none()
    return AwardDecision.objects.filter(unit_access.subtree_q(user, READ_ROLES, field="body"))


def get_decision(user: User, pk: int) -> AwardDecision:
    try:
        return visible_decisions(user).select_related("body", "round", "issued_by").get(pk=pk)
    except AwardDecision.DoesNotExist:
        raise Http404 from None


def decision_list(user: User) -> QuerySet[AwardDecision]:
    return (
        visible_decisions(user)
        .select_related("body")
        .annotate(nomination_count=Count("nominations"))
        .order_by("-signed_on", "-pk")
    )


def decision_candidates(body: Unit, decision: AwardDecision | None = None) -> QuerySet[Nomination]:
    """Approved nominations of the body's rounds that no other draft decision holds."""
    drafts = AwardDecision.nominations.through.objects.filter(
        awarddecision__status=DecisionStatus.DRAFT
    )
    if decision is not None:
        drafts = drafts.exclude(awarddecision_id=decision.pk)
    queryset = Nomination.objects.filter(
        round__body=body, status=NominationStatus.APPROVED
    ).exclude(pk__in=drafts.values("nomination_id"))
    if decision is not None and decision.round_id:
        queryset = queryset.filter(round_id=decision.round_id)
    return queryset.select_related(
        "award_type", "person", "unit", "proposing_unit", "round"
    ).order_by("award_type__order", "award_type__name", "pk")


def limited(queryset: QuerySet) -> list:
    return list(queryset[:CANDIDATE_LIMIT])


def decision_nominations(decision: AwardDecision) -> QuerySet[Nomination]:
    return decision.nominations.select_related(
        "award_type", "person", "unit", "proposing_unit", "round", "award"
    ).order_by("award_type__order", "award_type__name", "pk")


def visible_records(user: User) -> QuerySet[AwardRecord]:
    if unit_access.is_superuser(user):
        return AwardRecord.objects.all()
    if not user.is_authenticated:
        return AwardRecord.objects.none()
    through_decision = unit_access.subtree_q(user, READ_ROLES, field="decision__body")
    issued = unit_access.subtree_q(user, READ_ROLES, field="issuing_body")
    imported = Q(decision__isnull=True) & (
        unit_access.subtree_q(user, field="person__unit")
        | unit_access.subtree_q(user, field="unit")
    )
    ids = AwardRecord.objects.filter(through_decision | issued | imported).values("pk")
    return AwardRecord.objects.filter(pk__in=ids)


def get_record(user: User, pk: int) -> AwardRecord:
    try:
        return (
            visible_records(user)
            .select_related(
                "award_type",
                "person",
                "person__unit",
                "unit",
                "decision",
                "decision__body",
                "issuing_body",
            )
            .get(pk=pk)
        )
    except AwardRecord.DoesNotExist:
        raise Http404 from None
