"""The admin site is no way around scoping (issue 12; campaigns/admin_scope.py).

The body administrator of X (staff, ADMINISTRATOR for X, in the demo's administrators
group) tries, through /admin/: the superuser and staff flags, groups and permissions on
their own account and on others'; the superuser's pages; the users, people, units, role
assignments, blocs and campaigns of body Y (and accounts tied to both bodies); the
autocomplete and raw-id endpoints, history reverts and bulk deletes. Then the same
pages inside X's subtree, where the work succeeds. Every refusal leaves the database as
it was.
"""

from __future__ import annotations

import io
import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db.models import ForeignKey, ManyToManyField
from django.test import RequestFactory
from django.urls import reverse

from awards.models import CouncilSession, Exemplar
from campaigns import admin_scope
from campaigns.demo import administrators_group
from campaigns.models import Person, Role, RoleAssignment, Unit
from pledges.models import Bloc, BlocSecretariat
from tests.factories import (
    BlocFactory,
    BlocMembershipFactory,
    BlocSecretariatFactory,
    BlocYearFactory,
    CampaignFactory,
    PersonFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)
from tests.security.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

SUPERUSER_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")


def _staff_admin(username: str, unit: Unit, group: Group | None = None) -> User:
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(group or administrators_group())
    RoleFactory(user=user, role=Role.ADMINISTRATOR, unit=unit)
    return user


@pytest.fixture
def admin_x(org) -> User:
    return _staff_admin("quantri.x", org.x)


@pytest.fixture
def admin_y(org) -> User:
    return _staff_admin("quantri.y", org.y)


@pytest.fixture
def world(org, admin_x, admin_y, admin_user, focal_x1, focal_y, secretary):
    """X's and Y's people, accounts and blocs; an account tied to both bodies."""
    both = UserFactory(username="hai.noi")
    RoleFactory(user=both, role=Role.FOCAL_POINT, unit=org.x1)
    RoleFactory(user=both, role=Role.FOCAL_POINT, unit=org.y)
    y1 = UnitFactory(code="Y1", name="Vụ Y1", parent=org.y)
    bloc_x = BlocFactory(name="Khối nội bộ X", organiser=org.x)
    BlocMembershipFactory(bloc=bloc_x, unit=org.x1)
    bloc_y = BlocFactory(name="Khối nội bộ Y", organiser=org.y)
    return {
        "org": org,
        "admin_x": admin_x,
        "admin_y": admin_y,
        "superuser": admin_user,
        "focal_x1": focal_x1,
        "focal_y": focal_y,
        "secretary": secretary,
        "both": both,
        "y1": y1,
        "person_x": PersonFactory(unit=org.x1, full_name="Nguyễn Văn Xuân"),
        "person_y": PersonFactory(unit=y1, full_name="Trần Thị Yến"),
        "role_x": RoleAssignment.objects.get(user=focal_x1),
        "role_y": RoleAssignment.objects.get(user=focal_y),
        "bloc_x": bloc_x,
        "bloc_y": bloc_y,
        "year_y": BlocYearFactory(bloc=bloc_y, year=2025, leader=org.y),
        "campaign_y": CampaignFactory(issuing_unit=org.y, name="Phong trào của Y"),
    }


def _flags(user: User) -> tuple:
    user.refresh_from_db()
    return (
        user.is_superuser,
        user.is_staff,
        sorted(user.groups.values_list("pk", flat=True)),
        sorted(user.user_permissions.values_list("pk", flat=True)),
        user.password,
    )


def _escalation(group: Group) -> dict:
    every = [str(pk) for pk in Permission.objects.values_list("pk", flat=True)[:50]]
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "groups": [str(group.pk)],
        "user_permissions": every,
    }


# The flags -------------------------------------------------------------------------------------


