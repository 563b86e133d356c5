"""Every file the app serves, found by walking the URL configuration: one helper, one answer.

Every named route (``matrix_routes.named_routes()``, the walk the authorization matrix
uses, so a new ``urls.py`` entry is walked here without a line added) is requested
with body X's ids by a persona that ``matrix.TABLE`` lets in (200), plainly and as
an Excel export (``?format=xlsx``, what every list's "Xuất Excel" link adds); the
records import template once per kind of import. Whatever comes back that is not
a page (a ``Content-Disposition``, or a type other than HTML/JSON) is a download and
must have come through ``campaigns.downloads``:

- the helper's mark on the response (a view that builds its own ``FileResponse`` or
  ``HttpResponse(content_type=...)`` fails here, even with the right headers);
- ``Content-Disposition: attachment; filename="<ascii-slug>.<ext>"``: letters, digits
  and hyphens only, the extension that of ``Content-Type``;
- ``Content-Type`` a type the helper knows, and the body starting as that type does;
- ``Cache-Control: private, no-store`` and ``X-Content-Type-Options: nosniff``.

``KNOWN`` lists the downloads there are today; the walk must find every one of them
(so the test cannot pass by finding nothing). The number walked is in
docs/reliability.md.

Reproduce: ``.venv/bin/pytest tests/security/test_downloads.py -q``.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.http import FileResponse, HttpResponse

from awards import records_views
from campaigns import downloads
from pledges.models import Acclamation
from tests.security.matrix import TABLE, Expect
from tests.security.matrix_routes import Route, named_routes
from tests.security.matrix_world import World
from tests.security.test_authorization_matrix import (
    _test_settings,  # noqa: F401 (the matrix's settings, MEDIA_ROOT included)
    body_of,
    client_of,
    url_of,
)

pytestmark = pytest.mark.django_db

ROUTES = named_routes()
# Who asks: the first of these that the table lets in.
PREFERENCE = ("hr", "secretary", "focal_x1", "leader", "council", "admin_user")
PAGE_TYPES = ("text/html", "application/json")
NAME = re.compile(r'^attachment; filename="([a-z0-9]+(?:-[a-z0-9]+)*)(\.[a-z]+)"$')
MAGIC = {
    downloads.PDF: b"%PDF-",
    downloads.PNG: b"\x89PNG\r\n\x1a\n",
    downloads.JPEG: b"\xff\xd8\xff",
    downloads.XLSX: b"PK\x03\x04",
    downloads.DOCX: b"PK\x03\x04",
}


def _acclaim(world: World) -> None:
    """The bloc meeting's acclamation, without which the minutes PDF sends back to results."""
    Acclamation.objects.create(
        bloc_year=world.x.scoring,
        member=world.x.body,
        votes_for=3,
        votes_total=3,
        meeting_date=datetime.date(2023, 12, 20),
        minutes="Hội nghị Khối suy tôn đơn vị dẫn đầu.",
    )


@dataclass(frozen=True)
class Prepared:
    """A route that serves its file only once the world is in some state."""

    persona: str
    prepare: Callable[[World], None]


PREPARED = {"pledges:scoring_minutes_pdf": Prepared("hr", _acclaim)}

# Route arguments that name one of several files: each value is walked.
VARIANTS = {"kind": sorted(records_views._IMPORTS)}

# The files the app serves today (route, or route?format=xlsx for a list's export).
KNOWN = {
    "pledges:pledge_pdf",
    "pledges:document_download",
    "pledges:scoring_evidence",
    "pledges:scoring_ranking_pdf",
    "pledges:scoring_minutes_pdf",
    "awards:dossier_download",
    "awards:council_minutes_pdf",
    "reports:version_pdf",
    "reports:version_docx",
    "org:import_template",
    "awards:registration_import_template",
    "awards:records_import_template[kind=discipline]",
    "awards:records_import_template[kind=initiatives]",
    "awards:records_import_template[kind=ratings]",
    "awards:past_awards_import_template",
    "awards:catalogue?format=xlsx",
    "awards:person_history?format=xlsx",
    "awards:unit_history?format=xlsx",
    "awards:unit_people_awards?format=xlsx",
    "awards:round_overview?format=xlsx",
    "awards:exemplar_list?format=xlsx",
    "awards:registration_list?format=xlsx",
    "awards:records_initiatives?format=xlsx",
    "awards:nomination_list?format=xlsx",
    "awards:round_list?format=xlsx",
    "awards:round_detail?format=xlsx",
    "awards:council_session_list?format=xlsx",
    "awards:decision_list?format=xlsx",
}


