"""Backup and restore: ``manage.py backup`` then ``manage.py restore`` into a new, empty database.

PostgreSQL only (the backup is pg_dump -Fc). The records are committed
(``transaction=True``) so pg_dump, a separate process, sees them; both commands
run as separate processes with their own DATABASE_URL and MEDIA_ROOT, as an
operator would run them. The new database gets a unique name and is dropped at
the end, whatever happens.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from awards import nomination_services
from awards.models import DossierFile, DossierKind
from campaigns.management.commands.backup import row_counts
from campaigns.management.commands.restore import file_checks
from campaigns.models import CampaignStatus
from pledges import documents
from pledges.models import DocumentKind, PledgeDocument
from reports import services as report_services
from reports.models import ReportDraft, ReportKind, ReportStatus
from tests.awards.nomination_setup import draft, make_round, person_of
from tests.documents import tiny_pdf
from tests.factories import CampaignFactory, PhaseFactory
from tests.pledges.document_setup import make_pledge, png_bytes
from tests.workers import database_url

ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 300

pytestmark = pytest.mark.django_db(transaction=True)


def _admin_connection():
    """A connection to the maintenance database, for CREATE/DROP DATABASE."""
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname="postgres",
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or None,
    )
    conn.autocommit = True
    return conn


@pytest.fixture
def new_database():
    """Create empty databases on demand; every one is dropped at the end."""
    names: list[str] = []

    def create() -> str:
        name = f"restore_{uuid.uuid4().hex[:12]}"
        conn = _admin_connection()  # not "with conn": that opens a transaction block
        try:
            with conn.cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
        finally:
            conn.close()
        names.append(name)
        return name

    yield create
    conn = _admin_connection()
    try:
        with conn.cursor() as cursor:
            for name in names:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        conn.close()


def manage(*args: str, database: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url(database), "MEDIA_ROOT": str(media)}
    env.pop("REDIS_URL", None)  # nothing here needs the broker
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _records_with_files(org, hr, secretary, focal_x1) -> None:
    """A pledge with its signed scan, a nomination with a dossier file, a generated report."""
    pledge = make_pledge(org)
    documents.pledge_document_add(
        pledge=pledge,
        kind=DocumentKind.SIGNED_SCAN,
        upload=SimpleUploadedFile("Bản ký giao ước.pdf", tiny_pdf()),
        by=secretary,
    )
    documents.pledge_document_add(
        pledge=pledge,
        kind=DocumentKind.SIGNED_SCAN,
        upload=SimpleUploadedFile("ảnh chụp.png", png_bytes(40)),
        by=secretary,
    )
    nomination = draft(focal_x1, make_round(org), person=person_of(org.x1))
    nomination_services.dossier_file_add(
        nomination=nomination,
        kind=DossierKind.SUBMISSION_LETTER,
        upload=SimpleUploadedFile("Tờ trình.pdf", tiny_pdf()),
        by=focal_x1,
    )
    campaign = CampaignFactory(issuing_unit=org.x, status=CampaignStatus.LAUNCHED)
    phase = PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1")
    report_draft = ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Báo cáo sơ kết giai đoạn 1",
        created_by=hr,
    )
    version = report_services.report_request(draft=report_draft, by=hr)  # rendered in-process
    version.refresh_from_db()
    assert version.status == ReportStatus.DONE, version.error
    assert PledgeDocument.objects.count() == 2 and DossierFile.objects.count() == 1


def _restored_files(
    database: str, *, files: bool = True
) -> tuple[dict[tuple[str, int, str], str], dict[str, int]]:
    """{(table, pk, file name): recorded checksum} and row counts, read from ``database``."""
    db = connection.settings_dict
    found = {}
    with (
        psycopg2.connect(
            dbname=database,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            host=db.get("HOST") or "127.0.0.1",
            port=db.get("PORT") or None,
        ) as conn,
        conn.cursor() as cursor,
    ):
        restored_counts = row_counts(cursor)
        for model, field, checksum in file_checks() if files else ():
            table = model._meta.db_table
            column = model._meta.get_field(field).column
            digest = model._meta.get_field(checksum).column if checksum else "''"
            cursor.execute(
                f'SELECT {model._meta.pk.column}, "{column}", {digest} FROM "{table}" '  # noqa: S608
                f"WHERE \"{column}\" <> ''"
            )
            for pk, name, recorded in cursor.fetchall():
                found[(table, pk, name)] = recorded
    conn.close()
    return found, restored_counts


@pytest.fixture
def _postgresql_tools(db) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the backup is pg_dump of PostgreSQL; run with DATABASE_URL")
    for tool in ("pg_dump", "pg_restore"):
        if not shutil.which(tool):
            pytest.skip(f"{tool} is not installed (postgresql-client)")


def test_a_backup_restores_into_an_empty_database_with_every_row_and_file(
    _postgresql_tools, org, hr, secretary, focal_x1, new_database, tmp_path
):
    _records_with_files(org, hr, secretary, focal_x1)
    source_media = Path(settings.MEDIA_ROOT)
    with connection.cursor() as cursor:
        source_counts = row_counts(cursor)
    source_files = {}
    for model, field, checksum in file_checks():
        columns = ("pk", field, checksum) if checksum else ("pk", field)
        for pk, name, *recorded in model._default_manager.exclude(**{field: ""}).values_list(
            *columns
        ):
            source_files[(model._meta.db_table, pk, name)] = recorded[0] if recorded else ""
    assert len(source_files) >= 5  # 2 scans, 1 dossier file, the report's PDF and Word copy

    backup_dir = tmp_path / "backup"
    made = manage(
        "backup",
        "--output",
        str(backup_dir),
        database=connection.settings_dict["NAME"],
        media=source_media,
    )
    assert made.returncode == 0, made.stderr
    assert {p.name for p in backup_dir.iterdir()} == {
        "database.dump",
        "media.tar",
        "manifest.json",
        "SHA256SUMS",
    }
    manifest = json.loads((backup_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["database"]["tables"] == source_counts

    target = new_database()
    restored_media = tmp_path / "restored-media"
    done = manage("restore", str(backup_dir), database=target, media=restored_media)
    assert done.returncode == 0, done.stderr
    print(made.stdout.strip(), done.stdout.strip(), sep="\n")  # the figures, for the record

    restored_files, restored_counts = _restored_files(target)
    assert restored_counts == source_counts  # every table, row for row
    assert set(restored_files) == set(source_files)
    assert restored_files == source_files  # the same rows point at the same files, same checksums
    checked = 0
    for (table, pk, name), recorded in restored_files.items():
        path = restored_media / name
        assert path.is_file(), (table, pk, name)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest == hashlib.sha256((source_media / name).read_bytes()).hexdigest()
        if recorded:  # the model stores the file's checksum: it matches the restored bytes
            assert digest == recorded, (table, pk, name)
            checked += 1
    assert checked >= 5
    print(
        f"{len(restored_counts)} tables, {sum(restored_counts.values())} rows, "
        f"{len(restored_files)} files ({checked} with a recorded SHA-256) checked"
    )

    # Restoring again into the same, now full, database is refused without --force.
    again = manage("restore", str(backup_dir), database=target, media=tmp_path / "elsewhere")
    assert again.returncode != 0
    assert "is not empty" in again.stderr

    # A damaged archive is refused before anything is written.
    damaged = tmp_path / "damaged"
    shutil.copytree(backup_dir, damaged)
    tar = damaged / "media.tar"
    data = bytearray(tar.read_bytes())
    data[len(data) // 2] ^= 0xFF
    tar.write_bytes(bytes(data))
    empty = new_database()
    refused = manage("restore", str(damaged), database=empty, media=tmp_path / "untouched")
    assert refused.returncode != 0
    assert "does not match its checksum" in refused.stderr
    _, empty_counts = _restored_files(empty, files=False)
    assert empty_counts == {}
    assert not (tmp_path / "untouched").exists()
