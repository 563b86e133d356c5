"""A bounded, streaming reader of uploaded .xlsx workbooks: the one parser every import uses.

The cost of reading a workbook must follow its size, not the shape it declares. A 7 KB
file can declare 100,000 rows each holding one empty cell in column XFD (openpyxl then
builds 16,384 cells a row: about 170 s), and a 195 KB file one shared string of 190 MB
(112 s, 2.4 GB). So the XML parts are streamed from the archive through expat, in bounded
reads, and every limit below is checked as each element arrives: the first row, column,
cell, string or element past a limit stops the read with a plain message, before any work
proportional to what the file declares. Nothing else parses an upload's XML.

Why not openpyxl's reader behind these checks, even in read-only mode: it builds an
object per cell and per shared string, and read the largest legitimate files (20,000
rows) in 4–5 s of CPU on the 2-core machine, against 1.4–2.6 s here (figures in
docs/reliability.md, "Hostile spreadsheets"). Values come out as openpyxl's
``data_only`` read gives them (numbers, text, booleans, error codes, dates from the
cell's number format, cached results of formulas), using openpyxl's own date helpers.

A document type declaration is refused outright (no OOXML part has one), so neither
entity expansion nor external entities reach the parser.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from xml.parsers import expat

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from openpyxl.styles.numbers import builtin_format_code, is_date_format, is_timedelta_format
from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel
from openpyxl.utils.datetime import from_ISO8601 as from_iso8601

from .errors import DomainError

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main "
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships "
PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships "
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types "
WORKBOOK_TYPES = {
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
}
_WORKSHEET_REL = "/worksheet"
_STRINGS_REL = "/sharedStrings"
_STYLES_REL = "/styles"

_CHUNK = 64 * 1024
# One XML token (a start tag with its attributes, a comment): none in a workbook comes
# near; text is not one token (the parser hands it over piece by piece).
MAX_TOKEN_BYTES = 4 * 1024 * 1024
# Excel itself keeps at most 64,000 cell formats in a workbook.
MAX_CELL_STYLES = 65_536
_DIGITS = "0123456789"
_COLUMNS = {get_column_letter(i): i for i in range(1, 16_385)}


@dataclass(frozen=True)
class Limits:
    """What one upload may make the reader do; each is checked before it is exceeded."""

    # <row> elements of one sheet, empty ones included, and its highest row number.
    rows: int = 21_000
    # The highest column any cell of a sheet may sit in (26 = Z): the widest template
    # sheet (initiatives, 8 columns) plus room for a user's own notes.
    columns: int = 26
    # <c> elements of the sheets read, empty formatted ones included.
    cells: int = 200_000
    # Characters of one string: a shared string, an inline string, a cell's value.
    # Excel itself holds at most 32,767 in a cell.
    text: int = 32_767
    # Characters of the text values of the sheets read, a shared string counted at each
    # cell that shows it: one long string shown in every cell must not multiply the work
    # of the rows' checks.
    text_total: int = 10_000_000
    shared_strings: int = 200_000
    sheets: int = 50
    # The zip: entries, central directory, declared inflated size of all entries.
    members: int = 500
    directory_bytes: int = 128 * 1024
    declared_bytes: int = 200 * 1024 * 1024
    # Inflated bytes streamed from one XML part and from all parts read.
    part_bytes: int = 24 * 1024 * 1024
    total_bytes: int = 64 * 1024 * 1024
    # XML elements of all the parts read, and how deep they may nest.
    elements: int = 700_000
    depth: int = 64


class ImportFileError(DomainError):
    """The upload is not a workbook we can read (wrong type, too large, corrupt)."""


# ------------------------------------------------------------------ the messages


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)  # 21.000 in Vietnamese, 21,000 in English


def bad_file() -> ImportFileError:
    """The error for anything that is not a readable xlsx, in words a user can act on."""
    return ImportFileError(
        _(
            "Tệp không phải là tệp Excel (.xlsx) hợp lệ. Hãy lưu lại tệp bằng Excel dưới dạng "
            "“Sổ làm việc Excel (*.xlsx)” hoặc dùng tệp mẫu."
        )
    )


def too_large() -> ImportFileError:
    return ImportFileError(_("Tệp có nội dung quá lớn sau khi giải nén; hãy chia nhỏ tệp."))


def too_complex() -> ImportFileError:
    return ImportFileError(
        _(
            "Tệp có cấu trúc quá phức tạp để đọc. Hãy chép dữ liệu sang tệp mẫu, hoặc lưu lại "
            "tệp bằng Excel dưới dạng “Sổ làm việc Excel (*.xlsx)”."
        )
    )


def too_many_rows(sheet: str, limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Trang “%(sheet)s” có quá %(max)s dòng (tính cả dòng trống); hãy xóa các dòng "
            "thừa hoặc chia thành nhiều tệp."
        )
        % {"sheet": sheet, "max": _number(limit)}
    )


def too_wide(sheet: str, column: int, limit: int) -> ImportFileError:
    return ImportFileError(
        _(
            "Trang “%(sheet)s” có ô ở cột %(column)s, ngoài các cột được đọc (từ A đến "
            "%(last)s); hãy xóa các cột thừa."
        )
        % {"sheet": sheet, "column": get_column_letter(column), "last": get_column_letter(limit)}
    )


def too_many_cells(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Tệp có quá %(max)s ô (tính cả ô trống đã định dạng); hãy chia thành nhiều tệp.")
        % {"max": _number(limit)}
    )


def too_long(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Tệp có ô chứa quá %(max)s ký tự; hãy rút ngắn nội dung ô đó.") % {"max": _number(limit)}
    )


def too_much_text(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Các ô của tệp có tổng cộng quá %(max)s ký tự; hãy chia thành nhiều tệp.")
        % {"max": _number(limit)}
    )


def too_many_strings(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Tệp có quá %(max)s chuỗi văn bản; hãy chia thành nhiều tệp.") % {"max": _number(limit)}
    )


def too_many_sheets(limit: int) -> ImportFileError:
    return ImportFileError(
        _("Tệp có quá %(max)s trang; hãy chỉ giữ lại các trang cần nhập.") % {"max": limit}
    )


def dimension_too_large(sheet: str, claim: str, limits: Limits) -> ImportFileError:
    return ImportFileError(
        _(
            "Trang “%(sheet)s” khai báo vùng dữ liệu %(range)s, lớn hơn mức được đọc "
            "(%(rows)s dòng, từ cột A đến %(last)s); hãy chép dữ liệu sang một tệp mới."
        )
        % {
            "sheet": sheet,
            "range": claim[:40],
            "rows": _number(limits.rows),
            "last": get_column_letter(limits.columns),
        }
    )


# ------------------------------------------------------------------ the archive


def _coordinate(ref: str) -> tuple[int, int]:
    """(column, row) of "AB12"; ValueError when it is not a cell reference."""
    letters = ref.rstrip(_DIGITS)
    column = _COLUMNS.get(letters) or _COLUMNS.get(letters.upper().replace("$", ""))
    digits = ref[len(letters) :]
    if column is None or not digits or not digits.isascii():
        raise ValueError(ref)
    return column, int(digits)


def _check_directory(data: bytes, limits: Limits) -> None:
    """Refuse a zip whose central directory is too big, before zipfile parses it.

    zipfile builds an object per entry (about 35 µs each): 120,000 empty entries fit in
    10 MB and took 4 s. The end-of-central-directory record gives the counts.
    """
    if not data.startswith(b"PK\x03\x04"):  # also refuses a PDF or image with a zip appended
        raise bad_file()
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 22 - 65_535))
    if end < 0 or len(data) < end + 22:
        raise bad_file()
    entries, size = struct.unpack("<HI", data[end + 10 : end + 16])
    if entries > limits.members or size > limits.directory_bytes:
        raise too_complex()


class _Budget:
    """What is left of the limits shared by all the parts and sheets of one workbook."""

    def __init__(self, limits: Limits) -> None:
        self.bytes = limits.total_bytes
        self.elements = limits.elements
        self.cells = limits.cells
        self.text = limits.text_total


def _no_dtd(*_args: Any) -> None:
    raise bad_file()


def _parser() -> Any:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartDoctypeDeclHandler = _no_dtd
    parser.EntityDeclHandler = _no_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


class Workbook:
    """An uploaded workbook: its sheets by name, read one row at a time within ``limits``.

    Opening it checks the archive and reads the content types, the workbook part and
    its relationships; the shared strings, the styles and a sheet's rows are read when a
    sheet's rows are asked for. Every method raises ImportFileError, never another error.
    """

    def __init__(self, data: bytes, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._budget = _Budget(self.limits)
        _check_directory(data, self.limits)
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except Exception as exc:  # zipfile raises many types on a damaged archive
            raise bad_file() from exc
        if len(infos) > self.limits.members:
            raise too_complex()
        if sum(info.file_size for info in infos) > self.limits.declared_bytes:
            raise too_large()
        self._names = {info.filename for info in infos}
        self._strings: list[str] | None = None
        self._dates: tuple[set[str], set[str]] | None = None
        self.epoch = CALENDAR_WINDOWS_1900
        part = self._workbook_part()
        self._rels = self._relationships(part)
        self.worksheets = self._sheets(part)

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # ------------------------------------------------------------- streaming a part

    def feed(self, name: str, parser: Any) -> Iterator[None]:
        """Stream part ``name`` into ``parser``, yielding after each chunk.

        The handlers do the counting; this bounds the bytes inflated, and turns a
        corrupt archive or malformed XML into ImportFileError.
        """
        if name not in self._names:
            raise bad_file()
        info = self._zip.getinfo(name)
        if info.file_size > self.limits.part_bytes:
            raise too_large()
        read = 0
        size = _CHUNK
        try:
            with self._zip.open(info) as member:
                while chunk := member.read(size):
                    read += len(chunk)
                    if read > self.limits.part_bytes or read > self._budget.bytes:
                        raise too_large()
                    parser.Parse(chunk, False)
                    # Bytes fed since the parser's last event: a token still open (a start
                    # tag, a comment). Expat 2.5 scans such a token again from its start at
                    # each chunk, quadratic in its length (a 22 MB attribute took 11 s):
                    # a token past MAX_TOKEN_BYTES is refused, and while one is open the
                    # reads double, so that the scans add up to a few times its length.
                    pending = read - parser.CurrentByteIndex
                    if pending > MAX_TOKEN_BYTES:
                        raise too_complex()
                    size = _CHUNK if pending < _CHUNK else min(2 * size, MAX_TOKEN_BYTES)
                    yield
            parser.Parse(b"", True)
            yield
        except ImportFileError:
            raise  # a limit, raised by a handler
        except Exception as exc:
            # Malformed XML, a damaged or encrypted entry, a compression zipfile does not
            # know, a number, index or date that is not one: not a workbook we can read.
            raise bad_file() from exc
        finally:
            self._budget.bytes -= read

    def _parse_small(self, name: str, start: Any) -> None:
        """Parse a small part (content types, relationships, workbook, styles) whose
        elements only need ``start(tag, attrs)``; counted against the same budget."""
        parser = _parser()
        depth = 0
        budget = self._budget
        limit = self.limits.depth

        def on_start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth
            depth += 1
            budget.elements -= 1
            if depth > limit or budget.elements < 0:
                raise too_complex()
            start(tag, attrs)

        def on_end(_tag: str) -> None:
            nonlocal depth
            depth -= 1

        parser.StartElementHandler = on_start
        parser.EndElementHandler = on_end
        for _chunk in self.feed(name, parser):
            pass

    # -------------------------------------------------------- the package's parts

    def _workbook_part(self) -> str:
        found: list[str] = []

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == CONTENT_TYPES + "Override" and attrs.get("ContentType") in WORKBOOK_TYPES:
                found.append(attrs.get("PartName", "").lstrip("/"))

        self._parse_small("[Content_Types].xml", start)
        if not found or found[0] not in self._names:
            raise bad_file()
        return found[0]

    def _relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """Id → (type, part name) of the relationships of ``part``."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        rels: dict[str, tuple[str, str]] = {}
        if rels_name not in self._names:
            return rels

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag != PACKAGE_REL + "Relationship" or attrs.get("TargetMode") == "External":
                return
            target = attrs.get("Target", "")
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            rels[attrs.get("Id", "")] = (attrs.get("Type", ""), name)

        self._parse_small(rels_name, start)
        return rels

    def _related(self, suffix: str, fallback: str) -> str | None:
        for kind, name in self._rels.values():
            if kind.endswith(suffix) and name in self._names:
                return name
        return fallback if fallback in self._names else None

    def _sheets(self, part: str) -> list[Worksheet]:
        sheets: list[Worksheet] = []
        limit = self.limits.sheets
        count = 0

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal count
            if tag == MAIN + "sheet":
                count += 1
                if count > limit:
                    raise too_many_sheets(limit)
                kind, name = self._rels.get(attrs.get(DOC_REL + "id", ""), ("", ""))
                if kind.endswith(_WORKSHEET_REL) and name in self._names:
                    sheets.append(Worksheet(self, attrs.get("name", ""), name))
            elif tag == MAIN + "workbookPr" and attrs.get("date1904", "").lower() in ("1", "true"):
                self.epoch = CALENDAR_MAC_1904

        self._parse_small(part, start)
        return sheets

    def date_styles(self) -> tuple[set[str], set[str]]:
        """The cell style indices (as written in ``s``) whose number format is a date,
        and those among them that are durations: what openpyxl reads as dates."""
        if self._dates is not None:
            return self._dates
        custom: dict[str, str] = {}
        formats: list[str] = []
        within = [False]

        def start(tag: str, attrs: dict[str, str]) -> None:
            if tag == MAIN + "numFmt":
                custom[attrs.get("numFmtId", "")] = attrs.get("formatCode", "")
            elif tag == MAIN + "cellXfs":
                within[0] = True
            elif tag == MAIN + "cellStyles":
                within[0] = False
            elif tag == MAIN + "xf" and within[0]:
                if len(formats) >= MAX_CELL_STYLES:
                    raise too_complex()
                formats.append(attrs.get("numFmtId", "0"))

        name = self._related(_STYLES_REL, "xl/styles.xml")
        if name is not None:
            self._parse_small(name, start)
        dates: set[str] = set()
        durations: set[str] = set()
        kinds: dict[str, tuple[bool, bool]] = {}  # each format judged once
        for index, fmt_id in enumerate(formats):
            if fmt_id not in kinds:
                kinds[fmt_id] = _format_kind(custom, fmt_id)
            is_date, is_duration = kinds[fmt_id]
            if is_date:
                dates.add(str(index))
            if is_duration:
                durations.add(str(index))
        self._dates = (dates, durations)
        return self._dates

    def shared_strings(self) -> list[str]:
        """The shared-string table, each string within ``limits.text`` characters."""
        if self._strings is not None:
            return self._strings
        strings: list[str] = []
        self._strings = strings
        name = self._related(_STRINGS_REL, "xl/sharedStrings.xml")
        if name is None:
            return strings
        limits, budget = self.limits, self._budget
        parser = _parser()
        item, run_t, phonetic = MAIN + "si", MAIN + "t", MAIN + "rPh"
        parts: list[str] = []
        depth = size = 0
        collecting = in_item = False
        skip = 0

        def start(tag: str, _attrs: dict[str, str]) -> None:
            nonlocal depth, collecting, in_item, skip
            depth += 1
            budget.elements -= 1
            if depth > limits.depth or budget.elements < 0:
                raise too_complex()
            if tag == run_t:
                collecting = in_item and not skip
            elif tag == item:
                if len(strings) >= limits.shared_strings:
                    raise too_many_strings(limits.shared_strings)
                in_item = True
            elif tag == phonetic:
                skip += 1

        def end(tag: str) -> None:
            nonlocal depth, collecting, in_item, skip, size
            depth -= 1
            if tag == run_t:
                collecting = False
            elif tag == item:
                # openpyxl's reading of an escaped underscore, kept so values do not change
                strings.append("".join(parts).replace("x005F_", ""))
                parts.clear()
                size = 0
                in_item = False
            elif tag == phonetic:
                skip -= 1

        def chars(data: str) -> None:
            nonlocal size
            if collecting:
                size += len(data)
                if size > limits.text:
                    raise too_long(limits.text)
                parts.append(data)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        for _chunk in self.feed(name, parser):
            pass
        return strings


