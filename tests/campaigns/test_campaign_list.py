import pytest
from django.urls import reverse

from campaigns.models import CampaignStatus
from tests.factories import CampaignFactory

pytestmark = pytest.mark.django_db


def test_it_lists_campaigns_of_the_users_body(client_for, hr, org):
    CampaignFactory(name="Thi đua xây dựng xã hội học tập", issuing_unit=org.x)
    CampaignFactory(name="Phong trào của cơ quan Y", issuing_unit=org.y)
    response = client_for(hr).get(reverse("campaigns:list"))
    assert response.status_code == 200
    assert "Thi đua xây dựng xã hội học tập" in response.text
    assert "Phong trào của cơ quan Y" not in response.text


def test_it_requires_login(client):
    response = client.get(reverse("campaigns:list"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


@pytest.mark.parametrize("query", ["xa hoi hoc tap", "XÃ HỘI", "Xã hội học tập", "hoc  tap"])
def test_search_ignores_diacritics_and_case(client_for, hr, org, query):
    CampaignFactory(name="Thi đua xây dựng xã hội học tập", issuing_unit=org.x)
    CampaignFactory(name="Thực hành tiết kiệm, chống lãng phí", issuing_unit=org.x)
    response = client_for(hr).get(reverse("campaigns:list"), {"q": query})
    assert "Thi đua xây dựng xã hội học tập" in response.text
    assert "Thực hành tiết kiệm" not in response.text


def test_search_matches_d_with_stroke(client_for, hr, org):
    CampaignFactory(name="Đẩy mạnh học tập suốt đời", issuing_unit=org.x)
    response = client_for(hr).get(reverse("campaigns:list"), {"q": "day manh"})
    assert "Đẩy mạnh học tập suốt đời" in response.text


def test_archived_campaigns_are_hidden_unless_asked(client_for, hr, org):
    CampaignFactory(name="Phong trào cũ", issuing_unit=org.x, status=CampaignStatus.ARCHIVED)
    assert "Phong trào cũ" not in client_for(hr).get(reverse("campaigns:list")).text
    response = client_for(hr).get(reverse("campaigns:list"), {"status": "all"})
    assert "Phong trào cũ" in response.text


def test_focal_point_sees_campaigns_their_unit_takes_part_in(client_for, focal_x1, org):
    CampaignFactory(name="Phong trào toàn cơ quan X", issuing_unit=org.x)
    CampaignFactory(name="Phong trào riêng của Vụ X2", issuing_unit=org.x2)
    text = client_for(focal_x1).get(reverse("campaigns:list")).text
    assert "Phong trào toàn cơ quan X" in text
    assert "Phong trào riêng của Vụ X2" not in text


def test_bad_filter_input_does_not_fail(client_for, hr, org):
    response = client_for(hr).get(
        reverse("campaigns:list"), {"year": "abc", "issuing_unit": "999999", "status": "x"}
    )
    assert response.status_code == 200
