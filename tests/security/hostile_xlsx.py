"""Hostile workbooks built in memory: small on the wire, costly in the shape they declare.

Used by tests/security/test_hostile_spreadsheets.py (each shape just past a limit of
``campaigns.xlsx_reader.Limits``) and by benchmarks/bench_spreadsheets.py (each shape as
large as fits under MAX_UPLOAD_BYTES). Nothing binary is committed: every part is written
here, streamed into the zip a chunk at a time so that a part of hundreds of megabytes
never sits in memory whole.

Every hostile sheet is the first sheet, named "Đơn vị", and its first row holds the
required headers of every import: the units-and-people import and every awards import
(which read the first sheet when none has their name) read on past it, into the shape.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
SHEET = "Đơn vị"

Chunks = Iterable[str | bytes]


# ------------------------------------------------------------------ the package


def _write(archive: zipfile.ZipFile, name: str, chunks: Chunks) -> None:
    """Stream ``chunks`` into member ``name``, in writes of about 256 KB."""
    with archive.open(name, "w") as member:
        batch: list[bytes] = []
        size = 0
        for chunk in chunks:
            data = chunk.encode() if isinstance(chunk, str) else chunk
            batch.append(data)
            size += len(data)
            if size >= 256 * 1024:
                member.write(b"".join(batch))
                batch, size = [], 0
        member.write(b"".join(batch))


def package(
    sheets: Sequence[tuple[str, Chunks]],
    *,
    strings: Chunks | None = None,
    styles: Chunks | None = None,
    workbook_head: str = "",
    extra: dict[str, bytes] | None = None,
) -> bytes:
    """An .xlsx archive: the sheets (title, XML chunks) in order, optional shared strings
    and styles, and ``extra`` members written as they are."""
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{WORKBOOK_TYPE}"/>']
    rels = []
    entries = []
    for index, (title, _chunks) in enumerate(sheets, start=1):
        overrides.append(
            f'<Override PartName="/xl/worksheets/sheet{index}.xml" ContentType="{SHEET_TYPE}"/>'
        )
        rels.append(
            f'<Relationship Id="rId{index}" Type="{DOC_REL}/worksheet" '
            f'Target="worksheets/sheet{index}.xml"/>'
        )
        entries.append(f'<sheet name={quoteattr(title)} sheetId="{index}" r:id="rId{index}"/>')
    if strings is not None:
        overrides.append(
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{STRINGS_TYPE}"/>'
        )
        rels.append(
            f'<Relationship Id="rIdS" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
        )
    if styles is not None:
        overrides.append(f'<Override PartName="/xl/styles.xml" ContentType="{STYLES_TYPE}"/>')
        rels.append(f'<Relationship Id="rIdT" Type="{DOC_REL}/styles" Target="styles.xml"/>')
    content_types = (
        DECLARATION
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(overrides)
        + "</Types>"
    )
    root_rels = (
        DECLARATION
        + f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
        + f'Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        DECLARATION
        + f'<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}">{workbook_head}<sheets>'
        + "".join(entries)
        + "</sheets></workbook>"
    )
    workbook_rels = (
        DECLARATION + f'<Relationships xmlns="{PKG_REL}">' + "".join(rels) + "</Relationships>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        for index, (_title, chunks) in enumerate(sheets, start=1):
            _write(archive, f"xl/worksheets/sheet{index}.xml", chunks)
        if strings is not None:
            _write(archive, "xl/sharedStrings.xml", strings)
        if styles is not None:
            _write(archive, "xl/styles.xml", styles)
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def required_headers() -> tuple[str, ...]:
    """The required column labels of every import, in Vietnamese, each once (16)."""
    from django.utils import translation

    from awards import records_imports, registration_imports
    from campaigns import imports

    sheets = (
        imports.UNIT_COLUMNS,
        imports.PERSON_COLUMNS,
        records_imports.RATINGS_SHEET.columns,
        records_imports.DISCIPLINE_SHEET.columns,
        records_imports.INITIATIVES_SHEET.columns,
        records_imports.PAST_AWARDS_SHEET.columns,
        registration_imports.SHEET.columns,
    )
    with translation.override("vi"):
        labels = dict.fromkeys(str(c.label) for columns in sheets for c in columns if c.required)
    return tuple(labels)


def header_row(labels: Sequence[str] | None = None) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    labels = required_headers() if labels is None else labels
    cells = "".join(inline(f"{letters[i]}1", v) for i, v in enumerate(labels))
    return f'<row r="1">{cells}</row>'


def sheet(rows: Iterable[str], *, head: str = "", header: bool = True) -> Iterator[str]:
    """A worksheet's XML: ``head`` (dimension, columns) then the header row and ``rows``."""
    yield DECLARATION + f'<worksheet xmlns="{MAIN}">{head}<sheetData>'
    if header:
        yield header_row()
    yield from rows
    yield "</sheetData></worksheet>"


