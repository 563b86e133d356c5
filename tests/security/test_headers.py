"""Security headers, the Content Security Policy, production settings and passwords.

The CSP allows scripts and styles only from the app's own files, so a page breaks
(in chromium, see tests/browser/conftest.py) if a template brings back an inline
script, an ``on*=`` or ``hx-on`` handler or a ``style=`` attribute. The static
template scan here catches those before any browser runs; the subprocess tests run
``config/settings.py`` with a production environment exactly as a deployment would.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import UserFactory

BASE_DIR = Path(settings.BASE_DIR)

EXPECTED_CSP = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:"},
    "font-src": {"'self'"},
    "connect-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'self'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}

# Rendered to PDF by WeasyPrint (documents.render_pdf), never served to a browser, so
# their print CSS may stay inline. Each must extend documents/base.html (checked below).
PDF_TEMPLATES = {
    "templates/documents/base.html",
    "pledges/templates/pledges/pledge_print.html",
    "pledges/templates/pledges/scoring_minutes_pdf.html",
    "pledges/templates/pledges/scoring_ranking_pdf.html",
    "reports/templates/reports/phase_review_pdf.html",
    "reports/templates/reports/bloc_year_pdf.html",
    "reports/templates/reports/award_statistics_pdf.html",
    "awards/templates/awards/council_minutes_pdf.html",
    "awards/templates/awards/demo_dossier_pdf.html",
}

# What the policy refuses, as it appears in HTML (a template or a rendered page).
INLINE_CODE = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>", re.IGNORECASE),
    "<style> element": re.compile(r"<style[\s>]", re.IGNORECASE),
    "on*= handler": re.compile(r"\son[a-z]+\s*=\s*[\"'{]", re.IGNORECASE),
    "hx-on attribute": re.compile(r"\b(?:data-)?hx-on", re.IGNORECASE),
    "style= attribute": re.compile(r"\sstyle\s*=", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", re.DOTALL)

# Every variable config/settings.py reads that a production environment sets.
SETTINGS_ENV = (
    "DEBUG",
    "SECRET_KEY",
    "TRUSTED_PROXY_COUNT",
    "SECURE_SSL",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "STATIC_MANIFEST",
)
PRODUCTION_HOST = "thidua.example.gov.vn"


def production_env(**overrides: str | None) -> dict[str, str]:
    """The process environment of a production deployment (as in .ci/run and README)."""
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright; no deployment has it,
    # and check --deploy rightly warns about it.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in SETTINGS_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        SECURE_SSL="true",
        SECURE_HSTS_SECONDS="31536000",
        ALLOWED_HOSTS=PRODUCTION_HOST,
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def run_python(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def parse_csp(header: str) -> dict[str, set[str]]:
    directives: dict[str, set[str]] = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = set(values)
    return directives


def inline_code(html: str) -> list[str]:
    return [label for label, pattern in INLINE_CODE.items() if pattern.search(html)]


def served_templates() -> list[Path]:
    """Every template of this repository (not of installed packages) a browser may get."""
    roots = [Path(d) for d in settings.TEMPLATES[0]["DIRS"]]
    for config in apps.get_app_configs():
        app_dir = Path(config.path)
        if BASE_DIR in app_dir.parents and ".venv" not in app_dir.parts:
            roots.append(app_dir / "templates")
    files = sorted({f for root in roots if root.is_dir() for f in root.rglob("*.html")})
    return [f for f in files if str(f.relative_to(BASE_DIR)) not in PDF_TEMPLATES]


def assert_policy(response) -> None:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']}"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, header
    assert parse_csp(header) == EXPECTED_CSP
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert "geolocation=()" in response.headers["Permissions-Policy"]


# --- The policy on responses ------------------------------------------------------


def test_it_sends_the_policy_on_an_app_page(client_for, hr):
    response = client_for(hr).get(reverse("home"))
    assert response.status_code == 200
    assert_policy(response)


def test_it_sends_the_policy_on_the_login_page(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert_policy(response)


def test_it_sends_the_policy_on_an_admin_page(client_for, admin_user):
    response = client_for(admin_user).get(reverse("admin:campaigns_campaign_add"))
    assert response.status_code == 200
    assert_policy(response)


def test_it_sends_the_policy_on_an_htmx_fragment(client_for, hr, org):
    response = client_for(hr).get(
        reverse("org:unit_children", args=[org.x.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert_policy(response)
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("hr", "home"),
        ("hr", "campaigns:list"),
        ("hr", "campaigns:create"),
        ("hr", "org:unit_tree"),
        ("hr", "pledges:bloc_list"),
        ("hr", "awards:index"),
        ("hr", "reports:index"),
        ("admin", "admin:index"),
        ("admin", "admin:campaigns_campaign_add"),
        ("admin", "admin:auth_user_add"),
        ("admin", "admin:campaigns_unit_changelist"),
        (None, "login"),
    ],
)
def test_a_rendered_page_has_no_inline_code(client, client_for, hr, admin_user, org, who, url):
    user = {"hr": hr, "admin": admin_user}.get(who or "")
    browser = client_for(user) if user else client
    response = browser.get(reverse(url))
    assert response.status_code == 200
    assert inline_code(response.content.decode()) == [], url


# --- Templates --------------------------------------------------------------------


def test_the_scan_sees_the_templates_and_catches_inline_code():
    names = {str(f.relative_to(BASE_DIR)) for f in served_templates()}
    assert "templates/base.html" in names
    assert "reports/templates/reports/_version_progress.html" in names
    assert not names & PDF_TEMPLATES
    # The patterns do catch what they are meant to, and pass what is allowed.
    assert inline_code('<p style="color: red">') == ["style= attribute"]
    assert inline_code('<button onclick="go()">') == ["on*= handler"]
    assert inline_code('<button hx-on::after-request="x()">') == ["hx-on attribute"]
    assert inline_code("<script>alert(1)</script>") == ["inline <script>"]
    assert inline_code('<script src="/static/js/app.js" defer></script>') == []
    assert inline_code('<div data-progress="40" class="progress-bar">') == []


@pytest.mark.parametrize("path", served_templates(), ids=lambda p: str(p.relative_to(BASE_DIR)))
def test_a_served_template_has_no_inline_code(path: Path):
    source = TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8"))
    assert inline_code(source) == []


@pytest.mark.parametrize("name", sorted(PDF_TEMPLATES))
def test_an_excluded_template_is_a_pdf_document(name: str):
    source = (BASE_DIR / name).read_text(encoding="utf-8")
    assert name == "templates/documents/base.html" or source.startswith(
        '{% extends "documents/base.html" %}'
    )


# --- Production settings ----------------------------------------------------------


def test_check_deploy_is_clean_with_production_settings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_env()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.parametrize("debug", ["false", None], ids=["DEBUG=false", "DEBUG unset"])
def test_a_missing_secret_key_stops_the_process_outside_debug(debug: str | None):
    # The development key is in the repository: outside DEBUG nothing may run on it,
    # whatever else the environment says (no opt-in flag to forget).
    result = run_python(["manage.py", "check"], production_env(SECRET_KEY=None, DEBUG=debug))
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_an_empty_secret_key_stops_the_process_outside_debug():
    result = run_python(["manage.py", "check"], production_env(SECRET_KEY=""))
    assert result.returncode != 0
    assert "SECRET_KEY must be set in the environment" in result.stderr


def test_debug_runs_on_the_development_key():
    result = run_python(["manage.py", "check"], production_env(SECRET_KEY=None, DEBUG="true"))
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("value", ["-1", "one"])
def test_a_bad_trusted_proxy_count_stops_the_process(value: str):
    result = run_python(["manage.py", "check"], production_env(TRUSTED_PROXY_COUNT=value))
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr


PRODUCTION_SETTINGS = (
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "ALLOWED_HOSTS",
)


@pytest.fixture(scope="module")
def production_settings() -> dict[str, object]:
    """config/settings.py's values under the production environment, read in a subprocess."""
    code = (
        "import json, django; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {PRODUCTION_SETTINGS!r}}}))"
    )
    result = run_python(["-c", code], production_env())
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_secure_the_cookies_and_transport(production_settings):
    assert production_settings == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "ALLOWED_HOSTS": [PRODUCTION_HOST],
    }


