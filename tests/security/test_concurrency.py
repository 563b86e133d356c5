"""Two people doing the same thing at the same instant (PostgreSQL only).

Each test releases real threads together with a barrier; every thread has its own
database connection (Django opens one per thread), and the rows are committed
(``transaction=True``), so the database's own locking decides who goes first.
SQLite has no row locks (``SELECT … FOR UPDATE``) and serialises whole-database
writes instead, so these tests skip there.

Already covered elsewhere, and run with these on PostgreSQL:
- two signatures for the same member at once: tests/pledges/test_signatures.py;
- council members voting at the same instant: tests/awards/test_council_concurrency.py.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from campaigns.errors import DomainError
from campaigns.models import Campaign, Role
from pledges import scoring_services as services
from pledges.models import CrossScore, ScoringStage, SelfScore
from pledges.scoring_services import SelfScoreInput
from tests.factories import (
    BlocSecretariatFactory,
    CampaignFactory,
    RoleFactory,
    UserFactory,
)
from tests.pledges.scoring_factories import make_round

pytestmark = pytest.mark.django_db(transaction=True)

JOIN_TIMEOUT = 30


@pytest.fixture(autouse=True)
def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (SELECT … FOR UPDATE); run with DATABASE_URL")


def at_once(calls: list[Callable[[], object]]) -> list[object]:
    """Run the calls in threads released together; per call its result, 'refused' or the error."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[object] = [None] * len(calls)

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            outcomes[index] = call()
        except DomainError as error:
            outcomes[index] = ("refused", error.message)
        except Exception as error:  # reported by the callers' assertions
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread is stuck (deadlock?)"
    return outcomes


@pytest.fixture
def second_secretary(org):
    """Another secretariat member of bloc A: two people who may both record its scores."""
    user = UserFactory(username="secretary_2", first_name="Thư ký thứ hai")
    BlocSecretariatFactory(bloc=org.bloc_a, user=user)
    return user


# Scores ----------------------------------------------------------------------------------------


