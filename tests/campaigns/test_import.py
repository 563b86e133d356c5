"""Excel import of units and people: the template, the checks, the apply, the views."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Sequence
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from campaigns import imports, spreadsheets
from campaigns.errors import DomainError
from campaigns.import_views import SESSION_KEY
from campaigns.models import Gender, Person, Role, Unit, UnitKind
from tests.factories import PersonFactory, RoleFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

UNIT_HEADER = ["Mã đơn vị", "Tên đầy đủ", "Tên viết tắt", "Loại đơn vị", "Mã đơn vị cấp trên"]
PERSON_HEADER = ["Mã đơn vị", "Họ và tên", "Chức vụ", "Giới tính", "Năm sinh", "Mã cán bộ"]
NOT_XLSX = "Tệp không phải là tệp Excel (.xlsx) hợp lệ"


def workbook(
    units: Sequence[Sequence[Any]] = (),
    people: Sequence[Sequence[Any]] = (),
    *,
    unit_header: Sequence[str] = UNIT_HEADER,
    person_header: Sequence[str] = PERSON_HEADER,
    sheet_names: tuple[str, str] = ("Đơn vị", "Cá nhân"),
) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet_names[0]
    ws.append(list(unit_header))
    for row in units:
        ws.append(list(row))
    ws = wb.create_sheet(sheet_names[1])
    ws.append(list(person_header))
    for row in people:
        ws.append(list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name: str = "don-vi.xlsx"):
    file = SimpleUploadedFile(name, data, content_type=spreadsheets.XLSX_CONTENT_TYPE)
    return client.post(reverse("org:import"), {"file": file})


def confirm(client, token: str | None = None):
    if token is None:
        token = client.session[SESSION_KEY]["token"]
    return client.post(reverse("org:import_confirm"), {"token": token})


def stored_files() -> list[str]:
    if not default_storage.exists(imports.STASH_DIR):
        return []
    return default_storage.listdir(imports.STASH_DIR)[1]


def snapshot() -> tuple[int, int, int, int]:
    return (
        Unit.objects.count(),
        Person.objects.count(),
        Unit.history.count(),
        Person.history.count(),
    )


VALID_UNITS = [
    # The child comes first: the import must create its parent before it.
    ["P1", "Phòng Tổng hợp", "PTH", "Phòng, ban", "D1"],
    ["D1", "Vụ Thi đua – Khen thưởng", "Vụ TĐKT", "department", "X"],
]
VALID_PEOPLE = [
    ["P1", "Trần Thị Bình", "Chuyên viên", "Nữ", 1990, "CB001"],
    ["D1", "Lê Văn Cường", "Vụ trưởng", "Nam", "1975", ""],
    ["X1", "Phạm Thu Hà", "", "", None, "CB002"],
]


# ------------------------------------------------------------------ the template


def test_it_serves_a_template_with_vietnamese_headers(client_for, hr):
    response = client_for(hr).get(reverse("org:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == spreadsheets.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Đơn vị"][1]] == UNIT_HEADER
    assert [c.value for c in wb["Cá nhân"][1]] == PERSON_HEADER
    # One example row per sheet, hung under the user's own body.
    assert wb["Đơn vị"].max_row == 2
    assert wb["Đơn vị"]["E2"].value == "X"
    assert wb["Cá nhân"].max_row == 2


def test_the_template_imports_cleanly_as_it_is(hr):
    preview = imports.preview_import(imports.build_template(user=hr), user=hr)
    assert not preview.has_errors
    assert [r.action for r in preview.units] == ["create"]
    assert [r.action for r in preview.people] == ["create"]


# ----------------------------------------------------------- a valid file, end to end


def test_it_creates_units_and_people_from_a_valid_file(client_for, hr, org):
    client = client_for(hr)
    response = upload(client, workbook(VALID_UNITS, VALID_PEOPLE))
    assert response.status_code == 200
    assert "Xác nhận nhập" in response.text
    assert "disabled" not in response.text.split("Xác nhận nhập")[0].rsplit("<button", 1)[1]
    assert len(stored_files()) == 1

    response = confirm(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("org:unit_tree")

    d1, p1 = Unit.objects.get(code="D1"), Unit.objects.get(code="P1")
    assert d1.parent == org.x and p1.parent == d1
    assert d1.path.startswith(org.x.path) and p1.path.startswith(d1.path)
    assert (d1.depth, p1.depth) == (org.x.depth + 1, org.x.depth + 2)
    assert p1.kind == UnitKind.DIVISION and d1.kind == UnitKind.DEPARTMENT
    assert d1.short_name == "Vụ TĐKT"

    binh = Person.objects.get(staff_code="CB001")
    assert (binh.unit, binh.gender, binh.birth_year) == (p1, Gender.FEMALE, 1990)
    cuong = Person.objects.get(full_name="Lê Văn Cường")
    assert (cuong.unit, cuong.birth_year, cuong.staff_code) == (d1, 1975, None)
    assert cuong.search_text == "le van cuong"
    assert Person.objects.get(staff_code="CB002").unit == org.x1

    assert d1.history.get().history_user == hr
    assert binh.history.get().history_user == hr
    assert stored_files() == []
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).text
    assert "thêm mới 2 và cập nhật 0 đơn vị" in page
    assert "thêm mới 3 và cập nhật 0 cá nhân" in page


def test_reimporting_the_same_file_updates_instead_of_duplicating(client_for, hr, org):
    client = client_for(hr)
    data = workbook(VALID_UNITS, VALID_PEOPLE)
    upload(client, data)
    confirm(client)
    before = snapshot()

    response = upload(client, data)
    assert [r.action for r in response.context["preview"].units] == ["same", "same"]
    assert {r.action for r in response.context["preview"].people} == {"same"}
    confirm(client)
    # Nothing changed, so not even a history row was written.
    assert snapshot() == before

    units = [list(r) for r in VALID_UNITS]
    units[1][1] = "Vụ Thi đua, Khen thưởng"
    people = [list(r) for r in VALID_PEOPLE]
    people[1][2] = "Phó Vụ trưởng"  # no staff code: matched by unit and name
    response = upload(client, workbook(units, people))
    assert [r.action for r in response.context["preview"].units] == ["same", "update"]
    assert [r.action for r in response.context["preview"].people] == ["same", "update", "same"]
    confirm(client)
    assert Unit.objects.count() == before[0]
    assert Person.objects.count() == before[1]
    assert Unit.objects.get(code="D1").name == "Vụ Thi đua, Khen thưởng"
    assert Person.objects.get(full_name="Lê Văn Cường").position == "Phó Vụ trưởng"


def test_a_staff_code_given_later_attaches_to_the_person_imported_without_one(hr, org):
    PersonFactory(unit=org.x1, full_name="Đỗ Minh Khoa", staff_code=None)
    preview = imports.preview_import(
        workbook(people=[["X1", "Đỗ Minh Khoa", "", "", None, "CB777"]]), user=hr
    )
    assert [r.action for r in preview.people] == ["update"]
    imports.apply_import(preview=preview, user=hr)
    assert Person.objects.filter(full_name="Đỗ Minh Khoa").count() == 1
    assert Person.objects.get(full_name="Đỗ Minh Khoa").staff_code == "CB777"


# ------------------------------------------------------------------ errors per row


def test_a_file_with_errors_writes_nothing_and_says_why_row_by_row(client_for, hr, org):
    client = client_for(hr)
    before = snapshot()
    units = [
        ["N1", "Vụ Hợp lệ", "", "Vụ, cục, đơn vị trực thuộc", "X"],
        ["N2", "Phòng Mồ côi", "", "Phòng, ban", "KHONG-CO"],
        ["N3", "", "", "Phòng, ban", "N1"],
    ]
    people = [
        ["N1", "Ngô Văn Đức", "", "Nam", 1980, "CB100"],
        ["N1", "Ngô Văn Tài", "", "Nam", 1981, "CB100"],
        ["N1", "", "Chuyên viên", "", None, ""],
    ]
    response = upload(client, workbook(units, people))
    assert response.status_code == 200
    text = response.text
    assert "Không tìm thấy đơn vị cấp trên có mã “KHONG-CO”" in text
    assert "Chưa nhập tên đầy đủ của đơn vị." in text
    assert "Mã cán bộ “CB100” trùng với dòng 2." in text
    assert "Chưa nhập họ và tên." in text
    assert 'disabled aria-disabled="true"' in text

    preview = response.context["preview"]
    assert [r.row for r in preview.units if r.errors] == [3, 4]
    assert [r.row for r in preview.people if r.errors] == [3, 4]
    assert (preview.unit_counts.create, preview.unit_counts.errors) == (1, 2)
    assert SESSION_KEY not in client.session
    assert stored_files() == []

    response = client.post(reverse("org:import_confirm"), {"token": "anything"})
    assert response.status_code == 302
    assert snapshot() == before


def test_apply_refuses_a_preview_with_errors(hr, org):
    before = snapshot()
    preview = imports.preview_import(
        workbook([["OK1", "Vụ Tốt", "", "department", "X"], ["BAD", "", "", "team", "X"]]),
        user=hr,
    )
    with pytest.raises(DomainError):
        imports.apply_import(preview=preview, user=hr)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("kind", "Bộ", "Loại đơn vị “Bộ” không hợp lệ"),
        ("kind", "", "Chưa nhập loại đơn vị."),
        ("gender", "Khác", "Giới tính “Khác” không hợp lệ"),
        ("birth_year", 1929, "Năm sinh “1929” không hợp lệ"),
        ("birth_year", "năm 80", "Năm sinh “năm 80” không hợp lệ"),
        ("birth_year", timezone.localdate().year - 14, "không hợp lệ; phải là năm từ 1930"),
        ("code", "", "Chưa nhập mã đơn vị."),
        ("code", "X" * 40, "Mã đơn vị dài quá 32 ký tự."),
    ],
)
def test_it_reports_bad_cells(hr, org, cell, value, message):
    unit = {"code": "N1", "name": "Vụ Mới", "short": "", "kind": "team", "parent": "X"}
    person = {"gender": "Nữ", "birth_year": 1990}
    if cell in unit:
        unit[cell] = value
    else:
        person[cell] = value
    preview = imports.preview_import(
        workbook(
            [list(unit.values())],
            [["X1", "Vũ Thị Lan", "", person["gender"], person["birth_year"], ""]],
        ),
        user=hr,
    )
    errors = [e for r in (*preview.units, *preview.people) for e in r.errors]
    assert any(message in e for e in errors), errors


def test_it_accepts_the_edge_birth_years_and_kind_values(hr, org):
    high = timezone.localdate().year - 15
    preview = imports.preview_import(
        workbook(
            [["N1", "Tổ Một", "", "TỔ, ĐỘI", "X"]],
            [
                ["X1", "Người Một", "", "nu", 1930, ""],
                ["X1", "Người Hai", "", "NAM", float(high), ""],
            ],
        ),
        user=hr,
    )
    assert not preview.has_errors, [(r.row, r.errors) for r in (*preview.units, *preview.people)]
    assert preview.units[0].kind == UnitKind.TEAM
    assert [p.gender for p in preview.people] == [Gender.FEMALE, Gender.MALE]


def test_it_reports_a_duplicate_unit_code_in_the_file(hr, org):
    preview = imports.preview_import(
        workbook([["N1", "Vụ A", "", "team", "X"], ["N1", "Vụ B", "", "team", "X"]]), user=hr
    )
    assert preview.units[1].errors == ["Mã đơn vị “N1” trùng với dòng 2."]


def test_it_reports_a_parent_loop(admin_user, org):
    preview = imports.preview_import(
        workbook(
            [
                ["A", "Vụ A", "", "team", "B"],
                ["B", "Vụ B", "", "team", "A"],
                # Moving X under its own grandchild is a loop through units not in the file.
                ["X", "Cơ quan X", "", "body", "X1A"],
            ]
        ),
        user=admin_user,
    )
    assert all(any("vòng lặp" in e for e in r.errors) for r in preview.units)


def test_it_reports_a_person_whose_unit_is_unknown(hr, org):
    preview = imports.preview_import(
        workbook(people=[["KHONG-CO", "Hồ Văn Nam", "", "", None, ""]]), user=hr
    )
    assert preview.people[0].errors == [
        "Không tìm thấy đơn vị có mã “KHONG-CO” trong phạm vi quản lý của bạn hoặc trong tệp."
    ]


def test_blank_rows_are_skipped_and_row_numbers_match_excel(hr, org):
    preview = imports.preview_import(
        workbook([["N1", "Vụ A", "", "team", "X"], [None] * 5, ["N2", "", "", "team", "X"]]),
        user=hr,
    )
    assert [(r.row, bool(r.errors)) for r in preview.units] == [(2, False), (4, True)]


def test_it_finds_columns_by_header_and_sheets_without_diacritics(hr, org):
    preview = imports.preview_import(
        workbook(
            [["X", "N1", "Vụ Mới", "team"]],
            unit_header=["Mã đơn vị cấp trên", "Mã đơn vị", "Tên đầy đủ", "Loại đơn vị"],
            sheet_names=("Don vi", "Ca nhan"),
        ),
        user=hr,
    )
    assert not preview.has_errors
    assert (preview.units[0].code, preview.units[0].parent_code) == ("N1", "X")


def test_it_reports_a_missing_column(hr, org):
    preview = imports.preview_import(
        workbook([["N1", "Vụ"]], unit_header=["Mã đơn vị", "Tên đầy đủ"]), user=hr
    )
    assert preview.errors == ["Trang “Đơn vị” thiếu cột: Loại đơn vị."]
    assert preview.has_errors


def test_it_caps_the_number_of_rows(hr, org, monkeypatch):
    monkeypatch.setattr(spreadsheets, "MAX_ROWS", 3)
    rows = [[f"N{i}", f"Tổ {i}", "", "team", "X"] for i in range(4)]
    preview = imports.preview_import(workbook(rows), user=hr)
    assert preview.errors == ["Trang “Đơn vị” có quá 3 dòng dữ liệu; hãy chia thành nhiều tệp."]


def test_it_normalises_text_cells(hr, org):
    nfd = unicodedata.normalize("NFD", "Phòng Kế hoạch")
    preview = imports.preview_import(
        workbook([["  N1 ", f"{nfd}\t\u200b\n tài chính ", "", "team", "X"]]), user=hr
    )
    imports.apply_import(preview=preview, user=hr)
    unit = Unit.objects.get(code="N1")
    assert unit.name == "Phòng Kế hoạch tài chính"
    assert unicodedata.is_normalized("NFC", unit.name)


# ---------------------------------------------------------------------------- scope


def test_hr_of_another_body_cannot_import_into_x(hr_y, org):
    PersonFactory(unit=org.x1, full_name="Cán bộ X", staff_code="CBX")
    before = snapshot()
    preview = imports.preview_import(
        workbook(
            [
                ["YN", "Vụ mới trong X", "", "team", "X"],
                ["X1", "Vụ X1 đổi tên", "", "department", ""],
            ],
            [
                ["X1", "Người vào X1", "", "", None, ""],
                ["Y", "Trùng mã cán bộ", "", "", None, "CBX"],
            ],
        ),
        user=hr_y,
    )
    units, people = preview.units, preview.people
    assert units[0].errors == [
        "Không tìm thấy đơn vị cấp trên có mã “X” trong phạm vi quản lý của bạn hoặc trong tệp."
    ]
    # A code taken elsewhere cannot be created again (codes are unique across the system).
    assert "ngoài phạm vi quản lý của bạn; không thể cập nhật" in units[1].errors[0]
    assert people[0].errors == [
        "Đơn vị “X1” ở dòng 3 trang “Đơn vị” đang có lỗi nên chưa xác định được vị trí."
    ]
    assert people[1].errors == [
        "Mã cán bộ “CBX” đã được dùng cho một cá nhân ngoài phạm vi quản lý của bạn."
    ]
    with pytest.raises(DomainError):
        imports.apply_import(preview=preview, user=hr_y)
    assert snapshot() == before


def test_a_unit_chained_under_an_out_of_scope_unit_in_the_file_is_refused(hr_y, org):
    preview = imports.preview_import(
        workbook([["C", "Tổ C", "", "team", "B"], ["B", "Phòng B", "", "division", "X"]]),
        user=hr_y,
    )
    assert preview.units[1].errors == [
        "Không tìm thấy đơn vị cấp trên có mã “X” trong phạm vi quản lý của bạn hoặc trong tệp."
    ]
    assert preview.units[0].errors == [
        "Đơn vị cấp trên “B” ở dòng 3 trang “Đơn vị” đang có lỗi nên chưa xác định được vị trí."
    ]


def _masked(errors: list[str], code: str) -> list[str]:
    """The messages with the code itself masked: what must not depend on where it exists."""
    return [e.replace(f"“{code}”", "“…”") for e in errors]


def test_a_parent_code_of_another_body_reads_as_one_that_exists_nowhere(hr_y, org):
    """Y's HR staff learn nothing of X's codes: "X" (another body's) and "KHONG-CO" (no
    one's) as the parent of a new unit, or as a person's unit, get the same message."""
    preview = imports.preview_import(
        workbook(
            [["YN1", "Tổ mới 1", "", "team", "X"], ["YN2", "Tổ mới 2", "", "team", "KHONG-CO"]],
            [
                ["X1", "Người vào X1", "", "", None, ""],
                ["KHONG-CO", "Người vào đâu", "", "", None, ""],
            ],
        ),
        user=hr_y,
    )
    units, people = preview.units, preview.people
    assert units[0].errors and _masked(units[0].errors, "X") == _masked(units[1].errors, "KHONG-CO")
    assert people[0].errors and _masked(people[0].errors, "X1") == _masked(
        people[1].errors, "KHONG-CO"
    )


def test_a_person_under_a_faulty_unit_row_points_to_that_row(hr, org):
    preview = imports.preview_import(
        workbook(
            [["N1", "Vụ", "", "team", "KHONG-CO"], ["N2", "", "", "team", "X"]],
            [["N1", "Lý Văn A", "", "", None, ""], ["N2", "Lý Văn B", "", "", None, ""]],
        ),
        user=hr,
    )
    assert preview.people[0].errors == [
        "Đơn vị “N1” ở dòng 2 trang “Đơn vị” đang có lỗi nên chưa xác định được vị trí."
    ]
    # A unit row that is wrong for another reason still places its people.
    assert preview.people[1].errors == []


def test_only_a_superuser_creates_a_top_level_unit(hr, admin_user, org):
    data = workbook([["BO", "Bộ Mới", "", "body", ""]])
    assert "chỉ quản trị hệ thống" in imports.preview_import(data, user=hr).units[0].errors[0]
    assert not imports.preview_import(data, user=admin_user).has_errors


def test_hr_of_a_department_may_update_it_in_place(org):
    hr_x1 = UserFactory(username="hr_x1")
    RoleFactory(user=hr_x1, role=Role.HR_STAFF, unit=org.x1)
    preview = imports.preview_import(
        workbook(
            [
                # Naming its current parent (out of scope) or leaving it blank both keep it in place.
                ["X1", "Vụ X1 (mới)", "", "department", "X"],
                ["X1A", "Phòng X1A (mới)", "", "division", ""],
                # Moving out of scope is refused.
                ["X1B", "Phòng X1B", "", "division", "X2"],
            ]
        ),
        user=hr_x1,
    )
    assert [bool(r.errors) for r in preview.units] == [False, False, True]


def test_it_moves_an_existing_unit_with_its_subtree(hr, org):
    team = UnitFactory(code="T1", name="Tổ 1", parent=org.x1a, kind=UnitKind.TEAM)
    preview = imports.preview_import(
        workbook(
            [
                ["T2", "Tổ 2", "", "team", "X1A"],
                ["X1A", "Phòng X1A", "", "division", "X2"],
            ]
        ),
        user=hr,
    )
    assert [r.action for r in preview.units] == ["create", "update"]
    imports.apply_import(preview=preview, user=hr)
    x2 = Unit.objects.get(code="X2")
    x1a = Unit.objects.get(code="X1A")
    team.refresh_from_db()
    t2 = Unit.objects.get(code="T2")
    assert x1a.parent == x2 and x1a.path.startswith(x2.path)
    assert team.path.startswith(x1a.path) and t2.path.startswith(x1a.path)
    assert (team.depth, t2.depth) == (x1a.depth + 1, x1a.depth + 1)


# ------------------------------------------------------------------ upload checks


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("setup.xlsx", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 200),
        ("don-vi.xlsx", "Mã đơn vị,Tên đầy đủ\nX9,Vụ X9\n".encode()),
        ("ghi-chu.xlsx", b"chi la van ban"),
        ("nen.xlsx", _zip({"a.txt": b"hello"})),
        ("hong.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x"})),
        ("rong.xlsx", b""),
    ],
)
def test_it_refuses_a_file_that_is_not_a_real_xlsx(client_for, hr, name, data):
    response = upload(client_for(hr), data, name=name)
    assert response.status_code == 200
    assert "is-invalid" in response.text
    if data:
        assert NOT_XLSX in response.text
    assert stored_files() == []


def test_it_refuses_an_oversize_file(client_for, hr, settings):
    settings.MAX_UPLOAD_BYTES = 1000
    data = workbook(VALID_UNITS, VALID_PEOPLE)
    assert len(data) > 1000
    response = upload(client_for(hr), data)
    assert response.status_code == 200
    assert "Tệp quá lớn" in response.text
    assert stored_files() == []


# ---------------------------------------------------------------- confirm and access


def test_confirm_without_a_preview_redirects_with_a_message(client_for, hr):
    client = client_for(hr)
    response = client.post(reverse("org:import_confirm"), {"token": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("org:import")
    assert "Không có tệp nào đang chờ xác nhận" in client.get(response["Location"]).text


def test_confirm_needs_the_token_of_the_pending_file(client_for, hr, org):
    client = client_for(hr)
    upload(client, workbook(VALID_UNITS))
    before = snapshot()
    response = confirm(client, token="0" * 32)
    assert response.status_code == 302
    assert snapshot() == before


def test_confirm_checks_the_file_again(client_for, hr, org):
    client = client_for(hr)
    upload(client, workbook(VALID_UNITS))
    # Meanwhile someone takes the code in another body.
    UnitFactory(code="D1", name="Vụ D1 của Y", parent=org.y)
    before = snapshot()
    response = confirm(client)
    assert response.status_code == 200
    assert "ngoài phạm vi quản lý của bạn; không thể cập nhật" in response.text
    assert snapshot() == before
    assert stored_files() == []


def test_confirm_is_post_only(client_for, hr):
    assert client_for(hr).get(reverse("org:import_confirm")).status_code == 405


def test_upload_page_has_a_labelled_field_and_the_template_link(client_for, hr):
    text = client_for(hr).get(reverse("org:import")).text
    assert re.search(r'<label\s+for="id_file"', text)
    assert reverse("org:import_template") in text


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "org:import"), ("get", "org:import_template"), ("post", "org:import_confirm")],
)
@pytest.mark.parametrize("persona", ["focal_x1", "leader"])
def test_users_without_an_org_role_get_403(client_for, request, persona, method, name):
    user: User = request.getfixturevalue(persona)
    response = getattr(client_for(user), method)(reverse(name))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "name"),
    [("get", "org:import"), ("get", "org:import_template"), ("post", "org:import_confirm")],
)
def test_anonymous_users_are_sent_to_login(client, method, name):
    response = getattr(client, method)(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_the_unit_tree_links_to_the_import_for_hr_only(client_for, hr, focal_x1):
    assert reverse("org:import") in client_for(hr).get(reverse("org:unit_tree")).text
    assert reverse("org:import") not in client_for(focal_x1).get(reverse("org:unit_tree")).text


def test_a_long_preview_shows_faulty_rows_first():
    rows = [imports.UnitRow(i, f"N{i}", "Tổ", "", "team", "team", "X") for i in range(2, 12)]
    rows[7].errors.append("Lỗi")
    shown, hidden = imports.rows_to_show(rows, limit=3)
    assert [r.row for r in shown] == [2, 3, 9]
    assert hidden == 7


def test_the_one_answer_reads_in_english_too(hr, org):
    with translation.override("en"):
        assert imports.person_not_found("A1") == (
            "No staff member with code “A1” was found among the units you manage."
        )
        assert imports.unit_not_found("B2", org.x1) == (
            "No unit with code “B2” was found in Vụ X1 or the units under it."
        )
