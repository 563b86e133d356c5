"""Celery is just another interface to the services: tasks load by id and call them."""

from __future__ import annotations

from celery import shared_task
from django.db import DatabaseError, InterfaceError

from . import services


@shared_task(
    name="reports.render_report",
    bind=True,
    autoretry_for=(InterfaceError, DatabaseError),
    retry_backoff=5,
    retry_backoff_max=120,
    max_retries=3,
    acks_late=True,
)
def render_report(self, version_id: int) -> None:
    """Render one report version. Database hiccups retry with back-off; other errors fail it."""
    try:
        services.render_version(version_id)
    except (InterfaceError, DatabaseError):
        if self.request.retries >= self.max_retries:
            services.mark_failed(
                version_id, "Lỗi cơ sở dữ liệu khi tạo báo cáo; đã thử lại nhiều lần."
            )
        raise
    except Exception as exc:
        services.mark_failed(version_id, f"Không tạo được báo cáo: {exc}")
        raise


@shared_task(name="reports.sweep")
def sweep() -> dict[str, int]:
    return services.sweep()
