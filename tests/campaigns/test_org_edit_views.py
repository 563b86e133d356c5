import pytest
from django.urls import reverse

from campaigns.models import Person, Unit
from tests.factories import PersonFactory, UnitFactory
from tests.versions import version_of

pytestmark = pytest.mark.django_db


def unit_data(parent, **overrides):
    data = {
        "code": "x1b",
        "name": "Phòng X1B",
        "short_name": "",
        "kind": "division",
        "parent": parent.pk,
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_hr_adds_a_sub_unit(client_for, hr, org):
    response = client_for(hr).post(reverse("org:unit_create"), unit_data(org.x1))
    assert response.status_code == 302
    unit = Unit.objects.get(code="X1B")
    assert unit.path.startswith(org.x1.path)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"code": "X1"}, "code"),
        ({"code": "có khoảng"}, "code"),
        ({"name": " "}, "name"),
        ({"kind": "zzz"}, "kind"),
    ],
)
def test_bad_unit_input(client_for, hr, org, overrides, field):
    response = client_for(hr).post(reverse("org:unit_create"), unit_data(org.x1, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_hr_cannot_place_a_unit_in_another_body(client_for, hr, org):
    response = client_for(hr).post(reverse("org:unit_create"), unit_data(org.y))
    assert "parent" in response.context["form"].errors


def test_hr_cannot_create_a_top_level_body(client_for, hr, org):
    data = unit_data(org.x1) | {"parent": ""}
    response = client_for(hr).post(reverse("org:unit_create"), data)
    assert "parent" in response.context["form"].errors


def test_a_unit_cannot_move_under_its_own_child(client_for, hr, org):
    data = unit_data(org.x1a, code="X1", name="Vụ X1", kind="department")
    response = client_for(hr).post(reverse("org:unit_edit", args=[org.x1.pk]), data)
    assert "parent" in response.context["form"].errors


def test_archiving_needs_children_archived_first(client_for, hr, org):
    data = unit_data(org.x, code="X1", name="Vụ X1", kind="department")
    data["version"] = version_of(org.x1)
    del data["is_active"]
    response = client_for(hr).post(reverse("org:unit_edit", args=[org.x1.pk]), data)
    assert response.status_code == 200
    assert "đơn vị trực thuộc đang hoạt động" in response.text
    assert Unit.objects.get(pk=org.x1.pk).is_active


def test_hr_can_edit_its_own_body_at_the_top(client_for, hr, org):
    data = {
        "code": "X",
        "name": "Cơ quan X (mới)",
        "short_name": "",
        "kind": "body",
        "parent": "",
        "is_active": "on",
        "version": version_of(org.x),
    }
    response = client_for(hr).post(reverse("org:unit_edit", args=[org.x.pk]), data)
    assert response.status_code == 302
    assert Unit.objects.get(pk=org.x.pk).name == "Cơ quan X (mới)"


@pytest.mark.parametrize("persona", ["focal_x1", "leader", "council"])
def test_other_roles_cannot_edit_units(client_for, org, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("org:unit_edit", args=[org.x1.pk])).status_code == 403
    assert client.get(reverse("org:unit_create")).status_code == 403


def test_hr_of_another_body_gets_404(client_for, hr_y, org):
    assert client_for(hr_y).get(reverse("org:unit_edit", args=[org.x1.pk])).status_code == 404


def person_data(unit, **overrides):
    data = {
        "full_name": "Lê Thị Hoa",
        "unit": unit.pk,
        "position": "Chuyên viên",
        "gender": "female",
        "birth_year": "1985",
        "staff_code": "X-01",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_hr_adds_and_edits_a_person(client_for, hr, org):
    client = client_for(hr)
    assert client.post(reverse("org:person_create"), person_data(org.x1)).status_code == 302
    person = Person.objects.get(staff_code="X-01")
    response = client.post(
        reverse("org:person_edit", args=[person.pk]),
        person_data(org.x2, position="Phó Trưởng phòng", version=version_of(person)),
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.unit, person.position) == (org.x2, "Phó Trưởng phòng")
    assert person.history.count() == 2


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"birth_year": "1800"}, "birth_year"),
        ({"birth_year": "2030"}, "birth_year"),
        ({"full_name": ""}, "full_name"),
        ({"gender": "x"}, "gender"),
        ({"staff_code": "DUP"}, "staff_code"),
    ],
)
def test_bad_person_input(client_for, hr, org, overrides, field):
    PersonFactory(unit=org.x1, staff_code="DUP")
    response = client_for(hr).post(reverse("org:person_create"), person_data(org.x1, **overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors


def test_blank_staff_codes_do_not_collide(client_for, hr, org):
    client = client_for(hr)
    client.post(reverse("org:person_create"), person_data(org.x1, staff_code=""))
    client.post(reverse("org:person_create"), person_data(org.x1, staff_code="  "))
    assert Person.objects.filter(staff_code__isnull=True).count() == 2


def test_person_of_another_body_gets_404(client_for, hr, org):
    person = PersonFactory(unit=org.y)
    assert client_for(hr).get(reverse("org:person_edit", args=[person.pk])).status_code == 404


def test_focal_point_cannot_edit_people(client_for, focal_x1, org):
    person = PersonFactory(unit=org.x1)
    assert client_for(focal_x1).get(reverse("org:person_edit", args=[person.pk])).status_code == 403


def test_unit_page_shows_edit_links_only_to_hr(client_for, hr, leader, org):
    url = reverse("org:unit_detail", args=[org.x1.pk])
    assert reverse("org:unit_edit", args=[org.x1.pk]) in client_for(hr).get(url).text
    assert reverse("org:unit_edit", args=[org.x1.pk]) not in client_for(leader).get(url).text


def test_archived_units_do_not_take_new_people(client_for, admin_user, org):
    archived = UnitFactory(parent=org.x, is_active=False)
    response = client_for(admin_user).post(reverse("org:person_create"), person_data(archived))
    assert response.status_code == 200
    assert not Person.objects.filter(unit=archived).exists()
