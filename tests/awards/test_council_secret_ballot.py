"""The secret ballot (Decree 98/2023 Art. 52; DOMAIN.md step 8; docs/reliability.md,
"Secret ballots").

Secret means: no count of a secret item is visible to anyone (any role, page, export,
PDF, admin page) until voting on it is closed; and nothing shown or stored links a
member to a choice, by id, order, time or any other column. The storage side is
checked by reading the tables with raw SQL: ``test_council_secret_storage.py``.
"""

from __future__ import annotations

import io
import logging
import re

import openpyxl
import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import council_selectors as selectors
from awards import council_services as services
from awards import eligibility
from awards.models import (
    Ballot,
    Choice,
    NominationEvent,
    NominationStatus,
    SecretCount,
    VoterReceipt,
)
from tests.awards.factories import AwardTypeFactory, council_rule
from tests.documents import pdf_text

from .council_setup import accepted, council_members, full_name, item_of, open_session, round_of

pytestmark = pytest.mark.django_db

VIEWERS = ("member", "chair", "hr", "leader", "admin_user")


def _secret_and_open(org, hr, members, **kwargs):
    """One secret item (90 % rule) and one open item (no rule) on a session of ``members``."""
    title = AwardTypeFactory(name="Chiến sĩ thi đua bộ, ban, ngành, tỉnh")
    council_rule(title, share=0.9, secret=True)
    round_ = round_of(org.x)
    secret = accepted(round_, award_type=title)[0]
    public = accepted(round_, award_type=AwardTypeFactory(name="Giấy khen"))[0]
    session = open_session(org.x, hr, members, [secret, public], **kwargs)
    return session, item_of(session, secret), item_of(session, public)


def _history_rows_by(users) -> int:
    """History rows (any model) whose recorded user is one of ``users``."""
    total = 0
    for model in apps.get_models():
        if model.__name__.startswith("Historical") and hasattr(model, "history_user"):
            total += model.objects.filter(history_user__in=users).count()
    return total


def _counts(item) -> dict[str, int]:
    return dict(SecretCount.objects.filter(item=item).values_list("choice", "count"))


# What is stored --------------------------------------------------------------------------------


def test_a_secret_vote_is_only_counted(org, hr):
    members = council_members(org.x, 3)
    _session, secret, public = _secret_and_open(org, hr, members)
    # The counts exist, at zero, from the moment the item is on the agenda.
    assert _counts(secret) == {"agree": 0, "disagree": 0}
    assert not SecretCount.objects.filter(item=public).exists()
    services.vote_cast(item=secret, voter=members[0], choice=Choice.AGREE)
    services.vote_cast(item=secret, voter=members[1], choice=Choice.DISAGREE)
    services.vote_cast(item=secret, voter=members[2], choice=Choice.AGREE)
    services.vote_cast(item=public, voter=members[0], choice=Choice.AGREE)
    assert _counts(secret) == {"agree": 2, "disagree": 1}
    assert not Ballot.objects.filter(item=secret).exists()  # no ballot row at all
    # The receipt says who voted and the day, nothing about the choice or the time.
    assert {f.name for f in VoterReceipt._meta.get_fields()} == {"id", "item", "voter", "voted_on"}
    assert {f.name for f in SecretCount._meta.get_fields()} == {"id", "item", "choice", "count"}
    assert set(VoterReceipt.objects.filter(item=secret).values_list("voter", flat=True)) == {
        m.pk for m in members
    }
    # An open ballot does name its voter: that is the point of an open vote.
    assert Ballot.objects.get(item=public).voter == members[0]


def test_votes_keep_no_history_and_name_no_voter_outside_the_receipt(org, hr):
    members = council_members(org.x, 3)
    _session, secret, _public = _secret_and_open(org, hr, members)
    historized = {model.__name__ for model in apps.get_models()}
    for name in ("Ballot", "SecretCount", "VoterReceipt"):
        assert f"Historical{name}" not in historized
        assert not hasattr(apps.get_model("awards", name), "history")
    before = _history_rows_by(members)
    for member in members:
        services.vote_cast(item=secret, voter=member, choice=Choice.AGREE)
    assert _history_rows_by(members) == before
    assert not NominationEvent.objects.filter(by__in=members).exists()


def test_the_sql_debug_log_never_shows_a_secret_choice(org, hr, caplog):
    """With DEBUG on, Django logs every query and its parameters; the count's UPDATE next
    to the receipt's INSERT would tell who voted what, so it is kept out."""
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
    assert not any("awards_secretcount" in m for m in logged)
    assert not any("agree" in m for m in logged)  # neither choice, in any statement
    assert _counts(secret) == {"agree": 0, "disagree": 1}


def test_an_item_made_without_its_counts_gets_them_at_the_first_vote(org, hr):
    """Older rows, or items made by hand: the first vote creates every choice's count."""
    members = council_members(org.x, 2)
    _session, secret, _public = _secret_and_open(org, hr, members)
    SecretCount.objects.filter(item=secret).delete()
    services.vote_cast(item=secret, voter=members[0], choice=Choice.DISAGREE)
    services.vote_cast(item=secret, voter=members[1], choice=Choice.DISAGREE)
    assert _counts(secret) == {"agree": 0, "disagree": 2}


