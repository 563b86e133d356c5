"""Read side of the award history pages: the area home, a person's and a unit's history,
a round's overview and exemplars. Each page reads a fixed number of queries, with the
counting done by the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from campaigns import access as unit_access
from campaigns.models import Person, Unit
from campaigns.text import fold

from . import access
from .models import (
    AwardRecord,
    AwardRound,
    Exemplar,
    Initiative,
    Nomination,
    NominationStatus,
    Registration,
    RegistrationEntry,
    RegistrationStatus,
)

User = AbstractBaseUser | AnonymousUser

# A unit's summary covers this many award years, the current one included.
UNIT_SUMMARY_YEARS = 10
# Statuses in which a nomination has passed the council (and may have become an award).
APPROVED_STATUSES = (NominationStatus.APPROVED, NominationStatus.DECIDED)
# Registrations that count as made: sent, or sent and approved.
COUNTED_REGISTRATIONS = (RegistrationStatus.SUBMITTED, RegistrationStatus.APPROVED)


# --- The area home -------------------------------------------------------------------


def nomination_figures(user: User) -> list[dict[str, Any]]:
    """Nominations the user can see, by status, in one aggregate query."""
    counts = access.visible_nominations(user).aggregate(
        **{status.value: Count("pk", filter=Q(status=status.value)) for status in NominationStatus}
    )
    return [
        {"status": status.value, "label": status.label, "count": counts[status.value] or 0}
        for status in NominationStatus
    ]


def recent_rounds(user: User, limit: int = 8) -> list[AwardRound]:
    return list(
        access.visible_rounds(user).select_related("body").order_by("-year", "name", "pk")[:limit]
    )


def own_units(user: User) -> list[Unit]:
    """The units the user holds a role for (their own history pages), top ones first."""
    if unit_access.is_superuser(user):
        return list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    ids = {grant.unit_id for grant in unit_access.grants(user)}
    return list(Unit.objects.filter(pk__in=ids).order_by("path"))


def history_search(user: User, q: str, limit: int = 20) -> dict[str, Any]:
    """People and units in the user's scope whose folded name (or code) has every word of q."""
    from campaigns import selectors as campaign_selectors

    words = fold(q).split()
    if not words:
        return {"people": [], "units": [], "more": False}
    people = list(
        campaign_selectors.people_search(unit_access.visible_people(user), q)[: limit + 1]
    )
    units = unit_access.visible_units(user)
    for word in words:
        units = units.filter(search_text__contains=word)
    unit_list = list(units.order_by("name", "pk")[: limit + 1])
    return {
        "people": people[:limit],
        "units": unit_list[:limit],
        "more": len(people) > limit or len(unit_list) > limit,
    }


# --- A person's and a unit's history ---------------------------------------------------


def award_records(*, with_recipient: bool = True) -> QuerySet[AwardRecord]:
    """Award records with what a history row shows: type, decision and, unless the page is
    the recipient's own (``with_recipient=False``), the person with their unit or the unit.

    A person's or a unit's own history leaves the recipient's three tables out of the
    join: their columns were a third of the page's query and of the rows' model building.
    """
    related = ["award_type", "decision"]
    if with_recipient:
        related += ["person", "person__unit", "unit"]
    return AwardRecord.objects.select_related(*related).order_by(
        "-year", "award_type__order", "award_type__name", "pk"
    )


def person_history(person: Person) -> dict[str, Any]:
    """Everything a person's history page shows, in five queries."""
    awards = list(award_records(with_recipient=False).filter(person=person))
    ratings = list(person.ratings.order_by("-year"))
    initiatives = list(Initiative.objects.filter(authors=person).order_by("-year", "title", "pk"))
    discipline = list(person.discipline_records.order_by("-start_date", "pk"))
    exemplars = list(person.exemplars.order_by("-year", "headline", "pk"))
    return {
        "awards": awards,
        "years": _by_year(awards),
        "ratings": ratings,
        "initiatives": initiatives,
        "discipline": discipline,
        "exemplars": exemplars,
    }


