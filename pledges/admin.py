"""Admin site for blocs, their years and pledges.

Nothing here is deleted (members leave, pledges are amended). A pledge's status,
signing time and amendment count change only through pledges.services, and a
fully signed pledge is read-only here: it changes through an amendment.

Scoped (campaigns/admin_scope.py): a body's administrator reaches here the blocs their
body organises (and those blocs' years and pledges); a bloc without an organising body
(a central bloc, run by its secretariat and the year's leader on the bloc pages) is
changed here by a superuser only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from campaigns import access
from campaigns.admin_scope import ScopedInline, ScopedModelAdmin, user_ties

from .models import (
    Bloc,
    BlocMembership,
    BlocSecretariat,
    BlocYear,
    Commitment,
    Pledge,
    PledgeAmendment,
    PledgeStatus,
    Signature,
)


@user_ties
def _secretariat_ties(user: Any) -> tuple[QuerySet, QuerySet]:
    inside = access.administered_q(user, "bloc__organiser")
    seats = BlocSecretariat.objects.values("user_id")
    return seats.filter(inside), seats.exclude(inside)


class MembershipInline(ScopedInline, admin.TabularInline):
    model = BlocMembership
    extra = 0
    autocomplete_fields = ["unit"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SecretariatInline(ScopedInline, admin.TabularInline):
    model = BlocSecretariat
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Bloc)
class BlocAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("organiser",)
    list_display = ["name", "level", "organiser", "is_active"]
    list_filter = ["level", "is_active"]
    search_fields = ["name", "short_name", "search_text"]
    autocomplete_fields = ["organiser"]
    inlines = [MembershipInline, SecretariatInline]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # blocs are made inactive, never deleted


@admin.register(BlocYear)
class BlocYearAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("bloc__organiser",)
    list_display = ["bloc", "year", "leader", "flag_handover_date"]
    list_filter = ["year"]
    list_select_related = ["bloc", "leader"]
    search_fields = ["bloc__name", "bloc__short_name", "leader__name"]
    autocomplete_fields = ["bloc", "leader", "deputies"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def _signed(obj: Pledge | None) -> bool:
    return obj is not None and obj.status == PledgeStatus.SIGNED


class _ReadOnlyWhenSignedInline(ScopedInline, admin.TabularInline):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _signed(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _signed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class CommitmentInline(_ReadOnlyWhenSignedInline):
    model = Commitment
    fields = ["number", "text"]


class SignatureInline(_ReadOnlyWhenSignedInline):
    model = Signature
    fields = ["member", "signatory_name", "signatory_position", "signed_on", "recorded_by"]
    readonly_fields = ["recorded_by"]
    autocomplete_fields = ["member"]


class AmendmentInline(ScopedInline, admin.TabularInline):
    model = PledgeAmendment
    extra = 0
    fields = ["number", "reason", "amended_by", "amended_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Pledge)
class PledgeAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("bloc_year__bloc__organiser",)
    list_display = ["title", "bloc_year", "ceremony_date", "status", "amendment_count"]
    list_filter = ["status", "bloc_year__year"]
    list_select_related = ["bloc_year", "bloc_year__bloc"]
    search_fields = ["title", "bloc_year__bloc__name"]
    autocomplete_fields = ["bloc_year"]
    filter_horizontal = ["campaigns"]
    inlines = [CommitmentInline, SignatureInline, AmendmentInline]
    _always_read_only = ("status", "signed_at", "amendment_count", "created_by", "created_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if _signed(obj):
            return [f.name for f in self.model._meta.fields] + ["campaigns"]
        return self._always_read_only

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
