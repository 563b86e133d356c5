"""Shared personas (STYLE.md point 10).

Body X has departments X1 and X2; body Y is unrelated. Personas:
hr (HR staff of X), focal_x1 (focal point of X1), focal_x2 (of X2), focal_y
(of Y), leader (leader of X), council (council member of X), secretary
(secretariat of bloc A), secretary_b (of bloc B), admin (superuser).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from campaigns.models import Role, Unit, UnitKind
from pledges.models import Bloc
from tests.factories import (
    BlocFactory,
    BlocMembershipFactory,
    BlocSecretariatFactory,
    RoleFactory,
    UnitFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.LANGUAGE_CODE = "vi"


@dataclass
class Org:
    x: Unit
    x1: Unit
    x1a: Unit
    x2: Unit
    y: Unit
    bloc_a: Bloc
    bloc_b: Bloc


@pytest.fixture
def org(db) -> Org:
    x = UnitFactory(code="X", name="Cơ quan X", kind=UnitKind.BODY)
    x1 = UnitFactory(code="X1", name="Vụ X1", parent=x)
    x1a = UnitFactory(code="X1A", name="Phòng X1A", parent=x1, kind=UnitKind.DIVISION)
    x2 = UnitFactory(code="X2", name="Vụ X2", parent=x)
    y = UnitFactory(code="Y", name="Cơ quan Y", kind=UnitKind.BODY)
    bloc_a = BlocFactory(name="Khối A")
    bloc_b = BlocFactory(name="Khối B")
    BlocMembershipFactory(bloc=bloc_a, unit=x)
    BlocMembershipFactory(bloc=bloc_b, unit=y)
    return Org(x=x, x1=x1, x1a=x1a, x2=x2, y=y, bloc_a=bloc_a, bloc_b=bloc_b)


def _user(username: str, role: str | None, unit: Unit | None) -> User:
    user = UserFactory(username=username, first_name=username)
    if role:
        RoleFactory(user=user, role=role, unit=unit)
    return user


@pytest.fixture
def hr(org) -> User:
    return _user("hr", Role.HR_STAFF, org.x)


@pytest.fixture
def focal_x1(org) -> User:
    return _user("focal_x1", Role.FOCAL_POINT, org.x1)


@pytest.fixture
def focal_x2(org) -> User:
    return _user("focal_x2", Role.FOCAL_POINT, org.x2)


@pytest.fixture
def focal_y(org) -> User:
    return _user("focal_y", Role.FOCAL_POINT, org.y)


@pytest.fixture
def leader(org) -> User:
    return _user("leader", Role.LEADER, org.x)


@pytest.fixture
def council(org) -> User:
    return _user("council", Role.COUNCIL_MEMBER, org.x)


@pytest.fixture
def hr_y(org) -> User:
    return _user("hr_y", Role.HR_STAFF, org.y)


@pytest.fixture
def secretary(org) -> User:
    user = _user("secretary", None, None)
    BlocSecretariatFactory(bloc=org.bloc_a, user=user)
    return user


@pytest.fixture
def secretary_b(org) -> User:
    user = _user("secretary_b", None, None)
    BlocSecretariatFactory(bloc=org.bloc_b, user=user)
    return user


@pytest.fixture
def admin_user(db) -> User:
    return User.objects.create_superuser("admin", "admin@example.org", "mat-khau-quan-tri")


@pytest.fixture
def client_for(client: Client):
    """Log a persona in: ``client_for(hr).get(...)``."""

    def login(user: User) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture(autouse=True)
def _eager_celery():
    """Unit tests run tasks in-process; the worker test turns this off for itself."""
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous
