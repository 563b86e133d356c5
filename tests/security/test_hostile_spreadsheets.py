"""Spreadsheets that cost more than they weigh: each hostile shape is refused with a plain
Vietnamese message, within a time and a memory bound, by the shared reader and by the
import views; a legitimate template-shaped file still imports.

The shapes are built here, in memory (tests/security/hostile_xlsx.py), each just past one
limit of ``campaigns.xlsx_reader.Limits``: the issue's 7 KB file of 100,000 rows each
holding one empty cell in column XFD, one huge shared string, many shared strings, a
huge inline string, a huge dimension claim, very wide rows, too many cells, sheets,
elements, nesting, zip entries, a huge attribute or comment (one XML token), entity
expansion and external entities, a zip bomb and a zip whose sizes lie. Their figures at the largest size under MAX_UPLOAD_BYTES are in
docs/reliability.md ("Hostile spreadsheets", benchmarks/bench_spreadsheets.py).

Time is bounded on the CPU time of the reading (the work done, which a loaded machine
does not inflate much) and, loosely, on the wall clock (a hang); memory on the peak
that tracemalloc traces while reading (expat's and zlib's buffers included).
"""

from __future__ import annotations

import io
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook, load_workbook

from awards import excel, records_imports
from awards.models import TaskRating
from campaigns import imports, spreadsheets
from campaigns.models import Person, Unit
from campaigns.spreadsheets import ImportFileError
from tests.factories import PersonFactory

from . import hostile_xlsx
from .fuzz_world import World, build_world_from_scratch
from .hostile_xlsx import SHAPES, Shape
from .test_hostile_uploads import XLSX_ENDPOINTS, Endpoint, _field_errors, _post, _rows

CPU_SECONDS = 5.0  # the figures are ≤ 2 s; room for a slower or busier CI machine
WALL_SECONDS = 30.0
PEAK_BYTES = 150 * 1024 * 1024  # the target is 200 MB for the whole process
XLSX = spreadsheets.XLSX_CONTENT_TYPE

_built: dict[str, bytes] = {}


def build(shape: Shape) -> bytes:
    """The shape at its test size, built once per session."""
    if shape.key not in _built:
        _built[shape.key] = shape.build(shape.test_size)
    return _built[shape.key]


def read_every_sheet(data: bytes) -> None:
    """What every import does with an upload: check it, then read its sheets."""
    spreadsheets.check_workbook(data)
    wb = spreadsheets.open_workbook(data)
    try:
        for ws in wb.worksheets:
            spreadsheets.read_sheet(ws, imports.UNIT_COLUMNS, [])
    finally:
        wb.close()


def measured(action: Callable[[], object]) -> tuple[float, float, BaseException | None]:
    """(CPU seconds, wall seconds, what it raised) of ``action``."""
    cpu, wall = time.process_time(), time.perf_counter()
    raised: BaseException | None = None
    try:
        action()
    except ImportFileError as error:
        raised = error
    return time.process_time() - cpu, time.perf_counter() - wall, raised


