"""Reading and writing the workbooks of every Excel import: one place for the checks.

An upload is judged by its content (an xlsx is a zip holding ``[Content_Types].xml``),
by its size on the wire and once inflated (a zip bomb is small until opened), by the
shape it declares (rows, columns, cells, strings, sheets: ``xlsx_reader.Limits``, checked
while the XML streams in, before any work in proportion to that shape), and row by row
against the columns a sheet declares, whose headers are matched without diacritics or
case, in Vietnamese or in the active language. Used by the units-and-people import
(``campaigns/imports.py``) and by the awards app's imports (``awards/excel.py``).
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font, PatternFill

from . import xlsx_reader
from .text import clean_text, fold
from .xlsx_reader import ImportFileError, Limits, bad_file

__all__ = ["ImportFileError", "bad_file"]

# Per sheet; beyond this the import belongs in a batch job, not a web request.
MAX_ROWS = 20_000
# Rows a sheet may hold beyond MAX_ROWS data rows, empty ones included: the header, a
# title, blank lines. Past MAX_ROWS + EXTRA_ROWS the reader stops without reading on.
EXTRA_ROWS = 1_000
# A zip bomb is small on the wire and huge once inflated: what all entries may declare.
MAX_UNCOMPRESSED_BYTES = Limits.declared_bytes

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    required: bool
    width: int


# --------------------------------------------------------------- writing a template


def write_header(ws: Any, columns: Sequence[Column]) -> None:
    """A template sheet's first row: the columns' labels, bold, shaded, frozen."""
    ws.append([str(c.label) for c in columns])
    fill = PatternFill("solid", fgColor="F2DCDB")
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[cell.column_letter].width = column.width
    ws.freeze_panes = "A2"


# --------------------------------------------------------------- reading a file


def check_size(size: int) -> None:
    """Refuse an upload larger than ``settings.MAX_UPLOAD_BYTES``."""
    limit = settings.MAX_UPLOAD_BYTES
    if size > limit:
        raise ImportFileError(
            _("Tệp quá lớn (%(size)s). Dung lượng tối đa là %(max)s.")
            % {"size": filesizeformat(size), "max": filesizeformat(limit)}
        )


def read_upload(upload: UploadedFile) -> bytes:
    """Read an uploaded file after checking its size, then check it is a real workbook."""
    check_size(upload.size or 0)
    upload.seek(0)
    # Never trust the declared size alone: read at most one byte past the limit.
    data = upload.read(settings.MAX_UPLOAD_BYTES + 1)
    check_size(len(data))
    check_workbook(data)
    return data


def check_workbook(data: bytes) -> None:
    """Raise ImportFileError unless ``data`` is an xlsx workbook: a zip within the limits
    holding a workbook part and its list of sheets (cheap: no sheet is read yet)."""
    open_workbook(data).close()


def limits() -> Limits:
    """The reader's limits for a sheet of at most MAX_ROWS data rows."""
    return dataclasses.replace(Limits(), rows=MAX_ROWS + EXTRA_ROWS)


def open_workbook(data: bytes) -> xlsx_reader.Workbook:
    """The workbook of ``data``, or ImportFileError; the caller closes it.

    Its sheets are read row by row with ``read_sheet``, which stops at the first row,
    column, cell or string past ``limits()``.
    """
    return xlsx_reader.Workbook(data, limits())


def label_variants(label: Promise) -> set[str]:
    """The folded label in Vietnamese and in the active language."""
    with translation.override("vi"):
        vietnamese = fold(str(label))
    return {vietnamese, fold(str(label))}


def cell_text(value: Any) -> str:
    """A cell as clean text: whole numbers without ".0", dates as dd/mm/yyyy."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    elif isinstance(value, datetime.datetime | datetime.date):
        value = value.strftime("%d/%m/%Y")
    return clean_text(str(value))


@dataclass
class Sheet:
    """A sheet's rows as (row number, {column key: raw value}), header row left out."""

    title: str
    rows: list[tuple[int, dict[str, Any]]]


def read_sheet(
    ws: xlsx_reader.Worksheet, columns: Sequence[Column], errors: list[str]
) -> Sheet | None:
    """The sheet's rows under its header row; None, with the reason in ``errors``, when a
    required column is missing or the sheet has more than MAX_ROWS rows.

    Raises ImportFileError when the sheet goes past the reader's limits (``limits()``).
    """
    by_header = {variant: column for column in columns for variant in label_variants(column.label)}
    header: dict[int, str] | None = None
    data: list[tuple[int, dict[str, Any]]] = []
    for number, values in ws.rows():
        if not any(cell_text(v) for v in values):
            continue
        if header is None:
            header = {}
            for index, value in enumerate(values):
                column = by_header.get(fold(cell_text(value)))
                if column is not None and column.key not in header.values():
                    header[index] = column.key
            missing = [str(c.label) for c in columns if c.required and c.key not in header.values()]
            if missing:
                errors.append(
                    _("Trang “%(sheet)s” thiếu cột: %(columns)s.")
                    % {"sheet": ws.title, "columns": ", ".join(missing)}
                )
                return None
            continue
        if len(data) >= MAX_ROWS:
            errors.append(
                _("Trang “%(sheet)s” có quá %(max)s dòng dữ liệu; hãy chia thành nhiều tệp.")
                % {"sheet": ws.title, "max": f"{MAX_ROWS:,}".replace(",", ".")}
            )
            return None
        data.append(
            (number, {key: values[i] if i < len(values) else None for i, key in header.items()})
        )
    if header is None:
        return Sheet(ws.title, [])
    return Sheet(ws.title, data)
