"""Read-only pages of the catalogue: titles and forms, and each one's rules by period.

Any logged-in user may read them (the catalogue is public law, not unit data);
administrators change it in the admin.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from . import rules
from .export import Column, export_requested, xlsx_response
from .models import AwardType, Category, Rule, RuleSet


def _current(rule_sets: list[RuleSet], today: datetime.date) -> RuleSet | None:
    """The set in force today: the latest that has taken effect (sets come newest first)."""
    return next((s for s in rule_sets if s.effective_from <= today), None)


def cash(value: Decimal | None) -> str:
    """A cash multiple without trailing zeros, in the user's format: 0.30 → "0,3"."""
    if value is None:
        return ""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return number_format(Decimal(text), use_l10n=True)


def _legal_basis(row: dict[str, Any]) -> str:
    return row["current"].legal_basis if row["current"] else ""


CATALOGUE_COLUMNS = [
    Column(gettext_lazy("Mã"), "type.code", width=12),
    Column(gettext_lazy("Danh hiệu, hình thức khen thưởng"), "type.name", width=44),
    Column(gettext_lazy("Loại"), "type.get_category_display", width=22),
    Column(gettext_lazy("Đối tượng"), "type.get_subject_display", width=14),
    Column(gettext_lazy("Cấp"), "type.get_level_display", width=14),
    Column(gettext_lazy("Thẩm quyền quyết định"), "type.authority", width=32),
    Column(gettext_lazy("Tiền thưởng (lần mức lương cơ sở)"), "type.cash_multiple", width=14),
    Column(gettext_lazy("Căn cứ pháp lý của tiêu chuẩn đang áp dụng"), _legal_basis, width=40),
    Column(gettext_lazy("Đang áp dụng"), "type.is_active", width=10),
]


@login_required
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    """Titles and forms grouped by category, with level, authority and cash multiple."""
    types = list(AwardType.objects.order_by("order", "name"))
    sets: dict[int, list[RuleSet]] = defaultdict(list)
    for rule_set in RuleSet.objects.order_by("award_type_id", "-effective_from"):
        sets[rule_set.award_type_id].append(rule_set)
    today = timezone.localdate()
    if export_requested(request):
        return xlsx_response(
            [{"type": t, "current": _current(sets[t.pk], today)} for t in types],
            CATALOGUE_COLUMNS,
            filename="danh-muc-khen-thuong",
            title=_("Danh mục khen thưởng"),
        )
    groups = []
    for category in Category:
        rows = [
            {"type": t, "cash": cash(t.cash_multiple), "current": _current(sets[t.pk], today)}
            for t in types
            if t.category == category
        ]
        if rows:
            groups.append({"label": category.label, "value": category.value, "rows": rows})
    return render(request, "awards/catalogue.html", {"groups": groups})


@login_required
@require_GET
def award_type_detail(request: HttpRequest, code: str) -> HttpResponse:
    """One title or form: its rule sets by date, each rule in words with its legal basis."""
    award_type = AwardType.objects.filter(code=code).first()
    if award_type is None:
        raise Http404
    rule_sets = list(award_type.rule_sets.order_by("-effective_from"))
    by_set: dict[int, list[Rule]] = defaultdict(list)
    for rule in Rule.objects.filter(rule_set__in=rule_sets).order_by("order", "pk"):
        by_set[rule.rule_set_id].append(rule)
    titles = dict(AwardType.objects.values_list("code", "name"))
    today = timezone.localdate()
    current = _current(rule_sets, today)
    periods = []
    for index, rule_set in enumerate(rule_sets):
        newer = rule_sets[index - 1] if index else None
        periods.append(
            {
                "set": rule_set,
                "is_current": rule_set == current,
                "is_future": rule_set.effective_from > today,
                "until": newer.effective_from - datetime.timedelta(days=1) if newer else None,
                "rules": [
                    {
                        "rule": rule,
                        "words": rules.describe(rule.kind, rule.params, titles),
                        "legal_basis": rule.legal_basis or rule_set.legal_basis,
                    }
                    for rule in by_set[rule_set.pk]
                ],
            }
        )
    return render(
        request,
        "awards/catalogue_detail.html",
        {"award_type": award_type, "cash": cash(award_type.cash_multiple), "periods": periods},
    )
