"""The demo scoring round loads on top of the other demo data, twice without change."""

import io

import pytest

from campaigns import demo as campaigns_demo
from pledges import demo as pledges_demo
from pledges import scoring_demo
from pledges.models import Acclamation, CrossScore, ScoringStage, ScoringTable, SelfScore
from pledges.scoring_selectors import (
    criteria_of,
    criterion_stats,
    ranking,
    table_groups,
    table_total,
)

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_complete_and_idempotent():
    out = io.StringIO()
    campaigns_demo.load(out)
    pledges_demo.load(out)
    scoring_demo.load(out)
    scoring_demo.load(out)
    table = ScoringTable.objects.get(
        bloc_year__year=2023, bloc_year__bloc__name=pledges_demo.INTERNAL_AFFAIRS
    )
    groups = table_groups(table)
    assert table.stage == ScoringStage.CLOSED
    assert table_total(groups) == 100
    assert SelfScore.objects.count() == 8 * 10
    assert CrossScore.objects.count() == 8 * 7 * 10
    assert Acclamation.objects.count() == 2
    members = list(ranking(table))
    acclaimed = set(Acclamation.objects.values_list("member", flat=True))
    assert acclaimed == {members[0].pk, members[1].pk}
    stats = criterion_stats(table, criteria_of(groups))
    assert any(cell.strong_disagreement for cell in stats.values())  # the spread has a case
    assert any(cell.overridden for cell in stats.values())  # and the meeting set a score
