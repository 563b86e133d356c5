"""/healthz for the load balancer: the database, the broker and a worker answer.

No login, no session, and nothing but statuses in the body. 200 when the
database answers and, if a broker is configured, the broker and at least one
worker answer too; 503 otherwise, so the balancer takes the process out.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

WORKER_PING_TIMEOUT = 0.5  # seconds; the balancer polls often


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any driver error means "down" for the balancer
        return "error"
    return "ok"


def _broker_and_worker() -> tuple[str, str]:
    if not settings.REDIS_URL:
        return "not configured", "in-process"
    from config.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
    except Exception:
        return "error", "unknown"
    try:
        replies = app.control.ping(timeout=WORKER_PING_TIMEOUT)
    except Exception:
        return "ok", "error"
    return "ok", "ok" if replies else "none"


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    database = _database()
    broker, worker = _broker_and_worker()
    healthy = (
        database == "ok" and broker in ("ok", "not configured") and worker in ("ok", "in-process")
    )
    return JsonResponse(
        {"database": database, "broker": broker, "worker": worker},
        status=200 if healthy else 503,
    )
