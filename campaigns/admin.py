"""Admin of units, people, roles, users and campaigns, scoped (campaigns/admin_scope.py).

A body's administrator (staff, holding ADMINISTRATOR for a unit) manages here the units,
people, campaigns and accounts of that unit's subtree; only a superuser touches the
superuser and staff flags, groups and permissions, or any staff or superuser account.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import access
from .admin_scope import (
    ScopedInline,
    ScopedModelAdmin,
    managed_users_q,
    scope_related,
    user_ties,
)
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

# Chosen on the forms of rounds and targets without an admin page of their own.
scope_related(Phase, "campaign__issuing_unit")
scope_related(ContentArea, "campaign__issuing_unit")


@user_ties
def _role_ties(user: Any) -> tuple[QuerySet, QuerySet]:
    inside = access.administered_q(user, "unit")
    roles = RoleAssignment.objects.values("user_id")
    return roles.filter(inside), roles.exclude(inside)


# Fields of an account that only a superuser sets: they grant the whole admin site.
SUPERUSER_ONLY_USER_FIELDS = frozenset({"is_superuser", "is_staff", "groups", "user_permissions"})


class RoleAssignmentInline(ScopedInline, admin.StackedInline):
    model = RoleAssignment
    extra = 1
    raw_id_fields = ["unit"]

    def get_min_num(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int | None:
        # An account a body's administrator creates must hold a role in their subtree:
        # without one it would belong to nobody's scope. (A change that leaves an account
        # tied to nothing of theirs is refused by ScopedModelAdmin.save_related.)
        return 1 if self._creating(request, obj) else None

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        if self._creating(request, obj):
            kwargs.setdefault("validate_min", True)
        return super().get_formset(request, obj, **kwargs)

    @staticmethod
    def _creating(request: HttpRequest, obj: Any) -> bool:
        return not access.is_superuser(request.user) and (obj is None or obj.pk is None)


admin.site.unregister(User)


@admin.register(User)
class ThiDuaUserAdmin(ScopedModelAdmin, UserAdmin):
    """Administrators grant roles per unit on the user's page.

    A body's administrator sees the accounts tied only to their subtree (never a staff or
    superuser account, their own included), and their forms have no superuser or staff
    flag, group or permission: those fields are not in the form, so a POST that sends
    them changes nothing.
    """

    inlines = [RoleAssignmentInline]
    # Django's filter_horizontal and split date-time widgets fail WCAG checks (unlabelled
    # inputs, prohibited ARIA); plain multi-selects and read-only dates do not.
    filter_horizontal = ()
    readonly_fields = ["last_login", "date_joined"]

    def scope_filter(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        return queryset.filter(managed_users_q(request.user))

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if access.is_superuser(request.user):
            return fieldsets
        kept = []
        for name, options in fieldsets:
            fields = [f for f in options["fields"] if f not in SUPERUSER_ONLY_USER_FIELDS]
            if fields:
                kept.append((name, {**options, "fields": fields}))
        return kept

    def get_list_filter(self, request: HttpRequest) -> Any:
        if access.is_superuser(request.user):
            return super().get_list_filter(request)
        return ["is_active"]


@admin.register(Unit)
class UnitAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("",)
    list_display = ["code", "name", "short_name", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name", "short_name", "search_text"]
    raw_id_fields = ["parent"]
    list_select_related = ["parent"]

    def _required_relations(self) -> tuple[str, ...]:
        return ("parent",)  # a unit placed at the top would leave its administrator's reach

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not access.is_superuser(request.user):
            # The top of an administrator's subtree stays where a superuser put it.
            parent = obj.parent
            if parent is None or not access.unit_in_scope(request.user, parent, access.ADMIN_ROLES):
                readonly.append("parent")
        return readonly

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # units are archived (is_active), never deleted


@admin.register(Person)
class PersonAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("unit",)
    list_display = ["full_name", "position", "unit", "staff_code", "is_active"]
    list_filter = ["is_active", "gender"]
    search_fields = ["search_text", "staff_code"]
    raw_id_fields = ["unit"]
    list_select_related = ["unit"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    """The roles held for the administrator's units, by accounts that are not staff:
    an administrator's own grants are set by a superuser."""

    scope_fields = ("unit",)
    list_display = ["user", "role", "unit"]
    list_filter = ["role"]
    search_fields = ["user__username", "unit__name"]
    raw_id_fields = ["user", "unit"]
    list_select_related = ["user", "unit"]

    def scope_filter(self, request: HttpRequest, queryset: QuerySet) -> QuerySet:
        queryset = super().scope_filter(request, queryset)
        return queryset.filter(user__is_staff=False, user__is_superuser=False)


class PhaseInline(ScopedInline, admin.StackedInline):
    model = Phase
    extra = 0


class ContentAreaInline(ScopedInline, admin.StackedInline):
    model = ContentArea
    extra = 0


class MilestoneInline(ScopedInline, admin.StackedInline):
    model = Milestone
    extra = 0
    raw_id_fields = ["responsible_unit"]


@admin.register(Campaign)
class CampaignAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("issuing_unit",)
    list_display = ["name", "issuing_unit", "start_year", "end_year", "status"]
    list_filter = ["status", "kind"]
    search_fields = ["search_text"]
    raw_id_fields = ["issuing_unit", "participating_units", "linked_campaigns"]
    list_select_related = ["issuing_unit"]
    inlines = [PhaseInline, ContentAreaInline, MilestoneInline]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # campaigns are archived, never deleted


@admin.register(Target)
class TargetAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("content_area__campaign__issuing_unit",)
    list_display = ["text", "content_area", "goal", "unit_of_measure"]
    search_fields = ["text"]
    list_select_related = ["content_area"]
