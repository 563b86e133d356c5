"""Task ratings, discipline and initiatives of a unit and year, which the rules read
(Law 06/2022/QH15 Art. 23–28: ratings for LĐTT/CSTĐCS, no member disciplined for the
collective titles, initiatives with their scope). HR staff of the body change them;
the unit's focal point reads them; another body's user gets 404.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from awards import records_services as services
from awards.models import (
    DisciplineForm,
    DisciplineRecord,
    Initiative,
    InitiativeKind,
    Rating,
    Scope,
    TaskRating,
)
from campaigns.errors import DomainError
from campaigns.models import Role
from tests.awards.factories import (
    DisciplineRecordFactory,
    InitiativeFactory,
    RegistrationFactory,
    TaskRatingFactory,
)
from tests.awards.records_setup import assert_flat, person
from tests.factories import PersonFactory, RoleFactory, UserFactory
from tests.versions import version_of

pytestmark = pytest.mark.django_db

YEAR = 2024


def url(name: str, *args) -> str:
    return reverse(f"awards:{name}", args=args)


@pytest.fixture
def staff(org):
    return {
        "an": person(org.x1, "Nguyễn Văn An", "X1-001"),
        "binh": person(org.x1a, "Trần Thị Bình", "X1A-001"),
        "cuong": person(org.x2, "Lê Văn Cường", "X2-001"),
    }


# Who may -------------------------------------------------------------------------------------

PAGES = [
    ("records_unit", True),
    ("records_ratings", True),
    ("records_discipline", True),
    ("records_initiatives", True),
    ("records_initiative_create", True),
]


def test_body_is_the_nearest_body_above(org):
    assert services.body_of(org.x1a) == org.x
    assert services.body_of(org.x) == org.x


@pytest.mark.parametrize("name", ["hr", "focal_x1", "leader", "council", "admin_user"])
@pytest.mark.parametrize(
    "view", ["records_unit", "records_ratings", "records_discipline", "records_initiatives"]
)
def test_roles_over_the_unit_read_its_records(client_for, request, org, staff, name, view):
    client = client_for(request.getfixturevalue(name))
    assert client.get(url(view, org.x1.pk, YEAR)).status_code == 200


@pytest.mark.parametrize("name", ["focal_x2", "focal_y", "hr_y"])
@pytest.mark.parametrize(
    ("view", "method"),
    [
        ("records_unit", "get"),
        ("records_ratings", "get"),
        ("records_ratings", "post"),
        ("records_discipline", "get"),
        ("records_discipline", "post"),
        ("records_initiatives", "get"),
        ("records_initiative_create", "get"),
        ("records_initiative_create", "post"),
    ],
)
def test_another_units_user_gets_404(client_for, request, org, name, view, method):
    client = client_for(request.getfixturevalue(name))
    assert getattr(client, method)(url(view, org.x1.pk, YEAR)).status_code == 404


@pytest.mark.parametrize(
    ("view", "method"),
    [
        ("records_ratings", "post"),
        ("records_discipline", "post"),
        ("records_initiative_create", "get"),
        ("records_initiative_create", "post"),
    ],
)
@pytest.mark.parametrize("name", ["focal_x1", "leader", "council"])
def test_only_hr_of_the_body_changes_records(client_for, request, org, staff, view, method, name):
    client = client_for(request.getfixturevalue(name))
    assert getattr(client, method)(url(view, org.x1.pk, YEAR)).status_code == 403
    assert not TaskRating.objects.exists() and not Initiative.objects.exists()


def test_hr_of_a_department_may_read_but_not_change(client_for, org):
    dept_hr = UserFactory(username="hr_x1")
    RoleFactory(user=dept_hr, role=Role.HR_STAFF, unit=org.x1)
    client = client_for(dept_hr)
    assert client.get(url("records_ratings", org.x1.pk, YEAR)).status_code == 200
    assert client.post(url("records_ratings", org.x1.pk, YEAR)).status_code == 403


def test_initiative_of_another_unit_is_404_on_the_edit_page(client_for, hr, org):
    other = InitiativeFactory(unit=org.x2, year=YEAR)
    response = client_for(hr).get(url("records_initiative_edit", org.x1.pk, YEAR, other.pk))
    assert response.status_code == 404


@pytest.mark.parametrize("year", [1800, 3000])
def test_a_year_out_of_range_is_404(client_for, hr, org, year):
    assert client_for(hr).get(url("records_unit", org.x1.pk, year)).status_code == 404


def test_records_home_goes_to_the_unit_page(client_for, focal_x1, org):
    client = client_for(focal_x1)
    response = client.get(url("records_home"), {"unit": org.x1.pk, "year": YEAR})
    assert response.url == url("records_unit", org.x1.pk, YEAR)
    response = client.get(url("records_home"), {"unit": org.x2.pk, "year": "năm nay"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"unit", "year"}
    assert not response.context["can_import_history"]


# Ratings -------------------------------------------------------------------------------------


def ratings_data(rows, unit_rating="") -> dict:
    data = {
        "unit-rating": unit_rating,
        "ratings-TOTAL_FORMS": str(len(rows)),
        "ratings-INITIAL_FORMS": str(len(rows)),
        "ratings-MIN_NUM_FORMS": "0",
        "ratings-MAX_NUM_FORMS": "1000",
    }
    for index, (person_pk, rating) in enumerate(rows):
        data[f"ratings-{index}-person"] = person_pk
        data[f"ratings-{index}-rating"] = rating
    return data


def test_hr_rates_the_unit_and_its_people(client_for, hr, org, staff):
    client = client_for(hr)
    page = client.get(url("records_ratings", org.x1.pk, YEAR))
    listed = [p.full_name for _f, p, _l in page.context["rows"]]
    assert listed == ["Nguyễn Văn An", "Trần Thị Bình"]  # X1 then X1A; not X2
    response = client.post(
        url("records_ratings", org.x1.pk, YEAR),
        ratings_data(
            [(staff["an"].pk, Rating.EXCELLENT), (staff["binh"].pk, Rating.GOOD)],
            unit_rating=Rating.GOOD,
        ),
    )
    assert response.status_code == 302
    ratings = dict(
        TaskRating.objects.filter(year=YEAR, person__isnull=False).values_list(
            "person__full_name", "rating"
        )
    )
    assert ratings == {"Nguyễn Văn An": "excellent", "Trần Thị Bình": "good"}
    assert TaskRating.objects.get(unit=org.x1, year=YEAR).rating == Rating.GOOD
    assert set(TaskRating.history.values_list("history_user__username", flat=True)) == {"hr"}

    # Changing one and clearing another; the cleared one stays in the history. The page
    # sends back the version of each rating it showed.
    shown = {
        f"ratings-{i}-version": version_of(TaskRating.objects.get(person=staff[name], year=YEAR))
        for i, name in enumerate(["an", "binh"])
    }
    shown["unit-version"] = version_of(TaskRating.objects.get(unit=org.x1, year=YEAR))
    client.post(
        url("records_ratings", org.x1.pk, YEAR),
        ratings_data([(staff["an"].pk, Rating.GOOD), (staff["binh"].pk, "")], Rating.GOOD) | shown,
    )
    assert dict(
        TaskRating.objects.filter(person__isnull=False).values_list("person_id", "rating")
    ) == {staff["an"].pk: "good"}
    assert TaskRating.history.filter(history_type="-", person_id=staff["binh"].pk).exists()


def test_the_focal_point_sees_ratings_read_only(client_for, focal_x1, org, staff):
    TaskRatingFactory(person=staff["an"], year=YEAR, rating=Rating.EXCELLENT)
    page = client_for(focal_x1).get(url("records_ratings", org.x1.pk, YEAR)).content.decode()
    assert "Hoàn thành xuất sắc nhiệm vụ" in page
    assert "<select" not in page


@pytest.mark.parametrize(
    "case", ["bad_rating", "bad_unit_rating", "other_unit", "unknown", "twice"]
)
def test_ratings_page_rejects_bad_input(client_for, hr, org, staff, case):
    rows = [(staff["an"].pk, Rating.GOOD)]
    unit_rating = ""
    if case == "bad_rating":
        rows = [(staff["an"].pk, "perfect")]
    elif case == "bad_unit_rating":
        unit_rating = "perfect"
    elif case == "other_unit":
        rows = [(staff["cuong"].pk, Rating.GOOD)]
    elif case == "unknown":
        rows = [("abc", Rating.GOOD)]
    elif case == "twice":
        rows = [(staff["an"].pk, Rating.GOOD), (staff["an"].pk, Rating.EXCELLENT)]
    response = client_for(hr).post(
        url("records_ratings", org.x1.pk, YEAR), ratings_data(rows, unit_rating)
    )
    assert response.status_code == 200
    assert not TaskRating.objects.exists()


def test_rating_service_refuses_someone_outside_the_unit(hr, org, staff):
    with pytest.raises(DomainError, match="không thuộc"):
        services.ratings_save(
            unit=org.x1,
            year=YEAR,
            by=hr,
            unit_rating=None,
            person_ratings={staff["cuong"]: Rating.GOOD},
        )


def test_ratings_page_query_count_does_not_grow(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            TaskRatingFactory(person=PersonFactory(unit=org.x1), year=YEAR)

    assert_flat(client_for(hr), url("records_ratings", org.x1.pk, YEAR), add)


def test_ratings_are_paged(client_for, hr, org, monkeypatch):
    from awards import records_views

    monkeypatch.setattr(records_views, "RATING_PAGE_SIZE", 2)
    for n in range(5):
        PersonFactory(unit=org.x1, full_name=f"Người số {n}")
    page = client_for(hr).get(url("records_ratings", org.x1.pk, YEAR), {"page": 3})
    assert [p.full_name for _f, p, _l in page.context["rows"]] == ["Người số 4"]


# Discipline ----------------------------------------------------------------------------------


def discipline_data(rows, initial=0) -> dict:
    data = {
        "discipline-TOTAL_FORMS": str(len(rows)),
        "discipline-INITIAL_FORMS": str(initial),
        "discipline-MIN_NUM_FORMS": "0",
        "discipline-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"discipline-{index}-{key}"] = value
    return data


def test_hr_records_discipline(client_for, hr, org, staff):
    response = client_for(hr).post(
        url("records_discipline", org.x1.pk, YEAR),
        discipline_data(
            [
                {
                    "person": staff["binh"].pk,
                    "form": DisciplineForm.WARNING,
                    "start_date": "2024-05-01",
                    "end_date": "2025-04-30",
                    "decision": "  Quyết định số 7/QĐ-X  ",
                }
            ]
        ),
    )
    assert response.status_code == 302
    record = DisciplineRecord.objects.get()
    assert record.person == staff["binh"] and record.decision == "Quyết định số 7/QĐ-X"
    assert record.history.get().history_user.username == "hr"


def test_discipline_of_the_year_is_listed_and_removable(client_for, hr, focal_x1, org, staff):
    current = DisciplineRecordFactory(
        person=staff["an"],
        start_date=datetime.date(2023, 6, 1),
        end_date=datetime.date(2024, 5, 31),
    )
    DisciplineRecordFactory(
        person=staff["an"],
        start_date=datetime.date(2021, 1, 1),
        end_date=datetime.date(2021, 12, 31),
    )
    DisciplineRecordFactory(person=staff["cuong"], start_date=datetime.date(2024, 1, 1))
    page = client_for(focal_x1).get(url("records_discipline", org.x1.pk, YEAR))
    assert [r.pk for r in page.context["records"]] == [current.pk]

    client = client_for(hr)
    forms = client.get(url("records_discipline", org.x1.pk, YEAR)).context["formset"].forms
    assert [f.instance.pk for f in forms] == [current.pk]
    response = client.post(
        url("records_discipline", org.x1.pk, YEAR),
        discipline_data(
            [
                {
                    "id": current.pk,
                    "person": staff["an"].pk,
                    "form": current.form,
                    "start_date": "2023-06-01",
                    "end_date": "2024-05-31",
                    "decision": current.decision,
                    "DELETE": "on",
                    "version": version_of(current),
                }
            ],
            initial=1,
        ),
    )
    assert response.status_code == 302
    assert not DisciplineRecord.objects.filter(pk=current.pk).exists()
    assert DisciplineRecord.history.filter(id=current.pk, history_type="-").exists()


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"form": "warning", "start_date": "2024-05-01"}, "person"),
        ({"person": "AN", "start_date": "2024-05-01"}, "form"),
        ({"person": "AN", "form": "scolding", "start_date": "2024-05-01"}, "form"),
        ({"person": "AN", "form": "warning"}, "start_date"),
        ({"person": "AN", "form": "warning", "start_date": "ngày mai"}, "start_date"),
        (
            {
                "person": "AN",
                "form": "warning",
                "start_date": "2024-05-01",
                "end_date": "2024-01-01",
            },
            "end_date",
        ),
        (
            {
                "person": "AN",
                "form": "warning",
                "start_date": "2022-01-01",
                "end_date": "2022-12-31",
            },
            "start_date",
        ),
        ({"person": "AN", "form": "warning", "start_date": "2025-01-01"}, "start_date"),
        ({"person": "CUONG", "form": "warning", "start_date": "2024-05-01"}, "person"),
        (
            {"person": "AN", "form": "warning", "start_date": "2024-05-01", "decision": "x" * 301},
            "decision",
        ),
    ],
)
def test_discipline_page_rejects_bad_input(client_for, hr, org, staff, row, field):
    names = {"AN": staff["an"].pk, "CUONG": staff["cuong"].pk}
    row = {k: names.get(v, v) if k == "person" else v for k, v in row.items()}
    response = client_for(hr).post(
        url("records_discipline", org.x1.pk, YEAR), discipline_data([row])
    )
    assert response.status_code == 200
    assert field in response.context["formset"].forms[0].errors
    assert not DisciplineRecord.objects.exists()


def test_discipline_page_query_count_does_not_grow(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            DisciplineRecordFactory(person=PersonFactory(unit=org.x1))

    assert_flat(client_for(hr), url("records_discipline", org.x1.pk, YEAR), add)


def test_discipline_read_only_query_count_does_not_grow(client_for, focal_x1, org):
    def add(count: int) -> None:
        for _ in range(count):
            DisciplineRecordFactory(person=PersonFactory(unit=org.x1))

    assert_flat(client_for(focal_x1), url("records_discipline", org.x1.pk, YEAR), add)


# Initiatives ---------------------------------------------------------------------------------


def initiative_data(org, staff, **changes) -> dict:
    data = {
        "kind": InitiativeKind.INITIATIVE,
        "title": "  Số hóa   hồ sơ thi đua  ",
        "unit": org.x1.pk,
        "year": YEAR,
        "scope": Scope.MINISTRY,
        "authors": [staff["an"].pk, staff["binh"].pk],
        "recognition": "Quyết định số 5/QĐ-HĐSK",
        "recognised_on": "2024-11-15",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_hr_records_an_initiative_with_its_authors(client_for, hr, org, staff):
    client = client_for(hr)
    response = client.post(
        url("records_initiative_create", org.x1.pk, YEAR), initiative_data(org, staff)
    )
    assert response.url == url("records_initiatives", org.x1.pk, YEAR)
    initiative = Initiative.objects.get()
    assert initiative.title == "Số hóa hồ sơ thi đua"
    assert set(initiative.authors.all()) == {staff["an"], staff["binh"]}
    assert initiative.history.get().history_user.username == "hr"

    response = client.post(
        url("records_initiative_edit", org.x1.pk, YEAR, initiative.pk),
        initiative_data(org, staff, scope=Scope.NATIONAL, authors=[staff["an"].pk])
        | {"version": version_of(initiative)},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.scope == Scope.NATIONAL
    assert list(initiative.authors.all()) == [staff["an"]]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": None}, "title"),
        ({"authors": None}, "authors"),
        ({"authors": ["CUONG"]}, "authors"),
        ({"unit": "X1A", "authors": ["AN"]}, "authors"),
        ({"unit": "X2"}, "unit"),
        ({"scope": "galactic"}, "scope"),
        ({"kind": "poem"}, "kind"),
        ({"year": 1800}, "year"),
        ({"year": "năm ngoái"}, "year"),
        ({"recognised_on": "2023-11-15"}, "recognised_on"),
        ({"recognised_on": "15/13/2024"}, "recognised_on"),
    ],
)
def test_initiative_form_rejects_bad_input(client_for, hr, org, staff, changes, field):
    names = {"AN": staff["an"].pk, "CUONG": staff["cuong"].pk, "X1A": org.x1a.pk, "X2": org.x2.pk}
    changes = {
        k: ([names.get(a, a) for a in v] if isinstance(v, list) else names.get(v, v))
        if v is not None
        else None
        for k, v in changes.items()
    }
    response = client_for(hr).post(
        url("records_initiative_create", org.x1.pk, YEAR), initiative_data(org, staff, **changes)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Initiative.objects.exists()


def test_initiative_service_refuses_authors_outside_its_unit(hr, org, staff):
    initiative = Initiative(title="Cải tiến", unit=org.x1a, year=YEAR, scope=Scope.GRASSROOTS)
    with pytest.raises(DomainError, match="không thuộc"):
        services.initiative_save(
            by=hr, initiative=initiative, authors=[staff["an"]], scope_unit=org.x1
        )
    with pytest.raises(DomainError, match="ít nhất một tác giả"):
        services.initiative_save(by=hr, initiative=initiative, authors=[], scope_unit=org.x1)


def test_initiatives_list_query_count_does_not_grow(client_for, focal_x1, org):
    def add(count: int) -> None:
        for _ in range(count):
            author = PersonFactory(unit=org.x1)
            InitiativeFactory(unit=org.x1, year=YEAR, authors=[author, PersonFactory(unit=org.x1)])

    assert_flat(client_for(focal_x1), url("records_initiatives", org.x1.pk, YEAR), add)


def test_unit_page_query_count_does_not_grow(client_for, hr, org):
    def add(count: int) -> None:
        for _ in range(count):
            someone = PersonFactory(unit=org.x1)
            TaskRatingFactory(person=someone, year=YEAR)
            DisciplineRecordFactory(person=someone)
            InitiativeFactory(unit=org.x1, year=YEAR, authors=[someone])

    assert_flat(client_for(hr), url("records_unit", org.x1.pk, YEAR), add)


# Admin ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        ("taskrating", lambda org, s: TaskRatingFactory(person=s["an"], year=YEAR)),
        ("disciplinerecord", lambda org, s: DisciplineRecordFactory(person=s["an"])),
        ("initiative", lambda org, s: InitiativeFactory(unit=org.x1, authors=[s["an"]])),
        ("registration", lambda org, s: RegistrationFactory(unit=org.x1)),
    ],
)
def test_admin_lists_and_edits_but_never_deletes(
    client_for, admin_user, org, staff, model, factory
):
    obj = factory(org, staff)
    client = client_for(admin_user)
    assert client.get(reverse(f"admin:awards_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:awards_{model}_change", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:awards_{model}_history", args=[obj.pk])).status_code == 200
    assert client.get(reverse(f"admin:awards_{model}_delete", args=[obj.pk])).status_code == 403
