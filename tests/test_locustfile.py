"""The load test's URLs and form reading, checked without locust (CI does not install it).

The locustfile builds every URL from ``benchmarks/load/routes.py``; here each route
name is reversed by Django and must give the path the load test would request, and
every name the locustfile uses must be one of those routes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from benchmarks.load.forms import form_with, parse_forms
from benchmarks.load.routes import ROUTES, path

LOCUSTFILE = Path(__file__).resolve().parent.parent / "benchmarks" / "load" / "locustfile.py"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_it_requests_the_path_django_reverses(name):
    args = [7 + n for n in range(ROUTES[name].count("{}"))]
    try:
        expected = reverse(name, args=args)
    except NoReverseMatch as error:
        pytest.fail(f"{name}: {error}")
    assert path(name, *args) == expected


def test_every_route_the_locustfile_names_is_listed():
    source = LOCUSTFILE.read_text(encoding="utf-8")
    used = set(re.findall(r"""\bpath\(\s*["']([\w:]+)["']""", source))
    assert used, "the locustfile builds no URL with routes.path()"
    assert used <= set(ROUTES), sorted(used - set(ROUTES))


def test_it_refuses_a_wrong_number_of_arguments():
    with pytest.raises(ValueError, match="takes 1 arguments"):
        path("awards:nomination_detail")


def test_it_reads_a_form_as_a_browser_would_send_it():
    html = """
    <form method="post" action="/x/">
      <input type="hidden" name="csrfmiddlewaretoken" value="tok">
      <input name="q" value="a &amp; b">
      <input type="checkbox" name="on" checked><input type="checkbox" name="off">
      <input type="submit" name="go" value="Gửi">
      <select name="year"><option value="2025">2025</option>
        <option value="2026" selected>2026</option></select>
      <select name="kind"><option>Tờ trình</option></select>
      <textarea name="note">Dòng 1
Dòng 2</textarea>
    </form>"""
    (form,) = parse_forms(html)
    assert form.method == "post" and form.action == "/x/"
    assert form.values() == {
        "csrfmiddlewaretoken": "tok",
        "q": "a & b",
        "on": "on",
        "year": "2026",
        "kind": "Tờ trình",
        "note": "Dòng 1\nDòng 2",
    }
    assert [v for v, _ in form.field("year").options] == ["2025", "2026"]


def test_it_finds_the_form_holding_a_field_past_the_navigation_forms():
    # Every page starts with the logout and language forms, each with a CSRF token:
    # the score sheet is the form that holds the score inputs, not the first one.
    html = """
    <form method="post" action="/accounts/logout/"><input type="hidden" name="csrfmiddlewaretoken" value="t"></form>
    <form method="post" action=""><input type="hidden" name="csrfmiddlewaretoken" value="t">
      <input type="number" name="points_13" value="12.00" max="15.00"></form>"""
    assert form_with(html, "csrfmiddlewaretoken").action == "/accounts/logout/"
    sheet = form_with(html, "points_", prefix=True)
    assert sheet is not None and sheet.values()["points_13"] == "12.00"
    assert sheet.field("points_13").attrs["max"] == "15.00"
    assert form_with(html, "points_") is None
