"""The awards demo (awards/demo.py): it loads on top of the campaigns demo, shows the
consecutive-year rule passing and failing, and loading it twice creates nothing new."""

from __future__ import annotations

import io

import pytest
from django.apps import apps

from awards import demo as awards_demo
from awards.models import (
    AwardDecision,
    AwardRecord,
    CouncilSession,
    DecisionStatus,
    Nomination,
    NominationStatus,
    SessionStatus,
)
from campaigns import demo as campaigns_demo
from campaigns.models import Person

pytestmark = pytest.mark.django_db


def _counts() -> dict[str, int]:
    """Rows of every awards table and every history table (history rows are "something new")."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("awards").get_models()
    }


@pytest.fixture
def loaded():
    campaigns_demo.load(io.StringIO())
    out = io.StringIO()
    logins = awards_demo.load(out)
    return {"logins": logins, "out": out.getvalue()}


def _eligibility(nomination: Nomination, kind: str) -> dict:
    return next(r for r in nomination.eligibility["results"] if r["kind"] == kind)


def test_it_loads_ten_years_of_history_and_the_2024_round(loaded):
    assert "Đợt khen thưởng 2024" in loaded["out"]
    passing = Person.objects.get(staff_code="KTNN-KV1-001")
    years = sorted(
        AwardRecord.objects.filter(person=passing, award_type__code="CSTDCS").values_list(
            "year", flat=True
        )
    )
    assert years == [2021, 2022, 2023, 2024]
    assert (
        AwardRecord.objects.filter(person=passing, award_type__code="LDTT").count() == 10
    )  # 2015–2024
    session = CouncilSession.objects.get()
    assert session.status == SessionStatus.CLOSED
    assert session.members.count() == 3
    decision = AwardDecision.objects.get()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.records.count() == 6
    statuses = set(Nomination.objects.values_list("status", flat=True))
    assert {
        NominationStatus.DECIDED,
        NominationStatus.REJECTED,
        NominationStatus.SUBMITTED,
        NominationStatus.RETURNED,
        NominationStatus.DRAFT,
    } <= statuses
    assert AwardRecord.objects.filter(revoked_on__isnull=False).count() == 1
    assert ("hoidong.2", "Thành viên Hội đồng TĐKT — Kiểm toán nhà nước") in loaded["logins"]

    # Law 06/2022/QH15 Art. 22: Chiến sĩ thi đua bộ needs 3 consecutive years of CSTĐCS;
    # one nominee has them (2022–2024), the other only 2022 and 2024.
    passing = Nomination.objects.get(person__staff_code="KTNN-KV1-001", award_type__code="CSTD_BO")
    failing = Nomination.objects.get(person__staff_code="KTNN-KV1-002", award_type__code="CSTD_BO")
    assert _eligibility(passing, "consecutive_years")["status"] == "pass"
    result = _eligibility(failing, "consecutive_years")
    assert result["status"] == "fail"
    assert "chỉ có 2022, 2024" in result["message"]
    assert failing.status == NominationStatus.RETURNED


def test_loading_twice_creates_nothing_new(loaded):
    before = _counts()
    out = io.StringIO()
    awards_demo.load(out)
    assert _counts() == before
    assert "0 khen thưởng từ trước" in out.getvalue()
    assert "Đợt khen thưởng 2024" not in out.getvalue()


def test_without_the_catalogue_it_says_so_and_loads_nothing(monkeypatch):
    campaigns_demo.load(io.StringIO())
    monkeypatch.setattr(awards_demo, "CODES", (*awards_demo.CODES, "KHONG_CO"))
    before = AwardRecord.objects.count()
    out = io.StringIO()
    awards_demo.load(out)
    assert "KHONG_CO" in out.getvalue() and "bỏ qua" in out.getvalue()
    assert AwardRecord.objects.count() == before == 0


def test_without_the_campaigns_demo_it_skips(db):
    out = io.StringIO()
    assert awards_demo.load(out) == []
    assert "bỏ qua" in out.getvalue()
