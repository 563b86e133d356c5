from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Báo cáo")

    def ready(self) -> None:
        # Celery autodiscovers only ``reports.tasks``; the reminder task has its own module.
        from . import reminder_tasks  # noqa: F401
