"""The route × persona authorization matrix, generated from the URL configuration.

Every named route (``matrix_routes.named_routes()``, walked from the resolver) is
requested by every persona with the ids of body X's objects and compared with the
row of ``matrix.TABLE``; a route without a row, or a row without a route, fails.
Every object route is then tried from the other side: Y's personas with X's ids,
X's personas with Y's ids; never a 200, and never a byte of the other side's data
(``matrix_world.MARKER``) in the body. A POST-only route also gets an empty POST;
whoever is refused it must leave every row of the project's tables as it was.

Reproduce: ``.venv/bin/pytest tests/security/test_authorization_matrix.py -q``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import reverse

from tests.security.matrix import ARGUMENTS, TABLE, Expect, Outcome
from tests.security.matrix_routes import Route, named_routes
from tests.security.matrix_world import MARKER, OTHER_SIDE, PERSONAS, Side, World

ROUTES = named_routes()
NAMES = sorted(set(ROUTES) | set(TABLE))
# The side each persona belongs to; its responses must never show the other side's marker.
SIDE_OF = {
    "hr": "x",
    "focal_x1": "x",
    "secretary": "x",
    "leader": "x",
    "council": "x",
    "focal_y": "y",
    "secretary_b": "y",
    "hr_y": "y",
}
REFUSED = {403, 404, 405}
PROJECT_APPS = ("campaigns", "pledges", "awards", "reports")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _test_settings(settings, matrix_world: World) -> None:
    """tests/conftest.py's settings, with MEDIA_ROOT where the module's files were stored."""
    settings.MEDIA_ROOT = matrix_world.media_root
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "vi"
    # /healthz asks the broker and a worker only when one is configured.
    settings.REDIS_URL = ""


def _row(name: str) -> tuple[Route, Expect]:
    if name not in TABLE:
        pytest.fail(
            f"route {name!r} ({ROUTES[name].pattern}) has no row in tests/security/matrix.py "
            "TABLE: say who may reach it"
        )
    if name not in ROUTES:
        pytest.fail(f"TABLE row {name!r} names no route of the URL configuration: remove it")
    return ROUTES[name], TABLE[name]


def _value(side: Side, attr: str) -> Any:
    value = getattr(side, attr)
    return value.pk if isinstance(value, models.Model) else value


def url_of(route: Route, expect: Expect, side: Side) -> str:
    kwargs = {}
    for arg in route.kwargs:
        if arg == "pk":
            assert expect.obj, f"{route.name}: the row must name what <pk> is (obj=...)"
            kwargs[arg] = _value(side, expect.obj)
        else:
            assert arg in ARGUMENTS, f"{route.name}: argument <{arg}> has no meaning in ARGUMENTS"
            kwargs[arg] = _value(side, ARGUMENTS[arg])
    url = reverse(route.name, kwargs=kwargs)
    if expect.query:
        url += "?" + urlencode({key: _value(side, attr) for key, attr in expect.query.items()})
    return url


def client_of(world: World, persona: str) -> Client:
    client = Client()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    return client


def body_of(response: HttpResponse) -> bytes:
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    response.close()
    return content


def outcome_of(response: HttpResponse) -> Outcome:
    if response.status_code == 302:
        login = resolve_url(settings.LOGIN_URL)
        return "login" if response["Location"].startswith(login) else 302
    return response.status_code


def foreign_markers(persona: str) -> list[str]:
    """The markers a persona's responses must not contain."""
    if persona == "admin_user":
        return []
    if persona == "anonymous":
        return list(MARKER.values())
    return [marker for tag, marker in MARKER.items() if tag != SIDE_OF[persona]]


def snapshot(obj: models.Model | None) -> tuple[dict[str, int], dict[str, Any] | None]:
    """Row counts of every project table, and the route's object as stored."""
    counts = {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS
    }
    if obj is None:
        return counts, None
    stored = type(obj)._default_manager.filter(pk=obj.pk).values().first()
    return counts, stored


def assert_no_leak(content: bytes, persona: str, what: str) -> None:
    for marker in foreign_markers(persona):
        assert marker.encode() not in content, f"{what}: {persona} sees {marker!r} in the body"


def _request(client: Client, method: str, url: str) -> HttpResponse:
    return client.post(url, {}) if method == "POST" else client.get(url)


# The matrix: X's ids, every persona ------------------------------------------------------------