def test_the_administrators_own_account_is_out_of_reach(client_for, world):
    me = world["admin_x"]
    client = client_for(me)
    before = _flags(me)
    url = reverse("admin:auth_user_change", args=[me.pk])
    assert client.get(url).status_code == 404
    data = {"username": me.username, **_escalation(me.groups.get())}
    assert client.post(url, data).status_code == 404
    assert client.get(reverse("admin:auth_user_password_change", args=[me.pk])).status_code == 404
    assert _flags(me) == before
    # Their own password they change on Django's own page, as any staff user.
    assert client.get(reverse("admin:password_change")).status_code == 200


def test_a_managed_accounts_form_has_no_flag_group_or_permission(client_for, world):
    client = client_for(world["admin_x"])
    response = client.get(reverse("admin:auth_user_change", args=[world["focal_x1"].pk]))
    assert response.status_code == 200
    fields = response.context["adminform"].form.fields
    assert not set(SUPERUSER_FIELDS) & set(fields), sorted(fields)
    for name in SUPERUSER_FIELDS:
        assert f'name="{name}"' not in response.text


def test_flags_posted_for_a_managed_account_change_nothing(client_for, world):
    target = world["focal_x1"]
    client = client_for(world["admin_x"])
    url = reverse("admin:auth_user_change", args=[target.pk])
    data = admin_form_data(client.get(url))
    data |= {"first_name": "Tên mới"} | _escalation(world["admin_x"].groups.get())
    before = _flags(target)
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    target.refresh_from_db()
    assert target.first_name == "Tên mới"  # the form saved ...
    assert _flags(target) == before  # ... and ignored every flag, group and permission


def test_the_add_form_makes_no_staff_and_no_orphan(client_for, world):
    client = client_for(world["admin_x"])
    url = reverse("admin:auth_user_add")
    form_page = client.get(url)
    assert form_page.status_code == 200
    assert not set(SUPERUSER_FIELDS) & set(form_page.context["adminform"].form.fields)
    data = {
        "username": "nguoi.moi",
        "usable_password": "true",
        "password1": "Thi-dua-khen-thuong-2026!",
        "password2": "Thi-dua-khen-thuong-2026!",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "1",
        "role_assignments-MAX_NUM_FORMS": "1000",
    } | _escalation(world["admin_x"].groups.get())
    # Without a role the account would belong to nobody's scope: refused.
    response = client.post(url, data)
    assert response.status_code == 200
    assert not User.objects.filter(username="nguoi.moi").exists()
    # A role in Y is no choice.
    y_role = {
        "role_assignments-0-role": Role.FOCAL_POINT,
        "role_assignments-0-unit": world["y1"].pk,
    }
    response = client.post(url, data | y_role)
    assert response.status_code == 200
    assert not User.objects.filter(username="nguoi.moi").exists()
    assert not RoleAssignment.objects.filter(unit=world["y1"]).exists()
    # A role in X: created, with no flag.
    x_role = {
        "role_assignments-0-role": Role.FOCAL_POINT,
        "role_assignments-0-unit": world["org"].x2.pk,
    }
    response = client.post(url, data | x_role)
    assert response.status_code == 302
    created = User.objects.get(username="nguoi.moi")
    assert (created.is_superuser, created.is_staff) == (False, False)
    assert not created.groups.exists() and not created.user_permissions.exists()
    assert list(created.role_assignments.values_list("unit", flat=True)) == [world["org"].x2.pk]


# The superuser and the other body ------------------------------------------------------------


@pytest.mark.parametrize("who", ["superuser", "admin_y", "focal_y", "both", "secretary"])
# Not "page": that name is pytest-playwright's fixture, and would make these browser tests.
@pytest.mark.parametrize("view", ["change", "password_change", "history", "delete"])
def test_accounts_out_of_reach_answer_404(client_for, world, who, view):
    target = world[who]
    before = _flags(target)
    client = client_for(world["admin_x"])
    url = reverse(f"admin:auth_user_{view}", args=[target.pk])
    # Without the delete permission a delete page is 403 for every account, found or not.
    assert client.get(url).status_code == (403 if view == "delete" else 404)
    post = {"password1": "Mat-khau-moi-2026!", "password2": "Mat-khau-moi-2026!"}
    post |= {"username": target.username, "post": "yes"} | _escalation(
        world["admin_x"].groups.get()
    )
    assert client.post(url, post).status_code in (403, 404)
    assert _flags(target) == before


