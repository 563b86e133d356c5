"""Read side of campaigns: one query helper per page or report section."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import (
    Campaign,
    CampaignStatus,
    ContentArea,
    Milestone,
    Person,
    Phase,
    ProgressEntry,
    Target,
    Unit,
)
from .text import fold

CAMPAIGN_LIST_FIELDS = (
    "pk",
    "name",
    "plan_number",
    "start_year",
    "end_year",
    "kind",
    "status",
    "issuing_unit__name",
    "issuing_unit__short_name",
)


def campaign_list(
    campaigns: QuerySet[Campaign],
    *,
    q: str = "",
    status: str = "",
    kind: str = "",
    year: int | None = None,
    issuing_unit: Unit | None = None,
) -> QuerySet[Campaign]:
    """Filter a visible-campaign queryset; search ignores diacritics and case."""
    if q:
        for word in fold(q).split():
            campaigns = campaigns.filter(search_text__contains=word)
    if status == "all":
        pass
    elif status:
        campaigns = campaigns.filter(status=status)
    else:
        campaigns = campaigns.exclude(status=CampaignStatus.ARCHIVED)
    if kind:
        campaigns = campaigns.filter(kind=kind)
    if year:
        campaigns = campaigns.filter(start_year__lte=year, end_year__gte=year)
    if issuing_unit is not None:
        campaigns = campaigns.filter(issuing_unit=issuing_unit)
    # The columns the list shows (the campaign row also holds objectives, motto,
    # search text...), and the phase count as a subquery per row rather than a
    # join grouped by every selected column.
    phases = (
        Phase.objects.filter(campaign=OuterRef("pk"))
        .order_by()
        .values("campaign")
        .annotate(n=Count("*"))
        .values("n")
    )
    return (
        campaigns.select_related("issuing_unit")
        .only(*CAMPAIGN_LIST_FIELDS)
        .annotate(phase_count=Coalesce(Subquery(phases, output_field=IntegerField()), 0))
        .order_by("-start_year", "name", "pk")
    )


def campaign_page(campaign: Campaign) -> dict[str, Any]:
    """Everything the campaign page shows, in a fixed number of queries (five).

    Each content area carries its targets as ``area.target_list``, read with the
    areas in one query (areas LEFT JOIN targets) rather than a prefetch.
    """
    # Explicit orderings: the models' default ones start with "campaign", which
    # makes each query join the campaign table only to sort by a constant.
    phases = list(campaign.phases.order_by("number"))
    milestones = list(
        campaign.milestones.select_related("responsible_unit")
        .only(
            "pk",
            "campaign",
            "title",
            "due_date",
            "done_date",
            "responsible_unit__name",
            "responsible_unit__short_name",
        )
        .order_by("due_date", "pk")
    )
    participants = list(campaign.participating_units.only("pk", "name").order_by("path"))
    linked = list(campaign.linked_campaigns.only("pk", "name", "short_name"))
    return {
        "phases": phases,
        "areas": _areas_with_targets(campaign),
        "milestones": milestones,
        "participants": participants,
        "linked": linked,
    }


def _areas_with_targets(campaign: Campaign) -> list[ContentArea]:
    """The campaign's content areas in order, each with ``target_list``, in one query."""
    rows = (
        ContentArea.objects.filter(campaign_id=campaign.pk)
        .order_by("number", "pk", "targets__number", "targets__pk")
        .values_list(
            "pk",
            "number",
            "title",
            "description",
            "targets__pk",
            "targets__number",
            "targets__text",
            "targets__goal",
            "targets__unit_of_measure",
        )
    )
    areas: dict[int, ContentArea] = {}
    for area_pk, number, title, description, target_pk, *target in rows:
        area = areas.get(area_pk)
        if area is None:
            area = ContentArea(
                pk=area_pk,
                campaign=campaign,
                number=number,
                title=title,
                description=description,
            )
            area.target_list = []
            areas[area_pk] = area
        if target_pk is not None:  # an area without targets still has its row
            t_number, text, goal, unit_of_measure = target
            area.target_list.append(
                Target(
                    pk=target_pk,
                    content_area=area,
                    number=t_number,
                    text=text,
                    goal=goal,
                    unit_of_measure=unit_of_measure,
                )
            )
    return list(areas.values())


@dataclass
class TimelineItem:
    date: datetime.date
    kind: str  # "phase_start", "phase_end", "review", "milestone"
    title: str
    state: str  # done / overdue / due_soon / upcoming / past
    detail: str = ""


def campaign_timeline(
    phases: list[Phase], milestones: list[Milestone], today: datetime.date | None = None
) -> dict[str, Any]:
    """Phases and milestones on one time line, with what is overdue and what is next."""
    from django.utils.translation import gettext as _

    today = today or timezone.localdate()
    items: list[TimelineItem] = []
    for phase in phases:
        items.append(
            TimelineItem(
                phase.start_date,
                "phase",
                _("Bắt đầu %(name)s") % {"name": phase.name},
                "past" if phase.start_date <= today else "upcoming",
                f"{phase.start_date:%d/%m/%Y} – {phase.end_date:%d/%m/%Y}",
            )
        )
        if phase.review_due_date:
            items.append(
                TimelineItem(
                    phase.review_due_date,
                    "review",
                    _("%(kind)s %(name)s")
                    % {"kind": phase.get_review_kind_display(), "name": phase.name},
                    "past"
                    if phase.review_due_date < today
                    else _due_state(phase.review_due_date, today),
                )
            )
    for milestone in milestones:
        items.append(
            TimelineItem(
                milestone.due_date,
                "milestone",
                milestone.title,
                milestone.state(today),
                str(milestone.responsible_unit or ""),
            )
        )
    items.sort(key=lambda item: (item.date, item.kind))
    overdue = [i for i in items if i.state == "overdue"]
    upcoming = [i for i in items if i.date >= today and i.state in ("due_soon", "upcoming")]
    return {"items": items, "overdue": overdue, "next": upcoming[0] if upcoming else None}


