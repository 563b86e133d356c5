"""The secret ballot in storage, read with raw SQL (docs/reliability.md, "Secret ballots").

Members vote in a known order with known choices; then every table the votes touched
(found in the SQL they ran), every simple-history table and the nominations' event
table are read directly, and nothing may link a member to a choice: by a column, a
row's id or order, a time, or which rows a vote wrote. A differential test shows it
for every table at once: swapping two members' choices leaves the whole database the
same (but for generated keys and timestamps). On PostgreSQL, the system column
``xmin`` (the transaction that wrote a row version) is checked too.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import council_services as services
from awards.models import Ballot, Choice, NominationEvent, SecretCount, VoterReceipt
from tests.awards.factories import AwardTypeFactory, council_rule

from .council_setup import accepted, council_members, item_of, open_session, round_of

CHOICE_VALUES = set(Choice.values)
# How choices could be written out in words (the labels), in any table.
CHOICE_WORDS = ("Đồng ý", "Không đồng ý", "agree", "disagree")
# Members 0..5 vote in this order, with these choices.
CHOICES = ["agree", "disagree", "agree", "agree", "disagree", "agree"]


def _secret_items(org, hr, members, count: int = 1):
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    nominations = accepted(round_of(org.x), award_type=title, count=count)
    session = open_session(org.x, hr, members, nominations)
    return session, [item_of(session, n) for n in nominations]


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _tables() -> list[str]:
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def _rows(table: str) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {_q(table)}")  # noqa: S608 - names from introspection
        columns = [c[0] for c in cursor.description]
        return columns, cursor.fetchall()


def _user_columns(table: str) -> list[str]:
    """Columns of ``table`` that reference a user."""
    user_table = get_user_model()._meta.db_table
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, table)
    return [column for column, (_field, target) in relations.items() if target == user_table]


def _touched(queries) -> set[str]:
    names = set(_tables())
    touched = set()
    for query in queries:
        touched |= {name for name in re.findall(r'"(\w+)"', query["sql"]) if name in names}
    return touched


def _historical_tables() -> set[str]:
    return {
        model._meta.db_table
        for model in apps.get_models()
        if model.__name__.startswith("Historical") and hasattr(model, "history_user")
    }


def _mentions_choice(value) -> bool:
    if isinstance(value, str):
        return value in CHOICE_VALUES or any(word in value for word in CHOICE_WORDS)
    return False


@pytest.mark.django_db
def test_the_tables_a_vote_touches_link_no_member_to_a_choice(org, hr):
    members = council_members(org.x, len(CHOICES))
    _session, (item,) = _secret_items(org, hr, members)
    clients = []
    for member in members:  # logged in beforehand: the logins are not the votes' writes
        clients.append(Client())
        clients[-1].force_login(member)
    count_ids_before = sorted(SecretCount.objects.filter(item=item).values_list("pk", flat=True))
    before = {table: {repr(row) for row in _rows(table)[1]} for table in _tables()}
    with CaptureQueriesContext(connection) as captured:
        for client, choice in zip(clients, CHOICES, strict=True):
            response = client.post(
                reverse("awards:council_vote", args=[item.pk]), {"choice": choice}
            )
            assert response.status_code == 302
    touched = _touched(captured.captured_queries)
    read = touched | _historical_tables() | {NominationEvent._meta.db_table}
    assert {VoterReceipt._meta.db_table, SecretCount._meta.db_table} <= touched
    member_ids = {m.pk for m in members}

    written_by_votes: dict[str, list[tuple]] = {}
    for table in sorted(read):
        columns, rows = _rows(table)
        new = [row for row in rows if repr(row) not in before.get(table, set())]
        written_by_votes[table] = new
        user_columns = [columns.index(c) for c in _user_columns(table)]
        for row in rows:
            names_a_member = any(row[i] in member_ids for i in user_columns)
            # No row anywhere names a member next to a choice.
            assert not (names_a_member and any(_mentions_choice(v) for v in row)), (table, row)
        if table == VoterReceipt._meta.db_table:
            continue
        # Outside the receipts, nothing the votes wrote names a member at all.
        for row in new:
            assert not any(row[i] in member_ids for i in user_columns), (table, row)

    # The receipts: who and the day; no choice, no time of day.
    columns, rows = _rows(VoterReceipt._meta.db_table)
    assert sorted(columns) == ["id", "item_id", "voted_on", "voter_id"]
    assert {row[columns.index("voter_id")] for row in rows} == member_ids
    for row in rows:
        day = row[columns.index("voted_on")]
        assert not isinstance(day, datetime.datetime)
        assert isinstance(day, datetime.date) or re.fullmatch(r"\d{4}-\d\d-\d\d", day), day

    # The choices: only in the counts, which have no voter, time or order of their own,
    # were written before anyone voted (same rows, same ids) and hold only the totals.
    holding_choices = {
        table
        for table in _tables()
        if any(v in CHOICE_VALUES for row in _rows(table)[1] for v in row)
    }
    assert holding_choices == {SecretCount._meta.db_table}
    columns, rows = _rows(SecretCount._meta.db_table)
    assert sorted(columns) == ["choice", "count", "id", "item_id"]
    assert not _user_columns(SecretCount._meta.db_table)
    assert sorted(SecretCount.objects.filter(item=item).values_list("pk", flat=True)) == (
        count_ids_before
    )
    assert dict(SecretCount.objects.filter(item=item).values_list("choice", "count")) == {
        "agree": CHOICES.count("agree"),
        "disagree": CHOICES.count("disagree"),
    }
    assert not Ballot.objects.filter(item=item).exists()

    # Which rows a vote wrote does not depend on its choice: each vote ran the same
    # statements; the counts were only ever updated, all of the item's rows at once.
    count_table = SecretCount._meta.db_table
    writes = [q["sql"] for q in captured.captured_queries if count_table in q["sql"]]
    assert len(writes) == len(CHOICES)
    for sql in writes:
        assert sql.lstrip().upper().startswith("UPDATE"), sql
        where = sql[sql.upper().rindex(" WHERE ") :]
        assert "choice" not in where and "item_id" in where, sql
    # No other table got a row for each vote (a per-ballot row), save the receipts.
    for table, new in written_by_votes.items():
        if table != VoterReceipt._meta.db_table:
            assert len(new) < len(CHOICES), (table, new)

    # No history of the vote's rows exists to hold a choice.
    for name in ("ballot", "secretcount", "voterreceipt"):
        assert f"awards_historical{name}" not in _tables()


def _dump() -> dict[str, list[tuple]]:
    """Every table, rows in insertion order (SQLite: rowid; PostgreSQL: the integer key),
    without generated keys and with every timestamp blanked."""
    dump = {}
    with connection.cursor() as cursor:
        for table in _tables():
            pk = connection.introspection.get_primary_key_column(cursor, table)
            if connection.vendor == "sqlite":
                cursor.execute(f"SELECT * FROM {_q(table)} ORDER BY rowid")  # noqa: S608
                columns = [c[0] for c in cursor.description]
                rows = cursor.fetchall()
            else:
                columns, rows = _rows(table)
                if pk is not None and all(isinstance(r[columns.index(pk)], int) for r in rows):
                    rows = sorted(rows, key=lambda row: row[columns.index(pk)])
                else:
                    rows = sorted(rows, key=repr)
            keep = [i for i, column in enumerate(columns) if column != pk]
            dump[table] = [tuple(_blank(row[i]) for i in keep) for row in rows]
    return dump


def _blank(value):
    if isinstance(value, datetime.datetime):
        return "<time>"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d[^ ]*", value):
        return "<time>"
    return value


@pytest.mark.django_db
def test_swapping_two_members_choices_leaves_the_database_the_same(org, hr):
    """Members 0..3 vote in the same order twice, with choices swapped between them
    (A D A D, then D A D A: the same totals). If any table, row order or column linked
    a member to a choice, the two databases would differ."""
    members = council_members(org.x, 4)
    _session, (item,) = _secret_items(org, hr, members)

    def run(choices) -> dict[str, list[tuple]]:
        savepoint = transaction.savepoint()
        try:
            for member, choice in zip(members, choices, strict=True):
                services.vote_cast(item=item, voter=member, choice=choice)
            return _dump()
        finally:
            transaction.savepoint_rollback(savepoint)

    first = run(["agree", "disagree", "agree", "disagree"])
    second = run(["disagree", "agree", "disagree", "agree"])
    assert first[SecretCount._meta.db_table] != _dump()[SecretCount._meta.db_table]  # it voted
    assert first.keys() == second.keys()
    assert {table for table in first if first[table] != second[table]} == set()


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_each_vote_rewrites_every_count_row_of_its_item(org, hr):
    """PostgreSQL keeps, in each row version, the transaction that wrote it (``xmin``).
    Were only the chosen count updated, the last vote's transaction would stand on that
    choice's row alone (and match the last receipt's). Every vote rewrites all of the
    item's count rows, so they always share one ``xmin``; other items' rows are left."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin is PostgreSQL's; SQLite rewrites rows in place")
    members = council_members(org.x, 4)
    _session, (voted, other) = _secret_items(org, hr, members, count=2)

    def xmins(item) -> dict[str, str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT choice, xmin::text FROM awards_secretcount WHERE item_id = %s", [item.pk]
            )
            return dict(cursor.fetchall())

    untouched = xmins(other)
    for member, choice in zip(members, ["agree", "disagree", "disagree", "agree"], strict=True):
        services.vote_cast(item=voted, voter=member, choice=choice)  # one transaction each
        assert len(set(xmins(voted).values())) == 1, xmins(voted)
    assert xmins(other) == untouched
