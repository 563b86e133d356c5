"""Excel imports of the awards app: one sheet → checked rows → preview → confirm.

Each import has the shape of the import of units and people (campaigns/imports.py,
whose file checks, sheet reader and stash it reuses, so both accept the same files):

- the upload is judged by its size and content, never by its name;
- every row is parsed and checked against the database and shown with its errors;
- nothing is written unless every row is valid, and then in one transaction;
- between preview and confirm the file waits on the shared storage (the session
  holds only its token) and is parsed and checked again on confirm, against the
  database as it stands then.

A concrete import subclasses ``SheetImport`` (its sheet, ``check`` and ``write``);
``upload_view``, ``confirm_view`` and ``template_response`` are the three requests.
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import TextChoices
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from campaigns import downloads, spreadsheets
from campaigns import imports as org_imports
from campaigns.errors import DomainError
from campaigns.import_forms import ImportUploadForm
from campaigns.spreadsheets import Column, ImportFileError
from campaigns.text import clean_text, fold

User = AbstractBaseUser | AnonymousUser

CREATE, UPDATE, SAME = "create", "update", "same"
MIN_YEAR, MAX_YEAR = 1945, 2100
GUIDE_SHEET = gettext_lazy("Hướng dẫn")
XLSX_CONTENT_TYPE = spreadsheets.XLSX_CONTENT_TYPE

_DATE_TEXT = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_LIST_SPLIT = re.compile(r"[,;\n]+")


# --------------------------------------------------------------------------- rows


@dataclass
class Row:
    """One data row: its cells as text (shown), its parsed values, its errors."""

    row: int
    cells: dict[str, str]
    raw: dict[str, Any]
    errors: list[str] = field(default_factory=list)
    action: str = CREATE
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Counts:
    create: int = 0
    update: int = 0
    same: int = 0
    errors: int = 0


@dataclass
class Preview:
    rows: list[Row] = field(default_factory=list)
    # Problems with the file as a whole (missing columns, no data, too many rows).
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in self.rows)

    @property
    def counts(self) -> Counts:
        counts = Counts()
        for row in self.rows:
            if row.errors:
                counts.errors += 1
            else:
                setattr(counts, row.action, getattr(counts, row.action) + 1)
        return counts


@dataclass(frozen=True)
class Sheet:
    """The file's contract: sheet name, columns (headers stay Vietnamese), an example row."""

    name: Promise
    columns: tuple[Column, ...]
    example: tuple[Any, ...]
    # Column keys whose cells must stay text ("001" is not the number 1).
    text_columns: tuple[str, ...] = ()


# ------------------------------------------------------------------ the template


def build_template(
    sheet: Sheet,
    *,
    guide: Sequence[str],
    pick_lists: dict[str, tuple[str, Sequence[str]]] | None = None,
    reference: tuple[str, Sequence[tuple[str, str]]] | None = None,
) -> bytes:
    """The blank workbook: header, one example row, a guide sheet, pick lists.

    ``pick_lists`` maps a column key to (title, allowed values) listed on the
    guide sheet and offered in the column's cells; ``reference`` is a titled
    two-column table (code, name) written on the guide sheet for lookup.
    """
    pick_lists = pick_lists or {}
    max_row = spreadsheets.MAX_ROWS + 1
    with translation.override("vi"):
        wb = Workbook()
        ws = wb.active
        ws.title = str(sheet.name)
        spreadsheets.write_header(ws, sheet.columns)
        ws.append(list(sheet.example))
        letters = {
            c.key: ws.cell(row=1, column=i).column_letter for i, c in enumerate(sheet.columns, 1)
        }
        for key in sheet.text_columns:
            ws.column_dimensions[letters[key]].number_format = "@"

        notes = wb.create_sheet(str(GUIDE_SHEET))
        notes.column_dimensions["A"].width = 100
        for line in guide:
            notes.append([line])
        notes["A1"].font = Font(bold=True, size=13)
        column = 3
        for key, (title, values) in pick_lists.items():
            letter = notes.cell(row=1, column=column).column_letter
            notes.column_dimensions[letter].width = 36
            notes.cell(row=1, column=column, value=title).font = Font(bold=True)
            for offset, value in enumerate(values, start=2):
                notes.cell(row=offset, column=column, value=value)
            check = DataValidation(
                type="list",
                formula1=f"'{notes.title}'!${letter}$2:${letter}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=title,
                error=_("Chọn một giá trị trong danh sách."),
            )
            check.add(f"{letters[key]}2:{letters[key]}{max_row}")
            ws.add_data_validation(check)
            column += 2
        if reference is not None:
            title, pairs = reference
            code_letter = notes.cell(row=1, column=column).column_letter
            name_letter = notes.cell(row=1, column=column + 1).column_letter
            notes.column_dimensions[code_letter].width = 16
            notes.column_dimensions[name_letter].width = 60
            notes.cell(row=1, column=column, value=title).font = Font(bold=True)
            for offset, (code, name) in enumerate(pairs, start=2):
                notes.cell(row=offset, column=column, value=code)
                notes.cell(row=offset, column=column + 1, value=name)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------- reading a file


