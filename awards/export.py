"""Excel export of any list a user can see: one sheet, a Vietnamese header row, one row per item.

A list view exports the same rows it shows, unpaginated::

    from awards.export import Column, export_requested, xlsx_response

    COLUMNS = [
        Column(_("Họ và tên"), "person.full_name", width=28),
        Column(_("Năm"), "year", width=8),
        Column(_("Loại hình"), "get_track_display"),  # callables are called
        Column(_("Ngày quyết định"), lambda r: r.decision_date),  # dates -> dd/mm/yyyy
    ]
    if export_requested(request):  # ?format=xlsx
        return xlsx_response(records, COLUMNS, filename="khen-thuong", title=_("Khen thưởng"))

``rows`` is a queryset (read with ``.iterator()`` in chunks, so keep its
``select_related``) or any iterable of objects or dicts. The workbook is written
in openpyxl's write-only mode (rows go straight to a temporary file rather than
piling up in memory) and the file is streamed back in blocks.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from campaigns import downloads
from campaigns.text import fold

XLSX_CONTENT_TYPE = downloads.XLSX
DATE_FORMAT = "DD/MM/YYYY"
DATETIME_FORMAT = "DD/MM/YYYY HH:MM"
# A sheet holds 1,048,576 rows; a list this long is better filtered than exported whole.
MAX_ROWS = 200_000
CHUNK_SIZE = 2_000
# XML 1.0 refuses these; openpyxl would raise IllegalCharacterError on them.
_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")

Accessor = str | Callable[[Any], Any]


@dataclass(frozen=True)
class Column:
    """One column: its header and how to read a row's value.

    ``value`` is a dotted or ``__`` path of attributes or dict keys
    (``"person.unit.name"``, ``"person__unit__name"``; a callable at the end of the
    path is called, so ``"get_status_display"`` works), or a function of the row.
    """

    header: str | Promise
    value: Accessor
    width: float | None = None


def export_requested(request: HttpRequest) -> bool:
    """The view's list was asked for as a workbook (the "Xuất Excel" link adds ?format=xlsx)."""
    return request.GET.get("format") == "xlsx"


def list_querystring(request: HttpRequest) -> str:
    """The list's query string without the page and the format: what the pager's links and
    the "Xuất Excel" link add their own ``page`` or ``format=xlsx`` to (filters kept)."""
    query = request.GET.copy()
    query.pop("page", None)
    query.pop("format", None)
    return query.urlencode()


def read(row: Any, accessor: Accessor) -> Any:
    if callable(accessor):
        return accessor(row)
    value = row
    for name in accessor.replace("__", ".").split("."):
        if value is None:
            return None
        value = value.get(name) if isinstance(value, dict) else getattr(value, name)
        if callable(value):
            value = value()
    return value


def cell_value(value: Any) -> tuple[Any, str | None]:
    """The value openpyxl stores, and its number format."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return (_("Có") if value else _("Không")), None
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.make_naive(value)
        return value, DATETIME_FORMAT
    if isinstance(value, datetime.date):
        return value, DATE_FORMAT
    if isinstance(value, int | float | Decimal):
        return value, None
    return _ILLEGAL.sub(" ", str(value)), None


def _rows(rows: Iterable[Any]) -> Iterator[Any]:
    if isinstance(rows, QuerySet):
        return rows.iterator(chunk_size=CHUNK_SIZE)
    return iter(rows)


def write_workbook(
    rows: Iterable[Any],
    columns: Sequence[Column],
    target: Any,
    *,
    title: str | Promise = "",
    max_rows: int = MAX_ROWS,
) -> int:
    """Write the sheet into ``target`` (a path or binary file); return the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_sheet_name(title))
    workbook.properties.title = str(title) or None
    sheet.freeze_panes = "A2"
    for index, column in enumerate(columns, 1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or max(
            12, min(40, len(str(column.header)) + 4)
        )
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE3EA")
    wrap = Alignment(wrap_text=True, vertical="center")
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=_ILLEGAL.sub(" ", str(column.header)))
        cell.data_type = "s"
        cell.font, cell.fill, cell.alignment = bold, fill, wrap
        header.append(cell)
    sheet.append(header)
    count = 0
    truncated = False
    try:
        for row in _rows(rows):
            if count >= max_rows:
                truncated = True
                break
            sheet.append([_cell(sheet, read(row, column.value)) for column in columns])
            count += 1
    except BaseException:
        # Finish the sheet's XML writers in order: left to the garbage collector, they
        # close in any order and lxml raises from the collector (not in an element).
        with contextlib.suppress(Exception):
            sheet.close()
        raise
    if count:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    if truncated:
        note = WriteOnlyCell(
            sheet,
            value=_("Chỉ xuất %(n)s dòng đầu tiên; hãy lọc danh sách để xuất phần còn lại.")
            % {"n": f"{max_rows:,}".replace(",", ".")},
        )
        note.data_type = "s"
        note.font = Font(italic=True)
        sheet.append([note])
    workbook.save(target)
    return count


def xlsx_response(
    rows: Iterable[Any],
    columns: Sequence[Column],
    *,
    filename: str,
    title: str | Promise = "",
    max_rows: int = MAX_ROWS,
) -> FileResponse:
    """The list as an .xlsx download, streamed from a temporary file."""
    spool = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115 (FileResponse closes it)
    try:
        write_workbook(rows, columns, spool, title=title, max_rows=max_rows)
    except BaseException:
        spool.close()  # the response that would have closed it is never made
        raise
    spool.seek(0)
    name = slugify(fold(filename)) or "danh-sach"
    return downloads.file_response(
        spool, name=f"{name}-{timezone.localdate():%Y%m%d}", content_type=XLSX_CONTENT_TYPE
    )


def _cell(sheet: Any, value: Any) -> WriteOnlyCell:
    stored, number_format = cell_value(value)
    cell = WriteOnlyCell(sheet, value=stored)
    if isinstance(stored, str):
        # Text stays text: "=HYPERLINK(...)" typed into a story must not become a formula.
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    return cell


def _sheet_name(title: str | Promise) -> str:
    # Excel: at most 31 characters, none of []:*?/\
    name = re.sub(r"[\[\]:*?/\\]", " ", str(title)).strip()[:31]
    return name or "Sheet1"
