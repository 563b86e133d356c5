"""Read side of the year-end scoring: stage locks, score statistics and the ranking.

Every figure is computed by the database in a fixed number of queries, whatever
the number of members: the per-criterion statistics in one aggregate query, the
ranking (totals and ranks) in one query with a window function.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Max,
    Min,
    StdDev,
)
from django.db.models.functions import Round
from django.utils import timezone

from campaigns.models import Unit

from .models import (
    Acclamation,
    BlocYear,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    ScoringStage,
    ScoringTable,
    SelfScore,
)
from .selectors import members_in

# Scorers "disagree strongly" on a cell when their highest and lowest marks are this
# share of the criterion's maximum apart (or more). Only a display hint.
STRONG_DISAGREEMENT_SHARE = Decimal("0.2")
POINTS = DecimalField(max_digits=8, decimal_places=2)
CENT = Decimal("0.01")

# Stages that have a deadline, and the field holding it.
DEADLINE_FIELDS = {ScoringStage.SELF: "self_deadline", ScoringStage.CROSS: "cross_deadline"}


# Stage and lock ------------------------------------------------------------------------------


def stage_deadline(table: ScoringTable, stage: str | None = None) -> datetime.date | None:
    field = DEADLINE_FIELDS.get(stage or table.stage)
    return getattr(table, field) if field else None


def open_until(table: ScoringTable) -> datetime.date | None:
    """The last day the current stage accepts writes (None: no deadline)."""
    deadline = stage_deadline(table)
    if deadline is None:
        return None
    if table.reopened_until and table.reopened_until > deadline:
        return table.reopened_until
    return deadline


def is_locked(table: ScoringTable, today: datetime.date | None = None) -> bool:
    """True when the current stage is past its deadline and not reopened until today or later."""
    if table.stage == ScoringStage.CLOSED:
        return True
    last_day = open_until(table)
    return last_day is not None and (today or timezone.localdate()) > last_day


def is_past_deadline(table: ScoringTable, today: datetime.date | None = None) -> bool:
    deadline = stage_deadline(table)
    return deadline is not None and (today or timezone.localdate()) > deadline


# The table -----------------------------------------------------------------------------------


def table_groups(table: ScoringTable) -> list[CriterionGroup]:
    """Groups in order, each with its criteria prefetched (two queries)."""
    return list(table.groups.prefetch_related("criteria").order_by("number", "pk"))


def criteria_of(groups: list[CriterionGroup]) -> list[Criterion]:
    return [criterion for group in groups for criterion in group.criteria.all()]


def table_total(groups: list[CriterionGroup]) -> Decimal:
    return sum((c.max_points for c in criteria_of(groups)), Decimal(0))


def previous_table(bloc_year: BlocYear) -> ScoringTable | None:
    """The bloc's most recent earlier table, to copy as a start."""
    return (
        ScoringTable.objects.filter(
            bloc_year__bloc=bloc_year.bloc, bloc_year__year__lt=bloc_year.year
        )
        .select_related("bloc_year")
        .order_by("-bloc_year__year")
        .first()
    )