def shared_strings(items: Iterable[str], count: int) -> Iterator[str]:
    yield DECLARATION + f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">'
    yield from items
    yield "</sst>"


def repeated(text: str, times: int) -> Iterator[str]:
    """``text`` ``times`` times, in chunks of about a megabyte."""
    per_chunk = max(1, (1 << 20) // max(1, len(text)))
    while times > 0:
        n = min(per_chunk, times)
        yield text * n
        times -= n


# ------------------------------------------------------------------ the shapes


def far_empty_cells(rows: int) -> bytes:
    """The issue's 7 KB file: each row one empty cell in column XFD, the last column."""
    return package(
        [(SHEET, sheet(f'<row r="{i}"><c r="XFD{i}"/></row>' for i in range(2, rows + 2)))]
    )


def empty_rows(rows: int) -> bytes:
    """Rows holding one empty formatted cell in column A: all skipped as empty, but each
    costs a row before it is known empty."""
    return package(
        [(SHEET, sheet(f'<row r="{i}"><c r="A{i}" s="1"/></row>' for i in range(2, rows + 2)))]
    )


def far_row(row: int) -> bytes:
    """One cell in the last row of a sheet: a reader that fills the gap makes every row."""
    return package(
        [
            (
                SHEET,
                sheet([f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>x</t></is></c></row>']),
            )
        ]
    )


def huge_shared_string(chars: int) -> bytes:
    """One shared string of ``chars`` characters (the issue's was 190 MB in 195 KB)."""
    items = ["<si><t>", *repeated("a", chars), "</t></si>"]
    cells = sheet(['<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
    return package([(SHEET, cells)], strings=shared_strings(items, 1))


def many_shared_strings(count: int) -> bytes:
    """``count`` distinct shared strings, none used."""
    items = (f"<si><t>{i}</t></si>" for i in range(count))
    return package([(SHEET, sheet([]))], strings=shared_strings(items, count))


def rich_runs(runs: int) -> bytes:
    """One shared string made of ``runs`` empty formatted runs."""
    run = '<r><rPr><b/><sz val="11"/></rPr><t></t></r>'
    items = ["<si>", *repeated(run, runs), "</si>"]
    return package([(SHEET, sheet([]))], strings=shared_strings(items, 1))


def huge_inline_string(chars: int) -> bytes:
    """One inline string of ``chars`` characters in cell A2."""
    rows = [
        '<row r="2"><c r="A2" t="inlineStr"><is><t>',
        *repeated("a", chars),
        "</t></is></c></row>",
    ]
    return package([(SHEET, sheet(rows))])


def huge_value(chars: int) -> bytes:
    """A formula's text result (``t="str"``) of ``chars`` characters."""
    rows = ['<row r="2"><c r="A2" t="str"><f>A1</f><v>', *repeated("9", chars), "</v></c></row>"]
    return package([(SHEET, sheet(rows))])


def one_string_everywhere(cells: int, chars: int = 30_000) -> bytes:
    """One long shared string shown in ``cells`` cells (columns A–E): little to store,
    much to check if each cell's text is handled again."""
    letters = "ABCDE"
    rows = (
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}" t="s"><v>0</v></c>' for c in letters) + "</row>"
        for r in range(2, cells // len(letters) + 2)
    )
    items = ["<si><t>", *repeated("a", chars), "</t></si>"]
    return package([(SHEET, sheet(rows))], strings=shared_strings(items, 1))


def huge_dimension() -> bytes:
    """A sheet claiming A1:XFD1048576 while holding one row."""
    rows = ['<row r="2">' + inline("A2", "X") + "</row>"]
    return package([(SHEET, sheet(rows, head='<dimension ref="A1:XFD1048576"/>'))])


def wide_rows(rows: int) -> bytes:
    """``rows`` rows of 16,384 cells each, columns A to XFD."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i) for i in range(1, 16_385)]
    body = (
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>1</v></c>' for c in letters) + "</row>"
        for r in range(2, rows + 2)
    )
    return package([(SHEET, sheet(body))])


def many_cells(rows: int, width: int = 26) -> bytes:
    """``rows`` rows of ``width`` numeric cells: within the rows and columns read, past
    the cells of a workbook."""
    from openpyxl.utils import get_column_letter

    letters = [get_column_letter(i) for i in range(1, width + 1)]
    body = (
        f'<row r="{r}">' + "".join(f'<c r="{c}{r}"><v>{r}</v></c>' for c in letters) + "</row>"
        for r in range(2, rows + 2)
    )
    return package([(SHEET, sheet(body))])


def many_sheets(count: int) -> bytes:
    """``count`` sheets, each with a header and one row."""
    body = '<row r="2">' + inline("A2", "X") + "</row>"
    sheets = [(SHEET if i == 1 else f"Trang {i}", sheet([body])) for i in range(1, count + 1)]
    return package(sheets)


def many_elements(count: int) -> bytes:
    """``count`` empty elements of an unknown kind after the sheet's data."""
    rows = ["</sheetData><extLst>", *repeated("<x/>", count), "</extLst><sheetData>"]
    return package([(SHEET, sheet(rows))])


def deep_nesting(depth: int) -> bytes:
    """Elements nested ``depth`` deep inside the sheet's extension list."""
    rows = [
        "</sheetData><extLst>",
        *repeated("<x>", depth),
        *repeated("</x>", depth),
        "</extLst><sheetData>",
    ]
    return package([(SHEET, sheet(rows))])


_LAUGHS = (
    '<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + "]>"
)


def entity_expansion() -> bytes:
    """Billion laughs: nine nested entities, 10⁹ characters once expanded."""
    items = [DECLARATION, _LAUGHS, f'<sst xmlns="{MAIN}"><si><t>&i;</t></si></sst>']
    cells = sheet(['<row r="2"><c r="A2" t="s"><v>0</v></c></row>'])
    return package([(SHEET, cells)], strings=items)


def external_entity() -> bytes:
    """A sheet whose cell text is an external entity naming a local file."""
    head = DECLARATION + '<!DOCTYPE worksheet [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    body = (
        f'<worksheet xmlns="{MAIN}"><sheetData>{header_row()}'
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>&x;</t></is></c></row></sheetData></worksheet>'
    )
    return package([(SHEET, [head, body])])


def doctype_in_content_types() -> bytes:
    """A document type declaration in the first part any reader opens."""
    data = package([(SHEET, sheet([]))])
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(buffer, "w") as out:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                part = part.replace(b"<Types", b'<!DOCTYPE Types [<!ENTITY a "b">]><Types', 1)
            out.writestr(info.filename, part)
    return buffer.getvalue()


def many_members(count: int) -> bytes:
    """A workbook with ``count`` empty extra zip entries."""
    extra = {f"customXml/{i}": b"" for i in range(count)}
    return package([(SHEET, sheet([]))], extra=extra)


def inflated_part(megabytes: int) -> bytes:
    """A sheet padded with ``megabytes`` MB of spaces: a zip bomb by declared size."""
    rows = ["</sheetData>", *repeated(" " * 1024, megabytes * 1024), "<sheetData>"]
    return package([(SHEET, sheet(rows))])


def huge_attribute(megabytes: int) -> bytes:
    """A row whose ``spans`` attribute is ``megabytes`` MB long: a start tag the parser
    must hold whole before it can be judged."""
    rows = ['<row r="2" spans="', *repeated("đ" * 512, megabytes * 1024), '"/>']
    return package([(SHEET, sheet(rows))])


def huge_comment(megabytes: int) -> bytes:
    """A comment of ``megabytes`` MB among the rows, with a "<" every kilobyte."""
    rows = ["<!--", *repeated("<" + "x" * 1023, megabytes * 1024), "-->"]
    return package([(SHEET, sheet(rows))])


def lying_sizes() -> bytes:
    """A sheet part that inflates past the size its central directory entry declares."""
    rows = (f'<row r="{i}">' + inline(f"A{i}", f"V{i}") + "</row>" for i in range(2, 2_000))
    data = bytearray(package([(SHEET, sheet(rows))]))
    name = b"xl/worksheets/sheet1.xml"
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) >= 0:
        if data[start + 46 : start + 46 + len(name)] == name:
            struct.pack_into("<I", data, start + 24, 1_000)  # uncompressed size
        start += 4
    return bytes(data)


# ------------------------------------------------------------------ the catalogue


@dataclass(frozen=True)
class Shape:
    """A hostile shape: how to build it at size ``n``, the size the tests use (just past
    a limit), and a fragment of the message that refuses it."""

    key: str
    build: Callable[[int], bytes]
    test_size: int
    message: str
    what: str


SHAPES = (
    Shape(
        "far-empty-cells",
        far_empty_cells,
        100_000,
        "ngoài các cột được đọc",
        "rows of one empty cell in column XFD",
    ),
    Shape(
        "empty-rows",
        empty_rows,
        100_000,
        "dòng (tính cả dòng trống)",
        "rows of one empty formatted cell in column A",
    ),
    Shape("far-row", far_row, 1_048_576, "dòng (tính cả dòng trống)", "one cell in row 1,048,576"),
    Shape(
        "huge-shared-string",
        huge_shared_string,
        1_000_000,
        "ký tự",
        "one shared string of n characters",
    ),
    Shape("many-shared-strings", many_shared_strings, 300_000, "chuỗi văn bản", "n shared strings"),
    Shape(
        "rich-text-runs",
        rich_runs,
        400_000,
        "cấu trúc quá phức tạp",
        "one shared string of n formatted runs",
    ),
    Shape(
        "huge-inline-string",
        huge_inline_string,
        1_000_000,
        "ký tự",
        "one inline string of n characters",
    ),
    Shape(
        "huge-formula-value",
        huge_value,
        1_000_000,
        "ký tự",
        "a formula's cached text of n characters",
    ),
    Shape(
        "one-string-everywhere",
        one_string_everywhere,
        2_000,
        "tổng cộng quá",
        "one 30,000-character shared string in n cells",
    ),
    Shape(
        "huge-dimension",
        lambda n: huge_dimension(),
        1,
        "khai báo vùng dữ liệu",
        "a dimension of A1:XFD1048576",
    ),
    Shape("wide-rows", wide_rows, 1, "ngoài các cột được đọc", "n rows of 16,384 cells"),
    Shape("many-cells", many_cells, 12_000, "ô (tính cả ô trống", "n rows of 26 cells"),
    Shape("many-sheets", many_sheets, 60, "trang", "n sheets"),
    Shape(
        "many-elements",
        many_elements,
        1_100_000,
        "cấu trúc quá phức tạp",
        "n empty unknown elements",
    ),
    Shape("deep-nesting", deep_nesting, 100_000, "cấu trúc quá phức tạp", "elements nested n deep"),
    Shape(
        "entity-expansion",
        lambda n: entity_expansion(),
        1,
        "không phải là tệp Excel",
        "billion laughs in the shared strings",
    ),
    Shape(
        "external-entity",
        lambda n: external_entity(),
        1,
        "không phải là tệp Excel",
        "an external entity naming /etc/passwd",
    ),
    Shape(
        "doctype-content-types",
        lambda n: doctype_in_content_types(),
        1,
        "không phải là tệp Excel",
        "a DTD in [Content_Types].xml",
    ),
    Shape("many-members", many_members, 10_000, "cấu trúc quá phức tạp", "n empty zip entries"),
    Shape(
        "inflated-part",
        inflated_part,
        30,
        "quá lớn sau khi giải nén",
        "a sheet padded with n MB of spaces",
    ),
    Shape(
        "huge-attribute",
        huge_attribute,
        20,
        "cấu trúc quá phức tạp",
        "a row attribute of n MB",
    ),
    Shape("huge-comment", huge_comment, 20, "cấu trúc quá phức tạp", "a comment of n MB"),
    Shape(
        "lying-sizes",
        lambda n: lying_sizes(),
        1,
        "không phải là tệp Excel",
        "a sheet that inflates past its declared size",
    ),
)


# ------------------------------------------------------------------ a legitimate file


def excel_like(sheets: Sequence[tuple[str, Sequence[str], Sequence[Sequence[object]]]]) -> bytes:
    """A workbook as Excel saves one: every text in the shared-string table, numbers as
    numbers; ``sheets`` are (title, header, rows)."""
    from openpyxl.utils import get_column_letter

    table: dict[str, int] = {}

    def cell(ref: str, value: object) -> str:
        if isinstance(value, int | float):
            return f'<c r="{ref}"><v>{value}</v></c>'
        index = table.setdefault(str(value), len(table))
        return f'<c r="{ref}" t="s"><v>{index}</v></c>'

    parts = []
    for title, header, rows in sheets:
        body = []
        for number, values in enumerate([header, *rows], start=1):
            cells = "".join(
                cell(f"{get_column_letter(i)}{number}", v) for i, v in enumerate(values, start=1)
            )
            body.append(f'<row r="{number}">{cells}</row>')
        parts.append((title, sheet(body, header=False)))
    items = [f"<si><t>{escape(text)}</t></si>" for text in table]
    return package(parts, strings=shared_strings(items, len(items)))
