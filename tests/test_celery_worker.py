"""The worker path: a real Celery worker over Redis runs a real task.

Runs whenever REDIS_URL is set (always in CI); without Redis the app runs tasks
in-process, which the rest of the suite covers.
"""

from __future__ import annotations

import os

import pytest

from config.celery import app, ping
from tests.workers import start_worker, stop

pytestmark = pytest.mark.worker


def test_ping_runs_in_process_when_eager():
    assert ping.delay().get(timeout=5) == "pong"


@pytest.fixture
def worker():
    if not os.environ.get("REDIS_URL"):
        if os.environ.get("CI"):
            pytest.fail("CI must run the worker test: REDIS_URL is not set")
        pytest.skip("REDIS_URL is not set: no broker to reach a worker through")
    process = start_worker("pytest")
    try:
        yield process
    finally:
        stop(process)


def test_a_real_worker_runs_ping_over_redis(worker):
    app.conf.task_always_eager = False
    result = ping.apply_async()
    assert result.get(timeout=60) == "pong"
    assert worker.poll() is None
