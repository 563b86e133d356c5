"""Admin for the catalogue: titles and forms, their dated rule sets and rules.

Administrators edit the catalogue in the browser. It is national reference data,
owned by no unit: the model permissions decide who may (campaigns/admin_scope.py). Nothing is deleted (a title is
archived with ``is_active``, a rule switched off with ``is_enabled``), every
change is in the history, and a rule's params are checked against its kind's
schema (awards/rules.py) with a message in Vietnamese. Foreign keys are plain
selects: the autocomplete widgets fail accessibility checks.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from campaigns.admin_scope import ReferenceDataAdmin

from . import rules
from .models import AwardType, Rule, RuleKind, RuleSet


def _params_help() -> str:
    rows = format_html_join(
        "",
        "<li><strong>{}</strong>: <code>{}</code></li>",
        ((k.label, rules.EXAMPLES[k]) for k in RuleKind),
    )
    return format_html(
        "{}<ul>{}</ul>{}",
        _("Tham số dạng JSON theo loại điều kiện, ví dụ:"),
        rows,
        _("Mã danh hiệu là mã trong danh mục; tỷ lệ ghi dạng số thập phân (0.5 là 50%)."),
    )


class RuleForm(forms.ModelForm):
    """A rule whose params must fit its kind."""

    class Meta:
        model = Rule
        fields = ["order", "kind", "params", "legal_basis", "is_enabled"]
        widgets = {"params": forms.Textarea(attrs={"rows": 3, "cols": 80})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["params"].help_text = _params_help()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, params = cleaned.get("kind"), cleaned.get("params")
        if kind and "params" not in self.errors:
            known = set(AwardType.objects.values_list("code", flat=True))
            try:
                cleaned["params"] = rules.validate_params(kind, params, known_codes=known)
            except ValidationError as error:
                self.add_error("params", error)
        return cleaned


class NoDeleteMixin:
    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # archived (is_active / is_enabled), never deleted


class RuleSetInline(NoDeleteMixin, admin.StackedInline):
    model = RuleSet
    extra = 0
    fields = ["effective_from", "legal_basis", "note"]
    show_change_link = True


class RuleInline(NoDeleteMixin, admin.StackedInline):
    model = Rule
    form = RuleForm
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(NoDeleteMixin, ReferenceDataAdmin, SimpleHistoryAdmin):
    list_display = [
        "code",
        "name",
        "category",
        "subject",
        "level",
        "cash_multiple",
        "order",
        "is_active",
    ]
    list_filter = ["category", "subject", "level", "is_active"]
    search_fields = ["code", "name"]
    inlines = [RuleSetInline]


@admin.register(RuleSet)
class RuleSetAdmin(NoDeleteMixin, ReferenceDataAdmin, SimpleHistoryAdmin):
    list_display = ["award_type", "effective_from", "legal_basis"]
    list_filter = ["award_type__category", "effective_from"]
    search_fields = ["award_type__code", "award_type__name", "legal_basis"]
    list_select_related = ["award_type"]
    inlines = [RuleInline]


@admin.register(Rule)
class RuleAdmin(NoDeleteMixin, ReferenceDataAdmin, SimpleHistoryAdmin):
    """Each rule on its own, for its history; usually edited inline in its rule set."""

    form = RuleForm
    fields = ["rule_set", "order", "kind", "params", "legal_basis", "is_enabled"]
    list_display = ["rule_set", "order", "kind", "legal_basis", "is_enabled"]
    list_filter = ["kind", "is_enabled"]
    list_select_related = ["rule_set", "rule_set__award_type"]