def test_the_user_list_shows_only_accounts_tied_to_x_alone(client_for, world):
    response = client_for(world["admin_x"]).get(reverse("admin:auth_user_changelist"))
    assert response.status_code == 200
    shown = set(response.context["cl"].result_list.values_list("username", flat=True))
    assert shown == {"focal_x1"}


def test_a_council_seat_in_y_takes_an_account_out_of_x_reach(client_for, world, org):
    session = CouncilSession.objects.create(body=org.y, title="Phiên Y", held_on="2025-12-01")
    session.members.add(world["focal_x1"])
    url = reverse("admin:auth_user_change", args=[world["focal_x1"].pk])
    assert client_for(world["admin_x"]).get(url).status_code == 404


def test_a_bloc_secretariat_counts_where_the_bloc_is_organised(client_for, world):
    seat = BlocSecretariatFactory(bloc=world["bloc_x"], user=UserFactory(username="thuky.x"))
    client = client_for(world["admin_x"])
    url = reverse("admin:auth_user_change", args=[seat.user.pk])
    assert client.get(url).status_code == 200  # a seat in X's own bloc: X's account
    BlocSecretariat.objects.create(bloc=world["bloc_y"], user=seat.user)
    assert client.get(url).status_code == 404  # and a seat in Y's too: not X's alone
    # A central bloc (no organising body) is nobody's subtree: its secretary is a
    # superuser's to manage.
    url = reverse("admin:auth_user_change", args=[world["secretary"].pk])
    assert client.get(url).status_code == 404


def test_an_account_tied_by_a_seat_only_saves(client_for, world):
    """The secretary of X's own bloc, with no role, is X's account: its form saves without
    asking for a role (only a new account must get one)."""
    seat = BlocSecretariatFactory(bloc=world["bloc_x"], user=UserFactory(username="thuky.x"))
    client = client_for(world["admin_x"])
    url = reverse("admin:auth_user_change", args=[seat.user.pk])
    data = admin_form_data(client.get(url))
    response = client.post(url, data | {"first_name": "Thư ký"})
    assert response.status_code == 302
    seat.user.refresh_from_db()
    assert seat.user.first_name == "Thư ký"


def test_removing_an_accounts_last_role_is_refused_and_rolled_back(client_for, world):
    """Without its role the account would belong to no one's scope (and the change itself
    would be lost from the administrator's sight): refused, nothing saved."""
    group = world["admin_x"].groups.get()
    group.permissions.add(Permission.objects.get(codename="delete_roleassignment"))
    target = world["focal_x1"]
    client = client_for(world["admin_x"])
    url = reverse("admin:auth_user_change", args=[target.pk])
    data = admin_form_data(client.get(url))
    data |= {"first_name": "Đổi tên", "role_assignments-0-DELETE": "on"}
    assert client.post(url, data).status_code == 403
    target.refresh_from_db()
    assert target.first_name == "focal_x1"
    assert target.role_assignments.count() == 1


@pytest.mark.parametrize(
    ("model", "key"),
    [
        ("campaigns_person", "person_y"),
        ("campaigns_unit", "y1"),
        ("campaigns_roleassignment", "role_y"),
        ("campaigns_campaign", "campaign_y"),
        ("pledges_bloc", "bloc_y"),
        ("pledges_blocyear", "year_y"),
    ],
)
@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_y_records_answer_404(client_for, world, model, key, view):
    obj = world[key]
    stored = type(obj)._default_manager.filter(pk=obj.pk).values().get()
    client = client_for(world["admin_x"])
    url = reverse(f"admin:{model}_{view}", args=[obj.pk])
    assert client.get(url).status_code == (403 if view == "delete" else 404)
    assert client.post(url, {"post": "yes", "name": "Đã sửa"}).status_code in (403, 404)
    assert type(obj)._default_manager.filter(pk=obj.pk).values().get() == stored


