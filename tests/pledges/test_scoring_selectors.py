"""Final scores, spread and the ranking, all computed by the database."""

import math
from decimal import Decimal

import pytest

from pledges import scoring_selectors as selectors
from pledges.models import ScoringStage
from tests.pledges.scoring_factories import (
    CrossScoreFactory,
    FinalScoreFactory,
    ScoringBlocYearFactory,
    add_members,
    make_round,
    table_with_criteria,
)

pytestmark = pytest.mark.django_db


def D(value) -> Decimal:
    return Decimal(str(value))


def cross(criterion, scored, points_by_scorer: dict) -> None:
    for scorer, points in points_by_scorer.items():
        CrossScoreFactory(criterion=criterion, scorer=scorer, scored=scored, points=D(points))


def test_the_final_score_is_the_mean_of_the_cross_scores(org):
    r = make_round(org, stage=ScoringStage.MEETING, maxima=[10])
    c1 = r.criteria[0]
    cross(c1, r.x, {r.m2: 7, r.m3: 8})
    cell = selectors.criterion_stats(r.table, r.criteria)[(c1.pk, r.x.pk)]
    assert (cell.mean, cell.value, cell.overridden) == (D("7.5"), D("7.5"), False)


def test_the_meeting_overrides_the_mean(org):
    r = make_round(org, stage=ScoringStage.MEETING, maxima=[10, 20])
    c1, c2 = r.criteria
    cross(c1, r.x, {r.m2: 7, r.m3: 8})
    cross(c2, r.x, {r.m2: 15, r.m3: 15})
    FinalScoreFactory(criterion=c1, member=r.x, points=D("9.25"), reason="Bổ sung minh chứng")
    cell = selectors.criterion_stats(r.table, r.criteria)[(c1.pk, r.x.pk)]
    assert (cell.mean, cell.final, cell.value) == (D("7.5"), D("9.25"), D("9.25"))
    assert cell.overridden and cell.reason == "Bổ sung minh chứng"
    totals = {u.pk: u.total for u in selectors.ranking(r.table)}
    assert totals[r.x.pk] == D("24.25")  # 9.25 set by the meeting + mean 15


def test_a_final_score_counts_even_without_cross_scores(org):
    r = make_round(org, stage=ScoringStage.MEETING, maxima=[10])
    FinalScoreFactory(criterion=r.criteria[0], member=r.m3, points=D(6))
    totals = {u.pk: u.total for u in selectors.ranking(r.table)}
    assert totals == {r.x.pk: 0, r.m2.pk: 0, r.m3.pk: 6}


def test_the_spread_shows_where_scorers_disagree(org):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    scored, a, b, c = add_members(org.bloc_a, 4)
    table, (c1, c2) = table_with_criteria(bloc_year, [10, 10])
    cross(c1, scored, {a: 6, b: 8, c: 10})
    cross(c2, scored, {a: 9, b: 9, c: 9})
    stats = selectors.criterion_stats(table, [c1, c2])
    spread = stats[(c1.pk, scored.pk)]
    assert (spread.count, spread.mean, spread.low, spread.high) == (3, 8, 6, 10)
    # Population standard deviation: sqrt(((6-8)² + 0 + (10-8)²) / 3)
    assert spread.stddev == pytest.approx(round(math.sqrt(8 / 3), 2))
    assert spread.disagree and spread.strong_disagreement  # 4 apart on a 10-point criterion
    agreed = stats[(c2.pk, scored.pk)]
    assert agreed.stddev == 0 and not agreed.disagree


def test_a_small_difference_is_not_a_strong_disagreement(org):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    scored, a, b = add_members(org.bloc_a, 3)
    table, (c1,) = table_with_criteria(bloc_year, [20])
    cross(c1, scored, {a: 17, b: 18})
    cell = selectors.criterion_stats(table, [c1])[(c1.pk, scored.pk)]
    assert cell.disagree and not cell.strong_disagreement


def test_ranking_ties_share_a_rank_and_the_next_rank_is_skipped(org):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    first, second, second_too, last = add_members(org.bloc_a, 4)
    table, (c1, c2) = table_with_criteria(bloc_year, [10, 20])
    cross(c1, first, {second: 10, last: 10})
    cross(c2, first, {second: 20, last: 19})  # 10 + 19.5 = 29.5
    cross(c1, second, {first: 8, last: 9})  # 8.5
    cross(c2, second, {first: 16, last: 17})  # 16.5 → 25
    cross(c1, second_too, {first: 5, last: 5})  # 5
    cross(c2, second_too, {first: 20, last: 20})  # 20 → 25
    cross(c1, last, {first: 3, second: 4})  # 3.5 → 3.5
    ranking = [(u.name, u.total, u.rank) for u in selectors.ranking(table)]
    assert ranking == [
        (first.name, D("29.5"), 1),
        (second.name, D(25), 2),
        (second_too.name, D(25), 2),
        (last.name, D("3.5"), 4),
        (org.x.name, D(0), 5),
    ]


def test_means_are_ranked_as_shown_so_rounding_does_not_break_a_tie(org):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    a, b, c, d = add_members(org.bloc_a, 4)
    table, (c1, c2) = table_with_criteria(bloc_year, [20, 20])
    cross(c1, a, {b: 8, c: 8, d: 9})  # 8.33
    cross(c2, a, {b: 16, c: 17, d: 17})  # 16.67 → 25.00
    cross(c1, b, {a: 12, c: 12, d: 12})
    cross(c2, b, {a: 13, c: 13, d: 13})  # 25
    ranks = {u.pk: (u.total, u.rank) for u in selectors.ranking(table)}
    assert ranks[a.pk] == ranks[b.pk] == (D(25), 1)


def test_the_ranking_of_a_40_member_bloc_takes_at_most_5_queries(
    org, django_assert_max_num_queries
):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    members = add_members(org.bloc_a, 39)  # 40 with body X
    table, criteria = table_with_criteria(bloc_year, [10] * 10)
    scorers = members[:5]
    for n, scored in enumerate(members):
        for criterion in criteria:
            for scorer in scorers:
                if scorer != scored:
                    CrossScoreFactory(
                        criterion=criterion, scorer=scorer, scored=scored, points=D(n % 7 + 3)
                    )
    with django_assert_max_num_queries(5):
        groups = selectors.table_groups(table)
        ranking = list(selectors.ranking(table))
        stats = selectors.criterion_stats(table, selectors.criteria_of(groups))
    assert len(ranking) == 40
    assert len(stats) == 39 * 10
    # Members 0, 7, 14, ... all scored 3 on every criterion: tied, same rank.
    tied = {u.rank for u in ranking if u.pk in {members[i].pk for i in (0, 7, 14, 21, 28, 35)}}
    assert len(tied) == 1


def test_the_lock_follows_the_deadline_and_the_reopening(org):
    import datetime

    today = datetime.date(2024, 1, 10)
    r = make_round(org, stage=ScoringStage.SELF, self_deadline=datetime.date(2024, 1, 9))
    assert selectors.is_locked(r.table, today)
    r.table.reopened_until = datetime.date(2024, 1, 15)
    assert not selectors.is_locked(r.table, today)
    assert selectors.open_until(r.table) == datetime.date(2024, 1, 15)
    assert selectors.is_locked(r.table, datetime.date(2024, 1, 16))
    r.table.stage = ScoringStage.MEETING
    assert not selectors.is_locked(r.table, today)
    r.table.stage = ScoringStage.CLOSED
    assert selectors.is_locked(r.table, today)
