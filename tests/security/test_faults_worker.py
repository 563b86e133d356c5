"""Faults of the queue: the Celery worker killed (SIGKILL) mid-report, Redis stopped.

A real worker over a Redis server of our own (started here on a free port from
6391 up, stopped by its PID; the shared Redis is never touched) renders a phase
review from the PostgreSQL test database. To kill it at a known point without a
sleep in production code, a second connection holds ``LOCK TABLE
campaigns_campaign`` in ACCESS EXCLUSIVE mode: the worker claims the job (RUNNING,
heartbeat written), then blocks on its first read of the campaign while gathering
figures; we see it waiting in ``pg_stat_activity`` and kill it with SIGKILL.

Then: the sweep (``reports.sweep``, every minute in production) finds the silent
job and marks it FAILED with a message the user reads on the status page; no
file was recorded or left under MEDIA_ROOT; a redelivery of the same message is
a no-op; "Tạo lại" (retry) makes a new version that a fresh worker completes,
with its file and checksum.

Redis stopped while people work: the same private Redis, stopped by its PID and
started again on the same port, with /healthz of this process pointed at it.
"""

from __future__ import annotations

import datetime
import hashlib
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import psycopg2
import pytest
from celery import Celery
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from campaigns.models import CampaignStatus
from reports import services as report_services
from reports import tasks as report_tasks
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.factories import CampaignFactory, PhaseFactory
from tests.workers import database_url, start_worker, stop, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def free_port(start: int = 6391) -> int:
    for port in range(start, start + 50):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port for a private Redis")


