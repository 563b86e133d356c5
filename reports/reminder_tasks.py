"""The daily reminder job, run by Celery beat (CELERY_BEAT_SCHEDULE "send-reminders").

Registered through ``ReportsConfig.ready()``: Celery's autodiscovery imports only
each app's ``tasks`` module, and this one lives beside it.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.db import InterfaceError, OperationalError

from . import reminder_services


@shared_task(
    name="reports.send_reminders",
    autoretry_for=(InterfaceError, OperationalError),
    retry_backoff=30,
    max_retries=3,
)
def send_reminders(today: str | None = None) -> dict[str, int]:
    """Email what is due (``today`` as ISO date, default the local date); retrying sends nothing twice."""
    day = datetime.date.fromisoformat(today) if today else None
    return reminder_services.send_reminders(day).as_dict()
