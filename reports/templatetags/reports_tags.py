"""Labels of the report pages that a template cannot look up by itself."""

from __future__ import annotations

from django import template

from reports.models import ReportStatus

register = template.Library()

BADGES = {
    ReportStatus.QUEUED: "text-bg-secondary",
    ReportStatus.RUNNING: "text-bg-info",
    ReportStatus.DONE: "text-bg-success",
    ReportStatus.FAILED: "text-bg-danger",
}


@register.filter
def report_status(status: str | None) -> str:
    """The words of a version status ("Hoàn thành"), from its stored value."""
    if not status:
        return ""
    return str(dict(ReportStatus.choices).get(status, status))


@register.filter
def status_badge(status: str | None) -> str:
    return BADGES.get(status or "", "text-bg-secondary")
