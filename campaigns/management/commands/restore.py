"""``manage.py restore <dir>``: put a backup made by ``manage.py backup`` back.

Into the database of DATABASE_URL, which must be empty (no table, view or
sequence), and MEDIA_ROOT, which must hold no file; ``--force`` restores over
existing ones (pg_restore --clean). Nothing is touched before every checksum of
the backup has been verified. Afterwards it checks that every table has the row
count recorded at backup time, that every media file is there with its SHA-256,
and that every file a row points at exists and matches the checksum the row
records (``sha256`` beside ``file``, ``pdf_sha256`` beside ``pdf``…).
"""

from __future__ import annotations

import json
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models

from .backup import (
    ARCHIVE,
    DUMP,
    MANIFEST,
    SUMS,
    libpq_env,
    media_files,
    row_counts,
    sha256_of,
    tool,
)


def _verify_sums(source: Path) -> None:
    sums = source / SUMS
    if not sums.exists():
        raise CommandError(f"{sums} is missing: not a backup made by manage.py backup")
    for line in sums.read_text(encoding="utf-8").splitlines():
        expected, name = line.split(maxsplit=1)
        path = source / name.strip()
        if not path.exists():
            raise CommandError(f"{path} is missing")
        if sha256_of(path) != expected:
            raise CommandError(f"{path} does not match its checksum: the backup is damaged")


def _database_is_empty(cursor) -> bool:
    cursor.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
        "AND n.nspname NOT LIKE 'pg_toast%%' AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
    )
    return cursor.fetchone()[0] == 0


def file_checks() -> list[tuple[type[models.Model], str, str | None]]:
    """(model, file field, checksum field or None) for every file a row may point at."""
    checks = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.concrete_fields}
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                for candidate in (f"{field.name}_sha256", "sha256" if field.name == "file" else ""):
                    if candidate in names:
                        checks.append((model, field.name, candidate))
                        break
                else:
                    checks.append((model, field.name, None))
    return checks


def verify_files(root: Path) -> tuple[int, list[str]]:
    """Every file named by a row exists under ``root`` and matches the row's checksum."""
    checked, problems = 0, []
    for model, field, checksum in file_checks():
        columns = [field, checksum] if checksum else [field]
        rows = model._default_manager.exclude(**{field: ""}).values_list("pk", *columns)
        for pk, name, *digest in rows.iterator():
            path = root / name
            label = f"{model._meta.label} {pk} {field}={name}"
            if not path.is_file():
                problems.append(f"{label}: missing")
            elif digest and digest[0] and sha256_of(path) != digest[0]:
                problems.append(f"{label}: checksum differs from the one recorded")
            checked += 1
    return checked, problems


class Command(BaseCommand):
    help = "Restore a backup directory into an empty database and MEDIA_ROOT, then verify it."

    def add_arguments(self, parser) -> None:
        parser.add_argument("source", help="a directory made by manage.py backup")
        parser.add_argument(
            "--force",
            action="store_true",
            help="restore over a database or MEDIA_ROOT that is not empty",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("restore needs PostgreSQL (DATABASE_URL=postgres://…)")
        source = Path(options["source"])
        force = options["force"]
        started = time.monotonic()
        _verify_sums(source)
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
        root = Path(settings.MEDIA_ROOT)
        with connection.cursor() as cursor:
            if not _database_is_empty(cursor) and not force:
                raise CommandError(
                    f"database {connection.settings_dict['NAME']} is not empty; restore into "
                    "an empty one (createdb) or pass --force to replace what is there"
                )
        if media_files(root) and not force:
            raise CommandError(f"MEDIA_ROOT {root} holds files; empty it or pass --force")
        connection.close()  # pg_restore --clean must not wait on our own session

        command = [tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--clean", "--if-exists"] if force else ["--single-transaction"]
        command += [f"--dbname={connection.settings_dict['NAME']}", str(source / DUMP)]
        subprocess.run(  # noqa: S603  (fixed program, arguments built here)
            command, env=libpq_env(connection.settings_dict), check=True, timeout=3600
        )

        root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(source / ARCHIVE) as archive:
            archive.extractall(root, filter="data")  # no absolute paths, no "..", no devices

        problems = []
        for entry in manifest["files"]:
            path = root / entry["path"]
            if not path.is_file():
                problems.append(f"{entry['path']}: missing after unpacking")
            elif sha256_of(path) != entry["sha256"]:
                problems.append(f"{entry['path']}: checksum differs from the manifest")
        with connection.cursor() as cursor:
            counts = row_counts(cursor)
        expected = manifest["database"]["tables"]
        for table, count in expected.items():
            if counts.get(table) != count:
                problems.append(f"table {table}: {counts.get(table)} rows, {count} at backup time")
        checked, file_problems = verify_files(root)
        problems += file_problems
        if problems:
            raise CommandError("restored, but the check failed:\n" + "\n".join(problems))
        self.stdout.write(
            f"Restored {source} into {connection.settings_dict['NAME']}: "
            f"{len(expected)} tables and {sum(expected.values())} rows as recorded, "
            f"{len(manifest['files'])} files with matching SHA-256, "
            f"{checked} file references checked, {time.monotonic() - started:.1f} s"
        )
