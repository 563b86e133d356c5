"""The admin's URLs × personas: the admin half of the authorization matrix.

Every URL pattern under ``/admin/`` (walked from the resolver, named or not) is
requested by every persona of ``admin_matrix.ADMIN_PERSONAS`` with the objects of
``admin_matrix`` (X's, Y's, the superuser's account, a central bloc, shared reference
rows), and the outcome compared with ``admin_matrix.expected()``. No response of a
body's administrator holds a byte of the other body's marker, and the rows its lists,
autocompletes and raw-id popups offer are all their own body's. Every refused POST
(an escalating payload to every change, delete, password and old-version page out of
reach) leaves every table as it was; inside their own body, the administrators' forms
still save.

Reproduce: ``.venv/bin/pytest tests/security/test_admin_matrix.py -q``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from campaigns.models import Unit
from pledges.models import Bloc, BlocYear
from tests.security.admin_forms import admin_form_data
from tests.security.admin_matrix import (
    ADMIN_PERSONAS,
    APP_INDEX,
    MODEL_VIEWS,
    MODELS,
    NON_STAFF,
    OBJECT_VIEWS,
    SCOPED,
    SITE_VIEWS,
    STAFF_HOME,
    AdminWorld,
    build_admin_world,
    expected,
    foreign_markers,
)
from tests.security.matrix_world import World

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}


@pytest.fixture(autouse=True)
def _test_settings(settings, matrix_world: World) -> None:
    """As in test_authorization_matrix: the module's media, fast hashers, Vietnamese."""
    settings.MEDIA_ROOT = matrix_world.media_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "vi"


@pytest.fixture(scope="module")
def admin_world(matrix_world: World, django_db_blocker) -> Iterator[AdminWorld]:
    """The admin's accounts and objects, inside the matrix world's module transaction."""
    with django_db_blocker.unblock():
        built = build_admin_world(matrix_world)
        for persona, user in built.users.items():
            client = Client()
            client.force_login(user)
            matrix_world.session_keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    yield built


# The walk -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AdminRoute:
    view: str  # a key of MODEL_VIEWS, SITE_VIEWS, or "app_list"
    label: str | None  # the model ("app.model") of a model's page
    name: str | None  # the route's name, None for the unnamed patterns
    pattern: str


def _patterns(resolver: URLResolver, prefix: str) -> Iterator[tuple[str, str | None]]:
    for entry in resolver.url_patterns:
        pattern = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _patterns(entry, pattern)
        elif isinstance(entry, URLPattern) and pattern.startswith("admin/"):
            yield pattern, entry.name


_LABELS = {
    f"{model._meta.app_label}_{model._meta.model_name}": model._meta.label_lower
    for model in admin.site._registry
}
_REDIRECT = re.compile(r"admin/(\w+)/(\w+)/<path:object_id>/")


def _classify(pattern: str, name: str | None) -> AdminRoute:
    if name in SITE_VIEWS or name == "app_list":
        return AdminRoute(name, None, name, pattern)
    if name is None and pattern.endswith("(?P<url>.*)$"):
        return AdminRoute("catch_all", None, None, pattern)
    if name is None and (match := _REDIRECT.fullmatch(pattern)):
        return AdminRoute("redirect", f"{match[1]}.{match[2]}", None, pattern)
    if name == "auth_user_password_change":
        return AdminRoute("password_change", "auth.user", name, pattern)
    for view in sorted(MODEL_VIEWS, key=len, reverse=True):
        prefix = (name or "").removesuffix(f"_{view}")
        if prefix != name and prefix in _LABELS:
            return AdminRoute(view, _LABELS[prefix], name, pattern)
    raise AssertionError(f"admin pattern {pattern!r} ({name}) has no expectation: add it")


ROUTES = [_classify(pattern, name) for pattern, name in _patterns(get_resolver(), "")]
MODEL_ROUTES = [r for r in ROUTES if r.label is not None]
SITE_ROUTES = [r for r in ROUTES if r.label is None and r.view != "app_list"]


def test_the_walk_knows_every_admin_pattern_and_model() -> None:
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(MODELS), (
        f"registered without a row: {sorted(registered - set(MODELS))}; "
        f"rows without a model: {sorted(set(MODELS) - registered)}"
    )
    for label in MODELS:
        views = {r.view for r in MODEL_ROUTES if r.label == label}
        assert {"changelist", "add", "change", "delete", "history", "redirect"} <= views, label
    assert {r.view for r in SITE_ROUTES} == set(SITE_VIEWS)
    assert any(r.view == "app_list" for r in ROUTES)


