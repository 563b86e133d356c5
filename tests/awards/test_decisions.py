"""Award decisions (DOMAIN.md step 9): number, date, signer and the approved nominations it
grants; issuing turns them into award records. Revocation (Law 06/2022, Chapter VII)
records the revoking decision, reason and date and keeps the record, marked revoked."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from awards import decision_services as services
from awards.models import (
    AwardDecision,
    AwardRecord,
    DecisionStatus,
    NominationEvent,
    NominationStatus,
    Track,
)
from campaigns.errors import DomainError
from tests.awards.factories import AwardRoundFactory, NominationFactory
from tests.factories import CampaignFactory, PhaseFactory
from tests.versions import version_of

from .council_setup import approved, draft, round_of

pytestmark = pytest.mark.django_db


# Drafts --------------------------------------------------------------------------------------


def test_hr_drafts_a_decision_of_approved_nominations(org, hr):
    nominations = approved(org.x, hr, count=2)
    decision = draft(org.x, hr, nominations)
    assert decision.status == DecisionStatus.DRAFT
    assert set(decision.nominations.all()) == set(nominations)
    assert decision.history.first().history_user == hr
    assert NominationEvent.objects.filter(action="awards.decision.draft_added", by=hr).count() == 2


@pytest.mark.parametrize(
    "status",
    [
        NominationStatus.ACCEPTED,
        NominationStatus.VOTED,
        NominationStatus.REJECTED,
        NominationStatus.SUBMITTED,
        NominationStatus.DECIDED,
    ],
)
def test_a_decision_with_a_non_approved_nomination_is_refused(org, hr, status):
    good = approved(org.x, hr, count=1)
    bad = NominationFactory(round=round_of(org.x), status=status)
    with pytest.raises(DomainError, match="được Hội đồng thông qua"):
        draft(org.x, hr, [*good, bad])
    assert not AwardDecision.objects.exists()


def test_a_decision_needs_a_nomination(org, hr):
    with pytest.raises(DomainError, match="ít nhất một đề nghị"):
        draft(org.x, hr, [])


def test_the_number_is_unique_per_body(org, hr, hr_y):
    draft(org.x, hr, approved(org.x, hr, count=1), number="12/QĐ-X")
    with pytest.raises(DomainError, match="đã có quyết định số 12/QĐ-X"):
        draft(org.x, hr, approved(org.x, hr, count=1), number="12/QĐ-X")
    # Another body may use the same number.
    draft(org.y, hr_y, approved(org.y, hr_y, count=1), number="12/QĐ-X")
    assert AwardDecision.objects.filter(number="12/QĐ-X").count() == 2


def test_a_nomination_of_another_body_is_refused(org, hr, hr_y):
    theirs = approved(org.y, hr_y, count=1)
    with pytest.raises(DomainError, match="không thuộc đợt khen thưởng"):
        draft(org.x, hr, theirs)


def test_a_nomination_sits_in_one_draft_at_a_time(org, hr):
    nominations = approved(org.x, hr, count=1)
    draft(org.x, hr, nominations, number="1/QĐ")
    with pytest.raises(DomainError, match="đã có trong dự thảo quyết định số 1/QĐ"):
        draft(org.x, hr, nominations, number="2/QĐ")


@pytest.mark.parametrize("persona", ["leader", "council", "focal_x1", "hr_y"])
def test_only_hr_of_the_body_drafts(org, hr, persona, request):
    nominations = approved(org.x, hr, count=1)
    with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
        draft(org.x, request.getfixturevalue(persona), nominations)


def test_a_draft_is_edited_and_its_changes_are_recorded(org, hr):
    first, second = approved(org.x, hr, count=2)
    decision = draft(org.x, hr, [first])
    services.decision_update(
        decision=decision,
        expected_version=int(version_of(decision)),
        by=hr,
        number="126/QĐ-X",
        signed_on=datetime.date(2025, 12, 22),
        signer_name="Lê Thị Ký",
        signer_position="Phó Thủ trưởng",
        nominations=[second],
    )
    decision.refresh_from_db()
    assert decision.number == "126/QĐ-X"
    assert list(decision.nominations.all()) == [second]
    assert NominationEvent.objects.filter(
        nomination=first, action="awards.decision.draft_removed"
    ).exists()
    assert NominationEvent.objects.filter(
        nomination=second, action="awards.decision.draft_added"
    ).exists()


# Issuing -------------------------------------------------------------------------------------


def test_issuing_creates_award_records_and_marks_nominations_decided(org, hr):
    campaign = CampaignFactory(issuing_unit=org.x)
    phase = PhaseFactory(campaign=campaign)
    award_round = AwardRoundFactory(body=org.x, year=2025, campaign=campaign, phase=phase)
    person_nomination = approved(org.x, hr, count=1, award_round=award_round)[0]
    unit_nomination = approved(
        org.x, hr, count=1, award_round=award_round, person=None, unit=org.x1, track=Track.THEMATIC
    )[0]
    decision = draft(org.x, hr, [person_nomination, unit_nomination])
    records = services.decision_issue(decision=decision, by=hr)
    assert len(records) == 2
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.issued_by == hr and decision.issued_at is not None
    by_nomination = {r.nomination_id: r for r in AwardRecord.objects.all()}
    person_record = by_nomination[person_nomination.pk]
    assert person_record.person == person_nomination.person and person_record.unit is None
    assert person_record.award_type == person_nomination.award_type
    assert (person_record.year, person_record.track) == (2025, Track.MERIT)
    assert (person_record.campaign, person_record.phase) == (campaign, phase)
    assert person_record.decision == decision
    assert person_record.decision_number == decision.number
    assert person_record.decision_date == decision.signed_on
    assert person_record.history.first().history_user == hr
    unit_record = by_nomination[unit_nomination.pk]
    assert unit_record.unit == org.x1 and unit_record.person is None
    assert unit_record.track == Track.THEMATIC
    for nomination in (person_nomination, unit_nomination):
        nomination.refresh_from_db()
        assert nomination.status == NominationStatus.DECIDED
        event = NominationEvent.objects.get(
            nomination=nomination, action="awards.nomination.decided"
        )
        assert (event.from_status, event.to_status, event.by) == ("approved", "decided", hr)
        assert decision.number in event.reason
        assert nomination.history.first().history_user == hr


def test_an_issued_decision_does_not_change(org, hr):
    nominations = approved(org.x, hr, count=1)
    decision = draft(org.x, hr, nominations)
    services.decision_issue(decision=decision, by=hr)
    with pytest.raises(DomainError, match="đã ban hành"):
        services.decision_issue(decision=decision, by=hr)
    with pytest.raises(DomainError, match="đã ban hành"):
        services.decision_update(
            decision=decision,
            expected_version=int(version_of(decision)),
            by=hr,
            number="9/QĐ",
            signed_on=decision.signed_on,
            signer_name="X",
            signer_position="Y",
            nominations=nominations,
        )
    assert AwardRecord.objects.count() == 1


def test_issuing_is_all_or_nothing(org, hr):
    """A nomination that left "approved" after the draft blocks the whole decision."""
    first, second = approved(org.x, hr, count=2)
    decision = draft(org.x, hr, [first, second])
    second.status = NominationStatus.REJECTED
    second.save()
    with pytest.raises(DomainError, match="được Hội đồng thông qua"):
        services.decision_issue(decision=decision, by=hr)
    assert not AwardRecord.objects.exists()
    first.refresh_from_db()
    decision.refresh_from_db()
    assert first.status == NominationStatus.APPROVED
    assert decision.status == DecisionStatus.DRAFT


@pytest.mark.parametrize("persona", ["leader", "council"])
def test_only_hr_issues(org, hr, persona, request):
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
        services.decision_issue(decision=decision, by=request.getfixturevalue(persona))


# Revocation ----------------------------------------------------------------------------------


def _issued_record(org, hr) -> AwardRecord:
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    return services.decision_issue(decision=decision, by=hr)[0]


def revoke(record, by, **kwargs):
    return services.award_revoke(
        record=record,
        by=by,
        revocation_decision=kwargs.pop(
            "revocation_decision", "Quyết định số 45/QĐ-X ngày 02/03/2026"
        ),
        reason=kwargs.pop("reason", "Phát hiện kê khai thành tích không trung thực."),
        revoked_on=kwargs.pop("revoked_on", datetime.date(2026, 3, 2)),
    )


def test_a_revoked_award_stays_marked_revoked(org, hr):
    record = _issued_record(org, hr)
    revoke(record, hr)
    record.refresh_from_db()
    assert AwardRecord.objects.filter(pk=record.pk).exists()
    assert record.is_revoked
    assert record.revoked_on == datetime.date(2026, 3, 2)
    assert record.revocation_decision == "Quyết định số 45/QĐ-X ngày 02/03/2026"
    assert record.revocation_reason == "Phát hiện kê khai thành tích không trung thực."
    latest = record.history.first()
    assert latest.history_user == hr and latest.history_change_reason == "awards.award.revoked"
    event = NominationEvent.objects.get(nomination=record.nomination, action="awards.award.revoked")
    assert event.by == hr and "không trung thực" in event.reason
    record.nomination.refresh_from_db()
    assert record.nomination.status == NominationStatus.DECIDED


def test_an_award_is_revoked_once(org, hr):
    record = _issued_record(org, hr)
    revoke(record, hr)
    with pytest.raises(DomainError, match="đã bị thu hồi ngày 02/03/2026"):
        revoke(record, hr, revoked_on=datetime.date(2026, 4, 1))


def test_revocation_dates_must_make_sense(org, hr):
    record = _issued_record(org, hr)
    with pytest.raises(DomainError, match="trước ngày quyết định khen thưởng"):
        revoke(record, hr, revoked_on=datetime.date(2025, 1, 1))
    with pytest.raises(DomainError, match="sau ngày hôm nay"):
        revoke(record, hr, revoked_on=timezone.localdate() + datetime.timedelta(days=1))


def test_revocation_needs_a_decision_and_a_reason(org, hr):
    record = _issued_record(org, hr)
    with pytest.raises(DomainError, match="lý do"):
        revoke(record, hr, reason="  ")
    with pytest.raises(DomainError, match="quyết định thu hồi"):
        revoke(record, hr, revocation_decision="")


@pytest.mark.parametrize("persona", ["leader", "council", "hr_y"])
def test_only_hr_of_the_body_revokes(org, hr, persona, request):
    record = _issued_record(org, hr)
    with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
        revoke(record, request.getfixturevalue(persona))


def test_an_imported_award_is_revoked_by_hr_of_the_body_that_issued_it(org, hr, hr_y):
    """Who else is refused: tests/awards/test_record_authority.py."""
    from tests.awards.factories import AwardTypeFactory
    from tests.factories import PersonFactory

    record = AwardRecord.objects.create(
        award_type=AwardTypeFactory(),
        person=PersonFactory(unit=org.x1),
        year=2019,
        is_imported=True,
        decision_number="7/QĐ-X",
        decision_date=datetime.date(2019, 12, 1),
        issuing_body=org.x,
    )
    with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
        revoke(record, hr_y)
    revoke(record, hr, revoked_on=datetime.date(2024, 5, 5))
    record.refresh_from_db()
    assert record.is_revoked
