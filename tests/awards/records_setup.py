"""Helpers for the registration, records and past-award tests, on the shared personas' org.

Body X has departments X1 (with division X1A) and X2; Y is another body. hr is HR
staff of X; focal_x1 the focal point of X1. Titles come from the seeded catalogue
(awards/migrations/0002_seed_catalogue.py): LDTT, CSTDCS (individual), TTLDTT,
TTLDXS (collective), BK_BO (an individual form of commendation).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook

from campaigns import imports as org_imports
from campaigns import spreadsheets
from campaigns.models import CampaignStatus, Person, Unit
from tests.awards.factories import seeded
from tests.factories import CampaignFactory, PersonFactory

YEAR = 2025
NOT_XLSX = "Tệp không phải là tệp Excel (.xlsx) hợp lệ"
XLSX = spreadsheets.XLSX_CONTENT_TYPE


def titles() -> dict[str, Any]:
    return {code: seeded(code) for code in ("LDTT", "CSTDCS", "TTLDTT", "TTLDXS", "BK_BO")}


def person(unit: Unit, name: str, code: str | None = None, **fields: Any) -> Person:
    return PersonFactory(unit=unit, full_name=name, staff_code=code, **fields)


def launched_campaign(org, **fields: Any):
    fields.setdefault("issuing_unit", org.x)
    fields.setdefault("status", CampaignStatus.LAUNCHED)
    fields.setdefault("start_year", 2023)
    fields.setdefault("end_year", 2030)
    return CampaignFactory(**fields)


def workbook(header: Sequence[str], rows: Sequence[Sequence[Any]], sheet: str = "Dữ liệu") -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(list(header))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client: Client, url: str, data: bytes, name: str = "du-lieu.xlsx"):
    return client.post(url, {"file": SimpleUploadedFile(name, data, content_type=XLSX)})


def token_of(response) -> str:
    return response.context["token"]


def stored_files() -> list[str]:
    if not default_storage.exists(org_imports.STASH_DIR):
        return []
    return default_storage.listdir(org_imports.STASH_DIR)[1]


def row_errors(response) -> dict[int, list[str]]:
    """Errors per file row of a preview page."""
    return {row.row: row.errors for row, _cells in response.context["rows"] if row.errors}


def query_count(client: Client, url: str, params: dict[str, str] | None = None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return len(captured)


def assert_flat(client: Client, url: str, add_rows, **params: str) -> None:
    """Same number of queries with 3 rows and with 9 rows on the page."""
    add_rows(3)
    client.get(url, params)  # warm per-process caches (content types, ...)
    before = query_count(client, url, params)
    add_rows(6)
    after = query_count(client, url, params)
    assert after == before, f"{url}: {before} queries with 3 rows, {after} with 9"