def peak_bytes(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
    except ImportFileError:
        pass
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


# ------------------------------------------------------------- the shared reader


@pytest.mark.parametrize("shape", SHAPES, ids=[s.key for s in SHAPES])
def test_the_shared_reader_refuses_it_in_bounded_time_and_memory(shape):
    data = build(shape)
    assert len(data) <= django_settings.MAX_UPLOAD_BYTES
    with translation.override("vi"):
        cpu, wall, raised = measured(lambda: read_every_sheet(data))
        assert isinstance(raised, ImportFileError), f"{shape.key} was read"
        assert shape.message in raised.message, raised.message
        assert cpu < CPU_SECONDS, f"{shape.key}: {cpu:.2f} s of CPU"
        assert wall < WALL_SECONDS, f"{shape.key}: {wall:.2f} s"
        peak = peak_bytes(lambda: read_every_sheet(data))
    assert peak < PEAK_BYTES, f"{shape.key}: {peak / 2**20:.0f} MB"


def test_the_issues_two_files_are_refused_in_milliseconds():
    """100,000 rows of one empty cell in XFD (170 s before) and a 190 MB shared string
    (112 s and 2.4 GB before) stop at the first cell and string past a limit."""
    far = hostile_xlsx.far_empty_cells(100_000)
    huge = hostile_xlsx.huge_shared_string(190 * 1024 * 1024)
    assert len(far) < 500 * 1024 and len(huge) < 400 * 1024
    with translation.override("vi"):
        for data in (far, huge):
            cpu, _wall, raised = measured(lambda data=data: read_every_sheet(data))
            assert isinstance(raised, ImportFileError)
            assert cpu < 0.5
            assert peak_bytes(lambda data=data: read_every_sheet(data)) < 20 * 1024 * 1024


def test_the_message_is_english_in_english():
    with translation.override("en"), pytest.raises(ImportFileError) as refused:
        read_every_sheet(build(SHAPES[0]))
    assert "column XFD" in refused.value.message
    assert "ngoài" not in refused.value.message


def test_rows_are_counted_before_empty_ones_are_skipped():
    """Just under the row limit, empty formatted rows are read and skipped; one more
    refuses the file, although no row holds a value."""
    limit = spreadsheets.limits().rows
    wb = spreadsheets.open_workbook(hostile_xlsx.empty_rows(limit - 1))
    sheet = spreadsheets.read_sheet(wb.worksheets[0], imports.UNIT_COLUMNS, [])
    assert sheet is not None and sheet.rows == []
    wb = spreadsheets.open_workbook(hostile_xlsx.empty_rows(limit))
    with pytest.raises(ImportFileError):
        spreadsheets.read_sheet(wb.worksheets[0], imports.UNIT_COLUMNS, [])


# ------------------------------------------------------------- the import views


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world_from_scratch()
        finally:
            transaction.set_rollback(True)


def _stash_files() -> list[Path]:
    root = Path(django_settings.MEDIA_ROOT) / imports.STASH_DIR
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _refused_by_the_view(client, world: World, endpoint: Endpoint, data: bytes, message: str):
    rows, stashed = _rows(), _stash_files()
    cpu, wall = time.process_time(), time.perf_counter()
    response = _post(client, world, endpoint, "du-lieu.xlsx", data, XLSX)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    assert response.status_code == 200
    errors = " ".join(_field_errors(response, endpoint.field_name(world)))
    assert message in errors, errors
    assert message in response.content.decode()  # shown on the page, next to the field
    assert _rows() == rows
    assert _stash_files() == stashed
    assert cpu < CPU_SECONDS and wall < WALL_SECONDS, (cpu, wall)


ORG_IMPORT = next(e for e in XLSX_ENDPOINTS if e.key == "org-import")


@pytest.mark.django_db
@pytest.mark.parametrize("shape", SHAPES, ids=[s.key for s in SHAPES])
def test_the_units_and_people_import_refuses_it_next_to_the_file_field(client, world, db, shape):
    _refused_by_the_view(client, world, ORG_IMPORT, build(shape), shape.message)


HEADLINE = [s for s in SHAPES if s.key in ("far-empty-cells", "huge-shared-string", "many-cells")]


@pytest.mark.django_db
@pytest.mark.parametrize("endpoint", XLSX_ENDPOINTS, ids=[e.key for e in XLSX_ENDPOINTS])
@pytest.mark.parametrize("shape", HEADLINE, ids=[s.key for s in HEADLINE])
def test_every_excel_import_refuses_the_issues_files(client, world, db, endpoint, shape):
    _refused_by_the_view(client, world, endpoint, build(shape), shape.message)


# ------------------------------------------------------------- legitimate files


def _filled_template(hr) -> bytes:
    """The template as downloaded, filled in by a user (openpyxl keeps its guide sheet,
    pick lists and data validations)."""
    wb = load_workbook(io.BytesIO(imports.build_template(user=hr)))
    units, people = wb["Đơn vị"], wb["Cá nhân"]
    units.delete_rows(2)
    people.delete_rows(2)
    for i in range(1, 41):
        units.append([f"HX{i:02d}", f"Phòng thử {i}", "", "Phòng, ban", "X1"])
        people.append([f"HX{i:02d}", f"Nguyễn Văn {i}", "Chuyên viên", "Nam", 1980, f"HXCB{i:03d}"])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_a_filled_template_still_imports_through_the_view(client, world, db):
    client.force_login(world.hr)
    data = _filled_template(world.hr)
    response = _post(client, world, ORG_IMPORT, "mau.xlsx", data, XLSX)
    assert response.status_code == 200
    assert not response.context["preview"].has_errors, response.context["preview"].errors
    response = client.post(reverse("org:import_confirm"), {"token": response.context["token"]})
    assert response.status_code == 302
    assert Unit.objects.filter(code__startswith="HX").count() == 40
    assert Person.objects.filter(staff_code__startswith="HXCB").count() == 40


@pytest.mark.django_db
def test_a_workbook_saved_by_excel_with_shared_strings_still_imports(client, world, db):
    """Excel keeps text in the shared-string table; the ratings import reads it."""
    header = [str(c.label) for c in records_imports.RATINGS_SHEET.columns]
    person = PersonFactory(unit=world.org.x1, full_name="Trần Thị Bình", staff_code="XLCB01")
    rows = [[2024, person.staff_code, "", person.full_name, "Hoàn thành tốt nhiệm vụ"]]
    data = hostile_xlsx.excel_like([("Xếp loại", header, rows)])
    preview = excel.read_sheet(data, records_imports.RATINGS_SHEET)
    assert not preview.errors
    assert [r.cells for r in preview.rows] == [
        {
            "year": "2024",
            "staff_code": person.staff_code,
            "unit_code": "",
            "full_name": person.full_name,
            "rating": "Hoàn thành tốt nhiệm vụ",
        }
    ]
    before = TaskRating.objects.count()
    endpoint = next(e for e in XLSX_ENDPOINTS if e.key == "records-import-ratings")
    response = _post(client, world, endpoint, "xep-loai.xlsx", data, XLSX)
    assert response.status_code == 200
    assert response.context["token"], response.context["preview"].errors
    assert TaskRating.objects.count() == before  # nothing written before confirming


def test_an_openpyxl_workbook_at_the_row_limit_is_read_whole():
    wb = Workbook()
    ws = wb.active
    ws.title = "Đơn vị"
    ws.append([str(c.label) for c in imports.UNIT_COLUMNS])
    for i in range(spreadsheets.MAX_ROWS):
        ws.append([f"C{i}", f"Tên {i}", "", "Phòng", "X"])
    buffer = io.BytesIO()
    wb.save(buffer)
    units, _people, errors = imports._read(buffer.getvalue())
    assert errors == []
    assert units is not None and len(units.rows) == spreadsheets.MAX_ROWS
    number, last = units.rows[-1]
    assert number == spreadsheets.MAX_ROWS + 1
    assert {k: spreadsheets.cell_text(v) for k, v in last.items()} == {
        "code": f"C{spreadsheets.MAX_ROWS - 1}",
        "name": f"Tên {spreadsheets.MAX_ROWS - 1}",
        "short_name": "",
        "kind": "Phòng",
        "parent_code": "X",
    }