class Worksheet:
    """One sheet of a Workbook: its title, and its rows as read within the limits."""

    def __init__(self, workbook: Workbook, title: str, part: str) -> None:
        self.workbook = workbook
        self.title = title
        self.part = part

    def rows(self) -> Iterator[tuple[int, tuple[Any, ...]]]:
        """(row number, values from column A to the row's last cell) of each row that
        holds a value, in order; ImportFileError at the first row, column, cell, string
        or element past the workbook's limits."""
        book = self.workbook
        limits, budget = book.limits, book._budget
        strings = book.shared_strings()
        dates, durations = book.date_styles()
        epoch = book.epoch
        title = self.title
        parser = _parser()
        ready: list[tuple[int, tuple[Any, ...]]] = []
        cells: dict[int, Any] = {}
        text: list[str] = []
        c_tag, v_tag, t_tag, row_tag = MAIN + "c", MAIN + "v", MAIN + "t", MAIN + "row"
        inline_tag, phonetic_tag, dimension_tag = MAIN + "is", MAIN + "rPh", MAIN + "dimension"
        # Locals, not attributes: these run once or twice per XML element.
        max_depth, max_rows, max_columns, max_text = (
            limits.depth,
            limits.rows,
            limits.columns,
            limits.text,
        )
        elements_left, cells_left, text_left = budget.elements, budget.cells, budget.text
        columns, digits = _COLUMNS, _DIGITS
        depth = rows = row_number = last_row = column = size = skip = 0
        in_row = in_cell = in_inline = has_value = collecting = False
        kind = style = ""

        def start(tag: str, attrs: dict[str, str]) -> None:
            nonlocal depth, rows, row_number, column, in_row, in_cell, in_inline
            nonlocal has_value, collecting, kind, style, size, skip, elements_left, cells_left
            depth += 1
            elements_left -= 1
            if depth > max_depth or elements_left < 0:
                raise too_complex()
            if tag == c_tag:
                cells_left -= 1
                if cells_left < 0:
                    raise too_many_cells(limits.cells)
                ref = attrs.get("r")
                if ref:
                    column = columns.get(ref.rstrip(digits)) or _coordinate(ref)[0]
                else:
                    column += 1
                if column > max_columns:
                    raise too_wide(title, column, max_columns)
                kind = attrs.get("t", "n")
                style = attrs.get("s", "")
                in_cell = True
                has_value = in_inline = False
                text.clear()
                size = 0
            elif tag == v_tag:
                if in_cell:
                    has_value = collecting = True
                    text.clear()
                    size = 0
            elif tag == t_tag:
                collecting = in_inline and not skip
            elif tag == row_tag:
                rows += 1
                ref = attrs.get("r")
                row_number = int(ref) if ref else row_number + 1
                if rows > max_rows or row_number > max_rows:
                    raise too_many_rows(title, max_rows)
                in_row = True
                column = 0
                cells.clear()
            elif tag == inline_tag:
                in_inline = has_value = in_cell
            elif tag == phonetic_tag:
                skip += 1
            elif tag == dimension_tag:
                claim = attrs.get("ref", "")
                try:
                    last_column, last = _coordinate(claim.rpartition(":")[2])
                except ValueError:
                    return  # a wrong claim is ignored, as openpyxl's reset_dimensions does
                if last > max_rows or last_column > max_columns:
                    raise dimension_too_large(title, claim, limits)

        def end(tag: str) -> None:
            nonlocal depth, in_row, in_cell, in_inline, collecting, last_row, skip, text_left
            depth -= 1
            if tag == c_tag:
                in_cell = collecting = False
                if in_row and has_value:
                    raw = "".join(text)
                    # The two commonest kinds inline; the rest as openpyxl reads them.
                    if kind == "s" and raw.isdigit():
                        value: Any = strings[int(raw)]
                    elif kind == "n" and raw and not style and raw.isdigit():
                        value = int(raw)
                    else:
                        value = _value(kind, raw, style, strings, dates, durations, epoch)
                    if value is not None:
                        if value.__class__ is str:
                            text_left -= len(value)
                            if text_left < 0:
                                raise too_much_text(limits.text_total)
                        cells[column] = value
            elif tag in (v_tag, t_tag):
                collecting = False
            elif tag == row_tag:
                in_row = False
                # Rows out of order are dropped, as openpyxl drops them.
                if cells and row_number > last_row:
                    width = max(cells)
                    ready.append((row_number, tuple(cells.get(i) for i in range(1, width + 1))))
                if row_number > last_row:
                    last_row = row_number
            elif tag == inline_tag:
                in_inline = False
            elif tag == phonetic_tag:
                skip -= 1

        def chars(data: str) -> None:
            nonlocal size
            if collecting:
                size += len(data)
                if size > max_text:
                    raise too_long(max_text)
                text.append(data)

        parser.StartElementHandler = start
        parser.EndElementHandler = end
        parser.CharacterDataHandler = chars
        try:
            for _chunk in book.feed(self.part, parser):
                if ready:
                    yield from ready
                    ready.clear()
        finally:
            budget.elements, budget.cells, budget.text = elements_left, cells_left, text_left


