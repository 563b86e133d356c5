"""Login, throttling, language, settings helpers, demo data."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.urls import reverse

from config import env

pytestmark = pytest.mark.django_db


def test_home_shows_the_users_roles(client_for, hr):
    response = client_for(hr).get(reverse("home"))
    assert response.status_code == 200
    assert "Cán bộ thi đua – khen thưởng" in response.text


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.text
    assert 'lang="vi"' in response.text


def test_login_works_with_the_right_password(client, hr):
    response = client.post(reverse("login"), {"username": "hr", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 302


def test_login_is_throttled_after_repeated_failures(client, hr, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "hr", "password": "sai"})
    response = client.post(reverse("login"), {"username": "hr", "password": "mat-khau-thu-nghiem"})
    assert response.status_code == 429
    assert "Tạm khóa" in response.text


def test_english_can_be_switched_on(client_for, hr):
    client = client_for(hr)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    response = client.get(reverse("home"))
    assert 'lang="en"' in response.text


def test_csrf_is_enforced(hr, org):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(hr)
    response = client.post(reverse("campaigns:create"), {"name": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("value", ["maybe", "2"])
def test_bad_boolean_settings_fail_loudly(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)
    with pytest.raises(ImproperlyConfigured):
        env.env_bool("SOME_FLAG")


def test_bad_integer_settings_fail_loudly(monkeypatch):
    monkeypatch.setenv("SOME_INT", "ten")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("SOME_INT", 1)


def test_a_required_secret_must_be_set(monkeypatch):
    monkeypatch.delenv("SOME_SECRET", raising=False)
    with pytest.raises(ImproperlyConfigured):
        env.env_secret("SOME_SECRET", dev_default="x", required=True)


def test_demo_data_loads_twice_without_duplicates():
    from campaigns.models import Campaign, Person, Phase, Unit
    from pledges.models import BlocMembership

    call_command("load_demo", "--allow-without-debug", stdout=io.StringIO())
    counts = [m.objects.count() for m in (Unit, Person, Campaign, Phase, BlocMembership)]
    out = io.StringIO()
    call_command("load_demo", "--allow-without-debug", stdout=out)
    assert [m.objects.count() for m in (Unit, Person, Campaign, Phase, BlocMembership)] == counts
    assert "canbo.tdkt" in out.getvalue()
    ktnn = Campaign.objects.get(short_name="KTNN xây dựng xã hội học tập")
    assert [p.review_kind for p in ktnn.phases.all()] == ["interim", "final"]
    assert ktnn.content_areas.count() == 5
    customs = Campaign.objects.get(short_name="Hải quan xây dựng xã hội học tập")
    assert customs.content_areas.count() == 5


def test_demo_data_refuses_without_debug():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("load_demo", stdout=io.StringIO())


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client_for, hr):
    client = client_for(hr)
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert 'lang="vi"' in response.text
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get(reverse("home")).text