# Requests ---------------------------------------------------------------------------------------


def client_of(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[persona]
    return client


def outcome_of(response: HttpResponse) -> Any:
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("admin:login")):
            return "admin_login"
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "login"
        return 302
    return response.status_code


def assert_no_leak(response: HttpResponse, persona: str, what: str) -> None:
    for marker in foreign_markers(persona):
        assert marker.encode() not in response.content, f"{what}: {persona} sees {marker!r}"


def _version(obj: models.Model) -> int:
    return obj.history.latest("history_date").history_id  # type: ignore[attr-defined]


def url_of(route: AdminRoute, obj: models.Model | None) -> str:
    if route.view == "redirect":
        app, model = route.label.split(".")  # type: ignore[union-attr]
        return f"/admin/{app}/{model}/{obj.pk}/"  # type: ignore[union-attr]
    if route.view == "simple_history":
        return reverse(f"admin:{route.name}", args=[obj.pk, _version(obj)])  # type: ignore[union-attr]
    if route.view in OBJECT_VIEWS:
        return reverse(f"admin:{route.name}", args=[obj.pk])  # type: ignore[union-attr]
    return reverse(f"admin:{route.name}")


def _model_cases() -> Iterator[Any]:
    for route in MODEL_ROUTES:
        spec = MODELS[route.label]  # type: ignore[index]
        sides = spec.sides if route.view in OBJECT_VIEWS else spec.sides[:1]
        for index, side in enumerate(sides):
            # Without staff status every URL is the login's: tried on the first object.
            personas = ADMIN_PERSONAS if index == 0 else tuple(STAFF_HOME)
            for persona in personas:
                yield pytest.param(
                    route, side, persona, id=f"{route.label}-{route.view}-{side}-{persona}"
                )


MODEL_CASES = list(_model_cases())


@pytest.mark.parametrize(("route", "side", "persona"), MODEL_CASES)
def test_model_page(admin_world: AdminWorld, route: AdminRoute, side: str, persona: str) -> None:
    spec = MODELS[route.label]  # type: ignore[index]
    obj = admin_world.objects[(route.label, side)] if route.view in OBJECT_VIEWS else None
    url = url_of(route, obj)
    response = client_of(admin_world.world, persona).get(url)
    got = outcome_of(response)
    want = expected(persona, spec, route.view, side)
    assert got == want, f"GET {url} ({side}) as {persona}: {got}, expected {want}"
    assert_no_leak(response, persona, f"GET {url}")


def _site_url(admin_world: AdminWorld, view: str) -> str:
    if view == "catch_all":
        return "/admin/khong-co-trang-nay/"
    if view == "view_on_site":
        person = admin_world.world.x.person
        return reverse(
            "admin:view_on_site", args=[ContentType.objects.get_for_model(person).pk, person.pk]
        )
    return reverse(f"admin:{view}")


@pytest.mark.parametrize("persona", ADMIN_PERSONAS)
@pytest.mark.parametrize("view", sorted(SITE_VIEWS))
def test_site_page(admin_world: AdminWorld, view: str, persona: str) -> None:
    url = _site_url(admin_world, view)
    response = client_of(admin_world.world, persona).get(url)
    non_staff, staff = SITE_VIEWS[view]
    want = staff if persona in STAFF_HOME else non_staff
    assert outcome_of(response) == want, f"GET {url} as {persona}: {outcome_of(response)}"
    assert_no_leak(response, persona, f"GET {url}")


APP_LABELS = sorted(APP_INDEX)


def test_the_app_indexes_are_the_registered_apps() -> None:
    assert set(APP_LABELS) == {model._meta.app_label for model in admin.site._registry}


@pytest.mark.parametrize("persona", ADMIN_PERSONAS)
@pytest.mark.parametrize("app_label", APP_LABELS)
def test_app_index(admin_world: AdminWorld, app_label: str, persona: str) -> None:
    url = reverse("admin:app_list", args=[app_label])
    response = client_of(admin_world.world, persona).get(url)
    if persona in NON_STAFF:
        want: Any = "admin_login"
    else:
        want = 200 if persona in APP_INDEX[app_label] else 404
    assert outcome_of(response) == want, f"GET {url} as {persona}: {outcome_of(response)}"
    assert_no_leak(response, persona, f"GET {url}")


# What the lists, autocompletes and popups offer -----------------------------------------------


def _body(world: World, tag: str) -> Unit:
    return world.side(tag).body


