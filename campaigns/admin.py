from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Campaign,
    ContentArea,
    Milestone,
    Person,
    Phase,
    RoleAssignment,
    Target,
    Unit,
)

User = get_user_model()


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 1
    autocomplete_fields = ["unit"]


admin.site.unregister(User)


@admin.register(User)
class ThiDuaUserAdmin(UserAdmin):
    """Administrators grant roles per unit on the user's page."""

    inlines = [RoleAssignmentInline]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name", "search_text"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # units are archived (is_active), never deleted


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "unit", "staff_code", "is_active"]
    list_filter = ["is_active", "gender"]
    search_fields = ["search_text", "staff_code"]
    autocomplete_fields = ["unit"]
    list_select_related = ["unit"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    autocomplete_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class PhaseInline(admin.TabularInline):
    model = Phase
    extra = 0


class ContentAreaInline(admin.TabularInline):
    model = ContentArea
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    autocomplete_fields = ["responsible_unit"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "issuing_unit", "start_year", "end_year", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["search_text"]
    autocomplete_fields = ["issuing_unit", "participating_units", "linked_campaigns"]
    list_select_related = ["issuing_unit"]
    inlines = [PhaseInline, ContentAreaInline, MilestoneInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # campaigns are archived, never deleted


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["text", "content_area", "goal", "unit_of_measure"]
    search_fields = ["text"]
    list_select_related = ["content_area"]
