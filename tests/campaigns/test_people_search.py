"""People search at scale: short words match word starts, the count stops at a cap."""

from __future__ import annotations

import pytest
from django.urls import reverse

from campaigns.org_views import CappedPaginator
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def names(response) -> list[str]:
    return [p.full_name for p in response.context["page"]]


def test_one_or_two_letter_words_match_the_start_of_a_word(client_for, hr, org):
    PersonFactory(unit=org.x1, full_name="Lê Văn An")
    PersonFactory(unit=org.x1, full_name="Lê Thị Ánh")
    PersonFactory(unit=org.x1, full_name="Hoàng Thị Lan")  # "an" only inside a word
    PersonFactory(unit=org.x1, full_name="Phan Văn Nam")  # "le" nowhere at a word start
    response = client_for(hr).get(reverse("org:people"), {"q": "le an"})
    assert names(response) == ["Lê Thị Ánh", "Lê Văn An"]


def test_a_short_word_may_begin_the_name(client_for, hr, org):
    PersonFactory(unit=org.x1, full_name="Vũ Thị Hà")
    response = client_for(hr).get(reverse("org:people"), {"q": "vu"})
    assert names(response) == ["Vũ Thị Hà"]


def test_longer_words_still_match_inside_a_word(client_for, hr, org):
    PersonFactory(unit=org.x1, full_name="Nguyễn Thị Phương Thảo")
    response = client_for(hr).get(reverse("org:people"), {"q": "huong"})
    assert names(response) == ["Nguyễn Thị Phương Thảo"]


def test_the_unit_hint_does_not_widen_the_scope(client_for, focal_x1, org):
    PersonFactory(unit=org.x1a, full_name="Đặng Thị Hương")
    PersonFactory(unit=org.x2, full_name="Đặng Thị Hường")
    response = client_for(focal_x1).get(reverse("org:people"), {"q": "dang"})
    assert names(response) == ["Đặng Thị Hương"]


def test_the_count_stops_at_the_cap(client_for, hr, org, settings, monkeypatch):
    settings.PAGE_SIZE = 2
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    for n in range(7):
        PersonFactory(unit=org.x1, full_name=f"Trần Văn Bình {n}")
    client = client_for(hr)
    page = client.get(reverse("org:people"), {"q": "binh"}).context["page"]
    assert page.paginator.count == 4
    assert page.paginator.num_pages == 2
    assert names(client.get(reverse("org:people"), {"q": "binh", "page": 2})) == [
        "Trần Văn Bình 2",
        "Trần Văn Bình 3",
    ]


@pytest.mark.parametrize("q", ["(", "a+", "?", "\\", "[]", "a|b", "$", "^", ".*", "{1"])
def test_short_words_with_regex_characters_are_taken_literally(client_for, hr, org, q):
    PersonFactory(unit=org.x1, full_name="Lê Văn An")
    response = client_for(hr).get(reverse("org:people"), {"q": q})
    assert response.status_code == 200
    assert names(response) == []
