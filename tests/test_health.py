from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_is_healthy_with_no_broker_configured(client, settings):
    settings.REDIS_URL = ""
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "not configured", "worker": "in-process"}


def test_it_reports_a_missing_worker_with_503(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    with (
        mock.patch("config.celery.app.connection_for_write"),
        mock.patch("config.celery.app.control.ping", return_value=[]),
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["worker"] == "none"


def test_it_is_healthy_when_a_worker_answers(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    with (
        mock.patch("config.celery.app.connection_for_write"),
        mock.patch("config.celery.app.control.ping", return_value=[{"w@h": {"ok": "pong"}}]),
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200


def test_it_reports_a_broker_that_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:6379/15"
    with mock.patch("config.celery.app.connection_for_write", side_effect=ConnectionError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_it_reports_a_database_that_does_not_answer(client, settings):
    settings.REDIS_URL = ""
    with mock.patch("config.health.connection.cursor", side_effect=OperationalError("gone")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "error"


def test_it_takes_no_login_and_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405