def _own_units(world: World, tag: str) -> set[int]:
    body = _body(world, tag)
    return set(Unit.objects.filter(path__startswith=body.path).values_list("pk", flat=True))


def _own_users(world: World, tag: str) -> set[int]:
    """Accounts tied to the side's body only: a plain reading of the policy, in Python."""
    units = _own_units(world, tag)
    own = set()
    for user in User.objects.filter(is_staff=False, is_superuser=False):
        roles = {r.unit_id for r in user.role_assignments.all()}
        seats = {s.bloc.organiser_id for s in user.bloc_secretariats.select_related("bloc")}
        councils = {s.body_id for s in user.council_sessions.all()}
        ties = roles | seats | councils
        if roles and ties <= units:
            own.add(user.pk)
    return own


def _own_rows(world: World, model: type[models.Model], tag: str) -> set[int] | None:
    """The rows of ``model`` the side's administrator may be offered (None: no oracle here)."""
    units = _own_units(world, tag)
    if model is Unit:
        return units
    if model is User:
        return _own_users(world, tag)
    if model is Bloc:
        return set(Bloc.objects.filter(organiser__in=units).values_list("pk", flat=True))
    if model is BlocYear:
        return set(BlocYear.objects.filter(bloc__organiser__in=units).values_list("pk", flat=True))
    return None


def _autocomplete_sources() -> list[tuple[str, str, str]]:
    found = set()
    for model, model_admin in admin.site._registry.items():
        for holder, fields in [(model, model_admin.autocomplete_fields)] + [
            (inline.model, inline.autocomplete_fields) for inline in model_admin.inlines
        ]:
            for field in fields:
                found.add((holder._meta.app_label, holder._meta.model_name, field))
    return sorted(found)


AUTOCOMPLETE_SOURCES = _autocomplete_sources()


def test_the_walk_finds_the_autocomplete_fields() -> None:
    assert len(AUTOCOMPLETE_SOURCES) >= 6, AUTOCOMPLETE_SOURCES


@pytest.mark.parametrize("term", ["", "QZ", "Cơ quan"])
@pytest.mark.parametrize("persona", ADMIN_PERSONAS)
@pytest.mark.parametrize("source", AUTOCOMPLETE_SOURCES, ids="-".join)
def test_autocomplete(admin_world: AdminWorld, source, persona: str, term: str) -> None:
    app_label, model_name, field_name = source
    query = f"app_label={app_label}&model_name={model_name}&field_name={field_name}&term={term}"
    url = f"{reverse('admin:autocomplete')}?{query}"
    response = client_of(admin_world.world, persona).get(url)
    remote = apps.get_model(app_label, model_name)._meta.get_field(field_name).related_model
    if persona in NON_STAFF:
        assert outcome_of(response) == "admin_login"
        return
    home = STAFF_HOME[persona]
    if persona != "admin_user" and home is None:
        assert response.status_code == 403, url  # staff without a grant reach no row
        return
    assert response.status_code == 200, url
    assert_no_leak(response, persona, f"GET {url}")
    if home is not None:
        ids = {int(result["id"]) for result in json.loads(response.content)["results"]}
        allowed = _own_rows(admin_world.world, remote, home)
        assert allowed is not None, remote
        assert ids <= allowed, f"{url} as {persona} offers {sorted(ids - allowed)}"


@pytest.mark.parametrize("persona", ["body_admin", "body_admin_y"])
@pytest.mark.parametrize("label", sorted(key for key, s in MODELS.items() if s.policy == SCOPED))
@pytest.mark.parametrize("query", ["", "?_to_field=id&_popup=1", "?q=QZ", "?all="])
def test_lists_and_popups_offer_only_the_own_body(
    admin_world: AdminWorld, label: str, persona: str, query: str
) -> None:
    """The changelist (also the raw-id popup and a search) of a body's administrator."""
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist") + query
    response = client_of(admin_world.world, persona).get(url)
    assert response.status_code == 200, url
    assert_no_leak(response, persona, f"GET {url}")
    home = STAFF_HOME[persona]
    shown = {obj.pk for obj in response.context["cl"].result_list}
    own = admin_world.objects[(label, home)]
    if not query.startswith("?q="):
        assert own.pk in shown, f"{url}: {persona} does not see their own row"
    allowed = _own_rows(admin_world.world, apps.get_model(label), home)
    if allowed is not None:
        assert shown <= allowed, f"{url} as {persona} lists {sorted(shown - allowed)}"