def _persona(name: str, expect: Expect) -> str | None:
    if name in PREPARED:
        return PREPARED[name].persona
    return next((p for p in PREFERENCE if expect.get.get(p) == 200), None)


def _urls(route: Route, expect: Expect, world: World) -> list[tuple[str, str]]:
    """(label, url) for each file or page the route may serve: one per variant."""
    base = url_of(route, expect, world.x)
    for arg, values in VARIANTS.items():
        if arg in route.kwargs:
            default = f"/{world.x.records_kind}/"
            return [
                (f"{route.name}[{arg}={value}]", base.replace(default, f"/{value}/"))
                for value in values
            ]
    return [(route.name, base)]


def _export(url: str) -> str:
    return url + ("&" if "?" in url else "?") + "format=xlsx"


def _is_file(response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return response.has_header("Content-Disposition") or content_type not in PAGE_TYPES


def _problems(response: HttpResponse, content: bytes) -> list[str]:
    found = []
    if not getattr(response, downloads.DOWNLOAD_MARK, False):
        found.append("not made by campaigns.downloads")
    content_type = response.get("Content-Type", "")
    disposition = response.get("Content-Disposition", "")
    match = NAME.match(disposition)
    if match is None:
        found.append(f"Content-Disposition {disposition!r} is not attachment + ASCII slug")
    elif downloads.EXTENSIONS.get(content_type) != match.group(2):
        found.append(f"extension {match.group(2)} does not match Content-Type {content_type}")
    if content_type not in MAGIC:
        found.append(f"Content-Type {content_type!r} is not a type the app serves")
    elif not content.startswith(MAGIC[content_type]):
        found.append(f"the body does not start as {content_type} does: {content[:8]!r}")
    if response.get("Cache-Control") != downloads.CACHE_CONTROL:
        found.append(f"Cache-Control {response.get('Cache-Control')!r}")
    if response.get("X-Content-Type-Options") != "nosniff":
        found.append("no X-Content-Type-Options: nosniff")
    return found


def test_every_file_the_app_serves_goes_through_the_download_helper(
    matrix_world: World,
) -> None:
    for prepared in PREPARED.values():
        prepared.prepare(matrix_world)
    walked: list[str] = []
    files: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    for name in sorted(ROUTES):
        route, expect = ROUTES[name], TABLE.get(name)
        if expect is None:
            continue  # test_authorization_matrix fails on a route without a row
        persona = _persona(name, expect)
        if persona is None:
            continue  # nobody GETs it (POST-only, or the login page)
        client = client_of(matrix_world, persona)
        for label, url in _urls(route, expect, matrix_world):
            # A page is asked again as the export its "Xuất Excel" link asks for.
            for label_now, url_now in ((label, url), (f"{label}?format=xlsx", _export(url))):
                walked.append(label_now)
                response = client.get(url_now)
                content = body_of(response)
                if response.status_code != 200:
                    break
                if not _is_file(response):
                    continue
                files[label_now] = response.get("Content-Disposition", "")
                if found := _problems(response, content):
                    problems[f"{label_now} ({url_now}) as {persona}"] = found
                break
    assert not problems, "downloads not made by the helper, or with wrong headers:\n" + "\n".join(
        f"  {where}: {'; '.join(what)}" for where, what in problems.items()
    )
    missing = KNOWN - set(files)
    assert not missing, f"the walk served no file for {sorted(missing)}"
    # The figures docs/reliability.md gives.
    print(f"walked {len(walked)} URLs of {len(ROUTES)} routes; {len(files)} served a file")


def test_the_checks_catch_a_file_made_without_the_helper() -> None:
    """Not vacuous: a bare FileResponse fails even with the right cache headers; the helper's
    own response passes; a PDF sent without a Content-Disposition still counts as a file."""
    pdf = b"%PDF-1.4 x"
    bare = FileResponse(
        io.BytesIO(pdf), as_attachment=True, filename="Tờ trình.pdf", content_type=downloads.PDF
    )
    bare["Cache-Control"] = downloads.CACHE_CONTROL
    assert _is_file(bare)
    assert [p.split(" ")[0] for p in _problems(bare, pdf)] == ["not", "Content-Disposition", "no"]
    made = downloads.file_response(pdf, name="Tờ trình", content_type=downloads.PDF)
    assert _problems(made, made.content) == []
    assert made["Content-Disposition"] == 'attachment; filename="to-trinh.pdf"'
    assert _is_file(HttpResponse(pdf, content_type=downloads.PDF))
    assert not _is_file(HttpResponse("<p>trang</p>"))
