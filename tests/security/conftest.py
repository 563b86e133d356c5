"""Fixtures of the security tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.test.utils import override_settings

from tests.security.matrix_world import World, build_world


@pytest.fixture(scope="module")
def matrix_world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    """The matrix's objects, built once per module inside a transaction rolled back after it.

    Each test still runs in its own savepoint (pytest-django's ``db``), so what a
    request changes is undone before the next one; building the ~100 rows and files
    once instead of once per case keeps the ~3,000 cases within a few minutes.
    pytest-django skips ``TestCase``'s class-level connection close for non-transactional
    tests, so the transaction lasts as long as the module.
    """
    media = tmp_path_factory.mktemp("matrix-media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        world = build_world()
        world.media_root = media
        # One login per persona: its session row lives as long as the world does, and a
        # test reuses the cookie instead of logging in again (a login writes four rows).
        for persona, user in world.users.items():
            client = Client()
            client.force_login(user)
            world.session_keys[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
        try:
            yield world
        finally:
            transaction.set_rollback(True)
