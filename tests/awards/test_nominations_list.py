"""The nominations list: scoped to the user, filtered, searched without diacritics,
paginated, and read in a number of queries that does not grow with its rows."""

from __future__ import annotations

from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import NominationStatus
from tests.awards.factories import NominationFactory
from tests.factories import PersonFactory
from tests.versions import version_of

from .nomination_setup import collective_title, individual_title, make_round, person_of

pytestmark = pytest.mark.django_db

_names = count(1)


def nominate(award_round, unit, *, name=None, status=NominationStatus.SUBMITTED, **fields):
    person = PersonFactory(unit=unit, full_name=name or f"Nguyễn Văn Số {next(_names)}")
    fields.setdefault("award_type", individual_title())
    return NominationFactory(
        round=award_round, proposing_unit=unit, person=person, status=status, **fields
    )


def listed(client, **params):
    response = client.get(reverse("awards:nomination_list"), params)
    assert response.status_code == 200
    return response, [n.pk for n in response.context["page"]]


def test_each_user_sees_the_nominations_of_their_scope(
    client_for, focal_x1, focal_x2, hr, focal_y, org
):
    award_round = make_round(org)
    of_x1 = nominate(award_round, org.x1)
    of_x1a = nominate(award_round, org.x1a)
    of_x2 = nominate(award_round, org.x2)
    assert set(listed(client_for(focal_x1))[1]) == {of_x1.pk, of_x1a.pk}
    assert set(listed(client_for(focal_x2))[1]) == {of_x2.pk}
    assert set(listed(client_for(hr))[1]) == {of_x1.pk, of_x1a.pk, of_x2.pk}
    assert listed(client_for(focal_y))[1] == []


def test_it_searches_nominee_names_ignoring_diacritics_and_case(client_for, hr, org):
    award_round = make_round(org)
    hang = nominate(award_round, org.x1, name="Đặng Thị Hằng")
    nominate(award_round, org.x1, name="Lê Văn Tám")
    team = NominationFactory(
        round=award_round,
        proposing_unit=org.x1,
        person=None,
        unit=org.x1a,
        award_type=collective_title(),
    )
    client = client_for(hr)
    assert listed(client, q="dang thi hang")[1] == [hang.pk]
    assert listed(client, q="ĐẶNG hằng")[1] == [hang.pk]
    assert listed(client, q="phong x1a")[1] == [team.pk]
    assert listed(client, q="khong ai")[1] == []


def test_it_filters_by_round_year_status_title_and_unit(client_for, hr, org):
    this_year = make_round(org)
    last_year = make_round(org, name="Năm 2024", year=2024)
    title, other_title = individual_title(), individual_title(name="Lao động tiên tiến")
    a = nominate(this_year, org.x1, award_type=title)
    b = nominate(this_year, org.x2, award_type=other_title, status=NominationStatus.RETURNED)
    c = nominate(last_year, org.x1a, award_type=title, status=NominationStatus.ACCEPTED)
    client = client_for(hr)
    assert set(listed(client, round=this_year.pk)[1]) == {a.pk, b.pk}
    assert listed(client, year=2024)[1] == [c.pk]
    assert listed(client, status="returned")[1] == [b.pk]
    assert set(listed(client, award_type=title.pk)[1]) == {a.pk, c.pk}
    assert set(listed(client, unit=org.x1.pk)[1]) == {a.pk, c.pk}  # X1 and X1A below it
    assert listed(client, unit=org.x1.pk, status="accepted", year=2024)[1] == [c.pk]


def test_the_filters_show_the_chosen_options_selected_and_names_escaped(client_for, hr, org):
    award_round = make_round(org, name="Đợt <2025> & bổ sung")
    nominate(award_round, org.x1)
    response = client_for(hr).get(
        reverse("awards:nomination_list"),
        {"round": award_round.pk, "status": "submitted", "unit": org.x1.pk},
    )
    html = response.content.decode()
    assert (
        f'<option value="{award_round.pk}" selected>Đợt &lt;2025&gt; &amp; bổ sung</option>' in html
    )
    assert '<option value="submitted" selected>' in html
    assert f'<option value="{org.x1.pk}" selected>' in html
    assert '<option value="" selected>' not in html.split('name="status"')[1].split("</select>")[0]
    # Without filters the statuses' "all" is the one selected.
    html = client_for(hr).get(reverse("awards:nomination_list")).content.decode()
    assert '<option value="" selected>' in html.split('name="status"')[1].split("</select>")[0]
    assert " selected>" not in html.split('name="round"')[1].split("</select>")[0]


@pytest.mark.parametrize(
    ("field", "value"),
    [("year", "abc"), ("year", "20255"), ("status", "bogus"), ("round", "x"), ("unit", "999999")],
)
def test_bad_filters_are_explained_and_the_list_still_shows(client_for, hr, org, field, value):
    nomination = nominate(make_round(org), org.x1)
    response, pks = listed(client_for(hr), **{field: value})
    assert field in response.context["form"].errors
    assert 'aria-invalid="true"' in response.content.decode()
    assert pks == [nomination.pk]


def test_a_round_of_another_body_is_no_filter_choice(client_for, focal_x1, org):
    foreign = make_round(org, body=org.y, name="Đợt của Y")
    response, _pks = listed(client_for(focal_x1), round=foreign.pk)
    assert "round" in response.context["form"].errors
    assert "Đợt của Y" not in response.content.decode()