def read_sheet(data: bytes, sheet: Sheet) -> Preview:
    """Rows of the sheet named ``sheet.name`` (else of the first sheet), as text and raw values.

    Raises ImportFileError when the file is not a readable workbook.
    """
    wb = spreadsheets.open_workbook(data)
    errors: list[str] = []
    parsed = None
    try:
        # A sheet past the reader's limits, or corrupt, raises ImportFileError as it streams.
        names = spreadsheets.label_variants(sheet.name)
        worksheets = list(wb.worksheets)
        chosen = next((ws for ws in worksheets if fold(ws.title) in names), None)
        if chosen is None and worksheets:
            chosen = worksheets[0]
        if chosen is not None:
            parsed = spreadsheets.read_sheet(chosen, sheet.columns, errors)
    finally:
        wb.close()
    preview = Preview(errors=errors)
    if parsed is None:
        if not errors:
            errors.append(_("Tệp không có trang dữ liệu nào."))
        return preview
    for number, raw in parsed.rows:
        cells = {c.key: spreadsheets.cell_text(raw.get(c.key)) for c in sheet.columns}
        preview.rows.append(Row(row=number, cells=cells, raw=raw))
    if not preview.rows and not errors:
        errors.append(_("Tệp không có dòng dữ liệu nào."))
    return preview


# ------------------------------------------------------------------ cell parsers


def choice_lookup(
    choices: type[TextChoices], aliases: dict[str, str] | None = None
) -> dict[str, str]:
    """Folded value, Vietnamese label, current-language label (and aliases) → stored value."""
    lookup: dict[str, str] = {}
    for member in choices:
        lookup[fold(member.value)] = member.value
        for variant in spreadsheets.label_variants(member.label):
            lookup[variant] = member.value
    for alias, value in (aliases or {}).items():
        lookup[fold(alias)] = value
    return lookup