@dataclass
class YearGroup:
    year: int
    awards: list[AwardRecord] = field(default_factory=list)


def _by_year(awards: list[AwardRecord]) -> list[YearGroup]:
    groups: list[YearGroup] = []
    for record in awards:  # already ordered by year, newest first
        if not groups or groups[-1].year != record.year:
            groups.append(YearGroup(record.year))
        groups[-1].awards.append(record)
    return groups


@dataclass
class SummaryColumn:
    award_type_id: int
    code: str
    name: str


@dataclass
class SummaryCell:
    award_type_id: int
    count: int


@dataclass
class SummaryRow:
    year: int
    cells: list[SummaryCell]

    @property
    def total(self) -> int:
        return sum(cell.count for cell in self.cells)


def people_award_summary(unit: Unit, *, years: int = UNIT_SUMMARY_YEARS) -> dict[str, Any]:
    """The awards of the people of ``unit``'s subtree, by year and type: one GROUP BY query.

    Revoked awards are not counted.
    """
    since = timezone.localdate().year - years + 1
    counts = list(
        AwardRecord.objects.filter(
            person__unit__path__startswith=unit.path, year__gte=since, revoked_on__isnull=True
        )
        .values(
            "year", "award_type_id", "award_type__code", "award_type__name", "award_type__order"
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    types = sorted(
        {
            (
                c["award_type__order"],
                c["award_type__name"],
                c["award_type_id"],
                c["award_type__code"],
            )
            for c in counts
        }
    )
    columns = [SummaryColumn(pk, code, name) for _order, name, pk, code in types]
    found = {(c["year"], c["award_type_id"]): c["n"] for c in counts}
    rows = [
        SummaryRow(
            year,
            [SummaryCell(c.award_type_id, found.get((year, c.award_type_id), 0)) for c in columns],
        )
        for year in sorted({c["year"] for c in counts}, reverse=True)
    ]
    totals = [
        SummaryCell(c.award_type_id, sum(row.cells[i].count for row in rows))
        for i, c in enumerate(columns)
    ]
    return {
        "columns": columns,
        "rows": rows,
        "totals": totals,
        "total": sum(cell.count for cell in totals),
        "since": since,
    }


def unit_history(unit: Unit) -> dict[str, Any]:
    """A unit's page: its own (collective) awards, its ratings, and its people's awards."""
    awards = list(award_records(with_recipient=False).filter(unit=unit))
    return {
        "awards": awards,
        "years": _by_year(awards),
        "ratings": list(unit.ratings.order_by("-year")),
        "summary": people_award_summary(unit),
    }


def unit_people_awards(
    unit: Unit, *, year: int | None = None, award_type_id: int | None = None
) -> QuerySet[AwardRecord]:
    """The individual awards of the people in ``unit``'s subtree (a summary cell's rows)."""
    records = award_records().filter(person__unit__path__startswith=unit.path)
    if year:
        records = records.filter(year=year)
    if award_type_id:
        records = records.filter(award_type_id=award_type_id)
    return records.order_by("-year", "award_type__order", "person__full_name", "pk")


# --- A round's overview --------------------------------------------------------------------


@dataclass
class OverviewRow:
    award_type_id: int
    code: str
    name: str
    order: int
    registered: int = 0
    nominated: int = 0
    approved: int = 0
    awarded: int = 0


def round_overview(user: User, award_round: AwardRound) -> dict[str, Any]:
    """Per award type: registered → nominated → approved → awarded, in three queries.

    The figures cover the round's body and, inside it, what the user's roles reach:
    HR staff of the body see the whole body, a unit's focal point their unit.
    """
    body_path = award_round.body.path
    registrations = Registration.objects.filter(
        unit__path__startswith=body_path,
        year=award_round.year,
        campaign=award_round.campaign,
        status__in=COUNTED_REGISTRATIONS,
    ).filter(unit_access.subtree_q(user, field="unit"))
    # Individual titles registered for people, and collective titles units registered.
    entries = (
        RegistrationEntry.objects.filter(registration__in=registrations.values("pk"))
        .values("award_type_id", "award_type__code", "award_type__name", "award_type__order")
        .annotate(n=Count("pk"))
        .order_by()
    )
    collective = (
        registrations.filter(collective_title__isnull=False)
        .values(
            "collective_title_id",
            "collective_title__code",
            "collective_title__name",
            "collective_title__order",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    nominations = (
        Nomination.objects.filter(round=award_round)
        .filter(unit_access.subtree_q(user, field="proposing_unit"))
        .values("award_type_id", "award_type__code", "award_type__name", "award_type__order")
        .annotate(
            nominated=Count("pk", filter=~Q(status=NominationStatus.DRAFT)),
            approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES)),
            awarded=Count("award", filter=Q(award__revoked_on__isnull=True)),
        )
        .order_by()
    )
    rows: dict[int, OverviewRow] = {}

    def row(pk: int, code: str, name: str, order: int) -> OverviewRow:
        if pk not in rows:
            rows[pk] = OverviewRow(pk, code, name, order)
        return rows[pk]

    for e in entries:
        row(
            e["award_type_id"], e["award_type__code"], e["award_type__name"], e["award_type__order"]
        ).registered += e["n"]
    for c in collective:
        row(
            c["collective_title_id"],
            c["collective_title__code"],
            c["collective_title__name"],
            c["collective_title__order"],
        ).registered += c["n"]
    for n in nominations:
        r = row(
            n["award_type_id"], n["award_type__code"], n["award_type__name"], n["award_type__order"]
        )
        r.nominated += n["nominated"]
        r.approved += n["approved"]
        r.awarded += n["awarded"]
    # A type with only drafts has nothing to show yet.
    shown = [r for r in rows.values() if r.registered or r.nominated]
    ordered = sorted(shown, key=lambda r: (r.order, r.name, r.award_type_id))
    total = OverviewRow(0, "", "", 0)
    for r in ordered:
        total.registered += r.registered
        total.nominated += r.nominated
        total.approved += r.approved
        total.awarded += r.awarded
    return {
        "rows": ordered,
        "total": total,
        "whole_body": unit_access.unit_in_scope(user, award_round.body),
    }


# --- Exemplars -------------------------------------------------------------------------


def visible_exemplars(user: User) -> QuerySet[Exemplar]:
    """Exemplars whose person or collective is inside the user's subtrees."""
    if unit_access.is_superuser(user):
        return Exemplar.objects.all()
    return Exemplar.objects.filter(
        unit_access.subtree_q(user, field="person__unit")
        | unit_access.subtree_q(user, field="unit")
    )


# Above this many candidates a search would be better served by a folded column.
EXEMPLAR_SEARCH_CAP = 20_000


def exemplar_list(
    exemplars: QuerySet[Exemplar], *, q: str = "", year: int | None = None
) -> QuerySet[Exemplar]:
    """Filter exemplars; the search ignores diacritics and case.

    The person's and the unit's names are matched in the database on their folded
    ``search_text`` columns; the headline has no folded copy (Exemplar has no such
    column), so the candidates' headlines are folded here. Exemplars are few (a
    handful per unit and year), so this reads one narrow column of a short list.
    """
    if year:
        exemplars = exemplars.filter(year=year)
    words = fold(q).split()
    if words:
        candidates = exemplars.values_list(
            "pk", "headline", "person__search_text", "unit__search_text"
        )[:EXEMPLAR_SEARCH_CAP]
        matches = [
            pk
            for pk, headline, person_text, unit_text in candidates
            if all(
                word in f"{fold(headline)} {person_text or ''} {unit_text or ''}" for word in words
            )
        ]
        exemplars = exemplars.filter(pk__in=matches)
    return exemplars.select_related("person", "person__unit", "unit").order_by(
        "-year", "headline", "pk"
    )
