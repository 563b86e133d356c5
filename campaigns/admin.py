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


class RoleAssignmentInline(admin.StackedInline):
    model = RoleAssignment
    extra = 1
    raw_id_fields = ["unit"]


admin.site.unregister(User)


@admin.register(User)
class ThiDuaUserAdmin(UserAdmin):
    """Administrators grant roles per unit on the user's page."""

    inlines = [RoleAssignmentInline]
    # Django's filter_horizontal and split date-time widgets fail WCAG checks (unlabelled
    # inputs, prohibited ARIA); plain multi-selects and read-only dates do not.
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]


@admin.register(Unit)
class UnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name", "search_text"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # units are archived (is_active), never deleted


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "position", "unit", "staff_code", "is_active"]
    list_filter = ["is_active", "gender"]
    search_fields = ["search_text", "staff_code"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    raw_id_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0


class ContentAreaInline(admin.StackedInline):
    model = ContentArea
    extra = 0


class MilestoneInline(admin.StackedInline):
    model = Milestone
    extra = 0
    raw_id_fields = ["responsible_unit"]


@admin.register(Campaign)
class CampaignAdmin(SimpleHistoryAdmin):
    list_display = ["name", "issuing_unit", "start_year", "end_year", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["search_text"]
    raw_id_fields = ["issuing_unit", "participating_units", "linked_campaigns"]
    list_select_related = ["issuing_unit"]
    inlines = [PhaseInline, ContentAreaInline, MilestoneInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # campaigns are archived, never deleted


@admin.register(Target)
class TargetAdmin(SimpleHistoryAdmin):
    list_display = ["text", "content_area", "goal", "unit_of_measure"]
    search_fields = ["text"]
    list_select_related = ["content_area"]