def test_y_records_are_absent_from_the_lists(client_for, world):
    client = client_for(world["admin_x"])

    def listed(model: str, query: str = "") -> set:
        response = client.get(reverse(f"admin:{model}_changelist") + query)
        assert response.status_code == 200
        return {obj.pk for obj in response.context["cl"].result_list}

    org = world["org"]
    assert listed("campaigns_unit") == {org.x.pk, org.x1.pk, org.x1a.pk, org.x2.pk}
    assert world["person_y"].pk not in listed("campaigns_person")
    assert world["person_x"].pk in listed("campaigns_person")
    assert listed("campaigns_person", "?q=Yến") == set()
    # X's roles, also the X role of an account that holds one in Y (X's to revoke);
    # never Y's, nor an administrator's own grant.
    both_in_x = RoleAssignment.objects.get(user=world["both"], unit=org.x1)
    assert listed("campaigns_roleassignment") == {world["role_x"].pk, both_in_x.pk}
    assert listed("pledges_bloc") == {world["bloc_x"].pk}
    assert listed("pledges_blocyear") == set()
    # The raw-id lookup popup is the changelist: the same rows.
    assert listed("campaigns_unit", "?_to_field=id&_popup=1") == listed("campaigns_unit")


def test_the_index_lists_no_group_and_no_login_log(client_for, world):
    client = client_for(world["admin_x"])
    response = client.get(reverse("admin:index"))
    labels = {
        (app["app_label"], model["object_name"])
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert ("auth", "User") in labels and ("campaigns", "Unit") in labels
    assert ("auth", "Group") not in labels
    assert not {app for app, _ in labels} & {"axes"}
    group = world["admin_x"].groups.get()
    for url in [
        reverse("admin:auth_group_changelist"),
        reverse("admin:auth_group_add"),
        reverse("admin:auth_group_change", args=[group.pk]),
        reverse("admin:axes_accessattempt_changelist"),
    ]:
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("admin:app_list", args=["axes"])).status_code == 404


# Forms inside X: choices of X only ------------------------------------------------------------


def test_a_role_cannot_be_moved_to_y_or_given_to_an_account_out_of_reach(client_for, world):
    role = world["role_x"]
    client = client_for(world["admin_x"])
    url = reverse("admin:campaigns_roleassignment_change", args=[role.pk])
    data = admin_form_data(client.get(url))
    for change in (
        {"unit": world["y1"].pk},
        {"user": world["admin_y"].pk},
        {"user": world["superuser"].pk},
    ):
        response = client.post(url, data | change)
        assert response.status_code == 200, change
        assert response.context["adminform"].form.errors, change
    role.refresh_from_db()
    assert (role.user, role.unit) == (world["focal_x1"], world["org"].x1)
    # Inside X it moves.
    response = client.post(url, data | {"unit": world["org"].x2.pk})
    assert response.status_code == 302
    role.refresh_from_db()
    assert role.unit == world["org"].x2


def test_a_unit_cannot_be_moved_out_of_the_subtree(client_for, world):
    org = world["org"]
    client = client_for(world["admin_x"])
    url = reverse("admin:campaigns_unit_change", args=[org.x1.pk])
    data = admin_form_data(client.get(url))
    for parent in (org.y.pk, ""):
        response = client.post(url, data | {"parent": parent})
        assert response.status_code == 200, parent
    org.x1.refresh_from_db()
    assert org.x1.parent == org.x
    assert client.post(url, data | {"parent": org.x2.pk}).status_code == 302
    org.x1.refresh_from_db()
    assert org.x1.parent == org.x2
    # The top of the subtree keeps the place a superuser gave it.
    top = client.get(reverse("admin:campaigns_unit_change", args=[org.x.pk]))
    assert "parent" not in top.context["adminform"].form.fields


