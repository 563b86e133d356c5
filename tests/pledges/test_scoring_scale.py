"""The blocs stage of the national-scale data set (``manage.py seed_scale_blocs``).

Run here on a small tree with small sizes; the rules it must keep are the same
at scale: leaders and deputies are members that year, every pledge is fully
signed, the latest year's table has every cross-score (never of oneself) and
ranks every member. The ranking of a 40-member bloc in at most five queries is
tested in test_scoring_selectors.py.
"""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F

from campaigns.models import Unit, UnitKind
from pledges import scoring_selectors
from pledges.management.commands import seed_scale_blocs as stage
from pledges.models import (
    Bloc,
    BlocLevel,
    CrossScore,
    Pledge,
    PledgeStatus,
    ScoringStage,
    ScoringTable,
    SelfScore,
    Signature,
)
from pledges.pledge_selectors import unsigned_members
from pledges.selectors import members_in

pytestmark = pytest.mark.django_db

CRITERIA = sum(len(items) for _title, items in stage.TABLE)


@pytest.fixture
def small(monkeypatch):
    """Four bodies of twelve units each, and sizes that fit them."""
    for number in range(1, 5):
        body = Unit.objects.create(
            code=f"SC-B{number:02d}", name=f"Bộ {number}", kind=UnitKind.BODY
        )
        for child in range(1, 13):
            Unit.objects.create(
                code=f"{body.code}-D{child:02d}",
                name=f"Vụ {child}",
                kind=UnitKind.DEPARTMENT,
                parent=body,
            )
    monkeypatch.setattr(stage, "BLOCS", 8)
    monkeypatch.setattr(stage, "CENTRAL_BLOCS", 1)
    monkeypatch.setattr(stage, "BENCH_MEMBERS", 8)
    monkeypatch.setattr(stage, "MIN_MEMBERS", 3)
    monkeypatch.setattr(stage, "MAX_MEMBERS", 5)
    monkeypatch.setattr(stage, "YEARS", range(2018, 2022))
    monkeypatch.setattr(stage, "LAST_YEAR", 2021)
    monkeypatch.setattr(stage, "LEFT_YEAR", 2019)


def seeded() -> list[Bloc]:
    return list(Bloc.objects.filter(short_name__startswith="SC-K").order_by("short_name"))


def test_the_blocs_keep_the_rules_of_the_pages(small):
    call_command("seed_scale_blocs")
    blocs = seeded()
    assert len(blocs) == 8
    bench = blocs[0]
    assert bench.level == BlocLevel.INTERNAL
    assert bench.organiser.code == "SC-B01"
    assert members_in(bench, 2021).count() == 8
    assert sum(b.level == BlocLevel.CENTRAL for b in blocs) == 1
    assert Bloc.history.filter(id__in=[b.pk for b in blocs]).count() == 8
    formers = 0
    for bloc in blocs:
        current = members_in(bloc, 2021).count()
        assert 3 <= current <= 8
        formers += members_in(bloc, 2019).count() - current
        years = list(bloc.years.prefetch_related("deputies"))
        assert [y.year for y in years] == [2021, 2020, 2019, 2018]
        for bloc_year in years:
            members = set(members_in(bloc, bloc_year.year).values_list("pk", flat=True))
            assert bloc_year.leader_id in members
            deputies = {unit.pk for unit in bloc_year.deputies.all()}
            assert deputies and deputies <= members - {bloc_year.leader_id}
    assert formers >= 1  # a member that left in 2019 signed the pledges until then
    for pledge in Pledge.objects.filter(bloc_year__bloc__in=blocs):
        assert pledge.status == PledgeStatus.SIGNED
        assert not unsigned_members(pledge).exists()
        assert pledge.commitments.count() >= 5
    assert Signature.history.filter(pledge__bloc_year__bloc__in=blocs).count() == (
        Signature.objects.filter(pledge__bloc_year__bloc__in=blocs).count()
    )


def test_the_latest_year_is_scored_by_every_member_and_ranked(small):
    call_command("seed_scale_blocs")
    for table in ScoringTable.objects.filter(bloc_year__bloc__in=seeded()).select_related(
        "bloc_year", "bloc_year__bloc"
    ):
        assert table.bloc_year.year == 2021
        assert table.stage == ScoringStage.MEETING
        members = members_in(table.bloc_year.bloc, 2021).count()
        scores = CrossScore.objects.filter(criterion__group__table=table)
        assert scores.count() == members * (members - 1) * CRITERIA
        assert not scores.filter(scorer=F("scored")).exists()
        assert SelfScore.objects.filter(criterion__group__table=table).count() == members * CRITERIA
        ranking = scoring_selectors.ranking(table)
        assert len(ranking) == members
        assert ranking[0].rank == 1
        assert all(0 < unit.total <= 100 for unit in ranking)


def test_reset_builds_the_same_blocs_again_and_delete_removes_them(small):
    call_command("seed_scale_blocs")
    before = [(b.name, members_in(b, 2021).count()) for b in seeded()]
    with pytest.raises(CommandError, match="--reset"):
        call_command("seed_scale_blocs")
    call_command("seed_scale_blocs", reset=True)
    assert [(b.name, members_in(b, 2021).count()) for b in seeded()] == before
    call_command("seed_scale_blocs", delete=True)
    assert not seeded()
    assert not Pledge.objects.exists()
    assert not CrossScore.objects.exists()
    assert not Bloc.history.exists()