def test_two_secretaries_recording_the_same_self_score_leave_one_row(
    org, secretary, second_secretary
):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    criterion = r.criteria[0]
    values = {secretary: Decimal("7"), second_secretary: Decimal("9")}
    outcomes = at_once(
        [
            lambda u=u, v=v: services.self_scores_save(
                table=r.table,
                member=r.m2,
                by=u,
                entries={criterion.pk: SelfScoreInput(points=v, note=f"ghi bởi {u.username}")},
            )
            for u, v in values.items()
        ]
    )
    assert all(isinstance(o, list) for o in outcomes), outcomes  # both saved, one after the other
    score = SelfScore.objects.get(criterion=criterion, member=r.m2)  # one row, not two
    # The row holds one person's whole entry (points and note together), never a mix.
    assert (score.recorded_by, score.points) in values.items()
    assert score.note == f"ghi bởi {score.recorded_by.username}"
    # Neither write was lost: the history has the insert and the update that followed it.
    history = list(score.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    assert {h.points for h in history} == set(values.values())
    assert history[-1].points == score.points


def test_two_secretaries_recording_the_same_cross_score_leave_one_row(
    org, secretary, second_secretary
):
    r = make_round(org, stage=ScoringStage.CROSS, maxima=[10, 20])
    c1, c2 = r.criteria
    first = {(c1.pk, r.m2.pk): Decimal("6"), (c2.pk, r.m2.pk): Decimal("15")}
    second = {(c1.pk, r.m2.pk): Decimal("8"), (c2.pk, r.m2.pk): Decimal("18")}
    outcomes = at_once(
        [
            lambda: services.cross_scores_save(
                table=r.table, scorer=r.x, by=secretary, scores=first
            ),
            lambda: services.cross_scores_save(
                table=r.table, scorer=r.x, by=second_secretary, scores=second
            ),
        ]
    )
    assert outcomes == [2, 2], outcomes  # serialised: the later one changed both scores
    rows = CrossScore.objects.filter(scorer=r.x, scored=r.m2)
    assert rows.count() == 2  # one per criterion
    saved = {(s.criterion_id, s.scored_id): s.points for s in rows}
    # One person's whole sheet won; the two sheets are never interleaved.
    assert saved in (first, second)
    winner = rows.first().recorded_by
    assert all(s.recorded_by == winner for s in rows)
    for score in rows:
        assert [h.history_type for h in score.history.order_by("history_date")] == ["+", "~"]


def test_a_self_score_racing_the_stage_change_is_saved_before_or_refused_after(
    org, secretary, second_secretary
):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    criterion = r.criteria[0]
    outcomes = at_once(
        [
            lambda: services.self_scores_save(
                table=r.table,
                member=r.m2,
                by=secretary,
                entries={criterion.pk: SelfScoreInput(points=Decimal(5))},
            ),
            lambda: services.scoring_stage_advance(
                table=r.table, by=second_secretary, expected_stage=ScoringStage.SELF
            ),
        ]
    )
    saved, advanced = outcomes
    assert not isinstance(advanced, (tuple, str)), advanced  # the stage change always goes through
    r.table.refresh_from_db()
    assert r.table.stage == ScoringStage.CROSS
    if isinstance(saved, tuple):  # the stage moved first: refused with the reason, nothing written
        assert saved[0] == "refused" and "tự chấm điểm" in saved[1], saved
        assert not SelfScore.objects.exists()
    else:  # saved first, then the stage moved on
        assert isinstance(saved, list), saved
        assert SelfScore.objects.get().points == 5


def test_two_secretaries_advancing_the_stage_at_once_move_it_one_step(
    org, secretary, second_secretary
):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    outcomes = at_once(
        [
            lambda u=u: services.scoring_stage_advance(
                table=r.table, by=u, expected_stage=ScoringStage.SELF
            )
            for u in (secretary, second_secretary)
        ]
    )
    refused = [o for o in outcomes if isinstance(o, tuple)]
    assert len(refused) == 1, outcomes
    assert "tải lại trang" in refused[0][1]
    r.table.refresh_from_db()
    assert r.table.stage == ScoringStage.CROSS  # not MEETING: no stage skipped


# Campaigns: two HR officers editing one plan through the pages --------------------------------


def _campaign_form(campaign: Campaign, org, name: str, version: int) -> dict[str, str]:
    return {
        "name": name,
        "short_name": "Học tập",
        "kind": "regular",
        "issuing_unit": str(org.x.pk),
        "plan_number": "12/KH-KTNN",
        "plan_date": "2024-01-15",
        "signer_name": "Nguyễn Văn A",
        "signer_position": "Tổng Kiểm toán nhà nước",
        "start_year": str(campaign.start_year),
        "end_year": str(campaign.end_year),
        "objectives": "Mục tiêu",
        "motto": "",
        "requires_registration": "on",
        "registration_deadline": "2024-03-31",
        "participating_units": [str(org.x.pk)],
        "version": str(version),
    }


def test_two_hr_officers_saving_one_campaign_at_once_one_gets_the_conflict(org, hr):
    campaign = CampaignFactory(
        name="Phong trào ban đầu", issuing_unit=org.x, start_year=2023, end_year=2030
    )
    other_hr = UserFactory(username="hr_2", first_name="Cán bộ TĐKT thứ hai")
    RoleFactory(user=other_hr, role=Role.HR_STAFF, unit=org.x)
    url = reverse("campaigns:edit", args=[campaign.pk])
    clients = {}
    for user in (hr, other_hr):
        client = Client()
        client.force_login(user)
        # Both open the form and see the same version.
        form = client.get(url)
        assert form.status_code == 200
        assert form.context["form"]["version"].value() == campaign.version
        clients[user.username] = client
    names = {"hr": "Bản của cán bộ thứ nhất", "hr_2": "Bản của cán bộ thứ hai"}
    posts = {
        username: _campaign_form(campaign, org, names[username], campaign.version)
        for username in clients
    }
    outcomes = at_once(
        [
            lambda username=username: clients[username].post(url, posts[username])
            for username in clients
        ]
    )
    assert all(not isinstance(o, (str, tuple)) for o in outcomes), outcomes
    codes = sorted(o.status_code for o in outcomes)
    assert codes == [200, 302], codes
    winner = next(u for u, o in zip(clients, outcomes, strict=True) if o.status_code == 302)
    loser = next(o for o in outcomes if o.status_code == 200)
    assert "Phong trào vừa được người khác cập nhật" in loser.content.decode()
    campaign.refresh_from_db()
    assert campaign.name == names[winner]  # the winner's text, not overwritten by the loser
    assert campaign.version == 2
    changes = campaign.history.filter(history_type="~")
    assert changes.count() == 1  # one save went through; the refused one wrote nothing
    # The loser, after reloading, sees the winner's text and saves on top of it.
    username = next(u for u in clients if u != winner)
    client = clients[username]
    reloaded = client.get(url)
    assert reloaded.context["form"]["name"].value() == names[winner]
    again = client.post(url, _campaign_form(campaign, org, names[username], campaign.version))
    assert again.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == (names[username], 3)


def test_many_hr_edits_at_once_serialise_to_one_winner_per_version(org, hr):
    """Five saves against the same version: exactly one wins, four get the conflict."""
    campaign = CampaignFactory(
        name="Phong trào ban đầu",
        issuing_unit=org.x,
        start_year=2023,
        end_year=2030,
        plan_date=datetime.date(2024, 1, 15),
    )
    from campaigns import services as campaign_services

    outcomes = at_once(
        [
            lambda n=n: campaign_services.campaign_update(
                campaign=Campaign.objects.get(pk=campaign.pk),
                by=hr,
                expected_version=1,
                name=f"Bản {n}",
            )
            for n in range(5)
        ]
    )
    refused = [o for o in outcomes if isinstance(o, tuple)]
    saved = [o for o in outcomes if isinstance(o, Campaign)]
    assert (len(saved), len(refused)) == (1, 4), outcomes
    assert all("người khác cập nhật" in message for _, message in refused)
    campaign.refresh_from_db()
    assert (campaign.name, campaign.version) == (saved[0].name, 2)
