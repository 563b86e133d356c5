import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_secretariat_sees_its_bloc_and_not_another(client_for, secretary, org):
    client = client_for(secretary)
    response = client.get(reverse("pledges:bloc_list"))
    assert list(response.context["blocs"]) == [org.bloc_a]
    assert client.get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk])).status_code == 200
    assert client.get(reverse("pledges:bloc_detail", args=[org.bloc_b.pk])).status_code == 404


def test_a_member_units_focal_point_sees_the_bloc(client_for, focal_x1, focal_y, org):
    # Body X is a member of bloc A; its departments' staff see the bloc through their unit.
    assert (
        client_for(focal_y).get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk])).status_code
        == 404
    )
    assert (
        client_for(focal_y).get(reverse("pledges:bloc_detail", args=[org.bloc_b.pk])).status_code
        == 200
    )


def test_hr_of_the_member_body_sees_the_bloc_members(client_for, hr, org):
    response = client_for(hr).get(reverse("pledges:bloc_detail", args=[org.bloc_a.pk]))
    assert "Cơ quan X" in response.text
