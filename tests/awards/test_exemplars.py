"""Exemplars (điển hình tiên tiến): list, page, search without diacritics, and entry by HR
staff for people and collectives of their scope."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import Exemplar
from tests.factories import CampaignFactory, PersonFactory
from tests.versions import version_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org):
    return PersonFactory(unit=org.x1, full_name="Đặng Thu Hương", staff_code="X1-007")


@pytest.fixture
def exemplar(person):
    return Exemplar.objects.create(
        person=person,
        headline="Đổi mới quy trình kiểm toán",
        story="Chị Hương đã số hóa toàn bộ hồ sơ.\nTiết kiệm 30% thời gian.",
        year=2024,
    )


@pytest.fixture
def collective(org):
    return Exemplar.objects.create(
        unit=org.x2, headline="Tập thể đoàn kết", story="Cả vụ cùng làm.", year=2023
    )


def _valid(**over):
    data = {
        "subject": "person",
        "person_code": "X1-007",
        "unit": "",
        "headline": "  Gương   sáng  học tập ",
        "year": "2024",
        "story": "Dòng một  \r\nDòng hai",
    }
    data.update(over)
    return data


# --- List, page, search ----------------------------------------------------------------------


def test_the_list_shows_exemplars_in_scope(client_for, hr, exemplar, collective):
    response = client_for(hr).get(reverse("awards:exemplar_list"))
    assert response.status_code == 200
    assert {e.pk for e in response.context["page"]} == {exemplar.pk, collective.pk}
    assert reverse("awards:exemplar_create") in response.text


def test_a_focal_point_sees_their_units_exemplars_only(client_for, focal_x1, exemplar, collective):
    response = client_for(focal_x1).get(reverse("awards:exemplar_list"))
    assert [e.pk for e in response.context["page"]] == [exemplar.pk]
    assert reverse("awards:exemplar_create") not in response.text


@pytest.mark.parametrize(
    "q", ["doi moi", "ĐỔI MỚI", "huong", "dang thu", "x1-007", "vu x2", "tap the doan"]
)
def test_the_search_ignores_diacritics_and_case(client_for, hr, exemplar, collective, q):
    response = client_for(hr).get(reverse("awards:exemplar_list"), {"q": q})
    found = {e.pk for e in response.context["page"]}
    expected = collective.pk if q in ("vu x2", "tap the doan") else exemplar.pk
    assert found == {expected}


def test_the_list_filters_by_year_and_refuses_a_bad_year(client_for, hr, exemplar, collective):
    url = reverse("awards:exemplar_list")
    assert [e.pk for e in client_for(hr).get(url, {"year": 2023}).context["page"]] == [
        collective.pk
    ]
    response = client_for(hr).get(url, {"year": "20x4"})
    assert response.status_code == 200
    assert "aria-invalid" in response.text


def test_the_page_shows_the_story_and_linked_campaigns(client_for, hr, org, exemplar):
    visible = CampaignFactory(issuing_unit=org.x, name="Phong trào học tập suốt đời")
    hidden = CampaignFactory(issuing_unit=org.y, name="Phong trào của cơ quan Y")
    exemplar.campaigns.add(visible, hidden)
    response = client_for(hr).get(reverse("awards:exemplar_detail", args=[exemplar.pk]))
    assert response.status_code == 200
    assert "Tiết kiệm 30% thời gian." in response.text
    assert "Phong trào học tập suốt đời" in response.text
    assert "Phong trào của cơ quan Y" not in response.text
    assert reverse("awards:person_history", args=[exemplar.person_id]) in response.text
    assert reverse("awards:exemplar_edit", args=[exemplar.pk]) in response.text


@pytest.mark.parametrize("persona", ["focal_x2", "focal_y", "hr_y"])
def test_another_units_user_gets_404_for_the_page(client_for, request, persona, exemplar):
    user = request.getfixturevalue(persona)
    assert (
        client_for(user).get(reverse("awards:exemplar_detail", args=[exemplar.pk])).status_code
        == 404
    )
    assert (
        client_for(user).get(reverse("awards:exemplar_edit", args=[exemplar.pk])).status_code == 404
    )


def test_the_list_exports_to_excel(client_for, hr, exemplar, collective):
    response = client_for(hr).get(reverse("awards:exemplar_list"), {"format": "xlsx", "q": "doi"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0] == ("Năm", "Tiêu đề", "Cá nhân, tập thể", "Đơn vị", "Câu chuyện, cách làm hay")
    assert rows[1][:4] == (2024, "Đổi mới quy trình kiểm toán", "Đặng Thu Hương", "Vụ X1")
    assert len(rows) == 2


# --- Create and edit ------------------------------------------------------------------------


def test_hr_records_an_exemplar_of_a_person(client_for, hr, org, person):
    campaign = CampaignFactory(issuing_unit=org.x)
    response = client_for(hr).post(
        reverse("awards:exemplar_create"), _valid(campaigns=[campaign.pk])
    )
    assert response.status_code == 302
    exemplar = Exemplar.objects.get()
    assert response["Location"] == reverse("awards:exemplar_detail", args=[exemplar.pk])
    assert exemplar.person == person and exemplar.unit is None
    assert exemplar.headline == "Gương sáng học tập"  # trimmed, spaces collapsed
    assert exemplar.story == "Dòng một\nDòng hai"
    assert exemplar.created_by == hr
    assert list(exemplar.campaigns.all()) == [campaign]
    assert exemplar.history.get().history_user == hr


def test_hr_records_an_exemplar_of_a_collective(client_for, hr, org):
    response = client_for(hr).post(
        reverse("awards:exemplar_create"),
        _valid(subject="collective", person_code="", unit=org.x1a.pk),
    )
    assert response.status_code == 302
    exemplar = Exemplar.objects.get()
    assert exemplar.unit == org.x1a and exemplar.person is None


def test_the_person_history_link_prefills_the_person(client_for, hr, person):
    response = client_for(hr).get(reverse("awards:exemplar_create"), {"person": person.pk})
    assert response.context["form"].initial["person_code"] == "X1-007"
    history = client_for(hr).get(reverse("awards:person_history", args=[person.pk]))
    assert f"{reverse('awards:exemplar_create')}?person={person.pk}" in history.text


def test_hr_edits_an_exemplar_and_switches_it_to_a_collective(client_for, hr, org, exemplar):
    response = client_for(hr).post(
        reverse("awards:exemplar_edit", args=[exemplar.pk]),
        _valid(subject="collective", unit=org.x1.pk, headline="Vụ X1 tiêu biểu")
        | {"version": version_of(exemplar)},
    )
    assert response.status_code == 302
    exemplar.refresh_from_db()
    assert (exemplar.person, exemplar.unit, exemplar.headline) == (None, org.x1, "Vụ X1 tiêu biểu")
    assert exemplar.history.count() == 2


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (_valid(person_code=""), "person_code", "Nhập mã cán bộ"),
        (_valid(person_code="KHONG-CO"), "person_code", "Không có cá nhân mang mã cán bộ"),
        (_valid(person_code="Y-001"), "person_code", "trong phạm vi của bạn"),
        (_valid(subject="collective", person_code=""), "unit", "Chọn tập thể"),
        (_valid(subject="ca-nhan"), "subject", "lựa chọn hợp lệ"),
        (_valid(headline="   "), "headline", "bắt buộc"),
        (_valid(headline="x" * 301), "headline", "300"),
        (_valid(story="\x00\x01 "), "story", "ký tự điều khiển"),
        (_valid(story="\x01 \x02"), "story", "không được để trống"),
        (_valid(year="1900"), "year", "1945"),
        (_valid(year="hai nghìn"), "year", "số"),
        (_valid(campaigns=["999999"]), "campaigns", "lựa chọn hợp lệ"),
    ],
)
def test_bad_input_is_explained_next_to_the_field(
    client_for, hr, org, person, data, field, message
):
    PersonFactory(unit=org.y, staff_code="Y-001")
    response = client_for(hr).post(reverse("awards:exemplar_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert Exemplar.objects.count() == 0


def test_a_collective_outside_the_hr_scope_is_refused(client_for, hr, org):
    response = client_for(hr).post(
        reverse("awards:exemplar_create"),
        _valid(subject="collective", person_code="", unit=org.y.pk),
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors


def test_a_campaign_the_user_cannot_see_is_refused(client_for, hr, org, person):
    hidden = CampaignFactory(issuing_unit=org.y)
    response = client_for(hr).post(reverse("awards:exemplar_create"), _valid(campaigns=[hidden.pk]))
    assert "campaigns" in response.context["form"].errors


@pytest.mark.parametrize("persona", ["focal_x1", "leader", "council"])
def test_other_roles_may_not_record_exemplars(client_for, request, persona, exemplar):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("awards:exemplar_create")).status_code == 403
    assert client.post(reverse("awards:exemplar_create"), _valid()).status_code == 403
    assert client.get(reverse("awards:exemplar_edit", args=[exemplar.pk])).status_code == 403
    assert Exemplar.objects.count() == 1


def test_hr_of_another_body_cannot_record_for_our_people(client_for, hr_y, person):
    response = client_for(hr_y).post(reverse("awards:exemplar_create"), _valid())
    assert response.status_code == 200
    assert "person_code" in response.context["form"].errors
    assert Exemplar.objects.count() == 0


def test_the_service_refuses_a_subject_outside_the_scope(hr_y, person):
    from awards.history_services import exemplar_save
    from campaigns.errors import DomainError

    with pytest.raises(DomainError):
        exemplar_save(
            exemplar=Exemplar(person=person, headline="x", story="y", year=2024),
            campaigns=[],
            by=hr_y,
        )
    with pytest.raises(DomainError):
        exemplar_save(exemplar=Exemplar(headline="x", story="y", year=2024), campaigns=[], by=hr_y)