def test_logging_in_under_production_settings_sets_secure_cookies(
    client, db, settings, production_settings
):
    for name, value in production_settings.items():
        if name != "DEBUG":
            setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    UserFactory(username="can.bo", password="Mot-mat-khau-dai-2026")
    https = {"secure": True, "HTTP_HOST": PRODUCTION_HOST}

    plain = client.get(reverse("login"), HTTP_HOST=PRODUCTION_HOST)
    assert plain.status_code == 301
    assert plain["Location"] == f"https://{PRODUCTION_HOST}{reverse('login')}"

    page = client.get(reverse("login"), **https)
    assert page.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert page.cookies["csrftoken"]["secure"] is True

    response = client.post(
        reverse("login"), {"username": "can.bo", "password": "Mot-mat-khau-dai-2026"}, **https
    )
    assert response.status_code == 302
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    assert session["secure"] is True
    assert session["httponly"] is True
    assert session["samesite"] == "Lax"
    assert response.cookies["csrftoken"]["secure"] is True


# --- Passwords --------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["12345678", "password", "matkhau", "abc", "nguyenvanan", "20262026"],
)
def test_weak_passwords_are_refused(db, password):
    user = get_user_model()(username="nguyenvanan", first_name="Nguyễn", last_name="Văn An")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_long_uncommon_password_is_accepted(db):
    user = get_user_model()(username="nguyenvanan")
    assert validate_password("Thi-dua-khen-thuong-2026!", user) is None


def _user_add_form(client) -> dict[str, str]:
    """The admin's add-user form with its inline formsets left empty."""
    page = client.get(reverse("admin:auth_user_add")).content.decode()
    data: dict[str, str] = {}
    for prefix in re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page):
        data |= {
            f"{prefix}-TOTAL_FORMS": "0",
            f"{prefix}-INITIAL_FORMS": "0",
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    return data


@pytest.mark.parametrize("password", ["12345678", "password", "abc"])
def test_the_admin_refuses_to_create_a_user_with_a_weak_password(client_for, admin_user, password):
    client = client_for(admin_user)
    data = _user_add_form(client) | {
        "username": "nguoi.moi",
        "usable_password": "true",
        "password1": password,
        "password2": password,
    }
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors.get("password2")
    assert not get_user_model().objects.filter(username="nguoi.moi").exists()


def test_the_admin_creates_a_user_with_a_strong_password(client_for, admin_user):
    client = client_for(admin_user)
    data = _user_add_form(client) | {
        "username": "nguoi.moi",
        "usable_password": "true",
        "password1": "Thi-dua-khen-thuong-2026!",
        "password2": "Thi-dua-khen-thuong-2026!",
    }
    response = client.post(reverse("admin:auth_user_add"), data)
    assert response.status_code == 302
    assert (
        get_user_model()
        .objects.get(username="nguoi.moi")
        .check_password("Thi-dua-khen-thuong-2026!")
    )
