"""Every upload endpoint against truncated, oversized, polyglot, mislabelled and empty
files, and hostile file names.

Each is refused with a Vietnamese message next to the file field, never a 500; no
row and no file is written (MEDIA_ROOT is a fresh directory per test). A good file
under a hostile name is stored under a name of the system's own, inside MEDIA_ROOT.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.forms import BaseForm
from django.urls import reverse

from awards.models import (
    AwardRecord,
    DisciplineRecord,
    DossierFile,
    Initiative,
    RegistrationEntry,
    TaskRating,
)
from campaigns.models import Person, Unit
from pledges.models import PledgeDocument, ScoreEvidence, SelfScore
from tests.awards.records_setup import workbook
from tests.documents import tiny_pdf
from tests.pledges.document_setup import png_bytes

from .fuzz_world import World, build_world_from_scratch

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LIMIT = 4096  # MAX_UPLOAD_BYTES in these tests, so an oversized file stays small
WATCHED = (
    Unit,
    Person,
    PledgeDocument,
    ScoreEvidence,
    SelfScore,
    DossierFile,
    RegistrationEntry,
    TaskRating,
    DisciplineRecord,
    Initiative,
    AwardRecord,
)


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def good_xlsx() -> bytes:
    return workbook(["Mã cán bộ", "Mã danh hiệu"], [["KTNN-01", "LDTT"]])


HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program"


@dataclass(frozen=True)
class Hostile:
    """One hostile file: its name, declared type and bytes."""

    key: str
    name: str
    content_type: str
    content: Callable[[], bytes]


def _oversized(head: bytes) -> Callable[[], bytes]:
    return lambda: head + b"0" * (LIMIT * 2)


SCAN_FILES = (
    Hostile("truncated-pdf", "to-trinh.pdf", "application/pdf", lambda: tiny_pdf()[:200]),
    Hostile("truncated-png", "anh.png", "image/png", lambda: png_bytes()[:40]),
    Hostile("oversized", "lon.pdf", "application/pdf", _oversized(b"%PDF-1.4\n")),
    Hostile("pdf-header-html", "scan.pdf", "application/pdf", lambda: b"%PDF-1.4\n" + HTML),
    Hostile(
        "pdf-with-zip",
        "scan.pdf",
        "application/pdf",
        lambda: tiny_pdf() + _zip({"payload.html": HTML}),
    ),
    Hostile(
        "png-with-jar",  # a GIFAR-style image that is also a Java archive
        "anh.png",
        "image/png",
        lambda: png_bytes() + _zip({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n"}),
    ),
    Hostile("html-as-pdf", "scan.pdf", "application/pdf", lambda: HTML),
    Hostile("exe-as-pdf", "scan.pdf", "application/pdf", lambda: EXE),
    Hostile("empty", "rong.pdf", "application/pdf", lambda: b""),
    Hostile("traversal-name", "../../etc/passwd.pdf", "application/pdf", lambda: HTML),
    Hostile("control-name", "sc\x00an\u202efdp.exe\x1f.pdf", "application/pdf", lambda: EXE),
)
XLSX_FILES = (
    Hostile("truncated-xlsx", "du-lieu.xlsx", XLSX, lambda: good_xlsx()[:300]),
    Hostile("oversized", "du-lieu.xlsx", XLSX, _oversized(b"PK\x03\x04")),
    Hostile(
        "pdf-header-xlsx",  # a PDF whose tail is a workbook: a zip reader still opens it
        "du-lieu.xlsx",
        XLSX,
        lambda: tiny_pdf() + good_xlsx(),
    ),
    Hostile("html-as-xlsx", "du-lieu.xlsx", XLSX, lambda: HTML),
    Hostile("exe-as-xlsx", "du-lieu.xlsx", XLSX, lambda: EXE),
    Hostile("zip-not-xlsx", "du-lieu.xlsx", XLSX, lambda: _zip({"a.txt": b"x"})),
    Hostile("png-as-xlsx", "du-lieu.xlsx", XLSX, png_bytes),
    Hostile("empty", "du-lieu.xlsx", XLSX, lambda: b""),
    Hostile("traversal-name", "../../etc/passwd.xlsx", XLSX, lambda: HTML),
    Hostile("control-name", "du\x00\u202exslx.exe\x1f.xlsx", XLSX, lambda: EXE),
)


@dataclass(frozen=True)
class Endpoint:
    key: str
    user: str  # attribute of World
    url: Callable[[World], str]
    field: str | Callable[[World], str]
    data: Callable[[World], dict[str, str]]
    files: tuple[Hostile, ...]
    good: Callable[[], bytes]

    def field_name(self, world: World) -> str:
        return self.field(world) if callable(self.field) else self.field


def _self_score_data(world: World) -> dict[str, str]:
    return {f"points_{c.pk}": "5" for c in world.criteria}


ENDPOINTS = (
    Endpoint(
        "org-import",
        "hr",
        lambda w: reverse("org:import"),
        "file",
        lambda w: {},
        XLSX_FILES,
        good_xlsx,
    ),
    Endpoint(
        "registration-import",
        "focal_x1",
        lambda w: reverse("awards:registration_import", args=[w.registration.pk]),
        "file",
        lambda w: {},
        XLSX_FILES,
        good_xlsx,
    ),
    *(
        Endpoint(
            f"records-import-{kind}",
            "hr",
            lambda w, kind=kind: reverse("awards:records_import", args=[w.org.x.pk, kind]),
            "file",
            lambda w: {},
            XLSX_FILES,
            good_xlsx,
        )
        for kind in ("ratings", "discipline", "initiatives")
    ),
    Endpoint(
        "past-awards-import",
        "hr",
        lambda w: reverse("awards:past_awards_import"),
        "file",
        lambda w: {},
        XLSX_FILES,
        good_xlsx,
    ),
    Endpoint(
        "pledge-document",
        "secretary",
        lambda w: reverse("pledges:pledge_documents", args=[w.pledge.pk]),
        "file",
        lambda w: {"kind": "signed_scan"},
        SCAN_FILES,
        tiny_pdf,
    ),
    Endpoint(
        "score-evidence",
        "focal_x",
        lambda w: reverse("pledges:scoring_self", args=[w.scoring_year.pk, w.org.x.pk]),
        lambda w: f"files_{w.criteria[0].pk}",
        _self_score_data,
        SCAN_FILES,
        tiny_pdf,
    ),
    Endpoint(
        "nomination-dossier",
        "focal_x1",
        lambda w: reverse("awards:dossier_upload", args=[w.nomination.pk]),
        "file",
        lambda w: {"kind": "achievement_report"},
        SCAN_FILES,
        tiny_pdf,
    ),
)
CASES = [(e, f) for e in ENDPOINTS for f in e.files]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world_from_scratch()
        finally:
            transaction.set_rollback(True)


@pytest.fixture
def small_limit(settings):
    settings.MAX_UPLOAD_BYTES = LIMIT


def _rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in WATCHED}


def _files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _forms_in(response) -> list[BaseForm]:
    found = []
    for context in response.context or []:
        for value in context.dicts if hasattr(context, "dicts") else [context]:
            if isinstance(value, dict):
                found += [v for v in value.values() if isinstance(v, BaseForm)]
    return found


def _field_errors(response, field: str) -> list[str]:
    return [str(e) for form in _forms_in(response) for e in form.errors.get(field, [])]


def _post(client, world: World, endpoint: Endpoint, name: str, content: bytes, ctype: str):
    client.force_login(getattr(world, endpoint.user))
    upload = SimpleUploadedFile(name, content, content_type=ctype)
    data = {**endpoint.data(world), endpoint.field_name(world): upload}
    return client.post(endpoint.url(world), data)


@pytest.mark.django_db
@pytest.mark.parametrize(("endpoint", "hostile"), CASES, ids=[f"{e.key}-{f.key}" for e, f in CASES])
def test_a_hostile_file_is_refused_next_to_its_field(
    client, world, db, small_limit, tmp_path, endpoint, hostile
):
    rows, files = _rows(), _files()
    response = _post(client, world, endpoint, hostile.name, hostile.content(), hostile.content_type)
    assert response.status_code < 500
    assert response.status_code in (200, 400), response.status_code
    errors = _field_errors(response, endpoint.field_name(world))
    assert errors, f"no error next to the file field; page errors: {_all_errors(response)}"
    text = " ".join(errors)
    assert any(ch in text for ch in "ệạảấớịốỗểđ"), f"not in Vietnamese: {text}"
    assert _rows() == rows
    assert _files() == files
    assert not list(tmp_path.parent.rglob("passwd*"))


def _all_errors(response) -> dict[str, list[str]]:
    return {k: [str(e) for e in v] for f in _forms_in(response) for k, v in f.errors.items()}


SCAN_ENDPOINTS = [e for e in ENDPOINTS if e.good is tiny_pdf]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", SCAN_ENDPOINTS, ids=[e.key for e in SCAN_ENDPOINTS])
@pytest.mark.parametrize(
    "name", ["../../etc/passwd.pdf", "..\\..\\boot.ini.pdf", "a\x00b\u202e.pdf"]
)
def test_a_good_file_under_a_hostile_name_is_stored_under_the_systems_own_name(
    client, world, db, tmp_path, endpoint, name
):
    response = _post(client, world, endpoint, name, tiny_pdf(), "application/pdf")
    assert response.status_code == 302, _all_errors(response)
    root = Path(django_settings.MEDIA_ROOT).resolve()
    stored = _files()
    assert len(stored) == 1
    path = stored[0].resolve()
    assert path.is_relative_to(root)
    assert path.suffix == ".pdf"
    assert "passwd" not in path.name and "boot" not in path.name
    assert not list(tmp_path.parent.rglob("passwd*"))
    model = {"pledge-document": PledgeDocument, "score-evidence": ScoreEvidence}.get(
        endpoint.key, DossierFile
    )
    original = model.objects.order_by("-pk").values_list("original_name", flat=True).first()
    assert "\x00" not in original and "/" not in original and "\\" not in original


XLSX_ENDPOINTS = [e for e in ENDPOINTS if e.good is good_xlsx]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", XLSX_ENDPOINTS, ids=[e.key for e in XLSX_ENDPOINTS])
def test_a_workbook_under_a_hostile_name_is_kept_under_a_token(client, world, db, endpoint):
    response = _post(client, world, endpoint, "../../etc/passwd.xlsx", good_xlsx(), XLSX)
    assert response.status_code == 200
    root = Path(django_settings.MEDIA_ROOT).resolve()
    for path in _files():
        assert path.resolve().is_relative_to(root)
        assert "passwd" not in path.name


# The download of what was stored: the uploader's name never reaches the header ---------------

DOWNLOADS = {
    "pledge-document": ("pledges:document_download", PledgeDocument),
    "score-evidence": ("pledges:scoring_evidence", ScoreEvidence),
    "nomination-dossier": ("awards:dossier_download", DossierFile),
}
HOSTILE_NAMES = [
    "../../x.html",
    "a.svg",
    "bao-cao\r\nSet-Cookie: phien=1\r\n.pdf",
    'quy "dinh"; filename=evil.html',
    "Tờ trình khen thưởng Đoàn viên.pdf",
    "..\\..\\boot.ini",
    "\u202egpj.exe",
]
# What of those names could show in a header if it were passed on (folded to ASCII).
FRAGMENTS = ("html", "svg", "cookie", "phien", "dinh", "evil", "to-trinh", "doan", "boot", "gpj")


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", SCAN_ENDPOINTS, ids=[e.key for e in SCAN_ENDPOINTS])
@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_upload_name_never_reaches_the_download_header(
    client, world, db, tmp_path, endpoint, name
):
    """A good PNG uploaded under a hostile name downloads under the app's own ASCII name,
    with the PNG's extension and type, whatever the name claimed."""
    content = png_bytes()
    response = _post(client, world, endpoint, name, content, "image/svg+xml")
    assert response.status_code == 302, _all_errors(response)
    route, model = DOWNLOADS[endpoint.key]
    stored = model.objects.order_by("-pk").first()
    download = client.get(reverse(route, args=[stored.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert download["Content-Type"] == "image/png"
    disposition = download["Content-Disposition"]
    match = re.fullmatch(r'attachment; filename="([a-z0-9-]+)\.png"', disposition)
    assert match, disposition
    assert not [f for f in FRAGMENTS if f in match.group(1)], disposition
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"
    for header, value in download.items():
        assert "\r" not in value and "\n" not in value, header