def test_withdrawing_a_secret_item_takes_its_counts_with_it(org, hr):
    members = council_members(org.x, 2)
    session, secret, _public = _secret_and_open(org, hr, members)
    services.agenda_remove(item=secret, by=hr)
    assert not SecretCount.objects.exists()
    assert session.agenda.count() == 1


# What is shown, while voting is open -----------------------------------------------------------


def _viewer(name, request, members):
    if name == "member":
        return members[0]
    if name == "chair":
        return members[2]  # the chair is a member, named as chair on the session
    return request.getfixturevalue(name)


def _page(client, url, **headers) -> str:
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    # Per-request tokens are not what a poller compares.
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)


def _section(html: str, item_pk: int) -> str:
    return _between(html, f'id="item-{item_pk}"', "</section>")


def _between(html: str, start: str, end: str) -> str:
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def _snapshot(client, session, secret, admin: bool) -> dict[str, object]:
    """Everything a viewer can read about the session and the secret item's nomination."""
    detail = reverse("awards:council_session_detail", args=[session.pk])
    shots: dict[str, object] = {
        "page": _page(client, detail),
        "htmx": _page(client, detail, HTTP_HX_REQUEST="true"),
        "minutes": pdf_text(
            client.get(reverse("awards:council_minutes_pdf", args=[session.pk])).content
        ),
        "list": _page(client, reverse("awards:council_session_list")),
        "export": _workbook(
            b"".join(
                client.get(
                    reverse("awards:council_session_list"), {"format": "xlsx"}
                ).streaming_content
            )
        ),
    }
    nomination_url = reverse("awards:nomination_detail", args=[secret.nomination_id])
    response = client.get(nomination_url)
    if response.status_code == 200:
        shots["nomination"] = _page(client, nomination_url)
    if admin:
        for name, pk in (
            ("councilsession", session.pk),
            ("nomination", secret.nomination_id),
        ):
            shots[f"admin {name}"] = _page(
                client, reverse(f"admin:awards_{name}_change", args=[pk])
            )
            shots[f"admin {name} history"] = _page(
                client, reverse(f"admin:awards_{name}_history", args=[pk])
            )
    return shots


def _workbook(content: bytes) -> list[tuple]:
    sheet = openpyxl.load_workbook(io.BytesIO(content), read_only=True).active
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("name", VIEWERS)
def test_polling_between_secret_votes_shows_nothing_that_changes(
    org, hr, name, request, client_for
):
    """Whoever may see the session (a member, the chair, HR, a leader, a superuser) reads
    the same page, htmx fragment, minutes, session list, export, nomination page and
    admin pages after each secret vote: nothing to poll. (Every member voted on the open
    item first, so attendance is complete and the secret item is already being voted on.)"""
    members = council_members(org.x, 4)
    session, secret, public = _secret_and_open(org, hr, members, chair=full_name(members[2]))
    for member in members:
        services.vote_cast(item=public, voter=member, choice=Choice.AGREE)
    viewer = _viewer(name, request, members)
    client = client_for(viewer)
    # The viewer votes first if they are a member, then the others one by one.
    order = [viewer, *(m for m in members if m != viewer)] if viewer in members else members
    choices = [Choice.AGREE, Choice.DISAGREE, Choice.DISAGREE, Choice.AGREE]
    services.vote_cast(item=secret, voter=order[0], choice=choices[0])
    first = _snapshot(client, session, secret, admin=name == "admin_user")
    for voter, choice in zip(order[1:], choices[1:], strict=True):
        services.vote_cast(item=secret, voter=voter, choice=choice)
        assert _snapshot(client, session, secret, admin=name == "admin_user") == first


@pytest.mark.parametrize("name", VIEWERS)
def test_no_count_of_a_secret_item_is_shown_while_voting_is_open(
    org, hr, name, request, client_for
):
    members = council_members(org.x, 4)
    session, secret, public = _secret_and_open(org, hr, members, chair=full_name(members[2]))
    services.vote_cast(item=secret, voter=members[0], choice=Choice.AGREE)
    services.vote_cast(item=secret, voter=members[1], choice=Choice.DISAGREE)
    services.vote_cast(item=secret, voter=members[2], choice=Choice.AGREE)
    services.vote_cast(item=public, voter=members[3], choice=Choice.DISAGREE)
    client = client_for(_viewer(name, request, members))
    html = _page(client, reverse("awards:council_session_detail", args=[session.pk]))
    secret_html = _section(html, secret.pk)
    assert 'data-tally="sealed"' in secret_html
    assert "data-tally=" not in secret_html.replace('data-tally="sealed"', "")
    # No "n/4" count (ids in links, such as /nominations/44/, are not counts).
    assert not re.search(r"\d/4\b", secret_html) and "%)" not in secret_html
    assert "Thông qua</span>" not in secret_html
    for member in members:
        assert full_name(member) not in secret_html
    # The open item shows its count and its voters as it is voted.
    public_html = _section(html, public.pk)
    assert 'data-tally="disagree">1<' in public_html
    assert full_name(members[3]) in public_html
    # The minutes: attendance, and no result of any item until voting is closed.
    text = " ".join(
        pdf_text(
            client.get(reverse("awards:council_minutes_pdf", args=[session.pk])).content
        ).split()
    )
    assert "Hội đồng có 4 thành viên; 4 thành viên tham gia bỏ phiếu" in text
    assert "biên bản chưa ghi kết quả của đề nghị nào" in text
    assert not re.search(r"\d/4\b", text)
    assert "Thông qua" not in text and "Đồng ý" not in text


