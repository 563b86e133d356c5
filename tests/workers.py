"""Real Celery workers for the tests that need one: started as processes, stopped by PID.

Shared by tests/test_celery_worker.py (ping over Redis), tests/reports/test_report_worker.py
(a report made by a worker) and tests/security/test_faults_worker.py (a worker killed,
Redis stopped). A worker is a separate process, so on PostgreSQL it is pointed at the
test database (``test_…``) with :func:`test_database_url`, and the test's rows must be
committed (``django_db(transaction=True)``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 120

T = TypeVar("T")


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for this process's PostgreSQL server: the test database this
    process uses (``test_…``), for a worker process, or the database ``name``."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = quote(db.get("PASSWORD") or "", safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = db.get("HOST") or "127.0.0.1"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"postgres://{auth}{host}{port}/{name or db['NAME']}"


def start_worker(
    name: str, env: Mapping[str, str] | None = None, *, heartbeat: bool = True
) -> subprocess.Popen:
    """``celery -A config worker`` on both queues, one process (solo pool), named ``name``.

    ``env`` is laid over this process's environment (DATABASE_URL, REDIS_URL,
    MEDIA_ROOT, …). Gossip and mingle are off: the worker talks to no other worker.
    """
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "-Q",
        "celery,reports",
        "--pool=solo",
        "--concurrency=1",
        "--without-gossip",
        "--without-mingle",
        "--loglevel=warning",
        "-n",
        f"{name}-{os.getpid()}@%h",
    ]
    if not heartbeat:
        command.append("--without-heartbeat")
    return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **(env or {})})


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop ``process`` with ``sig`` (SIGKILL after 20 s) and reap it."""
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def wait_for(
    predicate: Callable[[], T], what: str, timeout: float = TIMEOUT, every: float = 0.2
) -> T:
    """Call ``predicate`` every ``every`` seconds until it returns something true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(every)
    pytest.fail(f"timed out after {timeout} s waiting for {what}")
