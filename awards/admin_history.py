"""Admin of exemplars (điển hình tiên tiến); imported by awards/admin.py."""

from __future__ import annotations

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_scope import ScopedModelAdmin

from .models import Exemplar


@admin.register(Exemplar)
class ExemplarAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("unit", "person__unit")
    list_display = ["headline", "year", "person", "unit"]
    list_filter = ["year"]
    search_fields = ["headline", "person__full_name", "person__staff_code", "unit__name"]
    raw_id_fields = ["person", "unit"]
    filter_horizontal = ["campaigns"]
    readonly_fields = ["created_by"]
    list_select_related = ["person", "unit"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