def test_a_person_moves_inside_x_only(client_for, world):
    person = world["person_x"]
    client = client_for(world["admin_x"])
    url = reverse("admin:campaigns_person_change", args=[person.pk])
    data = admin_form_data(client.get(url))
    assert client.post(url, data | {"unit": world["y1"].pk}).status_code == 200
    person.refresh_from_db()
    assert person.unit == world["org"].x1
    assert client.post(url, data | {"position": "Trưởng phòng"}).status_code == 302
    person.refresh_from_db()
    assert person.position == "Trưởng phòng"


def test_a_bloc_keeps_its_organiser_inside_x(client_for, world):
    bloc = world["bloc_x"]
    client = client_for(world["admin_x"])
    url = reverse("admin:pledges_bloc_change", args=[bloc.pk])
    data = admin_form_data(client.get(url))
    for organiser in (world["org"].y.pk, ""):
        assert client.post(url, data | {"organiser": organiser}).status_code == 200
    bloc.refresh_from_db()
    assert bloc.organiser == world["org"].x
    assert client.post(url, data | {"short_name": "Khối X"}).status_code == 302
    assert Bloc.objects.get(pk=bloc.pk).short_name == "Khối X"


def test_a_record_that_already_points_outside_still_saves(client_for, world):
    """A member of another body in X's bloc (set by a superuser) stays on an untouched form."""
    bloc = world["bloc_x"]
    BlocMembershipFactory(bloc=bloc, unit=world["org"].y)
    client = client_for(world["admin_x"])
    url = reverse("admin:pledges_bloc_change", args=[bloc.pk])
    data = admin_form_data(client.get(url))
    assert client.post(url, data | {"short_name": "Khối X"}).status_code == 302
    assert set(bloc.memberships.values_list("unit", flat=True)) == {
        world["org"].x1.pk,
        world["org"].y.pk,
    }


def test_a_save_that_leaves_the_scope_is_rolled_back(client_for, world):
    """An exemplar belongs to a person or a unit, both optional on the form: saved with
    neither, it would belong to nobody's subtree. The save is refused and undone."""
    group = world["admin_x"].groups.get()
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="awards", codename__endswith="exemplar")
    )
    client = client_for(world["admin_x"])
    data = {"headline": "Điển hình mồ côi", "story": "Không thuộc đơn vị nào", "year": "2025"}
    response = client.post(reverse("admin:awards_exemplar_add"), data)
    assert response.status_code == 403
    assert not Exemplar.objects.filter(headline="Điển hình mồ côi").exists()
    data |= {"person": world["person_x"].pk}
    assert client.post(reverse("admin:awards_exemplar_add"), data).status_code == 302
    assert Exemplar.objects.filter(headline="Điển hình mồ côi", person=world["person_x"]).exists()


# Autocomplete, history, bulk delete -----------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "term", "expected"),
    [
        ("app_label=pledges&model_name=blocmembership&field_name=unit", "", "x_units"),
        ("app_label=pledges&model_name=blocmembership&field_name=unit", "Y", "none"),
        ("app_label=pledges&model_name=blocsecretariat&field_name=user", "", "x_users"),
        ("app_label=pledges&model_name=bloc&field_name=organiser", "Cơ quan", "x_top"),
        ("app_label=pledges&model_name=pledge&field_name=bloc_year", "", "none"),
        ("app_label=awards&model_name=nomination&field_name=person", "", "x_people"),
    ],
)
def test_autocomplete_offers_x_only(client_for, world, source, term, expected):
    org = world["org"]
    wanted = {
        "x_units": {str(u.pk) for u in (org.x, org.x1, org.x1a, org.x2)},
        "x_top": {str(org.x.pk)},
        "x_users": {str(world["focal_x1"].pk)},
        "x_people": {str(world["person_x"].pk)},
        "none": set(),
    }[expected]
    url = f"{reverse('admin:autocomplete')}?{source}&term={term}"
    response = client_for(world["admin_x"]).get(url)
    assert response.status_code == 200
    assert {r["id"] for r in json.loads(response.content)["results"]} == wanted


