"""The secret ballot (Decree 98/2023 Art. 52; DOMAIN.md step 8): the tally is visible,
who voted what is not — not in the ballot rows, the history tables, the events, the
pages, the minutes or the SQL debug log."""

from __future__ import annotations

import logging

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from awards import council_services as services
from awards.models import Ballot, Choice, NominationEvent, VoterReceipt
from tests.awards.factories import AwardTypeFactory, council_rule
from tests.documents import pdf_text

from .council_setup import accepted, council_members, full_name, item_of, open_session, round_of

pytestmark = pytest.mark.django_db


def _secret_and_open(org, hr, members):
    """One secret item (90 % rule) and one open item (no rule) on a session of ``members``."""
    title = AwardTypeFactory(name="Chiến sĩ thi đua bộ, ban, ngành, tỉnh")
    council_rule(title, share=0.9, secret=True)
    round_ = round_of(org.x)
    secret = accepted(round_, award_type=title)[0]
    public = accepted(round_, award_type=AwardTypeFactory(name="Giấy khen"))[0]
    session = open_session(org.x, hr, members, [secret, public])
    return session, item_of(session, secret), item_of(session, public)


def _history_rows_by(users) -> int:
    """History rows (any model) whose recorded user is one of ``users``."""
    total = 0
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_user"):
            total += model.objects.filter(history_user__in=users).count()
    return total


def test_a_secret_ballot_row_does_not_name_the_voter(org, hr):
    members = council_members(org.x, 3)
    _session, secret, public = _secret_and_open(org, hr, members)
    services.vote_cast(item=secret, voter=members[0], choice=Choice.AGREE)
    services.vote_cast(item=secret, voter=members[1], choice=Choice.DISAGREE)
    services.vote_cast(item=public, voter=members[0], choice=Choice.AGREE)
    secret_ballots = Ballot.objects.filter(item=secret)
    assert secret_ballots.count() == 2
    assert not secret_ballots.filter(voter__isnull=False).exists()
    assert not Ballot.objects.filter(item=secret, voter__in=members).exists()
    # The receipt says who voted, and nothing about the choice.
    assert {f.name for f in VoterReceipt._meta.get_fields()} == {"id", "item", "voter", "voted_at"}
    assert set(VoterReceipt.objects.filter(item=secret).values_list("voter", flat=True)) == {
        members[0].pk,
        members[1].pk,
    }
    # An open ballot does name its voter: that is the point of an open vote.
    assert Ballot.objects.get(item=public).voter == members[0]


def test_ballots_have_no_history_table_and_votes_write_no_history_by_the_voter(org, hr):
    members = council_members(org.x, 3)
    _session, secret, _public = _secret_and_open(org, hr, members)
    assert not hasattr(Ballot, "history")
    assert "HistoricalBallot" not in {model.__name__ for model in apps.get_models()}
    before = _history_rows_by(members)
    for member in members:
        services.vote_cast(item=secret, voter=member, choice=Choice.AGREE)
    assert _history_rows_by(members) == before
    assert not NominationEvent.objects.filter(by__in=members).exists()


def test_the_sql_debug_log_never_shows_a_ballot(org, hr, caplog):
    """With DEBUG on, Django logs every query and its parameters; a ballot's INSERT next
    to its receipt's would tell who voted what, so ballot queries are kept out."""
    members = council_members(org.x, 2)
    _session, secret, _public = _secret_and_open(org, hr, members)
    connection.force_debug_cursor = True
    try:
        with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
            services.vote_cast(item=secret, voter=members[0], choice=Choice.DISAGREE)
    finally:
        connection.force_debug_cursor = False
    logged = [r.getMessage() for r in caplog.records if r.name == "django.db.backends"]
    assert any("awards_voterreceipt" in m for m in logged)  # the log is on
    assert not any("awards_ballot" in m for m in logged)
    assert not any("disagree" in m for m in logged)


def test_the_session_page_shows_the_tally_but_no_names_for_a_secret_item(org, hr, client_for):
    members = council_members(org.x, 3)
    session, secret, public = _secret_and_open(org, hr, members)
    services.vote_cast(item=secret, voter=members[0], choice=Choice.AGREE)
    services.vote_cast(item=secret, voter=members[1], choice=Choice.DISAGREE)
    services.vote_cast(item=public, voter=members[2], choice=Choice.DISAGREE)
    for viewer in (hr, members[0]):
        html = (
            client_for(viewer)
            .get(reverse("awards:council_session_detail", args=[session.pk]))
            .content.decode()
        )
        secret_html = _section(html, secret.pk)
        public_html = _section(html, public.pk)
        assert 'data-tally="agree">1<' in secret_html
        assert 'data-tally="disagree">1<' in secret_html
        assert 'data-tally="not-voted">1<' in secret_html
        for member in members:
            assert full_name(member) not in secret_html
            assert member.username not in secret_html
        assert full_name(members[2]) in public_html  # who voted on an open item is shown
        # The member list is on the page, once, outside the items.
        for member in members:
            assert full_name(member) in _between(html, 'id="members"', "</dd>")


def test_the_minutes_never_pair_a_name_with_a_secret_vote(org, hr, client_for):
    members = council_members(org.x, 3)
    session, secret, public = _secret_and_open(org, hr, members)
    for member in members:
        services.vote_cast(item=secret, voter=member, choice=Choice.AGREE)
    services.vote_cast(item=public, voter=members[0], choice=Choice.AGREE)
    response = client_for(hr).get(reverse("awards:council_minutes_pdf", args=[session.pk]))
    text = " ".join(pdf_text(response.content).split())
    # Each name once in the member list; members[0] once more for the open item only.
    assert text.count(full_name(members[0])) == 2
    assert text.count(full_name(members[1])) == 1
    assert text.count(full_name(members[2])) == 1


def _section(html: str, item_pk: int) -> str:
    return _between(html, f'id="item-{item_pk}"', "</section>")


def _between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]
