"""The "Khen thưởng" home and a person's and a unit's award history (DESIGN.md: a role is
held for a unit and reaches its subtree; a user of another unit gets 404)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards.models import (
    DisciplineForm,
    DisciplineRecord,
    Initiative,
    NominationStatus,
    Rating,
    Scope,
    TaskRating,
    Track,
)
from tests.factories import PersonFactory

from .history_setup import award_round, decision, nomination, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(org):
    return PersonFactory(unit=org.x1, full_name="Trần Thị Bình", staff_code="X1-001")


# --- The area home ----------------------------------------------------------------------


def test_it_shows_the_home_with_the_users_nomination_figures(client_for, hr, org, person):
    r = award_round(org.x)
    nomination(r, "CSTDCS", person=person, status=NominationStatus.SUBMITTED)
    nomination(r, "LDTT", person=person, status=NominationStatus.SUBMITTED)
    nomination(r, "GIAY_KHEN", person=person, status=NominationStatus.APPROVED)
    response = client_for(hr).get(reverse("awards:index"))
    assert response.status_code == 200
    figures = {f["status"]: f["count"] for f in response.context["figures"]}
    assert figures["submitted"] == 2
    assert figures["approved"] == 1
    assert figures["draft"] == 0
    assert r in response.context["rounds"]
    assert reverse("awards:round_overview", args=[r.pk]) in response.text
    assert reverse("awards:exemplar_list") in response.text


def test_it_counts_only_nominations_in_the_users_scope(client_for, focal_y, org, person):
    nomination(award_round(org.x), "LDTT", person=person)
    response = client_for(focal_y).get(reverse("awards:index"))
    assert response.status_code == 200
    assert sum(f["count"] for f in response.context["figures"]) == 0
    assert list(response.context["rounds"]) == []


def test_the_home_needs_a_login(client):
    response = client.get(reverse("awards:index"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_home_figures_take_one_query(hr, org, person, django_assert_num_queries):
    from awards.history_selectors import nomination_figures

    nomination(award_round(org.x), "LDTT", person=person)
    hr.refresh_from_db()
    with django_assert_num_queries(2):  # the user's grants, then the one aggregate
        nomination_figures(hr)


def test_the_search_finds_people_and_units_without_diacritics(client_for, hr, org, person):
    response = client_for(hr).get(reverse("awards:index"), {"q": "tran thi binh"})
    assert [p.pk for p in response.context["found"]["people"]] == [person.pk]
    assert reverse("awards:person_history", args=[person.pk]) in response.text
    response = client_for(hr).get(reverse("awards:index"), {"q": "vu x1"})
    assert org.x1 in response.context["found"]["units"]


def test_the_search_stays_in_the_users_scope(client_for, focal_y, person):
    response = client_for(focal_y).get(reverse("awards:index"), {"q": "binh"})
    assert response.context["found"]["people"] == []


def test_the_top_navigation_links_the_area(client_for, hr):
    response = client_for(hr).get(reverse("campaigns:list"))
    text = response.text
    link = f'href="{reverse("awards:index")}"'
    assert link in text
    assert text.index("Khối thi đua") < text.index(link) < text.index("Đơn vị, cá nhân")


# --- A person's history -----------------------------------------------------------------


def test_it_shows_a_persons_awards_by_year_with_ratings_initiatives_and_discipline(
    client_for, hr, org, person
):
    dec = decision(org.x, "125/QĐ-X")
    record("CSTDCS", 2023, person=person, decision=dec)
    record("LDTT", 2023, person=person, decision=dec)
    record(
        "CSTDCS",
        2021,
        person=person,
        is_imported=True,
        decision_number="45/QĐ-X",
        decision_date=datetime.date(2021, 12, 30),
    )
    record(
        "GIAY_KHEN",
        2022,
        person=person,
        track=Track.ADHOC,
        revoked_on=datetime.date(2024, 5, 2),
        revocation_reason="Khai man thành tích",
    )
    TaskRating.objects.create(person=person, year=2023, rating=Rating.EXCELLENT)
    initiative = Initiative.objects.create(
        title="Số hóa hồ sơ kiểm toán", unit=org.x1, year=2023, scope=Scope.GRASSROOTS
    )
    initiative.authors.add(person)
    DisciplineRecord.objects.create(
        person=person, form=DisciplineForm.REPRIMAND, start_date=datetime.date(2019, 3, 1)
    )
    response = client_for(hr).get(reverse("awards:person_history", args=[person.pk]))
    assert response.status_code == 200
    years = [(g.year, len(g.awards)) for g in response.context["years"]]
    assert years == [(2023, 2), (2022, 1), (2021, 1)]
    text = response.text
    assert "125/QĐ-X" in text and "20/12/2024" in text
    assert "45/QĐ-X" in text and "30/12/2021" in text
    assert "Đã thu hồi" in text and "Khai man thành tích" in text
    assert "02/05/2024" in text  # the revocation's date, day and month zero-padded
    assert "Đột xuất" in text
    assert "Hoàn thành xuất sắc nhiệm vụ" in text
    assert "Số hóa hồ sơ kiểm toán" in text
    assert "Khiển trách" in text


def test_a_focal_point_sees_the_history_of_a_person_of_their_unit(client_for, focal_x1, person):
    response = client_for(focal_x1).get(reverse("awards:person_history", args=[person.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("persona", ["focal_x2", "focal_y", "hr_y"])
def test_another_units_user_gets_404_for_a_persons_history(client_for, request, persona, person):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(reverse("awards:person_history", args=[person.pk]))
    assert response.status_code == 404


def test_a_persons_history_exports_to_excel(client_for, hr, org, person):
    import io

    from openpyxl import load_workbook

    record("CSTDCS", 2023, person=person, decision=decision(org.x, "7/QĐ-X"))
    response = client_for(hr).get(
        reverse("awards:person_history", args=[person.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][0] == "Năm"
    assert rows[1][0] == 2023
    assert "7/QĐ-X" in rows[1]


def test_another_units_user_cannot_export_a_persons_history(client_for, focal_y, person):
    response = client_for(focal_y).get(
        reverse("awards:person_history", args=[person.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 404


# --- A unit's history -------------------------------------------------------------------------


def test_it_shows_a_units_awards_and_its_peoples_awards_by_year_and_type(client_for, hr, org):
    this_year = datetime.date.today().year
    record("TTLDXS", this_year - 1, unit=org.x1)
    a = PersonFactory(unit=org.x1)
    b = PersonFactory(unit=org.x1a)  # a sub-unit's people count too
    other = PersonFactory(unit=org.x2)
    record("LDTT", this_year - 1, person=a)
    record("LDTT", this_year - 1, person=b)
    record("CSTDCS", this_year - 1, person=a)
    record("LDTT", this_year - 2, person=a)
    record("LDTT", this_year - 1, person=other)  # another department: not counted
    record("CSTDCS", this_year - 2, person=b, revoked_on=datetime.date.today())  # revoked
    record("LDTT", this_year - 20, person=a)  # older than the summary's years
    response = client_for(hr).get(reverse("awards:unit_history", args=[org.x1.pk]))
    assert response.status_code == 200
    assert [r.award_type.code for r in response.context["awards"]] == ["TTLDXS"]
    summary = response.context["summary"]
    codes = [c.code for c in summary["columns"]]
    table = {
        row.year: {codes[i]: cell.count for i, cell in enumerate(row.cells)}
        for row in summary["rows"]
    }
    assert table[this_year - 1]["LDTT"] == 2
    assert table[this_year - 1]["CSTDCS"] == 1
    assert table[this_year - 2] == {c: (1 if c == "LDTT" else 0) for c in codes}
    assert this_year - 20 not in table
    assert summary["total"] == 4


def test_a_focal_point_sees_their_units_history_but_not_the_body_above(client_for, focal_x1, org):
    client = client_for(focal_x1)
    assert client.get(reverse("awards:unit_history", args=[org.x1.pk])).status_code == 200
    assert client.get(reverse("awards:unit_history", args=[org.x.pk])).status_code == 404
    assert client.get(reverse("awards:unit_history", args=[org.x2.pk])).status_code == 404


def test_another_bodys_user_gets_404_for_a_units_history(client_for, focal_y, org):
    client = client_for(focal_y)
    assert client.get(reverse("awards:unit_history", args=[org.x.pk])).status_code == 404
    url = reverse("awards:unit_people_awards", args=[org.x.pk])
    assert client.get(url).status_code == 404
    assert client.get(url, {"format": "xlsx"}).status_code == 404


def test_the_unit_people_list_filters_by_year_and_type(client_for, hr, org):
    a, b = PersonFactory(unit=org.x1), PersonFactory(unit=org.x2)
    cstdcs = record("CSTDCS", 2023, person=a)
    record("LDTT", 2023, person=a)
    record("CSTDCS", 2022, person=b)
    url = reverse("awards:unit_people_awards", args=[org.x.pk])
    response = client_for(hr).get(url, {"year": 2023, "award_type": cstdcs.award_type_id})
    assert [r.pk for r in response.context["page"]] == [cstdcs.pk]
    assert response.context["award_type"] == cstdcs.award_type
    response = client_for(hr).get(url, {"year": "abc"})
    assert response.status_code == 200  # a bad filter shows the whole list and the error
    assert len(response.context["page"]) == 3
    assert "aria-invalid" in response.text


@pytest.mark.parametrize("award_type", [str(10**30), "2147483648", "-1"])
def test_an_award_type_past_the_id_range_is_a_field_error_not_a_500(
    client_for, hr, org, award_type
):
    # Found by the filter fuzzer: SQLite raised OverflowError on 10**30.
    url = reverse("awards:unit_people_awards", args=[org.x.pk])
    response = client_for(hr).get(url, {"award_type": award_type})
    assert response.status_code == 200
    assert response.context["award_type"] is None


def test_the_unit_people_list_exports_every_row(client_for, hr, org, settings):
    import io

    from openpyxl import load_workbook

    settings.PAGE_SIZE = 2
    for person in [PersonFactory(unit=org.x1) for _ in range(5)]:
        record("LDTT", 2024, person=person)
    url = reverse("awards:unit_people_awards", args=[org.x.pk])
    assert len(client_for(hr).get(url).context["page"]) == 2
    response = client_for(hr).get(url, {"format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert len(rows) == 6
    assert rows[0][:4] == ("Năm", "Họ và tên", "Mã cán bộ", "Đơn vị")
