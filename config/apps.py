"""The admin app, with the project's site as its default (``admin.site``)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class ThiDuaAdminConfig(AdminConfig):
    # Registers every ModelAdmin under a reach policy: scoped to the units a body's
    # administrator administers, reference data, or superuser-only (the default).
    default_site = "campaigns.admin_scope.ThiDuaAdminSite"
