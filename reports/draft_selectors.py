"""Reads of the report pages: the drafts list with each one's latest version, choices, staleness.

Every function runs a fixed number of queries whatever the number of rows a page
shows (DESIGN.md, "What done means"): the latest version is a subquery, and the
stale markers of a whole page come from one batch of grouped MAX queries.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import Campaign, CampaignStatus, Phase
from pledges.models import Commitment

from . import access
from .figures import phase_fingerprints
from .models import ReportDraft, ReportKind, ReportStatus, ReportVersion

User = AbstractBaseUser | AnonymousUser


def plannable_campaigns(user: User) -> QuerySet[Campaign]:
    """Campaigns whose phase reviews the user may write (campaigns.access.can_plan).

    HR staff over the issuing unit plan a campaign, and every campaign issued in a
    subtree of theirs is visible to them, so this is also a subset of
    ``visible_campaigns``. Archived campaigns are frozen: no new report drafts.
    """
    return (
        Campaign.objects.filter(
            unit_access.subtree_q(user, unit_access.PLAN_ROLES, field="issuing_unit")
        )
        .exclude(status=CampaignStatus.ARCHIVED)
        .select_related("issuing_unit")
        .order_by("-start_year", "name", "pk")
    )


def phases_of(campaigns: QuerySet[Campaign]) -> QuerySet[Phase]:
    return (
        Phase.objects.filter(campaign__in=campaigns.values("pk"))
        .select_related("campaign")
        .order_by("campaign__name", "campaign_id", "number", "pk")
    )


def draft_list(user: User) -> QuerySet[ReportDraft]:
    """The drafts the user can see, last worked on first, each with its latest version."""
    latest = ReportVersion.objects.filter(draft=OuterRef("pk")).order_by("-number")
    return (
        access.visible_drafts(user)
        .select_related("campaign", "phase", "body", "bloc_year__bloc")
        .annotate(
            latest_pk=Subquery(latest.values("pk")[:1]),
            latest_number=Subquery(latest.values("number")[:1]),
            latest_status=Subquery(latest.values("status")[:1]),
            latest_fingerprint=Subquery(latest.values("data_fingerprint")[:1]),
        )
        .order_by("-updated_at", "-pk")
    )


def stale_drafts(drafts: Iterable[ReportDraft]) -> set[int]:
    """Pks of the drafts (from ``draft_list``) whose latest finished version is stale.

    Phase reviews are checked together in a fixed number of queries. The other kinds'
    builders have no batch digest yet, so each of those costs its own digest.
    """
    from .services import fingerprint_of

    done = [
        draft
        for draft in drafts
        if draft.latest_status == ReportStatus.DONE and draft.latest_fingerprint
    ]
    phase_reviews = [draft for draft in done if draft.kind == ReportKind.PHASE_REVIEW]
    current = phase_fingerprints((d.campaign_id, d.phase_id) for d in phase_reviews)
    stale = {
        draft.pk
        for draft in phase_reviews
        if current[(draft.campaign_id, draft.phase_id)] != draft.latest_fingerprint
    }
    for draft in done:
        if draft.kind != ReportKind.PHASE_REVIEW:
            try:
                if fingerprint_of(draft) != draft.latest_fingerprint:
                    stale.add(draft.pk)
            except DomainError:  # a kind without a builder has nothing to compare
                continue
    return stale


def area_sections(draft: ReportDraft) -> list[tuple[str, str]]:
    """The per-item texts of a draft as (key in ``area_results``, label), in report order.

    A phase review writes one text per content area of the campaign; a bloc's yearly
    summary one per commitment of its pledges (reports/bloc_report.py); the award
    statistics none.
    """
    if draft.kind == ReportKind.PHASE_REVIEW:
        return [
            (
                str(area.pk),
                _("Nội dung %(number)s. %(title)s") % {"number": area.number, "title": area.title},
            )
            for area in draft.campaign.content_areas.order_by("number", "pk")
        ]
    if draft.kind == ReportKind.BLOC_YEAR:
        commitments = Commitment.objects.filter(pledge__bloc_year=draft.bloc_year_id).order_by(
            "pledge__ceremony_date", "pledge_id", "number", "pk"
        )
        return [
            (
                str(c.pk),
                _("Cam kết %(number)s. %(text)s")
                % {"number": c.number, "text": Truncator(c.text).chars(150)},
            )
            for c in commitments
        ]
    return []


def draft_versions(draft: ReportDraft) -> QuerySet[ReportVersion]:
    return draft.versions.select_related("requested_by").order_by("-number")


def stale_versions(draft: ReportDraft, versions: Iterable[ReportVersion]) -> set[int]:
    """Pks of the finished versions whose data has changed since (services.is_stale, batched)."""
    done = [v for v in versions if v.status == ReportStatus.DONE and v.data_fingerprint]
    if not done:
        return set()
    from .services import fingerprint_of

    current = fingerprint_of(draft)
    return {v.pk for v in done if v.data_fingerprint != current}
