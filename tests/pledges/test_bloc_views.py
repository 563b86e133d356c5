import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_secretariat_sees_its_bloc_and_not_another(client_for, secretary, org):
    client = client_for(secretary)
    response = client.get(reverse("pledges:bloc_list"))
    assert list(response.context["blocs"]) == [org.bloc_a]
    assert client.get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk])).status_code == 200
    assert client.get(reverse("pledges:bloc_detail", args=[org.bloc_b.pk])).status_code == 404


def test_a_member_bodys_focal_point_sees_the_bloc(client_for, focal_y, org):
    # Body Y is a member of bloc B and not of bloc A.
    assert (
        client_for(focal_y).get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk])).status_code
        == 404
    )
    assert (
        client_for(focal_y).get(reverse("pledges:bloc_detail", args=[org.bloc_b.pk])).status_code
        == 200
    )


def test_a_departments_focal_point_does_not_see_its_bodys_bloc(client_for, focal_x1, org):
    # A bloc joins bodies: its pledge is signed and scored by the member body (its HR
    # staff, leaders and the secretariat), so a role held for one department of X gives
    # no view of bloc A or of the other members' scores (pledges/access.py).
    client = client_for(focal_x1)
    assert client.get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk])).status_code == 404
    assert list(client.get(reverse("pledges:bloc_list")).context["blocs"]) == []


def test_hr_of_the_member_body_sees_the_bloc_members(client_for, hr, org):
    response = client_for(hr).get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk]))
    assert "Cơ quan X" in response.text
