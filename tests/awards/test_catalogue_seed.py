"""The catalogue every install gets (awards/migrations/0002_seed_catalogue.py)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from awards import rules
from awards.models import AwardType, Category, Level, Rule, RuleKind, RuleSet, Subject
from tests.awards.factories import seeded

pytestmark = pytest.mark.django_db

LAW_2022 = datetime.date(2024, 1, 1)


@pytest.fixture(autouse=True)
def catalogue():
    seeded("LDTT")  # puts the seed back if a transactional test flushed it


def rules_of(code: str, effective: datetime.date = LAW_2022) -> dict[str, Rule]:
    return {
        r.kind: r
        for r in Rule.objects.filter(
            rule_set__award_type__code=code, rule_set__effective_from=effective
        )
    }


def test_it_has_every_title_and_form_of_law_06_2022():
    codes = set(AwardType.objects.values_list("code", flat=True))
    assert codes >= {
        "LDTT",
        "CSTDCS",
        "CSTD_BO",
        "CSTD_TQ",
        "TTLDTT",
        "TTLDXS",
        "CO_BO",
        "CO_CP",
        "BK_TTG",
        "BK_BO",
        "GIAY_KHEN",
        "HCLD3",
        "KNC",
    }
    ldtt = AwardType.objects.get(code="LDTT")
    assert (ldtt.name, ldtt.category, ldtt.subject, ldtt.level) == (
        "Lao động tiên tiến",
        Category.EMULATION_TITLE,
        Subject.INDIVIDUAL,
        Level.GRASSROOTS,
    )
    assert AwardType.objects.get(code="CO_CP").subject == Subject.COLLECTIVE
    assert AwardType.objects.get(code="BK_TTG").category == Category.AWARD_FORM
    # Forms given to collectives too have a collective twin (form 0602 counts them apart).
    assert AwardType.objects.get(code="BK_TTG_TT").subject == Subject.COLLECTIVE


def test_nghi_dinh_98_2023_dieu_54_cash_multiples():
    multiples = dict(
        AwardType.objects.filter(cash_multiple__isnull=False).values_list("code", "cash_multiple")
    )
    assert multiples == {
        "CSTD_TQ": Decimal("4.5"),
        "CSTD_BO": Decimal("3.0"),
        "CSTDCS": Decimal("1.0"),
        "LDTT": Decimal("0.3"),
        "TTLDXS": Decimal("1.5"),
        "TTLDTT": Decimal("0.8"),
        "CO_CP": Decimal("12.0"),
    }


@pytest.mark.parametrize(
    ("code", "article"),
    [
        ("CSTD_TQ", 21),
        ("CSTD_BO", 22),
        ("CSTDCS", 23),
        ("LDTT", 24),
        ("CO_CP", 25),
        ("CO_BO", 26),
        ("TTLDXS", 27),
        ("TTLDTT", 28),
    ],
)
def test_each_title_cites_its_article_of_luat_06_2022(code, article):
    rule_set = RuleSet.objects.get(award_type__code=code, effective_from=LAW_2022)
    assert rule_set.legal_basis.startswith(f"Luật 06/2022/QH15 Điều {article}")
    assert any(r.legal_basis == f"Luật 06/2022/QH15 Điều {article}" for r in rule_set.rules.all())


def test_luat_06_2022_dieu_23_cstdcs_needs_ldtt_and_an_achievement_cap_off():
    found = rules_of("CSTDCS")
    assert found[RuleKind.SAME_YEAR_TITLE].params == {"title": "LDTT"}
    assert found[RuleKind.ACHIEVEMENT].params == {
        "any_of": [
            {"initiative_scope": "grassroots"},
            {"rating": "excellent"},
            {"science_topic": True},
        ]
    }
    cap = found[RuleKind.CAP_SHARE]
    assert cap.params == {"of_title": "LDTT", "share": 0.15}
    assert cap.is_enabled is False


def test_the_older_cstdcs_rule_set_has_the_15_percent_cap_enabled():
    old = RuleSet.objects.get(award_type__code="CSTDCS", effective_from=datetime.date(2018, 1, 1))
    assert old.legal_basis == "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013)"
    cap = old.rules.get(kind=RuleKind.CAP_SHARE)
    assert cap.is_enabled and cap.params["share"] == 0.15
    assert RuleSet.in_force(old.award_type, 2023) == old
    assert RuleSet.in_force(old.award_type, 2024).effective_from == LAW_2022


def test_luat_06_2022_dieu_27_28_collective_shares():
    assert rules_of("TTLDTT")[RuleKind.MEMBER_SHARE].params == {
        "title": "LDTT",
        "share": 0.5,
        "strict": True,
    }
    assert rules_of("TTLDTT")[RuleKind.NO_DISCIPLINE].params == {"min_form": "warning"}
    excellent = rules_of("TTLDXS")
    assert excellent[RuleKind.MEMBER_SHARE].params["share"] == 0.7
    assert excellent[RuleKind.MEMBER_SHARE].params["strict"] is False
    assert excellent[RuleKind.MEMBER_COUNT].params == {"title": "CSTDCS", "min": 1}
    assert excellent[RuleKind.MEMBERS_COMPLETE].params == {"share": 1.0}
    assert excellent[RuleKind.NO_DISCIPLINE].params == {"min_form": "reprimand"}


def test_luat_06_2022_dieu_21_22_consecutive_years_and_council_vote():
    ministry, national = rules_of("CSTD_BO"), rules_of("CSTD_TQ")
    assert ministry[RuleKind.CONSECUTIVE_YEARS].params == {
        "title": "CSTDCS",
        "years": 3,
        "include_current": True,
    }
    assert national[RuleKind.CONSECUTIVE_YEARS].params["title"] == "CSTD_BO"
    assert national[RuleKind.CONSECUTIVE_YEARS].params["include_current"] is False
    for found in (ministry, national):
        assert found[RuleKind.COUNCIL_APPROVAL].params == {"share": 0.9, "secret": True}


def test_luat_06_2022_dieu_25_26_flags_need_a_leading_unit():
    assert RuleKind.BLOC_LEADING in rules_of("CO_BO")
    assert RuleKind.BLOC_LEADING in rules_of("CO_CP")


def test_every_seeded_rule_has_valid_params_and_a_legal_basis():
    codes = set(AwardType.objects.values_list("code", flat=True))
    for rule in Rule.objects.select_related("rule_set"):
        rules.validate_params(rule.kind, rule.params, known_codes=codes)
        assert rule.legal_basis or rule.rule_set.legal_basis


def test_seeding_again_changes_nothing():
    import importlib

    from django.apps import apps

    before = (AwardType.objects.count(), RuleSet.objects.count(), Rule.objects.count())
    AwardType.objects.filter(code="LDTT").update(name="Lao động tiên tiến (đã sửa)")
    importlib.import_module("awards.migrations.0002_seed_catalogue").seed(apps, None)
    assert (AwardType.objects.count(), RuleSet.objects.count(), Rule.objects.count()) == before
    assert AwardType.objects.get(code="LDTT").name == "Lao động tiên tiến (đã sửa)"
