"""Admin registrations for the awards workflow part."""

# Rounds and nominations ------------------------------------------------------------------------
# Rounds are edited here as on their pages. A nomination moves only through its pages
# (awards.nomination_services, then the council and decision services), which check each
# step and write its event: here its status, nominee, dossier and events are read-only, an
# administrator corrects wording only, and nothing is added or deleted.

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from campaigns import access
from campaigns.admin_scope import ScopedInline, ScopedModelAdmin, user_ties

from .models import AwardRound, CouncilSession, DossierFile, Nomination, NominationEvent

# Each record is reached in the admin by the administrators of the unit that owns it: a
# round, session or decision by its body's, a nomination by its proposing unit's
# (campaigns/admin_scope.py).


@user_ties
def _council_ties(user: Any) -> tuple[QuerySet, QuerySet]:
    inside = access.administered_q(user, "councilsession__body")
    seats = CouncilSession.members.through.objects.values("user_id")
    return seats.filter(inside), seats.exclude(inside)


@admin.register(AwardRound)
class AwardRoundAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("body",)
    list_display = ["name", "body", "year", "campaign", "phase", "nomination_deadline", "is_open"]
    list_filter = ["is_open", "year"]
    list_select_related = ["body", "campaign", "phase"]
    search_fields = ["name", "body__name"]
    raw_id_fields = ["body", "campaign", "phase"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnlyInline(ScopedInline, admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class DossierFileInline(_ReadOnlyInline):
    model = DossierFile
    fields = [
        "kind",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields


class NominationEventInline(_ReadOnlyInline):
    model = NominationEvent
    fields = ["at", "action", "from_status", "to_status", "by", "reason"]
    readonly_fields = fields


@admin.register(Nomination)
class NominationAdmin(ScopedModelAdmin, SimpleHistoryAdmin):
    scope_fields = ("proposing_unit",)
    list_display = ["pk", "nominee_name", "award_type", "round", "proposing_unit", "year", "status"]
    list_filter = ["status", "year", "track"]
    list_select_related = ["award_type", "round", "proposing_unit", "person", "unit"]
    search_fields = ["person__full_name", "unit__name", "proposing_unit__name", "round__name"]
    fields = [
        "round",
        "proposing_unit",
        "award_type",
        "person",
        "unit",
        "year",
        "track",
        "achievement_summary",
        "status",
        "eligibility",
        "eligibility_checked_at",
        "version",
        "created_by",
        "created_at",
        "submitted_at",
    ]
    readonly_fields = [f for f in fields if f not in ("track", "achievement_summary")]
    inlines = [DossierFileInline, NominationEventInline]

    @admin.display(description=Nomination._meta.get_field("person").verbose_name)
    def nominee_name(self, obj: Nomination) -> str:
        return str(obj.nominee)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # nominations are made on the nomination pages, with their checks

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


# Council and decisions -----------------------------------------------------------------------
# Sessions, votes and decisions change through the pages (awards.council_services,
# awards.decision_services), which check the council's rules; here an administrator can
# correct wording, nothing that decides an outcome. Nothing is deleted. Ballots are not in
# the admin at all: a secret ballot is only ever counted.

from typing import Any as _Any  # noqa: E402

from django.contrib import admin as _admin  # noqa: E402
from django.http import HttpRequest as _HttpRequest  # noqa: E402
from simple_history.admin import SimpleHistoryAdmin as _SimpleHistoryAdmin  # noqa: E402

from .models import AgendaItem as _AgendaItem  # noqa: E402
from .models import AwardDecision as _AwardDecision  # noqa: E402
from .models import CouncilSession as _CouncilSession  # noqa: E402
from .models import DecisionStatus as _DecisionStatus  # noqa: E402


class AgendaItemInline(ScopedInline, _admin.TabularInline):
    model = _AgendaItem
    extra = 0
    fields = ["nomination", "secret", "required_share"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: _HttpRequest, obj: _Any = None) -> bool:
        return False


@_admin.register(_CouncilSession)
class CouncilSessionAdmin(ScopedModelAdmin, _SimpleHistoryAdmin):
    scope_fields = ("body",)
    list_display = ["title", "body", "held_on", "status"]
    list_filter = ["status", "held_on"]
    list_select_related = ["body"]
    search_fields = ["title", "body__name", "chair"]
    date_hierarchy = "held_on"
    fields = ["body", "round", "title", "held_on", "chair", "members", "status"]
    readonly_fields = ["body", "round", "members", "status"]
    inlines = [AgendaItemInline]

    def has_add_permission(self, request: _HttpRequest) -> bool:
        return False  # sessions are opened on the council pages, with their checks

    def has_delete_permission(self, request: _HttpRequest, obj: _Any = None) -> bool:
        return False


@_admin.register(_AwardDecision)
class AwardDecisionAdmin(ScopedModelAdmin, _SimpleHistoryAdmin):
    scope_fields = ("body",)
    list_display = ["number", "body", "signed_on", "signer_name", "status"]
    list_filter = ["status", "signed_on"]
    list_select_related = ["body"]
    search_fields = ["number", "body__name", "signer_name"]
    date_hierarchy = "signed_on"
    fields = [
        "body",
        "round",
        "number",
        "signed_on",
        "signer_name",
        "signer_position",
        "nominations",
        "status",
        "issued_at",
        "issued_by",
    ]
    _always_read_only = ("body", "round", "nominations", "status", "issued_at", "issued_by")

    def get_readonly_fields(self, request: _HttpRequest, obj: _Any = None) -> _Any:
        if obj is not None and obj.status == _DecisionStatus.ISSUED:
            return self.fields  # an issued decision changes only through a new decision
        return self._always_read_only

    def has_add_permission(self, request: _HttpRequest) -> bool:
        return False  # drafted on the decision pages, which check the nominations

    def has_delete_permission(self, request: _HttpRequest, obj: _Any = None) -> bool:
        return False