def test_the_session_page_does_not_even_read_the_secret_counts_while_open(org, hr, client_for):
    members = council_members(org.x, 2)
    session, secret, _public = _secret_and_open(org, hr, members)
    services.vote_cast(item=secret, voter=members[0], choice=Choice.AGREE)
    client = client_for(hr)
    for url in (
        reverse("awards:council_session_detail", args=[session.pk]),
        reverse("awards:council_minutes_pdf", args=[session.pk]),
    ):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        assert not [q for q in captured if "awards_secretcount" in q["sql"]], url
    tallies = selectors.session_tally(session, member_count=2)
    sealed = next(t for t in tallies if t.item.pk == secret.pk)
    assert (sealed.sealed, sealed.agree, sealed.disagree, sealed.voted) == (True, 0, 0, 0)
    assert sealed.has_votes


def test_the_eligibility_check_cannot_tell_while_a_secret_vote_is_open(org, hr):
    """The council's rule on the nomination page reads no running count of a secret vote."""
    members = council_members(org.x, 2)
    session, secret, _public = _secret_and_open(org, hr, members)
    services.vote_cast(item=secret, voter=members[0], choice=Choice.AGREE)
    services.vote_cast(item=secret, voter=members[1], choice=Choice.AGREE)
    nomination = secret.nomination
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.VOTED
    with CaptureQueriesContext(connection) as captured:
        report = eligibility.check_nomination(nomination)
    council = next(r for r in report.results if r.kind == "council_approval")
    assert council.status == "unknown"
    assert "đang bỏ phiếu kín" in council.message and "2/2" not in council.message
    assert all("awards_secretcount" not in q["sql"] or '"status" = ' in q["sql"] for q in captured)
    services.session_close(session=session, by=hr)
    nomination.refresh_from_db()
    council = next(
        r for r in eligibility.check_nomination(nomination).results if r.kind == "council_approval"
    )
    assert council.status == "pass" and "2/2 thành viên đồng ý" in council.message


# What is shown once voting is closed -----------------------------------------------------------


@pytest.mark.parametrize("name", VIEWERS)
def test_the_results_show_once_voting_is_closed(org, hr, name, request, client_for):
    members = council_members(org.x, 4)
    session, secret, public = _secret_and_open(org, hr, members, chair=full_name(members[2]))
    for member, choice in zip(members, ["agree", "disagree", "agree", "agree"], strict=True):
        services.vote_cast(item=secret, voter=member, choice=choice)
    services.vote_cast(item=public, voter=members[0], choice=Choice.AGREE)
    services.session_close(session=session, by=hr)
    client = client_for(_viewer(name, request, members))
    html = _page(client, reverse("awards:council_session_detail", args=[session.pk]))
    secret_html = _section(html, secret.pk)
    assert 'data-tally="agree">3<' in secret_html
    assert 'data-tally="disagree">1<' in secret_html
    assert 'data-tally="not-voted">0<' in secret_html
    assert "3/4 (75,0%)" in secret_html and "Không thông qua" in secret_html  # needs 90 %
    for member in members:
        assert full_name(member) not in secret_html
    text = " ".join(
        pdf_text(
            client.get(reverse("awards:council_minutes_pdf", args=[session.pk])).content
        ).split()
    )
    assert "3/4" in text and "75,0%" in text and "Không thông qua" in text


def test_the_minutes_never_pair_a_name_with_a_secret_vote(org, hr, client_for):
    members = council_members(org.x, 3)
    session, secret, public = _secret_and_open(org, hr, members)
    for member in members:
        services.vote_cast(item=secret, voter=member, choice=Choice.AGREE)
    services.vote_cast(item=public, voter=members[0], choice=Choice.AGREE)
    services.session_close(session=session, by=hr)
    response = client_for(hr).get(reverse("awards:council_minutes_pdf", args=[session.pk]))
    text = " ".join(pdf_text(response.content).split())
    # Each name once in the member list; members[0] once more for the open item only.
    assert text.count(full_name(members[0])) == 2
    assert text.count(full_name(members[1])) == 1
    assert text.count(full_name(members[2])) == 1