def _format_kind(custom: dict[str, str], fmt_id: str) -> tuple[bool, bool]:
    """(is a date, is a duration) for a number format id, as openpyxl judges it."""
    if fmt_id in custom:
        code: str | None = custom[fmt_id]
    elif fmt_id.isdigit() and len(fmt_id) <= 4:
        code = builtin_format_code(int(fmt_id))
    else:
        code = None
    # Excel keeps a format code within 255 characters; a longer one is no date of ours,
    # and openpyxl's patterns would take quadratic time on it.
    if not code or len(code) > 255 or not is_date_format(code):
        return False, False
    return True, is_timedelta_format(code)


def _value(
    kind: str,
    text: str,
    style: str,
    strings: list[str],
    dates: set[str],
    durations: set[str],
    epoch: Any,
) -> Any:
    """A cell's value as openpyxl's data_only reading gives it."""
    if kind == "inlineStr":
        return text
    if not text:
        return None
    if kind == "n":
        number: int | float = (
            float(text) if ("." in text or "e" in text or "E" in text) else int(text)
        )
        if style and style in dates:
            try:
                return from_excel(number, epoch, timedelta=style in durations)
            except (OverflowError, ValueError):
                return "#VALUE!"
        return number
    if kind == "s":
        return strings[int(text)]
    if kind == "b":
        return bool(int(text))
    if kind == "d":
        return from_iso8601(text)
    return text  # "str" (a formula's text result), "e" (an error code)
