"""The login throttle locks a (username, client address) pair, the address being the one
the trusted proxies saw: behind nginx every request's REMOTE_ADDR is 127.0.0.1, so a
throttle on REMOTE_ADDR would let five wrong passwords lock any named user out."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from config.client_ip import client_ip

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-thu-nghiem"
PROXY = "127.0.0.1"


def through_nginx(client_address: str, forged: str = "") -> dict[str, str]:
    """What the app receives from one nginx that appends the address it saw."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def login(username: str, password: str, meta: dict[str, str]) -> int:
    response = Client().post(reverse("login"), {"username": username, "password": password}, **meta)
    return response.status_code


def fail_until_locked(username: str, meta: dict[str, str], limit: int) -> None:
    # The try that reaches the limit is itself answered with the lockout page.
    for _ in range(limit - 1):
        assert login(username, "sai", meta) == 200
    assert login(username, "sai", meta) == 429


def test_one_locked_address_does_not_lock_the_user_out_elsewhere(hr, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    attacker = through_nginx("203.0.113.7")
    fail_until_locked("hr", attacker, settings.AXES_FAILURE_LIMIT)

    assert login("hr", PASSWORD, attacker) == 429
    assert login("hr", PASSWORD, through_nginx("10.20.30.40")) == 302


def test_a_forged_forwarded_for_neither_escapes_nor_moves_the_lock(hr, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The attacker writes a new X-Forwarded-For on each try; nginx appends the real
    # address, which is the one that counts, so the tries add up all the same.
    for n in range(settings.AXES_FAILURE_LIMIT):
        login("hr", "sai", through_nginx("203.0.113.7", forged=f"10.0.0.{n}"))
    assert login("hr", PASSWORD, through_nginx("203.0.113.7", forged="10.0.0.99")) == 429
    # ...and the user at an address the attacker named in the header is not locked.
    assert login("hr", PASSWORD, through_nginx("10.0.0.1")) == 302


def test_without_a_trusted_proxy_the_header_is_ignored(hr, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    direct = {"REMOTE_ADDR": "198.51.100.5"}
    for n in range(settings.AXES_FAILURE_LIMIT):
        login("hr", "sai", {**direct, "HTTP_X_FORWARDED_FOR": f"10.0.1.{n}"})
    assert login("hr", PASSWORD, {**direct, "HTTP_X_FORWARDED_FOR": "10.0.1.200"}) == 429


@pytest.mark.parametrize(
    ("count", "forwarded_for", "remote", "expected"),
    [
        (0, "1.2.3.4", "127.0.0.1", "127.0.0.1"),
        (1, "1.2.3.4", "127.0.0.1", "1.2.3.4"),
        (1, "6.6.6.6, 1.2.3.4", "127.0.0.1", "1.2.3.4"),
        (2, "6.6.6.6, 1.2.3.4, 10.0.0.2", "127.0.0.1", "1.2.3.4"),
        (2, "1.2.3.4", "127.0.0.1", "127.0.0.1"),  # fewer hops than proxies
        (1, "", "127.0.0.1", "127.0.0.1"),
        (1, "not-an-address", "127.0.0.1", "127.0.0.1"),
        (1, "2001:db8::1", "::1", "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_the_nearest_trusted_proxy_saw(
    settings, count, forwarded_for, remote, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_ip(request) == expected
