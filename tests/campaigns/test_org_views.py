import pytest
from django.urls import reverse

from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_unit_tree_starts_at_the_users_units(client_for, hr, focal_x1, org):
    roots = client_for(hr).get(reverse("org:unit_tree")).context["roots"]
    assert roots == [org.x]
    roots = client_for(focal_x1).get(reverse("org:unit_tree")).context["roots"]
    assert roots == [org.x1]


def test_children_load_on_demand(client_for, hr, org):
    response = client_for(hr).get(
        reverse("org:unit_children", args=[org.x.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "Vụ X1" in response.text and "Vụ X2" in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("name", ["org:unit_detail", "org:unit_children"])
def test_a_unit_outside_the_scope_gets_404(client_for, focal_x1, org, name):
    assert client_for(focal_x1).get(reverse(name, args=[org.x2.pk])).status_code == 404
    assert client_for(focal_x1).get(reverse(name, args=[org.y.pk])).status_code == 404
    assert client_for(focal_x1).get(reverse(name, args=[org.x1a.pk])).status_code == 200


def test_unit_page_lists_people_paginated(client_for, hr, org, settings):
    settings.PAGE_SIZE = 2
    for n in range(3):
        PersonFactory(unit=org.x1, full_name=f"Trần Thị Mai {n}")
    response = client_for(hr).get(reverse("org:unit_detail", args=[org.x1.pk]))
    assert response.context["page"].paginator.num_pages == 2


def test_people_search_ignores_diacritics_and_stays_in_scope(client_for, focal_x1, org):
    PersonFactory(unit=org.x1a, full_name="Đặng Thị Hương", staff_code="KT-001")
    PersonFactory(unit=org.x2, full_name="Đặng Thị Hường")
    PersonFactory(unit=org.y, full_name="Đặng Văn Hùng")
    response = client_for(focal_x1).get(reverse("org:people"), {"q": "dang thi huong"})
    names = [p.full_name for p in response.context["page"]]
    assert names == ["Đặng Thị Hương"]
    response = client_for(focal_x1).get(reverse("org:people"), {"q": "kt-001"})
    assert [p.full_name for p in response.context["page"]] == ["Đặng Thị Hương"]


def test_people_search_survives_odd_input(client_for, hr, org):
    for q in ["", "   ", "%", "_", "\x00", "'; drop table", "a" * 5000]:
        assert client_for(hr).get(reverse("org:people"), {"q": q}).status_code == 200


def test_anonymous_is_sent_to_login(client):
    for name in ["org:unit_tree", "org:people"]:
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert reverse("login") in response["Location"]
