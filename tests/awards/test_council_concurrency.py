"""Votes cast at the same instant (PostgreSQL only: SQLite has no row locks).

Each vote locks the session row, so votes queue instead of interleaving: members voting
at once all get counted, exactly (a secret item's counts are updated in place), and one
member's two simultaneous requests leave one receipt and one vote (the second is
refused).
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from awards import council_services as services
from awards.models import AgendaItem, Ballot, Choice, SecretCount, VoterReceipt
from campaigns.errors import DomainError
from tests.awards.factories import AwardTypeFactory, council_rule

from .council_setup import accepted, council_members, item_of, open_session, round_of

pytestmark = pytest.mark.django_db(transaction=True)


def _requires_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (SELECT … FOR UPDATE); run with DATABASE_URL")


def _at_once(calls) -> list[str]:
    """Run the calls in threads released together; 'ok', 'refused' or the error per call."""
    barrier = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call) -> None:
        from django.db import connections

        try:
            barrier.wait()
            call()
            outcomes.append("ok")
        except DomainError:
            outcomes.append("refused")
        except Exception as error:  # reported by the callers' assertions
            outcomes.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


def _counts(item) -> dict[str, int]:
    return dict(SecretCount.objects.filter(item=item).values_list("choice", "count"))


def _secret_item(org, hr, members) -> AgendaItem:
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    nomination = accepted(round_of(org.x), award_type=title)[0]
    return item_of(open_session(org.x, hr, members, [nomination]), nomination)


def test_two_members_voting_at_the_same_instant_both_count(org, hr):
    _requires_postgresql()
    members = council_members(org.x, 2)
    item = _secret_item(org, hr, members)
    outcomes = _at_once(
        [
            lambda m=m: services.vote_cast(
                item=AgendaItem.objects.get(pk=item.pk), voter=m, choice=Choice.AGREE
            )
            for m in members
        ]
    )
    assert outcomes == ["ok", "ok"]
    assert VoterReceipt.objects.filter(item=item).count() == 2
    assert _counts(item) == {"agree": 2, "disagree": 0}
    assert not Ballot.objects.filter(item=item).exists()  # a secret vote is only counted


def test_many_members_voting_at_once_are_counted_exactly(org, hr):
    _requires_postgresql()
    choices = [Choice.AGREE, Choice.DISAGREE, Choice.AGREE, Choice.AGREE, Choice.DISAGREE]
    choices += [Choice.AGREE, Choice.DISAGREE, Choice.AGREE]
    members = council_members(org.x, len(choices))
    item = _secret_item(org, hr, members)
    outcomes = _at_once(
        [
            lambda m=m, c=c: services.vote_cast(
                item=AgendaItem.objects.get(pk=item.pk), voter=m, choice=c
            )
            for m, c in zip(members, choices, strict=True)
        ]
    )
    assert outcomes == ["ok"] * len(choices)
    assert VoterReceipt.objects.filter(item=item).count() == len(choices)
    assert _counts(item) == {"agree": 5, "disagree": 3}


def test_the_same_member_voting_twice_at_once_is_counted_once(org, hr):
    _requires_postgresql()
    members = council_members(org.x, 2)
    item = _secret_item(org, hr, members)
    outcomes = _at_once(
        [
            lambda c=c: services.vote_cast(
                item=AgendaItem.objects.get(pk=item.pk), voter=members[0], choice=c
            )
            for c in (Choice.AGREE, Choice.DISAGREE)
        ]
    )
    assert sorted(outcomes) == ["ok", "refused"]
    assert VoterReceipt.objects.filter(item=item).count() == 1
    assert sum(_counts(item).values()) == 1


def test_a_vote_racing_the_closing_is_either_counted_or_refused(org, hr):
    _requires_postgresql()
    members = council_members(org.x, 1)
    item = _secret_item(org, hr, members)
    session = item.session
    results: list = []

    def close() -> None:
        results.extend(services.session_close(session=session, by=hr))

    outcomes = _at_once(
        [
            lambda: services.vote_cast(
                item=AgendaItem.objects.get(pk=item.pk), voter=members[0], choice=Choice.AGREE
            ),
            close,
        ]
    )
    assert all(o in ("ok", "refused") for o in outcomes), outcomes
    counted = _counts(item)["agree"]
    assert counted == VoterReceipt.objects.filter(item=item).count()
    assert results[0].agree == counted  # a vote that got in was in the tally
