"""The bounded reader of uploads (campaigns/xlsx_reader.py) gives the values openpyxl's
``data_only`` reading gives: the imports' checks were written against those.

Compared cell by cell on a workbook openpyxl writes (every type it writes) and on parts
written by hand the way Excel and other tools write them (shared strings with rich text
and phonetic runs, formulas' cached results, errors, booleans, ISO dates, built-in and
custom date formats, durations, the 1904 calendar, cells and rows without references,
prefixed namespaces, rows out of order).
"""

from __future__ import annotations

import datetime
import io
import warnings

import pytest
from openpyxl import Workbook, load_workbook

from campaigns import xlsx_reader
from campaigns.xlsx_reader import ImportFileError, Limits
from tests.security import hostile_xlsx as build


def ours(data: bytes) -> dict[str, list[tuple[int, tuple]]]:
    with xlsx_reader.Workbook(data) as wb:
        return {ws.title: list(ws.rows()) for ws in wb.worksheets}


def openpyxls(data: bytes) -> dict[str, list[tuple[int, tuple]]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        out = {}
        for ws in wb.worksheets:
            ws.reset_dimensions()
            rows = []
            for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
                cells = list(values)
                while cells and cells[-1] is None:
                    cells.pop()
                if cells:
                    rows.append((number, tuple(cells)))
            out[ws.title] = rows
        wb.close()
    return out


def test_it_reads_what_openpyxl_writes_as_openpyxl_reads_it():
    wb = Workbook()
    ws = wb.active
    ws.title = "Dữ liệu"
    ws.append(["Mã", "Tên", "Số", "Ngày"])
    ws.append(["001", "Nguyễn Văn An", 1985, datetime.date(2024, 3, 5)])
    ws.append([None, "  khoảng trắng  ", 1.5, datetime.datetime(2024, 3, 5, 14, 30)])
    ws.append([True, False, -12345678901234, datetime.time(8, 15)])
    ws.append([])
    ws.append(["", "=A2&B2", 0.1 + 0.2, 1e-7])
    ws["F7"] = 45000
    ws["F7"].number_format = "dd/mm/yyyy"
    ws["G7"] = 0.25
    ws["G7"].number_format = "0%"
    ws["H9"] = "xa"
    other = wb.create_sheet("Trang hai")
    other.append(["một", 2])
    buffer = io.BytesIO()
    wb.save(buffer)
    data = buffer.getvalue()
    assert ours(data) == openpyxls(data)
    assert ours(data)["Dữ liệu"][1] == (
        2,
        ("001", "Nguyễn Văn An", 1985, datetime.datetime(2024, 3, 5)),
    )


MAIN = build.MAIN
STYLES = (
    build.DECLARATION
    + f'<styleSheet xmlns="{MAIN}">'
    + '<numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy;@"/>'
    + '<numFmt numFmtId="165" formatCode="[h]:mm:ss"/></numFmts>'
    + '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    + '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    + '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    + '<cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs>'
    + '<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    + '<xf numFmtId="165"/><xf numFmtId="10"/></cellXfs>'
    + '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    + "</styleSheet>"
)
STRINGS = [
    "<si><t>Mã</t></si>",
    '<si><r><t xml:space="preserve">Nguyễn </t></r><r><rPr><b/></rPr><t>Văn An</t></r></si>',
    '<si><t>東京</t><rPh sb="0" eb="2"><t>トウキョウ</t></rPh><phoneticPr fontId="1"/></si>',
    "<si><t>a_x005F_x000D_b</t></si>",
    "<si><t/></si>",
]
ROWS = [
    '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>',
    '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c><c r="C2" t="s"><v>4</v></c></row>',
    '<row r="3"><c r="A3" s="1"><v>45356</v></c><c r="B3" s="2"><v>45356.5</v></c>'
    '<c r="C3" s="3"><v>1.5</v></c><c r="D3" s="4"><v>0.25</v></c><c r="E3" s="1"/></row>',
    '<row r="4"><c r="A4" t="str"><f>A1&amp;B1</f><v>MãNguyễn</v></c><c r="B4" t="e"><v>#N/A</v></c>'
    '<c r="C4" t="b"><v>1</v></c><c r="D4" t="d"><v>2024-03-05T00:00:00</v></c>'
    '<c r="E4"><f>1+1</f></c><c r="F4"><v>1E3</v></c></row>',
    # cells and rows without references
    '<row><c t="inlineStr"><is><t>không r</t></is></c><c><v>7</v></c></row>',
    '<row r="9"><c r="C9" t="inlineStr"><is><r><t>rich</t></r><r><t> inline</t></r></is></c></row>',
    # out of order: dropped, as openpyxl drops it
    '<row r="8"><c r="A8"><v>8</v></c></row>',
    '<row r="12"><c r="Z12"><v>26</v></c></row>',
]


def test_it_reads_parts_written_as_excel_writes_them_as_openpyxl_reads_them():
    data = build.package(
        [("Excel", build.sheet(ROWS, header=False))],
        strings=build.shared_strings(STRINGS, len(STRINGS)),
        styles=[STYLES],
    )
    assert ours(data) == openpyxls(data)
    rows = dict(ours(data)["Excel"])
    assert rows[2] == ("東京", "a_x000D_b", "")
    assert rows[3][:2] == (datetime.datetime(2024, 3, 5), datetime.datetime(2024, 3, 5, 12))
    assert rows[3][2] == datetime.timedelta(days=1.5)
    assert 8 not in rows and rows[12][25] == 26


def test_the_1904_calendar_and_a_prefixed_namespace():
    rows = [
        '<x:row r="1"><x:c r="A1" s="1"><x:v>1</x:v></x:c><x:c r="B1"><x:v>3</x:v></x:c></x:row>'
    ]
    head = build.DECLARATION + f'<x:worksheet xmlns:x="{MAIN}"><x:sheetData>'
    data = build.package(
        [("Mac", [head, *rows, "</x:sheetData></x:worksheet>"])],
        styles=[STYLES],
        workbook_head='<workbookPr date1904="1"/>',
    )
    assert ours(data) == openpyxls(data)
    assert ours(data)["Mac"] == [(1, (datetime.datetime(1904, 1, 2), 3))]


@pytest.mark.parametrize(
    ("rows", "error"),
    [
        ('<row r="2"><c r="A2" t="s"><v>5</v></c></row>', "shared-string index past the table"),
        ('<row r="2"><c r="A2"><v>abc</v></c></row>', "a number that is not one"),
        ('<row r="2"><c r="?2"><v>1</v></c></row>', "a reference that is not one"),
        ('<row r="x"><c r="A2"><v>1</v></c></row>', "a row number that is not one"),
        ('<row r="2"><c r="A2"><v>1</c></row>', "malformed XML"),
        (
            '<row r="2"><c r="A2" t="inlineStr"><is><t>&nbsp;</t></is></c></row>',
            "an undefined entity",
        ),
    ],
    ids=lambda v: v if " " in v else None,
)
def test_a_corrupt_sheet_is_refused_as_not_an_xlsx(rows, error):
    data = build.package(
        [("Hỏng", build.sheet([rows], header=False))], strings=build.shared_strings([], 0)
    )
    with pytest.raises(ImportFileError) as refused:
        ours(data)
    assert "không phải là tệp Excel" in refused.value.message


def test_the_limits_are_the_readers_own():
    small = Limits(rows=3, columns=2, cells=4)
    rows = [f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 4)]
    data = build.package([("Nhỏ", build.sheet(rows, header=False))])
    with xlsx_reader.Workbook(data, small) as wb:
        assert [n for n, _ in wb.worksheets[0].rows()] == [1, 2, 3]
    more = build.package([("Nhỏ", build.sheet([*rows, '<row r="4"/>'], header=False))])
    with xlsx_reader.Workbook(more, small) as wb, pytest.raises(ImportFileError):
        list(wb.worksheets[0].rows())


