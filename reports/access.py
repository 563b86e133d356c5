"""Who may see, write and request reports: the reports app's one scoping helper.

A report is visible to whoever may see its subject: the campaign
(campaigns.access.visible_campaigns), the bloc (pledges.access.visible_blocs) or
the body (a role over it). Drafts are written by those who run the subject: HR
staff who plan the campaign, the bloc's managers, HR staff of the body. Leaders of
the subject's body may request a generation of an existing draft.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from campaigns import access as unit_access
from campaigns.models import Role
from pledges import access as bloc_access

from .models import ReportDraft, ReportKind, ReportVersion

User = AbstractBaseUser | AnonymousUser


def visible_drafts(user: User) -> QuerySet[ReportDraft]:
    if unit_access.is_superuser(user):
        return ReportDraft.objects.all()
    if not user.is_authenticated:
        return ReportDraft.objects.none()
    campaigns = unit_access.visible_campaigns(user).values("pk")
    blocs = bloc_access.visible_blocs(user).values("pk")
    body = unit_access.subtree_q(user, field="body")
    return ReportDraft.objects.filter(
        Q(kind=ReportKind.PHASE_REVIEW, campaign__in=campaigns)
        | Q(kind=ReportKind.BLOC_YEAR, bloc_year__bloc__in=blocs)
        | (Q(kind=ReportKind.AWARD_STATISTICS) & body)
    )


def get_draft(user: User, pk: int) -> ReportDraft:
    try:
        return (
            visible_drafts(user)
            .select_related(
                "campaign",
                "campaign__issuing_unit",
                "phase",
                "bloc_year",
                "bloc_year__bloc",
                "body",
            )
            .get(pk=pk)
        )
    except ReportDraft.DoesNotExist:
        raise Http404 from None


def get_version(user: User, pk: int) -> ReportVersion:
    try:
        return ReportVersion.objects.select_related("draft").get(
            pk=pk, draft__in=visible_drafts(user).values("pk")
        )
    except ReportVersion.DoesNotExist:
        raise Http404 from None


def can_write(user: User, draft: ReportDraft) -> bool:
    """May edit the narrative (and request generations)."""
    if draft.kind == ReportKind.PHASE_REVIEW:
        return unit_access.can_plan(user, draft.campaign)
    if draft.kind == ReportKind.BLOC_YEAR:
        return bloc_access.can_manage(user, draft.bloc_year.bloc, draft.bloc_year)
    return unit_access.unit_in_scope(user, draft.body, {Role.HR_STAFF})


def can_request(user: User, draft: ReportDraft) -> bool:
    """May ask for a new generation: writers, and leaders over the subject's body."""
    if can_write(user, draft):
        return True
    return unit_access.unit_in_scope(user, draft.body, {Role.LEADER})