def test_it_paginates(client_for, hr, org, settings):
    settings.PAGE_SIZE = 2
    award_round = make_round(org)
    for _ in range(5):
        nominate(award_round, org.x1)
    response, first = listed(client_for(hr))
    assert len(first) == 2
    assert response.context["page"].paginator.count == 5
    _response, last = listed(client_for(hr), page=3)
    assert len(last) == 1


# --- query counts


N = 3


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["hr", "focal_x1"])
@pytest.mark.parametrize("params", [{}, {"q": "nguyen", "status": "submitted", "year": "2025"}])
def test_the_list_reads_a_fixed_number_of_queries(client_for, org, persona, params, request):
    client = client_for(request.getfixturevalue(persona))
    award_round = make_round(org)
    url = reverse("awards:nomination_list")

    def add(n):
        for i in range(n):
            nominate(award_round, org.x1a if i % 2 else org.x1)
            NominationFactory(
                round=award_round,
                proposing_unit=org.x1,
                person=None,
                unit=org.x1a,
                award_type=collective_title(),
                status=NominationStatus.SUBMITTED,
            )

    add(N)
    client.get(url, params)  # warm per-process caches
    with_n = queries(client, url, params)
    add(2 * N)
    with_3n = queries(client, url, params)
    assert with_3n == with_n, f"{with_n} queries with {N} rows, {with_3n} with {3 * N}"
    assert with_3n <= 12


def test_the_round_page_reads_a_fixed_number_of_queries(client_for, hr, org):
    client = client_for(hr)
    award_round = make_round(org)
    url = reverse("awards:round_detail", args=[award_round.pk])

    def add(n):
        for i in range(n):
            nominate(award_round, org.x2 if i % 2 else org.x1)

    add(N)
    client.get(url)
    with_n = queries(client, url)
    add(2 * N)
    assert queries(client, url) == with_n
    assert with_n <= 12


def test_the_nomination_page_reads_a_fixed_number_of_queries(client_for, hr, focal_x1, org):
    from awards import nomination_services as services
    from tests.awards.factories import DossierFileFactory

    client = client_for(hr)
    award_round = make_round(org)
    nomination = NominationFactory(
        round=award_round,
        proposing_unit=org.x1,
        person=person_of(org.x1),
        status=NominationStatus.DRAFT,
    )
    url = reverse("awards:nomination_detail", args=[nomination.pk])

    def add(n):
        for _ in range(n):
            DossierFileFactory(nomination=nomination, uploaded_by=focal_x1)
            services.nomination_update(
                nomination=nomination,
                by=focal_x1,
                expected_version=int(version_of(nomination)),
                award_type=nomination.award_type,
                person=nomination.person,
                achievement_summary="Cập nhật",
            )

    add(N)
    client.get(url)
    with_n = queries(client, url)
    add(2 * N)
    assert queries(client, url) == with_n


# --- naming the rows


def _row_of(html, name):
    return html.split(name, 1)[1].split("</tr>", 1)[0]


def test_each_row_names_its_title_proposing_unit_and_round(client_for, hr, org):
    award_round = make_round(org, name="Đợt thi đua <2025>")
    nomination = nominate(award_round, org.x1a, name="Trần Thị Dòng")
    html = client_for(hr).get(reverse("awards:nomination_list")).content.decode()
    row = _row_of(html, "Trần Thị Dòng")
    assert f"<td>{nomination.award_type.name}</td>" in row
    assert f"<td>{org.x1a.short_name or org.x1a.name}</td>" in row
    assert "<td>Đợt thi đua &lt;2025&gt;</td>" in row
    # The round's own page names them too, without the round column.
    url = reverse("awards:round_detail", args=[award_round.pk])
    row = _row_of(client_for(hr).get(url).content.decode(), "Trần Thị Dòng")
    assert f"<td>{nomination.award_type.name}</td>" in row
    assert f"<td>{org.x1a.short_name or org.x1a.name}</td>" in row
    assert "Đợt thi đua" not in row


def test_rows_take_their_names_from_the_pages_lists_and_read_only_what_they_lack(org):
    from awards.nomination_selectors import name_rows, nomination_rows

    award_round = make_round(org, name="Đợt 2025")
    of_x1 = nominate(award_round, org.x1)
    of_x2 = nominate(award_round, org.x2)
    rows = list(nomination_rows().filter(pk__in=[of_x1.pk, of_x2.pk]).order_by("pk"))
    titles = {n.award_type_id: n.award_type.name for n in (of_x1, of_x2)}
    with CaptureQueriesContext(connection) as captured:
        name_rows(
            rows,
            rounds={award_round.pk: "tên từ bộ lọc"},
            award_types=titles,
            units={org.x1.pk: "X1 từ bộ lọc"},  # X2 is not in the list: read
        )
    assert len(captured) == 1
    assert [n.round_name for n in rows] == ["tên từ bộ lọc"] * 2
    assert [n.award_type_name for n in rows] == [titles[n.award_type_id] for n in rows]
    assert [n.proposing_unit_name for n in rows] == [
        "X1 từ bộ lọc",
        org.x2.short_name or org.x2.name,
    ]
    with CaptureQueriesContext(connection) as captured:
        name_rows(rows)  # nothing at hand: one query per kind, whatever the rows
    assert len(captured) == 3
    assert rows[0].round_name == "Đợt 2025"
