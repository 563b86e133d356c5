"""Migration 0006: secret ballots folded into counts, open ballots untouched, receipts
keep the day; and back (anonymous ballots recreated from the counts)."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from awards import council_services as services
from awards.models import Ballot, Choice, Nomination, SecretCount, VoterReceipt
from tests.awards.factories import AwardTypeFactory, council_rule

from .council_setup import accepted, council_members, item_of, open_session, round_of

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("awards", "0005_award_record_issuing_body")]


def _migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


def _leaf() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return [node for node in executor.loader.graph.leaf_nodes() if node[0] == "awards"]


def _sql(query: str, params=()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(query, params)
        return cursor.fetchall() if cursor.description else []


def test_secret_ballots_are_folded_into_counts_and_open_ones_are_kept(org, hr):
    members = council_members(org.x, 4)
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    round_ = round_of(org.x)
    secret_nomination = accepted(round_, award_type=title)[0]
    public_nomination = accepted(round_)[0]
    session = open_session(org.x, hr, members, [secret_nomination, public_nomination])
    secret, public = item_of(session, secret_nomination), item_of(session, public_nomination)
    for member, choice in zip(members, ["agree", "disagree", "agree", "agree"], strict=True):
        services.vote_cast(item=secret, voter=member, choice=choice)
    for member, choice in zip(members[:2], ["disagree", "agree"], strict=True):
        services.vote_cast(item=public, voter=member, choice=choice)
    day = VoterReceipt.objects.first().voted_on
    leaf = _leaf()
    try:
        _migrate(BEFORE)
        # The old shape, as it was: one ballot per secret vote, with no voter.
        rows = _sql(
            "SELECT choice, voter_id FROM awards_ballot WHERE item_id = %s ORDER BY choice",
            [secret.pk],
        )
        assert rows == [("agree", None)] * 3 + [("disagree", None)]
        times = _sql("SELECT voted_at FROM awards_voterreceipt")
        assert len(times) == 6
        # A stored eligibility check that, in the old days, read the running count.
        report = {
            "overall": "pass",
            "results": [
                {"kind": "council_approval", "status": "pass", "message": "3/4 thành viên"},
                {"kind": "rating", "status": "pass", "message": "Đạt"},
            ],
        }
        _sql(
            "UPDATE awards_nomination SET eligibility = %s WHERE id = %s",
            [json.dumps(report), secret_nomination.pk],
        )
    finally:
        _migrate(leaf)
    assert dict(SecretCount.objects.filter(item=secret).values_list("choice", "count")) == {
        Choice.AGREE: 3,
        Choice.DISAGREE: 1,
    }
    assert not Ballot.objects.filter(item=secret).exists()
    assert sorted(Ballot.objects.filter(item=public).values_list("voter_id", "choice")) == sorted(
        [(members[0].pk, "disagree"), (members[1].pk, "agree")]
    )
    assert set(VoterReceipt.objects.values_list("voted_on", flat=True)) == {day}
    assert isinstance(day, datetime.date)
    stored = Nomination.objects.get(pk=secret_nomination.pk).eligibility
    council = next(r for r in stored["results"] if r["kind"] == "council_approval")
    assert council["status"] == "unknown" and "3/4" not in council["message"]
    assert stored["overall"] == "unknown"
    # The session goes on as before: the next vote is counted, the closing decides.
    more = council_members(org.x, 1, tag="m")[0]
    session.members.add(more)
    services.vote_cast(item=secret, voter=more, choice=Choice.AGREE)
    results = {r.item_id: r for r in services.session_close(session=session, by=hr)}
    assert (results[secret.pk].agree, results[secret.pk].member_count) == (4, 5)
    assert results[public.pk].agree == 1
