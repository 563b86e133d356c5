from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PledgesConfig(AppConfig):
    name = "pledges"
    verbose_name = _("Khối thi đua và giao ước")