def test_autocomplete_refuses_what_the_user_may_not_view(client_for, world, org):
    # Staff of X without the group's permissions: no view permission on units.
    bare = UserFactory(username="staff.bare", is_staff=True)
    RoleFactory(user=bare, role=Role.ADMINISTRATOR, unit=org.x)
    url = f"{reverse('admin:autocomplete')}?app_label=pledges&model_name=blocmembership&field_name=unit"
    assert client_for(bare).get(url).status_code == 403


def test_history_of_x_is_read_but_never_reverted_by_a_body_administrator(client_for, world):
    person = world["person_x"]
    person.position = "Trưởng phòng"
    person.save()
    first = person.history.earliest()
    client = client_for(world["admin_x"])
    assert (
        client.get(reverse("admin:campaigns_person_history", args=[person.pk])).status_code == 200
    )
    url = reverse("admin:campaigns_person_simple_history", args=[person.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"unit": person.unit_id, "full_name": "Đổi", "gender": ""}).status_code
        == 403
    )
    person.refresh_from_db()
    assert person.position == "Trưởng phòng"


def test_history_of_y_is_404_even_through_an_old_version(client_for, world):
    person = world["person_y"]
    version = person.history.earliest()
    client = client_for(world["admin_x"])
    url = reverse("admin:campaigns_person_simple_history", args=[person.pk, version.history_id])
    assert client.get(url).status_code == 404
    assert client.post(url, {"full_name": "Đổi"}).status_code == 404


def test_an_old_version_inside_x_does_not_bring_a_record_back_from_y(client_for, world):
    """A person moved from X to Y: X's old version of them is no door to Y's row."""
    person = world["person_x"]
    person.unit = world["y1"]
    person.save()
    version = person.history.order_by("history_date").first()
    assert version.unit_id == world["org"].x1.pk
    url = reverse("admin:campaigns_person_simple_history", args=[person.pk, version.history_id])
    assert client_for(world["admin_x"]).get(url).status_code == 404


def test_delete_selected_never_reaches_past_the_scope(client_for, world):
    """An administrator given delete rights too deletes only accounts they manage."""
    group = world["admin_x"].groups.get()
    group.permissions.add(
        *Permission.objects.filter(codename__in=["delete_user", "delete_roleassignment"])
    )
    victims = [world["superuser"], world["admin_y"], world["focal_y"], world["both"]]
    response = client_for(world["admin_x"]).post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [str(u.pk) for u in [*victims, world["focal_x1"]]],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert all(User.objects.filter(pk=u.pk).exists() for u in victims)
    assert not User.objects.filter(pk=world["focal_x1"].pk).exists()


def test_staff_without_an_administrator_grant_reach_nothing(client_for, org):
    hr_staff = UserFactory(username="hr.staff", is_staff=True)
    hr_staff.groups.add(administrators_group())
    RoleFactory(user=hr_staff, role=Role.HR_STAFF, unit=org.x)
    client = client_for(hr_staff)
    assert client.get(reverse("admin:index")).context["app_list"] == []
    for name in ("auth_user", "campaigns_unit", "campaigns_person", "pledges_bloc"):
        assert client.get(reverse(f"admin:{name}_changelist")).status_code == 403, name


# The classes --------------------------------------------------------------------------------


def test_every_registered_model_admin_has_a_policy():
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, admin_scope.AdminPolicy), model
        if isinstance(model_admin, admin_scope.ScopedModelAdmin):
            for inline in model_admin.inlines:
                assert issubclass(inline, admin_scope.ScopedInline), (model, inline)


def test_an_admin_registered_without_a_policy_is_superuser_only(org, admin_x, admin_user):
    site = admin_scope.ThiDuaAdminSite(name="probe")

    class PlainAdmin(admin.ModelAdmin):
        pass

    site.register(Person, PlainAdmin)
    model_admin = site.get_model_admin(Person)
    request = RequestFactory().get("/")
    request.user = admin_x
    admin_x.user_permissions.add(*Permission.objects.filter(content_type__app_label="campaigns"))
    admin_x = User.objects.get(pk=admin_x.pk)
    request.user = admin_x
    assert not model_admin.has_module_permission(request)
    assert not model_admin.has_view_permission(request)
    request.user = admin_user
    assert model_admin.has_view_permission(request)


