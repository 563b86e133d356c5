"""Making and editing nominations (DOMAIN.md step 7; issue 4, "Nominations and review").

A unit's focal point nominates people or collectives of their own unit's subtree;
a focal point of another unit gets 404, a nominee outside the unit is refused, and
a nomination can be edited only while it is a draft or has been returned.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards import nomination_services as services
from awards.models import Nomination, NominationStatus, Rating, RuleKind, TaskRating, Track
from campaigns.errors import ConflictError, DomainError
from campaigns.models import CampaignKind
from pledges.services import FieldErrors
from tests.awards.factories import RuleFactory, RuleSetFactory, complete_dossier
from tests.factories import CampaignFactory

from .nomination_setup import (
    actions,
    collective_title,
    draft,
    individual_title,
    make_round,
    person_of,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def award_round(org):
    return make_round(org)


def create_url(award_round, **query):
    url = reverse("awards:nomination_create", args=[award_round.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def form_data(*, proposing_unit, award_type, person=None, unit=None, **overrides):
    data = {
        "proposing_unit": proposing_unit.pk,
        "award_type": award_type.pk,
        "person": person.pk if person else "",
        "unit": unit.pk if unit else "",
        "track": Track.MERIT,
        "achievement_summary": "Hoàn thành xuất sắc nhiệm vụ năm 2025.",
    }
    data.update(overrides)
    return data


# --- making a nomination


def test_a_focal_point_nominates_a_person_of_their_unit(client_for, focal_x1, org, award_round):
    person = person_of(org.x1)
    title = individual_title()
    response = client_for(focal_x1).post(
        create_url(award_round),
        form_data(proposing_unit=org.x1, award_type=title, person=person),
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("awards:nomination_detail", args=[nomination.pk])
    assert nomination.status == NominationStatus.DRAFT
    assert (nomination.person, nomination.unit) == (person, None)
    assert nomination.proposing_unit == org.x1
    assert nomination.year == award_round.year
    assert nomination.created_by == focal_x1
    event = nomination.events.get()
    assert (event.action, event.to_status, event.by) == (
        "awards.nomination.created",
        NominationStatus.DRAFT,
        focal_x1,
    )


def test_the_form_lists_the_people_and_units_of_the_proposing_unit(
    client_for, focal_x1, org, award_round
):
    mine = person_of(org.x1, "Lê Văn Mình")
    below = person_of(org.x1a, "Phạm Thị Dưới")
    other = person_of(org.x2, "Trần Văn Khác")
    response = client_for(focal_x1).get(create_url(award_round))
    page = response.content.decode()
    assert response.status_code == 200
    assert mine.full_name in page and below.full_name in page
    assert other.full_name not in page
    assert response.context["root"] == org.x1
    assert [u.pk for u in response.context["form"].fields["unit"].queryset] == [
        org.x1.pk,
        org.x1a.pk,
    ]


def test_hr_chooses_which_unit_proposes(client_for, hr, org, award_round):
    person_of(org.x2, "Trần Văn Khác")
    response = client_for(hr).get(create_url(award_round, proposing_unit=org.x2.pk))
    assert response.context["root"] == org.x2
    assert "Trần Văn Khác" in response.content.decode()
    assert len(response.context["choices"]) == 4  # X, X1, X1A, X2


def test_a_focal_point_may_nominate_someone_of_a_unit_below_theirs(
    client_for, focal_x1, org, award_round
):
    person = person_of(org.x1a)
    response = client_for(focal_x1).post(
        create_url(award_round),
        form_data(proposing_unit=org.x1, award_type=individual_title(), person=person),
    )
    assert response.status_code == 302
    assert Nomination.objects.get().person == person


def test_a_focal_point_nominating_someone_outside_their_unit_is_refused(
    client_for, focal_x1, org, award_round
):
    outsider = person_of(org.x2)
    response = client_for(focal_x1).post(
        create_url(award_round),
        form_data(proposing_unit=org.x1, award_type=individual_title(), person=outsider),
    )
    assert response.status_code == 200
    assert "person" in response.context["form"].errors
    assert not Nomination.objects.exists()


def test_the_service_refuses_a_nominee_outside_the_proposing_unit(focal_x1, org, award_round):
    outsider = person_of(org.x2, "Trần Văn Khác")
    with pytest.raises(FieldErrors) as error:
        services.nomination_create(
            by=focal_x1,
            award_round=award_round,
            proposing_unit=org.x1,
            award_type=individual_title(),
            person=outsider,
            achievement_summary="Thành tích",
        )
    assert "Trần Văn Khác không thuộc Vụ X1" in error.value.errors["person"][0]
    assert not Nomination.objects.exists()


def test_the_service_refuses_to_propose_for_another_unit(focal_x1, org, award_round):
    with pytest.raises(FieldErrors) as error:
        services.nomination_create(
            by=focal_x1,
            award_round=award_round,
            proposing_unit=org.x2,
            award_type=individual_title(),
            person=person_of(org.x2),
            achievement_summary="Thành tích",
        )
    assert "proposing_unit" in error.value.errors


def test_a_proposing_unit_outside_the_rounds_body_is_refused(hr, org):
    award_round = make_round(org, body=org.x1)
    with pytest.raises(FieldErrors) as error:
        services.nomination_create(
            by=hr,
            award_round=award_round,
            proposing_unit=org.x2,
            award_type=individual_title(),
            person=person_of(org.x2),
            achievement_summary="Thành tích",
        )
    assert "không thuộc Vụ X1" in error.value.errors["proposing_unit"][0]


def test_a_collective_is_nominated_for_a_collective_title(client_for, focal_x1, org, award_round):
    response = client_for(focal_x1).post(
        create_url(award_round),
        form_data(proposing_unit=org.x1, award_type=collective_title(), unit=org.x1a),
    )
    assert response.status_code == 302
    nomination = Nomination.objects.get()
    assert (nomination.person, nomination.unit) == (None, org.x1a)


def test_an_individual_title_for_a_collective_is_refused(client_for, focal_x1, org, award_round):
    response = client_for(focal_x1).post(
        create_url(award_round),
        form_data(proposing_unit=org.x1, award_type=individual_title(), unit=org.x1),
    )
    assert response.status_code == 200
    assert "dành cho cá nhân" in response.context["form"].errors["award_type"][0]
    assert not Nomination.objects.exists()


def test_a_thematic_campaign_round_proposes_the_thematic_track(client_for, focal_x1, org):
    campaign = CampaignFactory(issuing_unit=org.x, kind=CampaignKind.THEMATIC)
    award_round = make_round(org, campaign=campaign)
    response = client_for(focal_x1).get(create_url(award_round))
    assert response.context["form"].initial["track"] == Track.THEMATIC


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"person": "", "unit": ""}, "person"),
        ({"unit": "UNIT"}, "unit"),
        ({"award_type": ""}, "award_type"),
        ({"award_type": "999999"}, "award_type"),
        ({"track": "bogus"}, "track"),
        ({"achievement_summary": "   \n  "}, "achievement_summary"),
        ({"achievement_summary": ""}, "achievement_summary"),
        ({"person": "abc"}, "person"),
        ({"proposing_unit": "999999"}, "proposing_unit"),
    ],
)
def test_it_explains_bad_input_on_the_nomination_form(
    client_for, focal_x1, org, award_round, overrides, field
):
    person = person_of(org.x1)
    data = form_data(proposing_unit=org.x1, award_type=individual_title(), person=person)
    if overrides.get("unit") == "UNIT":
        overrides = {"unit": org.x1.pk}  # a person and a unit at once
    data.update(overrides)
    response = client_for(focal_x1).post(create_url(award_round), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Nomination.objects.exists()


def test_the_same_nominee_cannot_be_proposed_twice_for_a_title(focal_x1, org, award_round):
    person = person_of(org.x1)
    title = individual_title()
    draft(focal_x1, award_round, person=person, award_type=title)
    with pytest.raises(FieldErrors) as error:
        draft(focal_x1, award_round, person=person, award_type=title)
    assert "đã được đề nghị" in error.value.errors["__all__"][0]


def test_a_closed_round_takes_no_new_nominations(client_for, focal_x1, org):
    award_round = make_round(org, is_open=False)
    response = client_for(focal_x1).get(create_url(award_round))
    assert response.status_code == 302
    with pytest.raises(DomainError):
        draft(focal_x1, award_round, person=person_of(org.x1))


def test_a_leader_sees_the_round_but_may_not_nominate(client_for, leader, org, award_round):
    assert client_for(leader).get(create_url(award_round)).status_code == 403


# --- who sees a nomination


@pytest.mark.parametrize("persona", ["focal_x2", "focal_y", "hr_y"])
def test_a_focal_point_of_another_unit_gets_404(
    client_for, focal_x1, org, award_round, persona, request
):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    client = client_for(request.getfixturevalue(persona))
    for name in ("nomination_detail", "nomination_update"):
        assert client.get(reverse(f"awards:{name}", args=[nomination.pk])).status_code == 404
    for name in (
        "nomination_submit",
        "nomination_resubmit",
        "nomination_return",
        "nomination_accept",
        "nomination_check",
        "dossier_upload",
    ):
        assert client.post(reverse(f"awards:{name}", args=[nomination.pk])).status_code == 404
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.DRAFT


def test_hr_and_the_leader_of_the_body_see_it(client_for, hr, leader, focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    url = reverse("awards:nomination_detail", args=[nomination.pk])
    assert client_for(hr).get(url).status_code == 200
    assert client_for(leader).get(url).status_code == 200


# --- editing


def edit(client, nomination, **overrides):
    data = form_data(
        proposing_unit=nomination.proposing_unit,
        award_type=nomination.award_type,
        person=nomination.person,
        unit=nomination.unit,
        version=nomination.version,
    )
    data.pop("proposing_unit")
    data.update(overrides)
    return client.post(reverse("awards:nomination_update", args=[nomination.pk]), data)


def test_a_draft_is_edited_and_its_version_moves_on(client_for, focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    response = edit(client_for(focal_x1), nomination, achievement_summary="Thành tích mới")
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievement_summary == "Thành tích mới"
    assert nomination.version == 2
    assert actions(nomination)[-1] == "awards.nomination.updated"


def test_an_edit_from_a_stale_page_is_refused_with_a_clear_message(
    client_for, focal_x1, org, award_round
):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    stale = nomination.version
    edit(client_for(focal_x1), nomination, achievement_summary="Bản của người thứ nhất")
    response = edit(
        client_for(focal_x1), nomination, version=stale, achievement_summary="Bản cũ ghi đè"
    )
    assert response.status_code == 200
    assert "vừa được người khác thay đổi" in response.context["form"].non_field_errors()[0]
    nomination.refresh_from_db()
    assert nomination.achievement_summary == "Bản của người thứ nhất"


def test_the_service_raises_a_conflict_for_a_stale_version(focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    with pytest.raises(ConflictError):
        services.nomination_update(
            nomination=nomination,
            by=focal_x1,
            expected_version=nomination.version + 1,
            award_type=nomination.award_type,
            person=nomination.person,
            achievement_summary="x",
        )


def test_a_nomination_edited_after_submission_is_refused(client_for, focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    complete_dossier(nomination)
    services.nomination_submit(nomination=nomination, by=focal_x1)
    nomination.refresh_from_db()
    client = client_for(focal_x1)
    assert client.get(reverse("awards:nomination_update", args=[nomination.pk])).status_code == 302
    response = edit(client, nomination, achievement_summary="Sửa sau khi gửi")
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievement_summary != "Sửa sau khi gửi"
    with pytest.raises(DomainError) as error:
        services.nomination_update(
            nomination=nomination,
            by=focal_x1,
            expected_version=nomination.version,
            award_type=nomination.award_type,
            person=nomination.person,
            achievement_summary="Sửa sau khi gửi",
        )
    assert "không thể sửa" in error.value.message
    assert actions(nomination).count("awards.nomination.updated") == 0


def test_the_edit_page_refuses_a_nominee_outside_the_unit(client_for, focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    response = edit(client_for(focal_x1), nomination, person=person_of(org.x2).pk)
    assert response.status_code == 200
    assert "person" in response.context["form"].errors


def test_a_leader_may_not_edit(client_for, leader, focal_x1, org, award_round):
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    assert edit(client_for(leader), nomination).status_code == 403


# --- the nominee search and the eligibility preview (htmx partials)


def test_the_nominee_search_ignores_diacritics(client_for, focal_x1, org, award_round):
    person_of(org.x1, "Đặng Thị Hằng")
    person_of(org.x1, "Lê Văn Tám")
    person_of(org.x2, "Đặng Văn Ngoài")
    response = client_for(focal_x1).get(
        reverse("awards:nomination_nominees"), {"proposing_unit": org.x1.pk, "nominee_q": "dang"}
    )
    page = response.content.decode()
    assert "Đặng Thị Hằng" in page
    assert "Lê Văn Tám" not in page and "Đặng Văn Ngoài" not in page


def test_the_nominee_search_is_scoped(client_for, focal_x1, org):
    response = client_for(focal_x1).get(
        reverse("awards:nomination_nominees"), {"proposing_unit": org.x2.pk}
    )
    assert response.status_code == 404


@pytest.fixture
def rating_rule():
    pytest.importorskip("awards.eligibility")
    title = individual_title()
    rule_set = RuleSetFactory(award_type=title, legal_basis="Luật 06/2022/QH15")
    RuleFactory(
        rule_set=rule_set,
        kind=RuleKind.RATING,
        params={"min": "good"},
        legal_basis="Luật 06/2022/QH15 Điều 24",
    )
    return title


def preview(client, award_round, **params):
    return client.get(reverse("awards:nomination_eligibility"), {"round": award_round.pk, **params})


def test_the_preview_shows_each_rule_with_its_result(
    client_for, focal_x1, org, award_round, rating_rule
):
    rated = person_of(org.x1, "Nguyễn Văn Giỏi")
    TaskRating.objects.create(person=rated, year=award_round.year, rating=Rating.EXCELLENT)
    unrated = person_of(org.x1, "Nguyễn Văn Chưa")
    client = client_for(focal_x1)

    passing = preview(client, award_round, award_type=rating_rule.pk, person=rated.pk)
    assert [r.status for r in passing.context["report"].rows] == ["pass"]
    page = passing.content.decode()
    assert "text-bg-success" in page and "Đạt" in page
    assert "Luật 06/2022/QH15 Điều 24" in page

    unknown = preview(client, award_round, award_type=rating_rule.pk, person=unrated.pk)
    assert [r.status for r in unknown.context["report"].rows] == ["unknown"]
    assert "Chưa có kết quả xếp loại năm 2025" in unknown.content.decode()


def test_the_preview_says_what_to_choose_first(client_for, focal_x1, award_round):
    response = preview(client_for(focal_x1), award_round, award_type="", person="")
    assert response.status_code == 200
    assert response.context["report"] is None
    assert "Chọn danh hiệu" in response.content.decode()


def test_the_preview_does_not_check_people_outside_ones_scope(
    client_for, focal_x1, org, award_round, rating_rule
):
    outsider = person_of(org.y, "Người Cơ Quan Khác")
    response = preview(
        client_for(focal_x1), award_round, award_type=rating_rule.pk, person=outsider.pk
    )
    assert response.context["report"] is None


def test_submitting_stores_the_full_check(client_for, focal_x1, org, award_round, rating_rule):
    person = person_of(org.x1)
    nomination = draft(focal_x1, award_round, person=person, award_type=rating_rule)
    complete_dossier(nomination)
    client_for(focal_x1).post(reverse("awards:nomination_submit", args=[nomination.pk]))
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.SUBMITTED
    assert nomination.eligibility_checked_at is not None
    assert [r["kind"] for r in nomination.eligibility["results"]] == [RuleKind.RATING]
    page = client_for(focal_x1).get(reverse("awards:nomination_detail", args=[nomination.pk]))
    assert "Chưa có kết quả xếp loại năm 2025" in page.content.decode()
