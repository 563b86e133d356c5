"""The read-only catalogue pages: titles and forms, and each one's rules by period."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards.models import RuleKind
from tests.awards.factories import RuleFactory, RuleSetFactory, seeded

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def catalogue():
    seeded("LDTT")


def test_it_sends_anonymous_visitors_to_log_in(client):
    for url in (reverse("awards:catalogue"), reverse("awards:award_type", args=["LDTT"])):
        response = client.get(url)
        assert response.status_code == 302
        assert "login" in response["Location"]


def test_any_logged_in_user_reads_the_catalogue_grouped_by_category(client_for, focal_y):
    response = client_for(focal_y).get(reverse("awards:catalogue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert [g["label"] for g in response.context["groups"]] == [
        "Danh hiệu thi đua",
        "Hình thức khen thưởng",
    ]
    assert "<h1" in page and page.index("<h1") < page.index("<h2")
    assert '<th scope="col">Thẩm quyền quyết định</th>' in page
    assert "Chiến sĩ thi đua toàn quốc" in page
    assert "Bằng khen của Thủ tướng Chính phủ" in page
    assert ">4,5<" in page  # cash multiple of Chiến sĩ thi đua toàn quốc, Vietnamese format
    assert reverse("awards:award_type", args=["CSTDCS"]) in page


def test_a_title_shows_its_rule_sets_by_date_each_rule_in_words(client_for, leader):
    response = client_for(leader).get(reverse("awards:award_type", args=["CSTDCS"]))
    assert response.status_code == 200
    page = response.content.decode()
    periods = response.context["periods"]
    assert [p["set"].effective_from for p in periods] == [
        datetime.date(2024, 1, 1),
        datetime.date(2018, 1, 1),
    ]
    assert periods[0]["is_current"] and not periods[1]["is_current"]
    assert periods[1]["until"] == datetime.date(2023, 12, 31)
    assert "Áp dụng từ 01/01/2018 đến 31/12/2023" in page
    assert "Đạt danh hiệu “Lao động tiên tiến” trong cùng năm." in page
    assert "Luật 06/2022/QH15 Điều 23" in page
    assert "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013)" in page
    assert "Tắt (không kiểm tra)" in page  # the 15 % cap, off since 2024
    assert "Số được công nhận trong cơ quan không quá 15% số “Lao động tiên tiến”" in page


def test_a_rule_set_not_yet_in_force_is_marked(client_for, hr):
    award_type = seeded("LDTT")
    future = RuleSetFactory(
        award_type=award_type, effective_from=datetime.date.today() + datetime.timedelta(days=400)
    )
    RuleFactory(rule_set=future, kind=RuleKind.RATING, params={"min": "excellent"})
    page = client_for(hr).get(reverse("awards:award_type", args=["LDTT"])).content.decode()
    assert "Chưa có hiệu lực" in page
    assert "Xếp loại từ “Hoàn thành xuất sắc nhiệm vụ” trở lên." in page


def test_an_unknown_code_is_404(client_for, hr):
    assert client_for(hr).get(reverse("awards:award_type", args=["KHONG_CO"])).status_code == 404


def test_the_pages_cost_a_fixed_number_of_queries(client_for, hr, django_assert_max_num_queries):
    client = client_for(hr)
    client.get(reverse("awards:catalogue"))
    with django_assert_max_num_queries(8):
        client.get(reverse("awards:catalogue"))
    with django_assert_max_num_queries(10):
        client.get(reverse("awards:award_type", args=["TTLDXS"]))
