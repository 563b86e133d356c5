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
from django.db import connection, models
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
    "hr_x1": "x",
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
    """A client logged in as ``persona`` (the session made once, by the world's fixture)."""
    client = Client()
    if persona != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.session_keys[persona]
    return client


def body_of(response: HttpResponse) -> bytes:
    """The body; a streamed file is closed by the test client once read to the end.

    Never ``response.close()`` here: outside the client that sends ``request_finished``
    with ``close_old_connections`` connected, which closes the PostgreSQL connection and
    with it the transaction that holds the module's world.
    """
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


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


# Every table of the project's apps (history and many-to-many tables included), counted in
# one query: a refused POST runs this twice, and 90 separate COUNTs cost a third of the
# matrix's time. The names come from the models' metadata, never from a request.
_TABLES = sorted(
    {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in PROJECT_APPS
    }
)
_COUNTS_SQL = "SELECT " + ", ".join(  # noqa: S608
    f"(SELECT COUNT(*) FROM {connection.ops.quote_name(table)})"  # noqa: S608
    for table in _TABLES
)


def snapshot(obj: models.Model | None) -> tuple[dict[str, int], dict[str, Any] | None]:
    """Row counts of every project table, and the route's object as stored."""
    assert len(_TABLES) > 40, _TABLES  # the apps' tables were all found
    with connection.cursor() as cursor:
        cursor.execute(_COUNTS_SQL)
        counts = dict(zip(_TABLES, cursor.fetchone(), strict=True))
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


def _form_post_personas(expect: Expect) -> list[str]:
    if expect.post is not None:
        return []
    if expect.form_post is not None:
        return list(PERSONAS)
    return [p for p in PERSONAS if expect.get[p] in (403, 404, "login")]


FORM_POST_CASES = [
    pytest.param(name, persona, id=f"{name}-{persona}")
    for name in NAMES
    if name in TABLE and name in ROUTES
    for persona in _form_post_personas(TABLE[name])
]


@pytest.mark.parametrize(("name", "persona"), FORM_POST_CASES)
def test_form_post(matrix_world: World, name: str, persona: str) -> None:
    """An empty POST to a page: refused like its GET (or 405), and no row changed."""
    route, expect = _row(name)
    url = url_of(route, expect, matrix_world.x)
    obj = getattr(matrix_world.x, expect.obj) if expect.obj else None
    before = snapshot(obj)
    response = client_of(matrix_world, persona).post(url, {})
    got = outcome_of(response)
    content = body_of(response)
    if expect.form_post is not None:
        expected = {expect.form_post[persona]}
    else:
        expected = {expect.get[persona], 405}
    assert got in expected, (
        f"POST {url} as {persona}: {got}, table says {sorted(map(str, expected))}"
    )
    assert_no_leak(content, persona, f"POST {url}")
    if got in REFUSED or got == "login":
        assert snapshot(obj) == before, f"refused POST {url} as {persona} changed data"


# Personas tried on the rows that name them ------------------------------------------------------

ALSO_CASES = [
    pytest.param(name, persona, id=f"{name}-{persona}")
    for name in NAMES
    if name in TABLE and name in ROUTES
    for persona in TABLE[name].also
]


@pytest.mark.parametrize(("name", "persona"), ALSO_CASES)
def test_also_personas(matrix_world: World, name: str, persona: str) -> None:
    """A row's extra persona (a department's HR staff, another body's HR staff): the
    table's outcome, no leak; refused, an empty POST is refused too and changes nothing."""
    route, expect = _row(name)
    expected = expect.also[persona]
    url = url_of(route, expect, matrix_world.x)
    obj = getattr(matrix_world.x, expect.obj) if expect.obj else None
    method = "POST" if expect.post is not None else "GET"
    client = client_of(matrix_world, persona)
    before = snapshot(obj)
    response = _request(client, method, url)
    got = outcome_of(response)
    assert got == expected, f"{method} {url} as {persona}: {got}, table says {expected}"
    assert_no_leak(body_of(response), persona, f"{method} {url}")
    if method == "GET" and expected in REFUSED:
        response = client.post(url, {})
        assert outcome_of(response) in {expected, 405}, f"POST {url} as {persona}"
        assert_no_leak(body_of(response), persona, f"POST {url}")
    if expected in REFUSED:
        assert snapshot(obj) == before, f"refused {url} as {persona} changed data"


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

    A route whose ids travel only in the query string (filters, prefilled forms,
    htmx partials) may answer 200 or 400, with nothing of the other side in it.
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
        # 400: the form refuses the other side's id as no choice of the user's.
        assert got in (200, 400, 403, 404), f"{method} {url} ({owner}'s ids) as {persona}: {got}"
    if before is not None:
        assert snapshot(obj) == before, f"{method} {url} as {persona} changed {owner}'s data"


# One id of X's, one of Y's ---------------------------------------------------------------------

# Arguments that name a row (the others are a year, a kind, an action, a number).
ID_ARGUMENTS = ("pk", "area_pk", "phase_pk", "unit_pk", "group_pk", "member_pk", "scorer_pk")
MIXED_CASES = [
    pytest.param(name, swapped, persona, id=f"{name}-{swapped}-of-y-{persona}")
    for name in NAMES
    if name in TABLE and name in ROUTES
    for ids in [[arg for arg in ROUTES[name].kwargs if arg in ID_ARGUMENTS]]
    if len(ids) > 1
    for swapped in ids
    for persona in ("hr", "secretary", "admin_user")
]


@pytest.mark.parametrize(("name", "swapped", "persona"), MIXED_CASES)
def test_mixed_ids(matrix_world: World, name: str, swapped: str, persona: str) -> None:
    """X's object with one id swapped for Y's (Y's area under X's campaign...): 404.

    Even for a superuser: the second id must belong to the first, or a page of X's
    would show or change Y's row.
    """
    route, expect = _row(name)
    method = "POST" if expect.post is not None else "GET"
    url_x = url_of(route, expect, matrix_world.x)
    url_y = url_of(route, expect, matrix_world.y)
    # Rebuild X's URL with the one argument taken from Y's.
    kwargs_x = {arg: _value(matrix_world.x, ARGUMENTS.get(arg, expect.obj)) for arg in route.kwargs}
    kwargs_y = {arg: _value(matrix_world.y, ARGUMENTS.get(arg, expect.obj)) for arg in route.kwargs}
    url = reverse(name, kwargs={**kwargs_x, swapped: kwargs_y[swapped]})
    assert url not in (url_x, url_y)
    response = _request(client_of(matrix_world, persona), method, url)
    got = outcome_of(response)
    content = body_of(response)
    assert got in (403, 404), f"{method} {url} as {persona}: {got}"
    assert matrix_world.y.marker.encode() not in content, f"{url}: {persona} sees Y's data"


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


def test_the_change_probe_sees_a_change(matrix_world: World) -> None:
    """The "nothing changed" check is not vacuous: an allowed POST shows in both halves."""
    campaign = matrix_world.x.campaign
    url = reverse("campaigns:status", kwargs={"pk": campaign.pk, "action": "close"})
    counts, row_before = snapshot(campaign)
    response = client_of(matrix_world, "hr").post(url, {})
    assert outcome_of(response) == 302
    counts_after, row_after = snapshot(campaign)
    assert row_after != row_before  # the campaign's status
    assert counts_after != counts  # its history row