GET_CASES = [
    pytest.param(name, persona, id=f"{name}-{persona}") for name in NAMES for persona in PERSONAS
]
POST_CASES = [
    pytest.param(name, persona, id=f"{name}-{persona}")
    for name in NAMES
    if name in TABLE and TABLE[name].post is not None
    for persona in PERSONAS
]


def _check(world: World, name: str, persona: str, method: str) -> None:
    route, expect = _row(name)
    expected = (expect.post if method == "POST" else expect.get)[persona]
    url = url_of(route, expect, world.x)
    obj = getattr(world.x, expect.obj) if expect.obj else None
    before = snapshot(obj) if method == "POST" else None
    response = _request(client_of(world, persona), method, url)
    got = outcome_of(response)
    content = body_of(response)
    assert got == expected, f"{method} {url} as {persona}: {got}, table says {expected}"
    assert_no_leak(content, persona, f"{method} {url}")
    if before is not None and got in REFUSED:
        assert snapshot(obj) == before, f"refused {method} {url} as {persona} changed data"


@pytest.mark.parametrize(("name", "persona"), GET_CASES)
def test_get(matrix_world: World, name: str, persona: str) -> None:
    _check(matrix_world, name, persona, "GET")


@pytest.mark.parametrize(("name", "persona"), POST_CASES)
def test_empty_post(matrix_world: World, name: str, persona: str) -> None:
    _check(matrix_world, name, persona, "POST")


# The other side's ids --------------------------------------------------------------------------


def _is_object_route(name: str) -> bool:
    return bool(ROUTES[name].kwargs or TABLE[name].query) and not TABLE[name].shared


OTHER_SIDE_CASES = [
    pytest.param(name, owner, persona, id=f"{name}-{owner}-ids-{persona}")
    for name in NAMES
    if name in TABLE and name in ROUTES and _is_object_route(name)
    for owner in ("x", "y")
    for persona in OTHER_SIDE[owner]
]


@pytest.mark.parametrize(("name", "owner", "persona"), OTHER_SIDE_CASES)
def test_other_sides_ids(matrix_world: World, name: str, owner: str, persona: str) -> None:
    """Another unit's ids: refused (404 or 403), nothing of it in the body, nothing changed.

    A route whose ids travel only in the query string (htmx partials, search) may
    answer 200, with nothing of the other side in it.
    """
    route, expect = _row(name)
    side = matrix_world.side(owner)
    method = "POST" if expect.post is not None else "GET"
    url = url_of(route, expect, side)
    obj = getattr(side, expect.obj) if expect.obj else None
    before = snapshot(obj) if method == "POST" else None
    response = _request(client_of(matrix_world, persona), method, url)
    got = outcome_of(response)
    content = body_of(response)
    assert side.marker.encode() not in content, f"{method} {url}: {persona} sees {owner}'s data"
    if route.kwargs:
        assert got in (403, 404), f"{method} {url} ({owner}'s ids) as {persona}: {got}"
    else:
        assert got in (200, 403, 404), f"{method} {url} ({owner}'s ids) as {persona}: {got}"
    if before is not None:
        assert snapshot(obj) == before, f"{method} {url} as {persona} changed {owner}'s data"


# The table against the URL configuration ------------------------------------------------------


def test_every_route_has_a_row() -> None:
    missing = [f"{name} ({ROUTES[name].pattern})" for name in sorted(set(ROUTES) - set(TABLE))]
    assert not missing, f"routes without a row in tests/security/matrix.py TABLE: {missing}"


def test_every_row_names_a_route() -> None:
    stale = sorted(set(TABLE) - set(ROUTES))
    assert not stale, f"TABLE rows for routes that no longer exist: {stale}"


# The admin: Django checks is_staff; only the index is tried --------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_admin_index_refuses_non_staff(matrix_world: World, persona: str) -> None:
    response = client_of(matrix_world, persona).get(reverse("admin:index"))
    if persona == "admin_user":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))
        assert_no_leak(response.content, persona, "admin index")


def test_the_leak_probe_sees_what_is_there(matrix_world: World) -> None:
    """The marker search is not vacuous: the pages do show each side's own data."""
    people = reverse("org:people") + "?" + urlencode({"q": matrix_world.x.people_query})
    assert MARKER["x"].encode() in body_of(client_of(matrix_world, "hr").get(people))
    both = body_of(client_of(matrix_world, "admin_user").get(people))
    assert MARKER["x"].encode() in both and MARKER["y"].encode() in both
    detail = reverse("awards:nomination_detail", args=[matrix_world.y.nomination.pk])
    assert MARKER["y"].encode() in body_of(client_of(matrix_world, "focal_y").get(detail))
