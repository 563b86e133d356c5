"""Indexes for prefix (subtree) and unaccented substring search on PostgreSQL.

The folded ``search_text`` columns are matched with LIKE '%word%', which a
pg_trgm GIN index serves; ``path`` prefix matches need varchar_pattern_ops
whatever the database collation. SQLite gets plain b-tree indexes already.
"""

from django.db import migrations

TRIGRAM_INDEXES = [
    ("campaigns_person", "campaigns_person_search_trgm"),
    ("campaigns_unit", "campaigns_unit_search_trgm"),
    ("campaigns_campaign", "campaigns_campaign_search_trgm"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, name in TRIGRAM_INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (search_text gin_trgm_ops)"
        )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS campaigns_unit_path_like "
        "ON campaigns_unit (path varchar_pattern_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute("DROP INDEX IF EXISTS campaigns_unit_path_like")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