def test_the_leak_probe_sees_what_is_there(admin_world: AdminWorld) -> None:
    """The marker search is not vacuous: X's administrator sees X's marker, the superuser both."""
    url = reverse("admin:campaigns_person_changelist") + "?all="
    mine = client_of(admin_world.world, "body_admin").get(url).content
    assert b"QZXALPHA" in mine
    both = client_of(admin_world.world, "admin_user").get(url).content
    assert b"QZXALPHA" in both and b"QZYBRAVO" in both


# POSTs -----------------------------------------------------------------------------------------

_TABLES = sorted(
    {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in ("campaigns", "pledges", "awards", "reports", "auth", "axes")
    }
)
_COUNTS_SQL = "SELECT " + ", ".join(  # noqa: S608
    f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})"  # noqa: S608
    for table in _TABLES
)


def snapshot(obj: models.Model | None) -> tuple:
    """Row counts of every table of the apps, auth and axes; the object as stored."""
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL)
        counts = cursor.fetchone()
    if obj is None:
        return counts, None
    stored = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    if isinstance(obj, User):
        stored["groups"] = sorted(obj.groups.values_list("pk", flat=True))
        stored["perms"] = sorted(obj.user_permissions.values_list("pk", flat=True))
    return counts, stored


def _hostile(world: AdminWorld) -> dict[str, Any]:
    """Every field a page out of reach could take, set to take over or to move a row."""
    x, y = world.world.x, world.world.y
    return {
        "post": "yes",
        "is_superuser": "on",
        "is_staff": "on",
        "user_permissions": [
            str(pk) for pk in Permission.objects.values_list("pk", flat=True)[:20]
        ],
        "password1": "Chiem-quyen-2026!",
        "password2": "Chiem-quyen-2026!",
        "name": "Đã chiếm",
        "full_name": "Đã chiếm",
        "unit": str(x.dept.pk),
        "parent": str(x.body.pk),
        "organiser": str(x.body.pk),
        "issuing_unit": str(y.body.pk),
        "user": str(world.users["body_admin"].pk),
        "role": "administrator",
    }


POST_VIEWS = ("add", "change", "delete", "password_change", "simple_history")


def _refused_post_cases() -> Iterator[Any]:
    for route in MODEL_ROUTES:
        if route.view not in POST_VIEWS:
            continue
        spec = MODELS[route.label]  # type: ignore[index]
        sides = spec.sides if route.view in OBJECT_VIEWS else spec.sides[:1]
        for index, side in enumerate(sides):
            for persona in ADMIN_PERSONAS:
                if persona in NON_STAFF and index:
                    continue
                refused = expected(persona, spec, route.view, side) in (403, 404, "admin_login")
                # A revert is a superuser's only: refused even on one's own rows.
                revert = route.view == "simple_history" and persona != "admin_user"
                if refused or revert:
                    yield pytest.param(
                        route, side, persona, id=f"{route.label}-{route.view}-{side}-{persona}"
                    )


REFUSED_POST_CASES = list(_refused_post_cases())


@pytest.mark.parametrize(("route", "side", "persona"), REFUSED_POST_CASES)
def test_refused_post_changes_nothing(
    admin_world: AdminWorld, route: AdminRoute, side: str, persona: str
) -> None:
    obj = admin_world.objects[(route.label, side)] if route.view in OBJECT_VIEWS else None
    url = url_of(route, obj)
    before = snapshot(obj)
    response = client_of(admin_world.world, persona).post(url, _hostile(admin_world))
    got = outcome_of(response)
    if persona in NON_STAFF:
        assert got == "admin_login", f"POST {url} as {persona}: {got}"
    else:
        assert got in (403, 404), f"POST {url} ({side}) as {persona}: {got}"
    assert_no_leak(response, persona, f"POST {url}")
    assert snapshot(obj) == before, f"refused POST {url} ({side}) as {persona} changed data"


SAVE_CASES = [
    pytest.param(label, persona, id=f"{label}-{persona}")
    for label, spec in MODELS.items()
    if spec.policy == SCOPED
    for persona in ("body_admin", "body_admin_y")
]


@pytest.mark.parametrize(("label", "persona"), SAVE_CASES)
def test_an_administrator_saves_their_own_bodys_rows(
    admin_world: AdminWorld, label: str, persona: str
) -> None:
    """The page as shown, sent back: saved (302), inside the scope."""
    obj = admin_world.objects[(label, STAFF_HOME[persona])]
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_change", args=[obj.pk])
    client = client_of(admin_world.world, persona)
    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, admin_form_data(page))
    errors = response.context and response.context.get("errors")
    assert response.status_code == 302, f"POST {url} as {persona}: {response.status_code} {errors}"