def parse_choice(
    row: Row, key: str, lookup: dict[str, str], choices: type[TextChoices], what: str
) -> str:
    """The stored value of a pick-list cell, or "" with an error on the row."""
    text = row.cells.get(key, "")
    if not text:
        row.errors.append(_("Chưa nhập %(what)s.") % {"what": what})
        return ""
    value = lookup.get(fold(text), "")
    if not value:
        row.errors.append(
            _("%(what)s “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
            % {
                "what": what[:1].upper() + what[1:],
                "value": text,
                "choices": "; ".join(str(label) for label in choices.labels),
            }
        )
    return value


def parse_year(row: Row, key: str, *, what: str, required: bool = True) -> int | None:
    """A year between 1945 and this year (records and history are never in the future)."""
    text = row.cells.get(key, "")
    value = row.raw.get(key)
    if not text:
        if required:
            row.errors.append(_("Chưa nhập %(what)s.") % {"what": what})
        return None
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif text.isdigit() and text.isascii():
        year = int(text)
    high = timezone.localdate().year
    if year is None or not MIN_YEAR <= year <= high:
        row.errors.append(
            _("%(what)s “%(value)s” không hợp lệ; phải là năm từ %(min)d đến %(max)d.")
            % {"what": what[:1].upper() + what[1:], "value": text, "min": MIN_YEAR, "max": high}
        )
        return None
    return year


def parse_date(
    row: Row, key: str, *, what: str, required: bool = False, future: bool = False
) -> datetime.date | None:
    """A date cell: an Excel date, or text dd/mm/yyyy (or yyyy-mm-dd); not after today
    unless ``future``."""
    text = row.cells.get(key, "")
    value = row.raw.get(key)
    if not text:
        if required:
            row.errors.append(_("Chưa nhập %(what)s.") % {"what": what})
        return None
    date: datetime.date | None = None
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    else:
        match = _DATE_TEXT.match(text)
        parts: tuple[int, int, int] | None = None
        if match:
            parts = (int(match[3]), int(match[2]), int(match[1]))
        else:
            match = _ISO_DATE.match(text)
            if match:
                parts = (int(match[1]), int(match[2]), int(match[3]))
        if parts is not None:
            try:
                date = datetime.date(*parts)
            except ValueError:
                date = None
    if date is None or not MIN_YEAR <= date.year <= MAX_YEAR:
        row.errors.append(
            _(
                "%(what)s “%(value)s” không hợp lệ; nhập ngày dạng ngày/tháng/năm (ví dụ 05/03/2024)."
            )
            % {"what": what[:1].upper() + what[1:], "value": text}
        )
        return None
    if not future and date > timezone.localdate():
        row.errors.append(
            _("%(what)s “%(value)s” ở sau ngày hôm nay.")
            % {"what": what[:1].upper() + what[1:], "value": text}
        )
        return None
    return date


def parse_text(row: Row, key: str, *, what: str, max_length: int, required: bool = False) -> str:
    text = clean_text(row.cells.get(key, ""))
    if required and not text:
        row.errors.append(_("Chưa nhập %(what)s.") % {"what": what})
    if len(text) > max_length:
        row.errors.append(
            _("%(what)s dài quá %(max)d ký tự.")
            % {"what": what[:1].upper() + what[1:], "max": max_length}
        )
    return text


def split_codes(text: str) -> list[str]:
    """Codes written in one cell, separated by commas, semicolons or line breaks."""
    return [part for part in (clean_text(p) for p in _LIST_SPLIT.split(text or "")) if part]


def mark_duplicates(rows: Iterable[Row], key: Callable[[Row], Any], message: str) -> None:
    """Put ``message`` (with %(row)d = the first row) on every later row with the same key.

    Rows whose key is None (not parsed) are left alone.
    """
    first: dict[Any, Row] = {}
    for row in rows:
        value = key(row)
        if value is None:
            continue
        if value in first:
            row.errors.append(message % {"row": first[value].row})
        else:
            first[value] = row


def chunks(items: Sequence[Any], size: int = 500) -> Iterable[Sequence[Any]]:
    """Keep every IN () small: SQLite refuses statements with too many parameters."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


# --------------------------------------------------------------------- an import


@dataclass(frozen=True)
class Result:
    created: int
    updated: int
    unchanged: int


class SheetImport:
    """One import: a sheet, a check of its rows, and the write of checked rows.

    Subclasses set ``sheet`` and implement ``check`` (fill ``row.data``,
    ``row.errors`` and ``row.action``) and ``write`` (rows to create or update,
    inside the transaction; return nothing, raise DomainError to refuse).
    """

    sheet: Sheet

    def __init__(self, *, user: User) -> None:
        self.user = user

    def preview(self, data: bytes) -> Preview:
        preview = read_sheet(data, self.sheet)
        if preview.rows and not preview.errors:
            self.check(preview.rows)
        return preview

    def check(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def write(self, rows: list[Row]) -> None:
        raise NotImplementedError

    def apply(self, preview: Preview) -> Result:
        """Write a checked preview in one transaction: every row or none."""
        if preview.has_errors:
            raise DomainError(
                _("Tệp còn lỗi; không có dữ liệu nào được ghi. Hãy sửa tệp và nhập lại.")
            )
        todo = [r for r in preview.rows if r.action != SAME]
        try:
            with transaction.atomic():
                self.write(todo)
        except IntegrityError as exc:
            raise DomainError(
                _(
                    "Dữ liệu vừa được người khác thay đổi nên không thể nhập; không có dữ liệu "
                    "nào được ghi. Hãy tải tệp lên lại để kiểm tra."
                )
            ) from exc
        counts = preview.counts
        return Result(counts.create, counts.update, counts.same)


# ---------------------------------------------------------------- the requests


@dataclass
class ImportPage:
    """What the upload, preview and confirm pages of one import need to know."""

    importer: SheetImport
    session_key: str
    title: str
    breadcrumbs: list[tuple[str, str]]
    upload_url: str
    confirm_url: str
    template_url: str
    done_url: str
    template_name: str
    guide: list[str]
    template_builder: Callable[[], bytes]


def _forget(request: HttpRequest, page: ImportPage) -> None:
    pending = request.session.pop(page.session_key, None)
    if isinstance(pending, dict) and pending.get("token"):
        org_imports.drop_stash(pending["token"])


def _preview_response(
    request: HttpRequest, page: ImportPage, preview: Preview, token: str
) -> HttpResponse:
    rows, hidden = org_imports.rows_to_show(preview.rows)
    columns = page.importer.sheet.columns
    shown = [(row, [row.cells.get(c.key, "") for c in columns]) for row in rows]
    return render(
        request,
        "awards/records_import_preview.html",
        {
            "page": page,
            "preview": preview,
            "counts": preview.counts,
            "columns": [str(c.label) for c in columns],
            "rows": shown,
            "hidden": hidden,
            "row_limit": org_imports.PREVIEW_ROW_LIMIT,
            "token": token,
            "form": ImportUploadForm(),
        },
    )


def upload_view(request: HttpRequest, page: ImportPage) -> HttpResponse:
    """GET: the upload page; POST: check the file and show the preview (nothing written)."""
    context = {"page": page}
    if request.method != "POST":
        return render(
            request, "awards/records_import.html", {**context, "form": ImportUploadForm()}
        )
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            preview = page.importer.preview(form.content)
        except ImportFileError as error:
            form.add_error("file", error.message)
        else:
            _forget(request, page)
            token = ""
            if not preview.has_errors:
                token = org_imports.stash(form.content)
                request.session[page.session_key] = {"token": token, "user": request.user.pk}
            return _preview_response(request, page, preview, token)
    return render(request, "awards/records_import.html", {**context, "form": form})


def confirm_view(request: HttpRequest, page: ImportPage) -> HttpResponse:
    """POST: check the stored file again and write it, all rows or none."""
    pending = request.session.get(page.session_key)
    token = request.POST.get("token", "")
    if (
        not isinstance(pending, dict)
        or pending.get("user") != request.user.pk
        or pending.get("token") != token
    ):
        messages.error(
            request,
            _("Không có tệp nào đang chờ xác nhận, hoặc tệp đã được thay. Hãy tải tệp lên lại."),
        )
        return redirect(page.upload_url)
    data = org_imports.load_stash(token)
    _forget(request, page)
    if data is None:
        messages.error(request, _("Tệp chờ xác nhận không còn nữa. Hãy tải tệp lên lại."))
        return redirect(page.upload_url)
    try:
        preview = page.importer.preview(data)
        if preview.has_errors:
            messages.error(
                request,
                _("Dữ liệu đã thay đổi từ lúc kiểm tra và tệp nay có lỗi; chưa có gì được ghi."),
            )
            return _preview_response(request, page, preview, "")
        result = page.importer.apply(preview)
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect(page.upload_url)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(page.upload_url)
    messages.success(
        request,
        _("Đã nhập xong: thêm mới %(created)d, cập nhật %(updated)d, bỏ qua %(same)d dòng đã có.")
        % {"created": result.created, "updated": result.updated, "same": result.unchanged},
    )
    return redirect(page.done_url)


def template_response(page: ImportPage) -> HttpResponse:
    return downloads.file_response(
        page.template_builder(), name=page.template_name, content_type=XLSX_CONTENT_TYPE
    )
