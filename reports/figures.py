"""Figures of a phase review, gathered in the database with aggregates.

Every function here runs a fixed number of queries whatever the number of
participating units, so a campaign that reaches 3,000 units costs the same number
of round trips as one that reaches ten. The PDF, the Word copy and the page all
read the same ``PhaseFigures``.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils import timezone

from awards.models import AwardRecord, Exemplar, Nomination, Registration, RegistrationEntry
from campaigns.models import (
    Campaign,
    ContentArea,
    Milestone,
    Phase,
    ProgressEntry,
    ProgressFigure,
    Target,
    Unit,
)
from pledges.models import Pledge, PledgeStatus, Signature


def _subtree(paths: list[str], field_name: str) -> Q:
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field_name}__startswith": path})
    return query


@dataclass
class TargetFigure:
    target: Target
    units_reporting: int
    total: Decimal | None
    average: Decimal | None

    @property
    def share_of_goal(self) -> Decimal | None:
        """Average result as a percentage of the goal (for % targets, the average itself)."""
        if self.average is None or not self.target.goal:
            return None
        return (self.average / self.target.goal * 100).quantize(Decimal("0.1"))


@dataclass
class AreaFigure:
    area: ContentArea
    units_reporting: int
    targets: list[TargetFigure] = field(default_factory=list)


@dataclass
class AwardRow:
    code: str
    name: str
    level: str
    individuals: int
    collectives: int
    previous: int

    @property
    def total(self) -> int:
        return self.individuals + self.collectives


@dataclass
class PhaseFigures:
    campaign: Campaign
    phase: Phase
    previous_phase: Phase | None
    units_taking_part: int
    units_reporting: int
    areas: list[AreaFigure]
    registrations: dict[str, int]
    registered_people: int
    pledges_signed: int
    signatures: int
    nominations: dict[str, int]
    awards: list[AwardRow]
    awards_by_year: dict[int, int]
    exemplars: list[Exemplar]
    milestones_met: list[Milestone]
    milestones_missed: list[Milestone]
    milestones_open: list[Milestone]
    gathered_at: datetime.datetime

    @property
    def awards_total(self) -> int:
        return sum(row.total for row in self.awards)


def phase_years(phase: Phase) -> tuple[int, int]:
    return phase.start_date.year, phase.end_date.year


def gather_phase_figures(campaign: Campaign, phase: Phase) -> PhaseFigures:
    paths = list(campaign.participating_units.values_list("path", flat=True))
    first, last = phase_years(phase)
    previous = (
        Phase.objects.filter(campaign=campaign, number__lt=phase.number).order_by("-number").first()
    )

    units_taking_part = Unit.objects.filter(_subtree(paths, "path"), is_active=True).count()
    entries = ProgressEntry.objects.filter(phase=phase)
    units_reporting = entries.values("unit").distinct().count()

    area_counts = dict(
        entries.values("content_area")
        .annotate(n=Count("unit", distinct=True))
        .values_list("content_area", "n")
    )
    target_stats = {
        row["target"]: row
        for row in ProgressFigure.objects.filter(entry__phase=phase)
        .values("target")
        .annotate(n=Count("entry__unit", distinct=True), total=Sum("value"), average=Avg("value"))
    }
    areas = []
    for area in campaign.content_areas.prefetch_related("targets").order_by("number"):
        figure = AreaFigure(area, area_counts.get(area.pk, 0))
        for target in area.targets.all():
            stats = target_stats.get(target.pk, {})
            average = stats.get("average")
            figure.targets.append(
                TargetFigure(
                    target,
                    stats.get("n", 0),
                    stats.get("total"),
                    Decimal(average).quantize(Decimal("0.01")) if average is not None else None,
                )
            )
        areas.append(figure)

    registrations_q = Registration.objects.filter(
        _subtree(paths, "unit__path"), year__gte=first, year__lte=last
    ).filter(Q(campaign=campaign) | Q(campaign__isnull=True))
    registrations = dict(
        registrations_q.values("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    registered_people = (
        RegistrationEntry.objects.filter(registration__in=registrations_q.values("pk"))
        .values("person")
        .distinct()
        .count()
    )

    pledges = Pledge.objects.filter(
        campaigns=campaign, bloc_year__year__gte=first, bloc_year__year__lte=last
    )
    pledges_signed = pledges.filter(status=PledgeStatus.SIGNED).count()
    signatures = Signature.objects.filter(pledge__in=pledges.values("pk")).count()

    in_scope = _subtree(paths, "person__unit__path") | _subtree(paths, "unit__path")
    nominations = dict(
        Nomination.objects.filter(in_scope, year__gte=first, year__lte=last)
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    awards_q = AwardRecord.objects.filter(in_scope, revoked_on__isnull=True)
    current = {
        row["award_type__code"]: row
        for row in awards_q.filter(year__gte=first, year__lte=last)
        .values("award_type__code", "award_type__name", "award_type__level", "award_type__order")
        .annotate(
            individuals=Count("pk", filter=Q(person__isnull=False)),
            collectives=Count("pk", filter=Q(unit__isnull=False)),
        )
    }
    before: dict[str, int] = {}
    if previous:
        p_first, p_last = phase_years(previous)
        before = dict(
            awards_q.filter(year__gte=p_first, year__lte=p_last)
            .values("award_type__code")
            .annotate(n=Count("pk"))
            .values_list("award_type__code", "n")
        )
    codes = sorted(
        set(current) | set(before),
        key=lambda c: (current.get(c, {}).get("award_type__order", 999), c),
    )
    names = {}
    if set(before) - set(current):
        from awards.models import AwardType

        names = {t.code: t for t in AwardType.objects.filter(code__in=set(before) - set(current))}
    awards = []
    for code in codes:
        row = current.get(code)
        if row:
            awards.append(
                AwardRow(
                    code,
                    row["award_type__name"],
                    row["award_type__level"],
                    row["individuals"],
                    row["collectives"],
                    before.get(code, 0),
                )
            )
        else:
            award_type = names[code]
            awards.append(
                AwardRow(code, award_type.name, award_type.level, 0, 0, before.get(code, 0))
            )
    awards_by_year = dict(
        awards_q.filter(year__gte=first, year__lte=last)
        .values("year")
        .annotate(n=Count("pk"))
        .order_by("year")
        .values_list("year", "n")
    )

    exemplars = list(
        Exemplar.objects.filter(campaigns=campaign, year__gte=first, year__lte=last).select_related(
            "person", "unit"
        )[:50]
    )
    milestones = list(
        Milestone.objects.filter(
            campaign=campaign, due_date__gte=phase.start_date, due_date__lte=phase.end_date
        )
        .select_related("responsible_unit")
        .order_by("due_date")
    )
    today = timezone.localdate()
    met = [m for m in milestones if m.done_date and m.done_date <= m.due_date]
    missed = [
        m
        for m in milestones
        if (m.done_date and m.done_date > m.due_date) or (not m.done_date and m.due_date < today)
    ]
    still_open = [m for m in milestones if not m.done_date and m.due_date >= today]

    return PhaseFigures(
        campaign=campaign,
        phase=phase,
        previous_phase=previous,
        units_taking_part=units_taking_part,
        units_reporting=units_reporting,
        areas=areas,
        registrations=registrations,
        registered_people=registered_people,
        pledges_signed=pledges_signed,
        signatures=signatures,
        nominations=nominations,
        awards=awards,
        awards_by_year=awards_by_year,
        exemplars=exemplars,
        milestones_met=met,
        milestones_missed=missed,
        milestones_open=still_open,
        gathered_at=timezone.now(),
    )


def phase_fingerprint(campaign: Campaign, phase: Phase) -> str:
    """A digest of what the figures depend on; it changes when any of that data changes.

    Every change writes a history row, so the newest history id of each source is
    enough: one indexed MAX per table, cheap enough to compute on every status page
    view. Sources specific to the campaign are filtered to it; the award,
    registration, nomination and pledge tables are taken whole, so a change
    elsewhere in the body can mark a report stale that did not strictly need it
    (a false "stale" is safe; a missed one is not).
    """
    return phase_fingerprints([(campaign.pk, phase.pk)])[(campaign.pk, phase.pk)]


def _latest_by(queryset: QuerySet, key: str) -> dict[int, int]:
    # order_by() drops the history ordering, which would otherwise join the GROUP BY.
    return dict(
        queryset.order_by()
        .values(key)
        .annotate(latest=Max("history_id"))
        .values_list(key, "latest")
    )


def phase_fingerprints(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], str]:
    """``phase_fingerprint`` of many (campaign id, phase id) pairs in a fixed number of queries.

    A list page marks stale reports with one grouped MAX per source, whatever the
    number of rows it shows.
    """
    pairs = list(dict.fromkeys(pairs))
    if not pairs:
        return {}
    campaigns = sorted({c for c, _p in pairs})
    phases = sorted({p for _c, p in pairs})
    per_campaign = [
        _latest_by(Campaign.history.filter(id__in=campaigns), "id"),
        _latest_by(Phase.history.filter(campaign_id__in=campaigns), "campaign_id"),
        _latest_by(ContentArea.history.filter(campaign_id__in=campaigns), "campaign_id"),
        _latest_by(
            Target.history.filter(content_area__campaign_id__in=campaigns),
            "content_area__campaign_id",
        ),
        _latest_by(Milestone.history.filter(campaign_id__in=campaigns), "campaign_id"),
    ]
    per_phase = _latest_by(ProgressEntry.history.filter(phase_id__in=phases), "phase_id")
    whole_tables = [
        source.aggregate(latest=Max("history_id"))["latest"] or 0
        for source in (
            ProgressFigure.history.all(),
            AwardRecord.history.all(),
            Registration.history.all(),
            RegistrationEntry.history.all(),
            Nomination.history.all(),
            Pledge.history.all(),
            Signature.history.all(),
            Exemplar.history.all(),
        )
    ]
    units: dict[int, list[int]] = {c: [] for c in campaigns}
    for campaign_id, unit_id in Campaign.participating_units.through.objects.filter(
        campaign_id__in=campaigns
    ).values_list("campaign_id", "unit_id"):
        units[campaign_id].append(unit_id)
    digests = {}
    for campaign_id, phase_id in pairs:
        parts: list = [latest.get(campaign_id) or 0 for latest in per_campaign]
        parts.append(per_phase.get(phase_id) or 0)
        parts.extend(whole_tables)
        parts.append(sorted(units[campaign_id]))
        digests[(campaign_id, phase_id)] = hashlib.sha256(repr(parts).encode()).hexdigest()
    return digests