class PrivateRedis:
    """A redis-server of our own on ``port``, which the test may stop and start again."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )

        def answers() -> bool:
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", self.port)) == 0

        wait_for(answers, f"redis on port {self.port}", timeout=20, every=0.1)

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


@pytest.fixture
def private_redis():
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    if connection.vendor != "postgresql":
        pytest.skip("a worker process cannot share an SQLite test database; use DATABASE_URL")
    redis = PrivateRedis(free_port())
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()
        forget_pools_of(redis.port)


def forget_pools_of(port: int) -> None:
    """Close and drop kombu's process-wide pools for the Redis on ``port``: a later test
    on a Redis that reuses the port would otherwise acquire from a pool closed here."""
    for group in (pools.producers, pools.connections):
        # Keyed by the connection's parameters (transport, host, user, password, vhost,
        # port, options): a HashedSeq, which is a list.
        for key in [key for key in group if port in key and "127.0.0.1" in key]:
            group.pop(key).force_close_all()


@pytest.fixture
def worker_factory(private_redis, settings):
    """Start real workers on the private Redis; every one is stopped at the end by its PID."""
    started: list[subprocess.Popen] = []

    def start() -> subprocess.Popen:
        env = {
            "DATABASE_URL": database_url(),
            "REDIS_URL": private_redis.url,
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        }
        process = start_worker(f"faults-{len(started)}", env, heartbeat=False)
        started.append(process)
        return process

    try:
        yield start
    finally:
        for process in started:
            stop(process, signal.SIGKILL)


@pytest.fixture
def queue_to(private_redis, monkeypatch):
    """Requests from this process go to the private Redis (the app here runs tasks eagerly)."""
    # Not the current app: shared tasks resolve to the current app when called, and a
    # later test's task would go to this closed one instead of the project's eager app.
    producer = Celery("faults", broker=private_redis.url, set_as_current=False)
    producer.conf.broker_connection_retry_on_startup = True

    def delay(version_id: int):
        return producer.send_task("reports.render_report", args=[version_id], queue="reports")

    monkeypatch.setattr(report_tasks.render_report, "delay", delay)
    yield producer
    producer.close()


@pytest.fixture
def review_draft(org, hr) -> ReportDraft:
    campaign = CampaignFactory(issuing_unit=org.x, status=CampaignStatus.LAUNCHED)
    phase = PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1")
    return ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Báo cáo sơ kết giai đoạn 1",
        created_by=hr,
    )


def _lock_campaigns():
    """A separate connection holding ACCESS EXCLUSIVE on campaigns_campaign until rollback."""
    db = connection.settings_dict
    conn = psycopg2.connect(
        dbname=db["NAME"],
        user=db.get("USER") or None,
        password=db.get("PASSWORD") or None,
        host=db.get("HOST") or "127.0.0.1",
        port=db.get("PORT") or None,
    )
    with conn.cursor() as cursor:
        cursor.execute("LOCK TABLE campaigns_campaign IN ACCESS EXCLUSIVE MODE")
    return conn


def _worker_waiting_on_the_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock' AND query ILIKE '%%campaigns_campaign%%'"
        )
        return cursor.fetchone()[0] > 0


def _files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_a_worker_killed_mid_report_leaves_a_failed_job_and_no_file(
    client_for, leader, review_draft, worker_factory, queue_to
):
    client = client_for(leader)
    # Requested first (the request page reads the campaign too), then locked, then a worker.
    response = client.post(reverse("reports:version_request", args=[review_draft.pk]))
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert version.status == ReportStatus.QUEUED
    lock = _lock_campaigns()
    try:
        worker = worker_factory()

        def running() -> bool:
            version.refresh_from_db()
            assert worker.poll() is None, f"the worker exited with {worker.returncode}"
            return version.status == ReportStatus.RUNNING

        wait_for(running, "the worker to claim the job")
        assert version.task_id  # it went through the broker
        wait_for(_worker_waiting_on_the_lock, "the worker to block while gathering figures")
        killed_at = time.monotonic()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=20)
        assert worker.returncode == -signal.SIGKILL
    finally:
        lock.rollback()
        lock.close()

    version.refresh_from_db()
    assert version.status == ReportStatus.RUNNING  # nobody knows yet: the row still says running
    assert not version.pdf and not version.pdf_sha256 and not version.docx
    assert _files() == []

    # The sweep before the heartbeat times out leaves it alone; after, it fails the job.
    assert report_services.sweep()["failed"] == 0
    later = timezone.now() + report_services.HEARTBEAT_TIMEOUT + datetime.timedelta(seconds=1)
    assert report_services.sweep(now=later)["failed"] == 1
    version.refresh_from_db()
    assert version.status == ReportStatus.FAILED
    assert "dừng giữa chừng" in version.error
    assert not version.pdf and not version.pdf_sha256 and not version.docx_sha256
    assert _files() == []
    page = client.get(reverse("reports:version_status", args=[version.pk]))
    assert "Máy chủ xử lý đã dừng giữa chừng" in page.content.decode()

    # The broker redelivers an unacknowledged job (acks_late); a failed version stays failed.
    report_services.render_version(version.pk)
    version.refresh_from_db()
    assert version.status == ReportStatus.FAILED and _files() == []

    # "Tạo lại": a new version, made by a fresh worker, with its file and checksum.
    fresh = worker_factory()
    retried = client.post(reverse("reports:version_retry", args=[version.pk]))
    assert retried.status_code == 302
    second = ReportVersion.objects.get(number=2)

    def finished() -> bool:
        second.refresh_from_db()
        assert fresh.poll() is None, f"the worker exited with {fresh.returncode}"
        return second.status in (ReportStatus.DONE, ReportStatus.FAILED)

    wait_for(finished, "the retried version", every=0.5)
    assert second.status == ReportStatus.DONE, second.error
    with default_storage.open(second.pdf.name) as stream:
        stored = stream.read()
    assert hashlib.sha256(stored).hexdigest() == second.pdf_sha256
    assert {p.name for p in _files()} == {Path(second.pdf.name).name, Path(second.docx.name).name}
    print(f"killed {time.monotonic() - killed_at:.1f} s before the retried version was done")


# Redis stopped while people work ------------------------------------------------------------------


@pytest.fixture
def health_on(private_redis, settings, monkeypatch):
    """/healthz of this process checks the private Redis (and the workers listening on it)."""
    from config.celery import app

    settings.REDIS_URL = private_redis.url
    monkeypatch.setattr(app.conf, "broker_url", private_redis.url)
    monkeypatch.setattr(app.conf, "result_backend", private_redis.url)
    # The worker ping borrows from the app's connection pool and sends through the app's
    # producer pool, both made once per process and kept: an earlier test may have made
    # them for another broker, and the ping would then never reach the private one. Both
    # start empty here; the earlier ones are put back at the end, and the private Redis's
    # pools are dropped by its fixture.
    monkeypatch.setattr(app, "_pool", None)
    monkeypatch.setattr(app.amqp, "_producer_pool", None)
    yield
    if app._pool is not None:
        app._pool.force_close_all()


def test_with_redis_stopped_pages_serve_and_report_requests_are_kept(
    org, secretary, client_for, leader, review_draft, private_redis, worker_factory, queue_to,
    health_on,
):  # fmt: skip
    from tests.pledges.pledge_setup import build, pledge_for

    setup = build(org)
    pledge = pledge_for(setup.year_a)
    worker = worker_factory()
    client = client_for(leader)

    def healthy() -> bool:
        assert worker.poll() is None, f"the worker exited with {worker.returncode}"
        return client.get(reverse("healthz")).status_code == 200

    wait_for(healthy, "/healthz to see the broker and the worker", every=1)

    private_redis.stop()
    down_at = time.monotonic()
    health = client.get(reverse("healthz"))
    assert health.status_code == 503
    assert health.json()["broker"] == "error"
    assert health.json()["database"] == "ok"
    # Pages that need only the database still serve.
    assert client.get(reverse("campaigns:list")).status_code == 200
    signer = client_for(secretary)
    signed = signer.post(
        reverse("pledges:signatures_record", args=[pledge.pk]),
        {
            f"m{org.x.pk}-signatory_name": "Trần Văn An",
            f"m{org.x.pk}-signatory_position": "Thứ trưởng",
            f"m{org.x.pk}-signed_on": "15/03/2024",
            **{  # the other members' rows, left untouched on the sheet
                f"m{unit.pk}-{name}": value
                for unit in (setup.p, setup.q)
                for name, value in (
                    ("signatory_name", ""),
                    ("signatory_position", ""),
                    ("signed_on", "2024-03-15"),
                )
            },
        },
    )
    assert signed.status_code == 302
    assert pledge.signatures.filter(member=org.x).count() == 1
    # A report request is kept, and says so.
    client = client_for(leader)
    started = time.monotonic()
    response = client.post(reverse("reports:version_request", args=[review_draft.pk]))
    request_seconds = time.monotonic() - started
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert version.status == ReportStatus.QUEUED and not version.task_id
    page = client.get(response.url).content.decode()
    assert "Hàng đợi tạm thời không khả dụng; yêu cầu đã được lưu và sẽ tự chạy lại." in page
    assert report_services.sweep()["requeued"] == 0  # too early: not yet REQUEUE_AFTER old

    private_redis.start()
    later = timezone.now() + report_services.REQUEUE_AFTER + datetime.timedelta(seconds=1)
    assert report_services.sweep(now=later)["requeued"] == 1

    def finished() -> bool:
        version.refresh_from_db()
        return version.status in (ReportStatus.DONE, ReportStatus.FAILED)

    wait_for(finished, "the worker to reconnect and make the kept report", every=0.5)
    assert version.status == ReportStatus.DONE, version.error
    assert version.task_id and version.pdf_sha256
    assert worker.poll() is None  # the same worker reconnected by itself
    wait_for(healthy, "/healthz to recover", every=1)
    print(
        f"report request with Redis down answered in {request_seconds:.1f} s; "
        f"Redis down {time.monotonic() - down_at:.1f} s in all until the report was done"
    )
