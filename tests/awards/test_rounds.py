"""Award rounds: HR staff of a body run them; everyone in the body sees them.

A round is the year's merit review of a body, or the review of a campaign (phase):
DOMAIN.md steps 7–9. Its eligibility check runs as the Celery task
``awards.tasks.check_round``.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import nomination_services as services
from awards import tasks
from awards.models import AwardRound, NominationStatus
from campaigns.models import CampaignKind
from pledges.services import FieldErrors
from tests.awards.factories import NominationFactory
from tests.factories import CampaignFactory, PersonFactory, PhaseFactory
from tests.versions import version_of

from .nomination_setup import YEAR, draft, individual_title, make_round, person_of

pytestmark = pytest.mark.django_db


def round_data(org, **overrides):
    data = {
        "name": "Khen thưởng thường xuyên năm 2025",
        "body": org.x.pk,
        "year": YEAR,
        "campaign": "",
        "phase": "",
        "nomination_deadline": "2025-11-30",
        "is_open": "on",
    }
    data.update(overrides)
    return data


# --- creating and changing rounds


def test_it_lets_hr_create_a_round(client_for, hr, org):
    response = client_for(hr).post(reverse("awards:round_create"), round_data(org))
    award_round = AwardRound.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("awards:round_detail", args=[award_round.pk])
    assert award_round.body == org.x
    assert award_round.year == YEAR
    assert award_round.nomination_deadline == datetime.date(2025, 11, 30)
    assert award_round.is_open
    assert award_round.history.get().history_user == hr


def test_it_ties_a_round_to_a_phase_of_a_campaign_hr_plans(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x, kind=CampaignKind.THEMATIC)
    phase = PhaseFactory(campaign=campaign)  # 2023–2025
    response = client_for(hr).post(
        reverse("awards:round_create"),
        round_data(org, name="Sơ kết giai đoạn 1", campaign=campaign.pk, phase=phase.pk),
    )
    assert response.status_code == 302
    award_round = AwardRound.objects.get()
    assert (award_round.campaign, award_round.phase) == (campaign, phase)


def test_it_refuses_a_year_outside_the_phase(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x)
    phase = PhaseFactory(campaign=campaign)  # 2023–2025
    response = client_for(hr).post(
        reverse("awards:round_create"),
        round_data(org, year=2027, campaign=campaign.pk, phase=phase.pk),
    )
    assert response.status_code == 200
    assert "nằm ngoài giai đoạn" in response.context["form"].errors["year"][0]
    assert not AwardRound.objects.exists()


def test_it_refuses_a_phase_of_another_campaign(client_for, hr, org):
    campaign = CampaignFactory(issuing_unit=org.x)
    other = PhaseFactory(campaign=CampaignFactory(issuing_unit=org.x))
    response = client_for(hr).post(
        reverse("awards:round_create"),
        round_data(org, campaign=campaign.pk, phase=other.pk),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["phase"] == [
        "Giai đoạn này không thuộc phong trào đã chọn."
    ]
    assert not AwardRound.objects.exists()


def test_it_offers_no_campaign_hr_does_not_plan(client_for, hr, org):
    foreign = CampaignFactory(issuing_unit=org.y)
    response = client_for(hr).post(
        reverse("awards:round_create"), round_data(org, campaign=foreign.pk)
    )
    assert response.status_code == 200
    assert "campaign" in response.context["form"].errors
    assert not AwardRound.objects.exists()


def test_the_service_refuses_a_campaign_of_another_body(hr, org):
    foreign = CampaignFactory(issuing_unit=org.y)
    with pytest.raises(FieldErrors) as error:
        services.round_create(by=hr, body=org.x, name="Đợt", year=YEAR, campaign=foreign)
    assert "campaign" in error.value.errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "   "),
        ("name", "\x00\x01"),
        ("year", "abc"),
        ("year", "1800"),
        ("year", "99999"),
        ("nomination_deadline", "31/02/2025"),
        ("body", "999999"),
        ("phase", "nope"),
    ],
)
def test_it_explains_bad_input_on_the_round_form(client_for, hr, org, field, value):
    response = client_for(hr).post(
        reverse("awards:round_create"), round_data(org, **{field: value})
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert not AwardRound.objects.exists()


def test_it_keeps_the_year_of_a_round_that_has_nominations(client_for, hr, focal_x1, org):
    award_round = make_round(org)
    draft(focal_x1, award_round, person=person_of(org.x1))
    url = reverse("awards:round_update", args=[award_round.pk])
    response = client_for(hr).post(
        url, round_data(org, year=2024) | {"version": version_of(award_round)}
    )
    assert response.status_code == 200
    assert "không thể đổi năm" in response.context["form"].errors["year"][0]
    award_round.refresh_from_db()
    assert award_round.year == YEAR


def test_hr_renames_a_round_and_moves_its_deadline(client_for, hr, org):
    award_round = make_round(org)
    url = reverse("awards:round_update", args=[award_round.pk])
    response = client_for(hr).post(
        url,
        round_data(org, name="Đợt khen thưởng cuối năm", nomination_deadline="2025-12-05")
        | {"version": version_of(award_round)},
    )
    assert response.status_code == 302
    award_round.refresh_from_db()
    assert award_round.name == "Đợt khen thưởng cuối năm"
    assert award_round.nomination_deadline == datetime.date(2025, 12, 5)


def test_hr_stops_and_resumes_taking_nominations(client_for, hr, org):
    award_round = make_round(org)
    client = client_for(hr)
    url = reverse("awards:round_set_open", args=[award_round.pk])
    assert client.post(url, {"is_open": "0"}).status_code == 302
    award_round.refresh_from_db()
    assert not award_round.is_open
    client.post(url, {"is_open": "1"})
    award_round.refresh_from_db()
    assert award_round.is_open
    reasons = list(award_round.history.values_list("history_change_reason", flat=True))
    assert "awards.round.closed" in reasons and "awards.round.opened" in reasons


# --- who may do what


def test_a_focal_point_may_not_create_or_change_rounds(client_for, focal_x1, org):
    award_round = make_round(org)
    client = client_for(focal_x1)
    assert client.get(reverse("awards:round_create")).status_code == 403
    assert client.post(reverse("awards:round_create"), round_data(org)).status_code == 403
    assert client.get(reverse("awards:round_update", args=[award_round.pk])).status_code == 403
    assert (
        client.post(reverse("awards:round_set_open", args=[award_round.pk]), {"is_open": "0"})
    ).status_code == 403
    assert client.post(reverse("awards:round_check", args=[award_round.pk])).status_code == 403
    award_round.refresh_from_db()
    assert award_round.is_open
    assert AwardRound.objects.count() == 1


@pytest.mark.parametrize("persona", ["focal_y", "hr_y"])
def test_someone_of_another_body_gets_404(client_for, org, persona, request):
    award_round = make_round(org)
    client = client_for(request.getfixturevalue(persona))
    for name in ("round_detail", "round_update", "nomination_create"):
        assert client.get(reverse(f"awards:{name}", args=[award_round.pk])).status_code == 404
    for name in ("round_set_open", "round_check"):
        assert client.post(reverse(f"awards:{name}", args=[award_round.pk])).status_code == 404


def test_the_round_list_shows_the_rounds_of_ones_bodies(client_for, focal_x1, org):
    mine = make_round(org, name="Đợt của cơ quan X")
    make_round(org, body=org.y, name="Đợt của cơ quan Y")
    response = client_for(focal_x1).get(reverse("awards:round_list"))
    assert [r.pk for r in response.context["page"]] == [mine.pk]
    assert "Đợt của cơ quan Y" not in response.content.decode()


def test_hr_cannot_run_a_round_for_a_body_outside_their_scope(hr, org):
    with pytest.raises(services.DomainError):
        services.round_create(by=hr, body=org.y, name="Đợt", year=YEAR)


# --- the round page


def test_the_round_page_counts_nominations_by_status(client_for, hr, focal_x1, org):
    award_round = make_round(org)
    title = individual_title()
    for status in (NominationStatus.DRAFT, NominationStatus.SUBMITTED, NominationStatus.SUBMITTED):
        NominationFactory(round=award_round, proposing_unit=org.x1, award_type=title, status=status)
    response = client_for(hr).get(reverse("awards:round_detail", args=[award_round.pk]))
    counts = {value: n for value, _label, n in response.context["counts"]}
    assert counts[NominationStatus.SUBMITTED] == 2
    assert counts[NominationStatus.DRAFT] == 1
    page = response.content.decode()
    assert "Kiểm tra điều kiện cả đợt" in page
    assert "Chưa kiểm tra lần nào." in page

    submitted = client_for(hr).get(
        reverse("awards:round_detail", args=[award_round.pk]), {"status": "submitted"}
    )
    assert len(submitted.context["page"]) == 2


def test_a_focal_point_sees_only_their_units_nominations_and_no_review_tools(
    client_for, focal_x2, focal_x1, org
):
    award_round = make_round(org)
    draft(focal_x1, award_round, person=person_of(org.x1))
    response = client_for(focal_x2).get(reverse("awards:round_detail", args=[award_round.pk]))
    assert response.status_code == 200
    assert len(response.context["page"]) == 0
    page = response.content.decode()
    assert "Kiểm tra điều kiện cả đợt" not in page
    assert reverse("awards:nomination_create", args=[award_round.pk]) in page


# --- the round's eligibility check (Celery task, run eagerly in tests)


def test_the_check_button_queues_the_task_after_commit(
    client_for, hr, focal_x1, org, django_capture_on_commit_callbacks
):
    pytest.importorskip("awards.eligibility")
    award_round = make_round(org)
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    url = reverse("awards:round_check", args=[award_round.pk])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client_for(hr).post(url)
    assert response.status_code == 302
    assert len(callbacks) == 1
    nomination.refresh_from_db()
    assert nomination.eligibility_checked_at is not None
    # The test title has no rule set: the check says so rather than passing.
    assert [r["kind"] for r in nomination.eligibility["results"]] == ["rule_set"]
    page = client_for(hr).get(reverse("awards:round_detail", args=[award_round.pk]))
    assert page.context["last_check"] == nomination.eligibility_checked_at
    assert "Lần kiểm tra gần nhất" in page.content.decode()


def test_the_task_checks_nominations_not_yet_voted_on(focal_x1, org):
    pytest.importorskip("awards.eligibility")
    award_round = make_round(org)
    title = individual_title()
    waiting = [
        NominationFactory(round=award_round, proposing_unit=org.x1, award_type=title, status=s)
        for s in (NominationStatus.DRAFT, NominationStatus.SUBMITTED, NominationStatus.ACCEPTED)
    ]
    decided = NominationFactory(
        round=award_round,
        proposing_unit=org.x1,
        award_type=title,
        status=NominationStatus.DECIDED,
        eligibility={"overall": "pass", "results": []},
    )
    assert tasks.check_round.delay(award_round.pk).get() == 3
    for nomination in waiting:
        nomination.refresh_from_db()
        assert nomination.eligibility_checked_at is not None
    decided.refresh_from_db()
    assert decided.eligibility_checked_at is None


def test_the_task_of_a_vanished_round_does_nothing(db):
    assert tasks.check_round(987654) == 0


def test_the_round_check_reads_a_fixed_number_of_queries(org):
    pytest.importorskip("awards.eligibility")
    award_round = make_round(org)
    title = individual_title()

    def add(n):
        for _ in range(n):
            NominationFactory(
                round=award_round,
                proposing_unit=org.x1,
                award_type=title,
                person=PersonFactory(unit=org.x1),
                status=NominationStatus.SUBMITTED,
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            services.round_check_eligibility(award_round=award_round)
        return len(captured)

    add(3)
    queries()
    with_3 = queries()
    add(6)
    assert queries() == with_3