def test_the_faster_text_cleaning_means_what_it_meant():
    """clean_text and clean_multiline (every cell of an import passes through the first)
    give what the per-character versions gave, on strings full of controls, spaces of
    every kind, combining marks and characters outside the basic plane."""
    import random
    import re
    import unicodedata

    from campaigns.text import clean_multiline, clean_text

    spaces = re.compile(r"\s+")

    def control(ch: str) -> bool:
        return unicodedata.category(ch).startswith("C")

    def old_text(value: str) -> str:
        value = "".join(" " if control(ch) else ch for ch in unicodedata.normalize("NFC", value))
        return spaces.sub(" ", value).strip()

    def old_multiline(value: str) -> str:
        value = unicodedata.normalize("NFC", value).replace("\r\n", "\n")
        lines = ["".join(" " if control(ch) else ch for ch in line) for line in value.split("\n")]
        return "\n".join(spaces.sub(" ", line).strip() for line in lines).strip()

    draw = random.Random(12)
    pool = [0, 9, 10, 13, 0x1C, 0x85, 0xA0, 0xAD, 0x200B, 0x2028, 0x3000, 0xFEFF, 0x0301, 0x1EA1]
    for _ in range(5_000):
        value = "".join(
            chr(
                draw.choice(
                    [draw.choice(pool), draw.randrange(0x20, 0x250), draw.randrange(0x110000)]
                )
            )
            for _ in range(draw.randrange(25))
        )
        assert clean_text(value) == old_text(value), repr(value)
        assert clean_multiline(value) == old_multiline(value), repr(value)
