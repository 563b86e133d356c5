"""The review of a nomination up to the council (issue 4; DOMAIN.md steps 7–8).

draft → submitted → (returned with a reason → submitted again) → accepted for the
council. Submitting needs the dossier of Law 06/2022/QH15 Art. 84 and a round that
still takes nominations before its deadline; only HR staff of the round's body
return or accept. Every step records who, when and why.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import nomination_services as services
from awards.models import DossierKind, NominationEvent, NominationStatus
from campaigns.errors import DomainError
from pledges.services import FieldErrors
from tests.awards.factories import AwardTypeFactory, DossierFileFactory, complete_dossier

from .nomination_setup import actions, draft, make_round, person_of

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _eligibility():
    """Submitting runs the eligibility check (its findings do not block the workflow)."""
    pytest.importorskip("awards.eligibility")


@pytest.fixture
def award_round(org):
    return make_round(org)


@pytest.fixture
def nomination(focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    complete_dossier(nomination)
    return nomination


def post(client, name, nomination, data=None):
    return client.post(reverse(f"awards:{name}", args=[nomination.pk]), data or {})


def status_of(nomination):
    nomination.refresh_from_db()
    return nomination.status


def submitted(nomination, by):
    services.nomination_submit(nomination=nomination, by=by)
    nomination.refresh_from_db()
    return nomination


# --- submitting


def test_a_focal_point_submits_a_complete_dossier(client_for, focal_x1, nomination):
    response = post(client_for(focal_x1), "nomination_submit", nomination)
    assert response.status_code == 302
    assert status_of(nomination) == NominationStatus.SUBMITTED
    assert nomination.submitted_at is not None
    assert nomination.version == 2
    event = nomination.events.get(action="awards.nomination.submitted")
    assert (event.from_status, event.to_status, event.by) == (
        NominationStatus.DRAFT,
        NominationStatus.SUBMITTED,
        focal_x1,
    )
    history = nomination.history.first()
    assert history.history_user == focal_x1
    assert history.history_change_reason == "awards.nomination.submitted"


def test_submitting_needs_the_required_files(client_for, focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    DossierFileFactory(nomination=nomination, kind=DossierKind.SUBMISSION_LETTER)
    DossierFileFactory(nomination=nomination, kind=DossierKind.ATTACHMENT)
    client = client_for(focal_x1)
    response = post(client, "nomination_submit", nomination)
    assert response.status_code == 302
    assert status_of(nomination) == NominationStatus.DRAFT
    page = client.get(response.url).content.decode()
    assert "Hồ sơ còn thiếu: Báo cáo thành tích, Biên bản họp Hội đồng đơn vị" in page
    assert "Điều 84" in page
    assert "awards.nomination.submitted" not in actions(nomination)


def test_submitting_past_the_deadline_is_refused(focal_x1, nomination, award_round):
    award_round.nomination_deadline = timezone.localdate() - datetime.timedelta(days=1)
    award_round.save()
    with pytest.raises(DomainError) as error:
        services.nomination_submit(nomination=nomination, by=focal_x1)
    assert "Đã quá hạn gửi hồ sơ" in error.value.message
    assert status_of(nomination) == NominationStatus.DRAFT


def test_submitting_on_the_deadline_day_is_accepted(focal_x1, nomination, award_round):
    award_round.nomination_deadline = timezone.localdate()
    award_round.save()
    assert submitted(nomination, focal_x1).status == NominationStatus.SUBMITTED


def test_submitting_to_a_closed_round_is_refused(focal_x1, nomination, award_round):
    award_round.is_open = False
    award_round.save()
    with pytest.raises(DomainError) as error:
        services.nomination_submit(nomination=nomination, by=focal_x1)
    assert "dừng nhận hồ sơ" in error.value.message


def test_a_submitted_nomination_is_not_submitted_again(focal_x1, nomination):
    submitted(nomination, focal_x1)
    with pytest.raises(DomainError):
        services.nomination_submit(nomination=nomination, by=focal_x1)
    assert actions(nomination).count("awards.nomination.submitted") == 1


def test_a_leader_may_see_but_not_submit(client_for, leader, nomination):
    assert post(client_for(leader), "nomination_submit", nomination).status_code == 403
    assert status_of(nomination) == NominationStatus.DRAFT


# --- returning with a reason


def test_returning_needs_a_reason(client_for, hr, focal_x1, nomination):
    submitted(nomination, focal_x1)
    client = client_for(hr)
    for reason in ("", "   \n\t "):
        response = post(client, "nomination_return", nomination, {"reason": reason})
        assert response.status_code == 400
        assert "reason" in response.context["return_form"].errors
        assert 'aria-invalid="true"' in response.content.decode()
    assert status_of(nomination) == NominationStatus.SUBMITTED
    with pytest.raises(FieldErrors):
        services.nomination_return(nomination=nomination, by=hr, reason="  ")


def test_hr_returns_a_nomination_with_its_reason(client_for, hr, focal_x1, nomination):
    submitted(nomination, focal_x1)
    reason = "Thiếu xác nhận sáng kiến của Hội đồng sáng kiến cơ sở."
    response = post(client_for(hr), "nomination_return", nomination, {"reason": reason})
    assert response.status_code == 302
    assert status_of(nomination) == NominationStatus.RETURNED
    event = nomination.events.get(action="awards.nomination.returned")
    assert (event.by, event.reason, event.from_status) == (hr, reason, NominationStatus.SUBMITTED)
    page = client_for(focal_x1).get(reverse("awards:nomination_detail", args=[nomination.pk]))
    assert reason in page.content.decode()
    assert page.context["can_resubmit"] and page.context["can_edit"]


def test_a_draft_cannot_be_returned(hr, nomination):
    with pytest.raises(DomainError):
        services.nomination_return(nomination=nomination, by=hr, reason="Lý do")


# --- resubmitting


def test_a_returned_nomination_is_corrected_and_resubmitted(client_for, hr, focal_x1, nomination):
    submitted(nomination, focal_x1)
    services.nomination_return(nomination=nomination, by=hr, reason="Bổ sung biên bản.")
    nomination.refresh_from_db()
    client = client_for(focal_x1)
    edit = client.post(
        reverse("awards:nomination_update", args=[nomination.pk]),
        {
            "award_type": nomination.award_type.pk,
            "person": nomination.person.pk,
            "track": nomination.track,
            "achievement_summary": "Đã bổ sung.",
            "version": nomination.version,
        },
    )
    assert edit.status_code == 302
    DossierFileFactory(nomination=nomination, kind=DossierKind.MINUTES)
    response = post(client, "nomination_resubmit", nomination, {"resubmit-note": "Đã bổ sung."})
    assert response.status_code == 302
    assert status_of(nomination) == NominationStatus.SUBMITTED
    assert actions(nomination) == [
        "awards.nomination.created",
        "awards.nomination.submitted",
        "awards.nomination.returned",
        "awards.nomination.updated",
        "awards.nomination.resubmitted",
    ]
    assert nomination.events.get(action="awards.nomination.resubmitted").reason == "Đã bổ sung."


def test_resubmitting_after_the_deadline_is_allowed(hr, focal_x1, nomination, award_round):
    submitted(nomination, focal_x1)
    services.nomination_return(nomination=nomination, by=hr, reason="Bổ sung.")
    award_round.nomination_deadline = timezone.localdate() - datetime.timedelta(days=3)
    award_round.save()
    services.nomination_resubmit(nomination=nomination, by=focal_x1)
    assert status_of(nomination) == NominationStatus.SUBMITTED


def test_resubmitting_to_a_closed_round_is_refused(hr, focal_x1, nomination, award_round):
    submitted(nomination, focal_x1)
    services.nomination_return(nomination=nomination, by=hr, reason="Bổ sung.")
    award_round.is_open = False
    award_round.save()
    with pytest.raises(DomainError):
        services.nomination_resubmit(nomination=nomination, by=focal_x1)
    assert status_of(nomination) == NominationStatus.RETURNED


def test_only_a_returned_nomination_is_resubmitted(focal_x1, nomination):
    with pytest.raises(DomainError):
        services.nomination_resubmit(nomination=nomination, by=focal_x1)


# --- accepting for the council


def test_hr_accepts_a_nomination_for_the_council(client_for, hr, focal_x1, nomination):
    submitted(nomination, focal_x1)
    response = post(client_for(hr), "nomination_accept", nomination, {"accept-note": "Đủ hồ sơ."})
    assert response.status_code == 302
    assert status_of(nomination) == NominationStatus.ACCEPTED
    event = nomination.events.get(action="awards.nomination.accepted")
    assert (event.by, event.reason) == (hr, "Đủ hồ sơ.")


@pytest.mark.parametrize("persona", ["focal_x1", "leader", "council"])
def test_only_hr_accepts_or_returns(client_for, focal_x1, nomination, persona, request):
    submitted(nomination, focal_x1)
    client = client_for(request.getfixturevalue(persona))
    assert post(client, "nomination_accept", nomination).status_code == 403
    assert post(client, "nomination_return", nomination, {"reason": "x"}).status_code == 403
    assert status_of(nomination) == NominationStatus.SUBMITTED


def test_the_service_refuses_a_focal_point_as_reviewer(focal_x1, nomination):
    submitted(nomination, focal_x1)
    with pytest.raises(DomainError):
        services.nomination_accept(nomination=nomination, by=focal_x1)


def test_hr_of_another_body_gets_404(client_for, hr_y, focal_x1, nomination):
    submitted(nomination, focal_x1)
    assert post(client_for(hr_y), "nomination_accept", nomination).status_code == 404
    assert status_of(nomination) == NominationStatus.SUBMITTED


def test_a_draft_is_not_accepted(client_for, hr, nomination):
    response = post(client_for(hr), "nomination_accept", nomination)
    assert response.status_code == 302
    assert status_of(nomination) == NominationStatus.DRAFT


def test_an_accepted_nomination_is_no_longer_edited(hr, focal_x1, nomination):
    submitted(nomination, focal_x1)
    services.nomination_accept(nomination=nomination, by=hr)
    with pytest.raises(DomainError):
        services.nomination_update(
            nomination=nomination,
            by=focal_x1,
            expected_version=None,
            award_type=nomination.award_type,
            person=nomination.person,
            achievement_summary="x",
        )


# --- the record of every step


def test_every_step_is_kept_with_who_when_and_why(client_for, hr, focal_x1, nomination):
    submitted(nomination, focal_x1)
    services.nomination_return(nomination=nomination, by=hr, reason="Thiếu biên bản.")
    services.nomination_resubmit(nomination=nomination, by=focal_x1)
    services.nomination_accept(nomination=nomination, by=hr)
    events = list(nomination.events.order_by("at", "pk"))
    steps = [(e.action.rsplit(".", 1)[-1], e.from_status, e.to_status, e.by) for e in events]
    assert steps == [
        ("created", "", "draft", focal_x1),
        ("submitted", "draft", "submitted", focal_x1),
        ("returned", "submitted", "returned", hr),
        ("resubmitted", "returned", "submitted", focal_x1),
        ("accepted", "submitted", "accepted", hr),
    ]
    assert all(e.at is not None for e in events)
    page = client_for(hr).get(reverse("awards:nomination_detail", args=[nomination.pk]))
    html = page.content.decode()
    for label in ("Lập đề nghị", "Gửi đề nghị", "Trả lại để bổ sung", "Đưa ra Hội đồng"):
        assert label in html
    assert "Thiếu biên bản." in html
    assert NominationEvent.objects.filter(nomination=nomination).count() == 5


# --- concurrency (row locks: PostgreSQL only)


def _race(*steps) -> list[str]:
    """Run the steps at the same moment in threads; "done" or the refusal's class name each."""
    import threading

    from django.db import connections

    barrier = threading.Barrier(len(steps))
    outcomes: list[str] = []

    def run(step) -> None:
        try:
            barrier.wait()
            step()
            outcomes.append("done")
        except DomainError as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(step,)) for step in steps]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return sorted(outcomes)


