"""Periodic housekeeping of the campaigns app (scheduled by Celery beat in settings)."""

from __future__ import annotations

from celery import shared_task

from . import imports


@shared_task(name="campaigns.purge_stale_imports")
def purge_stale_imports() -> int:
    """Remove uploaded import files whose preview was never confirmed (older than a day)."""
    return imports.purge_stale_stashes()
