"""Admin registrations for the awards records part: ratings, discipline, initiatives,
registrations.

Records are kept on their pages (awards.records_services, awards.registration_services);
here an administrator corrects them with history, those of their own units only
(campaigns/admin_scope.py). Nothing is deleted. Plain id inputs
stand in for autocomplete widgets, which fail the accessibility checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_scope import ScopedInline, ScopedModelAdmin

from .models import DisciplineRecord, Initiative, Registration, RegistrationEntry, TaskRating


class _NoDelete:
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaskRating)
class TaskRatingAdmin(_NoDelete, ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("unit", "person__unit")
    list_display = ["year", "person", "unit", "rating"]
    list_filter = ["year", "rating"]
    list_select_related = ["person", "unit"]
    search_fields = ["person__search_text", "person__staff_code", "unit__code", "unit__name"]
    raw_id_fields = ["person", "unit"]


@admin.register(DisciplineRecord)
class DisciplineRecordAdmin(_NoDelete, ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("person__unit",)
    list_display = ["person", "form", "start_date", "end_date", "decision"]
    list_filter = ["form"]
    list_select_related = ["person"]
    search_fields = ["person__search_text", "person__staff_code", "decision"]
    raw_id_fields = ["person"]


@admin.register(Initiative)
class InitiativeAdmin(_NoDelete, ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("unit",)
    list_display = ["title", "kind", "unit", "year", "scope", "recognition", "recognised_on"]
    list_filter = ["kind", "scope", "year"]
    list_select_related = ["unit"]
    search_fields = ["title", "unit__code", "unit__name", "recognition"]
    raw_id_fields = ["unit"]
    # Authors are chosen among the unit's people on the initiative page; the raw-id
    # widget for a many-to-many field fails the accessibility checks.
    readonly_fields = ["authors"]


class RegistrationEntryInline(ScopedInline, admin.StackedInline):
    model = RegistrationEntry
    extra = 0
    can_delete = False
    raw_id_fields = ["person", "award_type"]


@admin.register(Registration)
class RegistrationAdmin(_NoDelete, ScopedModelAdmin, SimpleHistoryAdmin):
    """Status and its who/when move only through the registration pages."""

    scope_fields = ("unit",)

    list_display = ["unit", "year", "campaign", "collective_title", "status", "submitted_at"]
    list_filter = ["status", "year"]
    list_select_related = ["unit", "campaign", "collective_title"]
    search_fields = ["unit__code", "unit__name"]
    raw_id_fields = ["unit", "campaign", "collective_title"]
    readonly_fields = [
        "status",
        "return_reason",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
    ]
    inlines = [RegistrationEntryInline]