def _relations(model_admin) -> list:
    models_ = [model_admin.model] + [inline.model for inline in model_admin.inlines]
    readonly = set(model_admin.readonly_fields)
    found = []
    for model in models_:
        for field in model._meta.get_fields():
            if isinstance(field, ForeignKey | ManyToManyField) and field.editable:
                if model is model_admin.model and field.name in readonly:
                    continue
                found.append(field)
    return found


def test_every_relation_on_a_scoped_form_has_a_known_scope():
    """A relation to a model with no declared owner would offer nothing (or, worse,
    everything): say who owns it (``scope_related``) or register it with a policy."""
    unknown = []
    for model_admin in admin.site._registry.values():
        if not isinstance(model_admin, admin_scope.ScopedModelAdmin):
            continue
        for field in _relations(model_admin):
            target = field.remote_field.model
            related_admin = admin.site._registry.get(target)
            known = (
                isinstance(
                    related_admin, admin_scope.ScopedModelAdmin | admin_scope.ReferenceDataAdmin
                )
                or target in admin_scope._RELATED_SCOPES
                or field.name
                in {
                    "created_by",
                    "recorded_by",
                    "submitted_by",
                    "reviewed_by",
                    "issued_by",
                    "amended_by",
                    "uploaded_by",
                    "by",
                }
                or target in (Group, Permission)
            )
            if not known:
                unknown.append(f"{field.model.__name__}.{field.name} → {target.__name__}")
    assert not unknown, unknown


def test_the_secretariat_tie_counts_a_central_bloc_as_outside(world):
    """The exclusion of a seat in a bloc with no organiser (a NULL join) works."""
    request = RequestFactory().get("/")
    request.user = world["admin_x"]
    managed = User.objects.filter(admin_scope.managed_users_q(world["admin_x"]))
    RoleFactory(user=world["secretary"], role=Role.FOCAL_POINT, unit=world["org"].x1)
    assert world["secretary"] not in managed
    assert world["focal_x1"] in managed


# The demo --------------------------------------------------------------------------------------


def test_the_demo_administrator_is_scoped_staff_and_the_superuser_is_printed_as_such(client):
    out = io.StringIO()
    call_command("load_demo", "--allow-without-debug", stdout=out)
    printed = out.getvalue()
    quantri = User.objects.get(username="quantri")
    assert quantri.is_staff and not quantri.is_superuser
    assert "superuser" in next(
        line for line in printed.splitlines() if line.strip().startswith("admin ")
    )
    line = next(line for line in printed.splitlines() if line.strip().startswith("quantri "))
    assert "không phải superuser" in line
    perms = {
        f"{p.content_type.app_label}.{p.codename}"
        for p in Permission.objects.filter(group__user=quantri)
    }
    assert "auth.change_user" in perms
    assert not {p for p in perms if p.startswith("auth.") and not p.endswith("_user")}
    assert not {p for p in perms if ".delete_" in p}
    client.force_login(quantri)
    units = client.get(reverse("admin:campaigns_unit_changelist") + "?all=")
    codes = {u.code for u in units.context["cl"].result_list}
    assert "KTNN" in codes and "KTNN-KV1-P1" in codes
    assert not any(code.startswith(("TCHQ", "VKSNDTC", "TTCP")) for code in codes)
    superuser = User.objects.get(username="admin")
    assert (
        client.get(reverse("admin:auth_user_password_change", args=[superuser.pk])).status_code
        == 404
    )
    users = client.get(reverse("admin:auth_user_changelist") + "?all=")
    names = {u.username for u in users.context["cl"].result_list}
    assert "canbo.tdkt" in names and "daumoi.haiquan" not in names
    assert not names & {"admin", "quantri"}
    person = Person.objects.filter(unit__code="TCHQ-HN").first()
    assert client.get(reverse("admin:campaigns_person_change", args=[person.pk])).status_code == 404