def scoring_progress(table: ScoringTable) -> dict[int, dict[str, int]]:
    """Per member: criteria self-scored and cross-scores given (two aggregate queries)."""
    progress: dict[int, dict[str, int]] = {}
    self_counts = (
        SelfScore.objects.filter(criterion__group__table=table)
        .values("member_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in self_counts:
        progress.setdefault(row["member_id"], {"self": 0, "given": 0})["self"] = row["n"]
    given = (
        CrossScore.objects.filter(criterion__group__table=table)
        .values("scorer_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in given:
        progress.setdefault(row["scorer_id"], {"self": 0, "given": 0})["given"] = row["n"]
    return progress


def self_scores_of(table: ScoringTable, member: Unit) -> dict[int, SelfScore]:
    """The member's self-scores by criterion id, with their evidence files."""
    scores = SelfScore.objects.filter(criterion__group__table=table, member=member)
    return {s.criterion_id: s for s in scores.prefetch_related("evidence")}


def self_points(table: ScoringTable) -> dict[tuple[int, int], Decimal]:
    """Every member's self-scores as {(criterion id, member id): points} (one query)."""
    rows = SelfScore.objects.filter(criterion__group__table=table).values_list(
        "criterion_id", "member_id", "points"
    )
    return {(c, m): p for c, m, p in rows}


def cross_scores_by(table: ScoringTable, scorer: Unit) -> dict[tuple[int, int], Decimal]:
    """The scorer's cross-scores as {(criterion id, scored member id): points} (one query)."""
    rows = CrossScore.objects.filter(criterion__group__table=table, scorer=scorer).values_list(
        "criterion_id", "scored_id", "points"
    )
    return {(c, s): p for c, s, p in rows}


# Statistics and ranking ----------------------------------------------------------------------


@dataclass(frozen=True)
class CellStats:
    """One member on one criterion: the cross-scores' spread and the score that counts."""

    count: int = 0
    mean: Decimal | None = None
    low: Decimal | None = None
    high: Decimal | None = None
    stddev: float | None = None
    final: Decimal | None = None
    reason: str = ""
    max_points: Decimal | None = None

    @property
    def value(self) -> Decimal | None:
        """The final score: the meeting's if it set one, else the mean of the cross-scores."""
        return self.final if self.final is not None else self.mean

    @property
    def overridden(self) -> bool:
        return self.final is not None

    @property
    def disagree(self) -> bool:
        return self.low is not None and self.high is not None and self.high != self.low

    @property
    def strong_disagreement(self) -> bool:
        if not self.disagree or self.max_points is None:
            return False
        return (self.high - self.low) >= self.max_points * STRONG_DISAGREEMENT_SHARE


def criterion_stats(
    table: ScoringTable, criteria: list[Criterion] | None = None
) -> dict[tuple[int, int], CellStats]:
    """{(criterion id, member id): CellStats} for every scored cell (two queries).

    The standard deviation is the population one (the scorers are all the other
    members, not a sample of them). It is the database's aggregate on both
    engines: PostgreSQL's STDDEV_POP, and on SQLite the STDDEV_POP that Django
    registers on every connection.
    """
    max_points = {c.pk: c.max_points for c in criteria or []}
    rows = (
        CrossScore.objects.filter(criterion__group__table=table)
        .values("criterion_id", "scored_id")
        .annotate(
            n=Count("id"),
            mean=Round(Avg("points"), 2, output_field=POINTS),
            low=Min("points"),
            high=Max("points"),
            spread=StdDev("points"),
        )
        .order_by()
    )
    stats: dict[tuple[int, int], dict] = {}
    for row in rows:
        stats[(row["criterion_id"], row["scored_id"])] = {
            "count": row["n"],
            "mean": row["mean"],
            "low": row["low"],
            "high": row["high"],
            "stddev": round(float(row["spread"]), 2) if row["spread"] is not None else None,
        }
    finals = FinalScore.objects.filter(criterion__group__table=table).values_list(
        "criterion_id", "member_id", "points", "reason"
    )
    for criterion_id, member_id, points, reason in finals:
        cell = stats.setdefault((criterion_id, member_id), {})
        cell.update(final=points, reason=reason)
    return {
        key: CellStats(max_points=max_points.get(key[0]), **cell) for key, cell in stats.items()
    }


def ranking(table: ScoringTable) -> list[Unit]:
    """Every member of the bloc that year with ``total`` and ``rank`` (one query).

    A member's total is the sum over criteria of the meeting's final score if it
    set one, else the mean of the cross-scores, each rounded to two decimals as
    shown, so a total is the sum of the figures on the page and members shown
    equal are tied. Ties share a rank and the next rank is skipped (1, 2, 2, 4):
    SQL ``RANK()``.

    The database groups the table's cross-scores once (one pass over them, 18,720
    for 40 members and 12 criteria), then sums per member and ranks. Written as
    SQL because the ORM cannot aggregate an aggregate without a correlated
    subquery per member and criterion (480 of them, twice the time). The
    members and the criteria come from the ORM's own querysets.
    """
    bloc_year = table.bloc_year
    quote = connection.ops.quote_name
    members_sql, members_params = (
        members_in(bloc_year.bloc, bloc_year.year).order_by().values("pk").query.sql_with_params()
    )
    criteria_sql, criteria_params = (
        Criterion.objects.filter(group__table=table).order_by().values("pk").query.sql_with_params()
    )
    unit, cross, final = (quote(m._meta.db_table) for m in (Unit, CrossScore, FinalScore))
    sql = f"""
        WITH means AS (
            SELECT criterion_id, scored_id AS member_id, ROUND(AVG(points), 2) AS mean
            FROM {cross} WHERE criterion_id IN ({criteria_sql})
            GROUP BY criterion_id, scored_id
        ), finals AS (
            SELECT criterion_id, member_id, points FROM {final}
            WHERE criterion_id IN ({criteria_sql})
        ), totals AS (
            SELECT member_id, ROUND(SUM(score), 2) AS total FROM (
                SELECT member_id, points AS score FROM finals
                UNION ALL
                SELECT m.member_id, m.mean FROM means m WHERE NOT EXISTS (
                    SELECT 1 FROM finals f
                    WHERE f.criterion_id = m.criterion_id AND f.member_id = m.member_id
                )
            ) cells GROUP BY member_id
        )
        SELECT u.*, COALESCE(t.total, 0) AS {quote("total")},
            RANK() OVER (ORDER BY COALESCE(t.total, 0) DESC) AS {quote("rank")}
        FROM {unit} u LEFT JOIN totals t ON t.member_id = u.id
        WHERE u.id IN ({members_sql})
        ORDER BY {quote("rank")}, u.name
    """  # noqa: S608 - only table names and the ORM's compiled subqueries go into the text
    units = list(Unit.objects.raw(sql, [*criteria_params, *criteria_params, *members_params]))
    for unit_row in units:
        # SQLite returns floats; PostgreSQL numerics. Both as shown: two decimals.
        unit_row.total = Decimal(str(unit_row.total)).quantize(CENT)
    return units


def acclamations(bloc_year: BlocYear) -> list[Acclamation]:
    return list(
        bloc_year.acclamations.select_related("member", "recorded_by").order_by(
            "meeting_date", "member__name"
        )
    )
