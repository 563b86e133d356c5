"""The Excel export helper (awards/export.py): header row, values, formats, safety, download."""

from __future__ import annotations

import datetime
import io
import tempfile
from decimal import Decimal
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from awards import export
from awards.export import Column, export_requested, write_workbook, xlsx_response
from campaigns.models import Person
from tests.factories import PersonFactory, UnitFactory


def _sheet(rows, columns, **kw):
    buffer = io.BytesIO()
    count = write_workbook(rows, columns, buffer, **kw)
    buffer.seek(0)
    return count, load_workbook(buffer).active


def test_the_first_row_is_the_vietnamese_header_and_stays_frozen():
    count, sheet = _sheet(
        [{"a": 1}], [Column("Họ và tên", "a"), Column("Năm sinh", "a", width=9)], title="Cá nhân"
    )
    assert count == 1
    assert [c.value for c in sheet[1]] == ["Họ và tên", "Năm sinh"]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    assert sheet.title == "Cá nhân"
    assert sheet.column_dimensions["B"].width == 9
    assert sheet.auto_filter.ref == "A1:B2"


def test_dates_are_written_as_dates_shown_dd_mm_yyyy():
    when = datetime.datetime(2024, 3, 5, 1, 30, tzinfo=datetime.UTC)
    _count, sheet = _sheet(
        [{"d": datetime.date(2024, 3, 5), "t": when}], [Column("Ngày", "d"), Column("Lúc", "t")]
    )
    assert sheet["A2"].value == datetime.datetime(2024, 3, 5)
    assert sheet["A2"].number_format == "DD/MM/YYYY"
    # Aware datetimes are shown in the site's time zone (Asia/Ho_Chi_Minh, UTC+7).
    assert sheet["B2"].value == when.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).replace(tzinfo=None)
    assert sheet["B2"].number_format == "DD/MM/YYYY HH:MM"


def test_values_of_each_kind():
    row = {
        "n": 3,
        "money": Decimal("4.50"),
        "yes": True,
        "no": False,
        "none": None,
        "text": "Lê Văn Án",
    }
    columns = [Column(k, k) for k in row]
    _count, sheet = _sheet([row], columns)
    assert [c.value for c in sheet[2]] == [3, 4.5, "Có", "Không", None, "Lê Văn Án"]


def test_accessors_follow_dotted_and_double_underscore_paths_and_call_methods():
    unit = SimpleNamespace(name="Vụ X1")
    person = SimpleNamespace(
        full_name="Trần Bình", unit=unit, get_gender_display=lambda: "Nữ", boss=None
    )
    row = SimpleNamespace(person=person, year=2024)
    columns = [
        Column("a", "person.unit.name"),
        Column("b", "person__unit__name"),
        Column("c", "person.get_gender_display"),
        Column("d", lambda r: r.year + 1),
        Column("e", "person.boss.name"),  # a missing link gives an empty cell
    ]
    _count, sheet = _sheet([row], columns)
    assert [c.value for c in sheet[2]] == ["Vụ X1", "Vụ X1", "Nữ", 2025, None]


def test_text_that_looks_like_a_formula_stays_text():
    _count, sheet = _sheet(
        [{"t": '=HYPERLINK("http://evil","bấm")'}, {"t": "+84 912"}], [Column("t", "t")]
    )
    assert sheet["A2"].data_type == "s"
    assert sheet["A2"].value == '=HYPERLINK("http://evil","bấm")'
    assert sheet["A3"].value == "+84 912"


def test_control_characters_do_not_break_the_file():
    _count, sheet = _sheet([{"t": "a\x00b\x1fc\td"}], [Column("t\x01", "t")])
    assert sheet["A1"].value == "t "
    assert sheet["A2"].value == "a b c\td"


def test_a_long_list_is_cut_with_a_note():
    count, sheet = _sheet([{"n": i} for i in range(10)], [Column("n", "n")], max_rows=4)
    assert count == 4
    values = [row[0] for row in sheet.values]
    assert values[:5] == ["n", 0, 1, 2, 3]
    assert "Chỉ xuất 4 dòng đầu tiên" in values[5]


def test_an_empty_list_gives_the_header_only():
    count, sheet = _sheet([], [Column("Năm", "year")])
    assert count == 0
    assert list(sheet.values) == [("Năm",)]


@pytest.mark.django_db
def test_a_queryset_is_read_in_chunks_with_its_select_related(django_assert_num_queries):
    unit = UnitFactory(name="Phòng Một")
    for n in range(5):
        PersonFactory(unit=unit, full_name=f"Người {n}")
    people = Person.objects.select_related("unit").order_by("full_name")
    buffer = io.BytesIO()
    with django_assert_num_queries(1):
        count = write_workbook(
            people, [Column("Họ tên", "full_name"), Column("Đơn vị", "unit.name")], buffer
        )
    assert count == 5
    buffer.seek(0)
    rows = list(load_workbook(buffer).active.values)
    assert rows[1] == ("Người 0", "Phòng Một")


def test_the_download_has_the_xlsx_type_and_a_dated_ascii_filename(settings):
    response = xlsx_response(
        [{"a": 1}], [Column("a", "a")], filename="Khen thưởng Đơn vị", title="Khen thưởng"
    )
    content = b"".join(response.streaming_content)
    response.file_to_stream.close()  # the server closes it once sent
    assert (
        response["Content-Type"]
        == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="khen-thuong-don-vi-')
    assert disposition.endswith('.xlsx"')
    assert response["Cache-Control"] == "private, no-store"
    assert load_workbook(io.BytesIO(content)).active["A2"].value == 1


def test_export_requested_reads_format_xlsx():
    factory = RequestFactory()
    assert export_requested(factory.get("/", {"format": "xlsx"}))
    assert not export_requested(factory.get("/"))
    assert not export_requested(factory.get("/", {"format": "csv"}))


def test_a_workbook_that_cannot_be_written_leaves_no_open_file(monkeypatch):
    made = []

    class Spool(tempfile.SpooledTemporaryFile):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(export.tempfile, "SpooledTemporaryFile", Spool)

    def broken(row):
        raise ValueError("no value")

    with pytest.raises(ValueError):
        xlsx_response([{"a": 1}], [Column("A", broken)], filename="x")
    assert [spool.closed for spool in made] == [True]
