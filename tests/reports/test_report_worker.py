"""A phase review requested in the browser's way and made by a real Celery worker over Redis.

Like tests/test_celery_worker.py: runs whenever REDIS_URL is set (always in CI, where
it may not be skipped). The worker is a separate process, so it must reach the
same database as the test: PostgreSQL's test database, whose rows are committed
(``transaction=True``); an SQLite test database is not shared, so the test skips.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse

from config.celery import app
from reports.models import ReportStatus, ReportVersion
from tests.documents import pdf_fonts, pdf_text
from tests.reports.page_setup import CAMPAIGN_NAME
from tests.workers import TIMEOUT, database_url, start_worker, stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the report worker test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def report_worker(settings):
    if not os.environ.get("REDIS_URL"):
        _missing("REDIS_URL is not set: no broker to reach a worker through")
    if connection.vendor != "postgresql":
        pytest.skip("the worker process cannot share an SQLite test database")
    # The worker stores the files where this test (and its download view) reads them.
    env = {"DATABASE_URL": database_url(), "MEDIA_ROOT": str(settings.MEDIA_ROOT)}
    process = start_worker("pytest-reports", env)
    try:
        yield process
    finally:
        stop(process)


def _wait_until_finished(version: ReportVersion, worker: subprocess.Popen) -> ReportVersion:
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        version.refresh_from_db()
        if version.status in (ReportStatus.DONE, ReportStatus.FAILED):
            return version
        assert worker.poll() is None, f"the worker exited with {worker.returncode}"
        time.sleep(0.5)
    pytest.fail(f"no result within {TIMEOUT} s: {version.status} at {version.progress}%")


def test_a_real_worker_makes_the_requested_report(
    report_worker, client_for, leader, phase_review, tmp_path
):
    app.conf.task_always_eager = False  # the autouse fixture restores it
    client = client_for(leader)
    response = client.post(reverse("reports:version_request", args=[phase_review.draft.pk]))
    version = ReportVersion.objects.get()
    assert response.url == reverse("reports:version_status", args=[version.pk])
    assert version.status in (ReportStatus.QUEUED, ReportStatus.RUNNING)  # not rendered inline

    version = _wait_until_finished(version, report_worker)
    assert version.status == ReportStatus.DONE, (version.stage, version.error)
    assert version.task_id and version.attempts == 1
    progress = client.get(reverse("reports:version_progress", args=[version.pk]))
    assert 'hx-trigger="every 1s"' not in progress.content.decode()

    pdf = b"".join(client.get(reverse("reports:version_pdf", args=[version.pk])).streaming_content)
    assert hashlib.sha256(pdf).hexdigest() == version.pdf_sha256
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert CAMPAIGN_NAME in text
    assert "01/01/2023" in text and "31/12/2025" in text
    assert "Đơn vị tham gia: 4" in text  # X and its three sub-units, as in the database
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts

    # The first page as an image: what a reader sees, drawn only with the shipped font.
    if not shutil.which("pdftoppm"):
        _missing("pdftoppm (poppler-utils) is not installed")
    source = Path(default_storage.path(version.pdf.name))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "72",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(source),
            str(tmp_path / "page1"),
        ],
        check=True,
        timeout=60,
    )
    png = tmp_path / "page1.png"
    assert png.exists() and png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    assert png.stat().st_size > 10_000  # a page of text, not a blank image
