"""Rewrite the ballot and receipt tables on PostgreSQL after 0006.

Deleting the folded secret ballots and dropping the receipts' time leaves the old
rows and values in the table files (dead tuples, a dropped column) until they are
rewritten; VACUUM FULL rewrites them now. It cannot run inside a transaction, hence
a migration of its own. Where the database user may not vacuum, it says so and goes
on (run it by hand: docs/reliability.md, "Secret ballots"). SQLite: see the same
section.
"""

from django.db import DatabaseError, migrations

TABLES = ("awards_ballot", "awards_voterreceipt")


def vacuum(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    if connection.in_atomic_block:  # migrated inside a transaction (some test set-ups)
        print("\n  Not in autocommit: run VACUUM FULL on awards_ballot, awards_voterreceipt.")
        return
    for table in TABLES:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"VACUUM FULL {connection.ops.quote_name(table)}")
        except DatabaseError as error:  # not the owner, or inside a transaction after all
            print(f"\n  VACUUM FULL {table} failed ({error}); run it by hand.")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("awards", "0006_secret_ballot_counts")]

    operations = [migrations.RunPython(vacuum, migrations.RunPython.noop, elidable=True)]