def _due_state(due: datetime.date, today: datetime.date) -> str:
    return "due_soon" if (due - today).days <= 30 else "upcoming"


HISTORY_MODELS = (Campaign, Phase, ContentArea, Milestone)


@dataclass
class HistoryEntry:
    when: datetime.datetime
    who: str
    what: str
    action: str
    changes: list[str]


def campaign_history(campaign: Campaign, limit: int = 200) -> list[HistoryEntry]:
    """Audit trail of the plan: the campaign row and its phases, contents, targets, milestones.

    One query per history table; the changed fields are worked out by pairing each
    record with the previous record of the same object in memory.
    """
    from django.utils.translation import gettext as _

    actions = {"+": _("Tạo mới"), "~": _("Sửa"), "-": _("Xóa")}
    sources = [
        (Campaign.history.filter(id=campaign.pk), Campaign),
        (Phase.history.filter(campaign_id=campaign.pk), Phase),
        (ContentArea.history.filter(campaign_id=campaign.pk), ContentArea),
        (Target.history.filter(content_area__campaign_id=campaign.pk), Target),
        (Milestone.history.filter(campaign_id=campaign.pk), Milestone),
    ]
    entries: list[HistoryEntry] = []
    for records, model in sources:
        records = list(records.select_related("history_user").order_by("id", "history_date"))
        previous: dict[int, Any] = {}
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in {"id", "search_text", "updated_at", "version", "created_at"}
        ]
        for record in records:
            prior = previous.get(record.id)
            changes: list[str] = []
            if prior is not None and record.history_type == "~":
                for field in fields:
                    attname = field.attname
                    if getattr(prior, attname, None) != getattr(record, attname, None):
                        changes.append(str(field.verbose_name))
            previous[record.id] = record
            entries.append(
                HistoryEntry(
                    when=record.history_date,
                    who=(record.history_user.get_full_name() or record.history_user.get_username())
                    if record.history_user
                    else _("Hệ thống"),
                    what=f"{model._meta.verbose_name}: {record.instance}",
                    action=actions.get(record.history_type, record.history_type),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def progress_matrix(campaign: Campaign, phase: Phase, units: QuerySet[Unit]) -> dict[str, Any]:
    """For each unit, which content areas it has reported in ``phase``."""
    areas = list(campaign.content_areas.all())
    unit_list = list(units.order_by("path")[:200])
    reported = set(
        ProgressEntry.objects.filter(phase=phase, unit__in=[u.pk for u in unit_list]).values_list(
            "unit_id", "content_area_id"
        )
    )
    rows = [
        {
            "unit": unit,
            "done": sum(1 for a in areas if (unit.pk, a.pk) in reported),
        }
        for unit in unit_list
    ]
    return {"areas": areas, "rows": rows}


def progress_for_unit(phase: Phase, unit: Unit) -> dict[int, ProgressEntry]:
    entries = ProgressEntry.objects.filter(phase=phase, unit=unit).prefetch_related("figures")
    return {entry.content_area_id: entry for entry in entries}


# Above this many units, naming them in the query gains nothing over the subtree join.
PEOPLE_SEARCH_UNIT_HINT = 1000


def people_search(
    people: QuerySet[Person], q: str, *, units: QuerySet[Unit] | None = None
) -> QuerySet[Person]:
    """People of ``people`` whose folded name or staff code holds every word of ``q``.

    A word of three letters or more may occur anywhere ('%nguyen%'), which the
    pg_trgm index serves. pg_trgm gets no trigram out of one or two letters, so
    '%an%' would read every row, and would match almost everyone (Hoàng, Lan,
    Thanh...). Such a word must therefore begin a word ("le an" finds Lê Văn An):
    the start or the space before it gives the index the trigrams '  a' and ' an'.
    It is written as a regular expression, '(^| )an', rather than two LIKEs
    joined by OR: pg_trgm then answers all the words in one index scan (3 ms for
    "le an") instead of one scan per LIKE combined afterwards (14 ms).

    ``units`` (the user's visible units) is a hint for PostgreSQL, not a scope:
    ``people`` is scoped already. The scope is a join on unit.path, which the
    planner applies only after reading people, so a common family name (112,000
    "Nguyễn" of 300,000) meant reading the whole table. Naming the units lets it
    start from the person.unit_id index instead.
    """
    words = fold(q).split()
    if not words:
        return people.none()
    for word in words:
        if len(word) >= 3:
            people = people.filter(search_text__contains=word)
        else:
            people = people.filter(search_text__regex=rf"(^| ){re.escape(word)}")
    if units is not None:
        unit_ids = list(units.values_list("pk", flat=True)[: PEOPLE_SEARCH_UNIT_HINT + 1])
        if len(unit_ids) <= PEOPLE_SEARCH_UNIT_HINT:
            people = people.filter(unit_id__in=unit_ids)
    return people.select_related("unit").order_by("full_name", "pk")


def unit_children(parent: Unit | None, scope: Q) -> QuerySet[Unit]:
    units = Unit.objects.filter(scope)
    units = units.filter(parent=parent) if parent else units
    return units.annotate(child_count=Count("children")).order_by("name")