def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (SELECT … FOR UPDATE); run with DATABASE_URL")


@pytest.mark.django_db(transaction=True)
def test_accepting_and_returning_at_once_leave_one_outcome(hr, focal_x1, org):
    _postgresql_only()
    nomination = draft(focal_x1, make_round(org), person=person_of(org.x1))
    complete_dossier(nomination)
    submitted(nomination, focal_x1)
    outcomes = _race(
        lambda: services.nomination_accept(nomination=nomination, by=hr),
        lambda: services.nomination_return(nomination=nomination, by=hr, reason="Thiếu."),
    )
    assert outcomes == ["DomainError", "done"]
    decided = [a for a in actions(nomination) if a.endswith((".accepted", ".returned"))]
    assert len(decided) == 1
    assert status_of(nomination) in (NominationStatus.ACCEPTED, NominationStatus.RETURNED)


@pytest.mark.django_db(transaction=True)
def test_two_edits_from_the_same_version_keep_one_and_refuse_the_other(focal_x1, org):
    _postgresql_only()
    nomination = draft(focal_x1, make_round(org), person=person_of(org.x1))
    version = nomination.version

    def edit(text):
        return lambda: services.nomination_update(
            nomination=nomination,
            by=focal_x1,
            expected_version=version,
            award_type=nomination.award_type,
            person=nomination.person,
            achievement_summary=text,
        )

    assert _race(edit("Bản A"), edit("Bản B")) == ["ConflictError", "done"]
    nomination.refresh_from_db()
    assert nomination.version == version + 1
    assert nomination.achievement_summary in ("Bản A", "Bản B")


@pytest.mark.django_db(transaction=True)
def test_the_same_nominee_proposed_twice_at_once_is_kept_once(focal_x1, org):
    _postgresql_only()
    award_round = make_round(org)
    person = person_of(org.x1)
    title = AwardTypeFactory()
    outcomes = _race(
        lambda: draft(focal_x1, award_round, person=person, award_type=title),
        lambda: draft(focal_x1, award_round, person=person, award_type=title),
    )
    assert outcomes == ["FieldErrors", "done"]
    assert award_round.nominations.count() == 1
