"""Administrators edit the catalogue in the admin: params checked per kind, nothing deleted,
every change in the history."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from awards.admin_catalogue import RuleForm
from awards.models import AwardType, Rule, RuleKind, RuleSet
from tests.awards.factories import seeded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    seeded("LDTT")


def form(kind, params):
    return RuleForm(
        data={
            "order": 1,
            "kind": kind,
            "params": params if isinstance(params, str) else json.dumps(params),
            "legal_basis": "Luật 06/2022/QH15 Điều 23",
            "is_enabled": "on",
        }
    )


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        (RuleKind.SAME_YEAR_TITLE, {}, "“title” phải là mã một danh hiệu"),
        (RuleKind.SAME_YEAR_TITLE, {"title": "KHONG_CO"}, "Không có danh hiệu, hình thức nào mã"),
        (RuleKind.CONSECUTIVE_YEARS, {"title": "CSTDCS", "years": 0}, "“years” phải là số nguyên"),
        (
            RuleKind.CONSECUTIVE_YEARS,
            {"title": "CSTDCS", "years": 3, "include_current": "yes"},
            "“include_current” phải là true hoặc false",
        ),
        (RuleKind.ACHIEVEMENT, {"any_of": []}, "“any_of” phải là danh sách"),
        (
            RuleKind.ACHIEVEMENT,
            {"any_of": [{"initiative_scope": "province"}]},
            "“initiative_scope” phải là một trong",
        ),
        (RuleKind.RATING, {"min": "tot"}, "“min” phải là một trong các giá trị"),
        (RuleKind.MEMBER_SHARE, {"title": "LDTT", "share": 50}, "“share” phải là một tỷ lệ"),
        (RuleKind.MEMBER_SHARE, {"title": "LDTT", "share": True}, "“share” phải là một tỷ lệ"),
        (RuleKind.MEMBER_COUNT, {"title": "CSTDCS", "min": 1.5}, "“min” phải là số nguyên"),
        (RuleKind.NO_DISCIPLINE, {"min_form": "fine"}, "“min_form” phải là một trong"),
        (RuleKind.CAP_SHARE, {"share": 0.15}, "“of_title” phải là mã một danh hiệu"),
        (RuleKind.PRIOR_REGISTRATION, {"campaign": 1}, "Tham số không dùng cho loại điều kiện"),
        (RuleKind.COUNCIL_APPROVAL, {"share": 0}, "“share” phải là một tỷ lệ"),
        (RuleKind.RATING, [1, 2], "Tham số phải là một đối tượng JSON"),
    ],
)
def test_it_refuses_params_that_do_not_fit_the_kind_with_a_vietnamese_message(
    kind, params, message
):
    bound = form(kind, params)
    assert not bound.is_valid()
    assert any(message in error for error in bound.errors["params"]), bound.errors


def test_it_fills_in_defaults_of_valid_params():
    bound = form(RuleKind.CONSECUTIVE_YEARS, {"title": "CSTDCS", "years": 3})
    assert bound.is_valid(), bound.errors
    assert bound.cleaned_data["params"] == {
        "title": "CSTDCS",
        "years": 3,
        "include_current": False,
        "max_gap": 1,
    }


def inline_post(award_type, params):
    return {
        "award_type": award_type.pk,
        "effective_from": "2030-01-01",
        "legal_basis": "Luật sửa đổi, bổ sung Luật Thi đua, khen thưởng",
        "note": "",
        "rules-TOTAL_FORMS": "1",
        "rules-INITIAL_FORMS": "0",
        "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-order": "1",
        "rules-0-kind": RuleKind.MEMBER_SHARE,
        "rules-0-params": json.dumps(params),
        "rules-0-legal_basis": "Luật sửa đổi Điều 28",
        "rules-0-is_enabled": "on",
    }


def test_an_administrator_adds_a_rule_set_taking_effect_later(client, admin_user):
    client.force_login(admin_user)
    award_type = AwardType.objects.get(code="TTLDTT")
    url = reverse("admin:awards_ruleset_add")
    refused = client.post(url, inline_post(award_type, {"title": "LDTT", "share": 1.5}))
    assert refused.status_code == 200
    assert "phải là một tỷ lệ lớn hơn 0 và không quá 1" in refused.content.decode()
    assert not RuleSet.objects.filter(effective_from="2030-01-01").exists()

    saved = client.post(url, inline_post(award_type, {"title": "LDTT", "share": 0.6}))
    assert saved.status_code == 302
    rule_set = RuleSet.objects.get(award_type=award_type, effective_from="2030-01-01")
    rule = rule_set.rules.get()
    assert rule.params == {"title": "LDTT", "share": 0.6, "strict": False}
    assert rule_set.history.count() == 1
    assert RuleSet.in_force(award_type, 2030) == rule_set
    assert RuleSet.in_force(award_type, 2029) != rule_set


def test_the_catalogue_pages_of_the_admin_open_and_offer_no_delete(client, admin_user):
    client.force_login(admin_user)
    award_type = AwardType.objects.get(code="CSTDCS")
    rule_set = award_type.rule_sets.first()
    rule = Rule.objects.filter(rule_set=rule_set).first()
    for url in (
        reverse("admin:awards_awardtype_changelist"),
        reverse("admin:awards_awardtype_change", args=[award_type.pk]),
        reverse("admin:awards_ruleset_change", args=[rule_set.pk]),
        reverse("admin:awards_rule_change", args=[rule.pk]),
        reverse("admin:awards_awardtype_history", args=[award_type.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "deletelink" not in response.content.decode()
    assert (
        client.get(reverse("admin:awards_awardtype_delete", args=[award_type.pk])).status_code
        == 403
    )


def test_autocomplete_widgets_are_not_used():
    from django.contrib import admin

    for model in (AwardType, RuleSet, Rule):
        model_admin = admin.site._registry[model]
        assert not model_admin.autocomplete_fields
