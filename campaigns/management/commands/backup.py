"""``manage.py backup``: the database (pg_dump -Fc) and MEDIA_ROOT, with SHA-256 checksums.

A backup is a directory:

- ``database.dump``: ``pg_dump -Fc`` of DATABASE_URL, taken from an exported
  snapshot, so the row counts in the manifest are those of the dump exactly;
- ``media.tar``: every file under MEDIA_ROOT (uploads and generated reports),
  taken *after* the dump: a file is always stored before the row that names it
  commits, so every row in the dump finds its file in the archive;
- ``manifest.json``: when, from which database, each table's row count and each
  media file's size and SHA-256;
- ``SHA256SUMS``: the checksums of the three files above (``sha256sum -c`` works).

``manage.py restore <dir>`` is the other half (see restore.py).
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from campaigns.storage import PARTIAL_PREFIX

DUMP, ARCHIVE, MANIFEST, SUMS = "database.dump", "media.tar", "manifest.json", "SHA256SUMS"
CHUNK = 1024 * 1024


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def libpq_env(db: dict[str, Any]) -> dict[str, str]:
    """The environment that points pg_dump/pg_restore/psql at a Django database."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    env["PGDATABASE"] = db["NAME"]
    return env


def tool(name: str) -> str:
    """The absolute path of a PostgreSQL client program (postgresql-client)."""
    path = shutil.which(name)
    if not path:
        raise CommandError(f"{name} not found: install postgresql-client")
    return path


def user_tables(cursor) -> list[str]:
    cursor.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
    )
    return [row[0] for row in cursor.fetchall()]


def row_counts(cursor) -> dict[str, int]:
    counts = {}
    for table in user_tables(cursor):
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608  (names from pg_tables, quoted)
        counts[table] = cursor.fetchone()[0]
    return counts


def media_files(root: Path) -> list[Path]:
    """Files to keep: everything under MEDIA_ROOT but unfinished temporary writes."""
    if not root.exists():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and not p.name.startswith(PARTIAL_PREFIX)
    )


class Command(BaseCommand):
    help = "Back up the database (pg_dump -Fc) and MEDIA_ROOT into a directory, with checksums."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            help="directory to create (default: backups/thidua-<UTC time> in the project)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("backup needs PostgreSQL (DATABASE_URL=postgres://…)")
        now = datetime.datetime.now(datetime.UTC)
        target = Path(
            options["output"] or Path(settings.BASE_DIR) / "backups" / f"thidua-{now:%Y%m%d-%H%M%S}"
        )
        if target.exists() and any(target.iterdir()):
            raise CommandError(f"{target} already exists and is not empty.")
        target.mkdir(parents=True, exist_ok=True)
        db = connection.settings_dict
        started = datetime.datetime.now(datetime.UTC)

        with transaction.atomic(), connection.cursor() as cursor:
            # The first statement of the transaction fixes its snapshot; pg_dump reuses it.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts(cursor)
            subprocess.run(  # noqa: S603  (fixed program, arguments built here)
                [
                    tool("pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={target / DUMP}",
                ],
                env=libpq_env(db),
                check=True,
                timeout=3600,
            )

        root = Path(settings.MEDIA_ROOT)
        files = []
        with tarfile.open(target / ARCHIVE, "w") as archive:
            for path in media_files(root):
                relative = path.relative_to(root).as_posix()
                files.append(
                    {"path": relative, "size": path.stat().st_size, "sha256": sha256_of(path)}
                )
                archive.add(path, arcname=relative, recursive=False)

        manifest = {
            "format": 1,
            "created_at": now.isoformat(),
            "database": {"name": db["NAME"], "host": db.get("HOST") or "", "tables": counts},
            "media_root": str(root),
            "files": files,
        }
        (target / MANIFEST).write_text(
            json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
        )
        sums = "".join(
            f"{sha256_of(target / name)}  {name}\n" for name in (DUMP, ARCHIVE, MANIFEST)
        )
        (target / SUMS).write_text(sums, encoding="utf-8")
        seconds = (datetime.datetime.now(datetime.UTC) - started).total_seconds()
        self.stdout.write(
            f"Backup {target}: {len(counts)} tables, {sum(counts.values())} rows, "
            f"{len(files)} files ({sum(f['size'] for f in files)} bytes), "
            f"dump {(target / DUMP).stat().st_size} bytes, {seconds:.1f} s"
        )
