"""Excel import of a registration's people list: template, preview with row errors
(unknown staff code, person outside the unit, unknown title code, duplicate), nothing
written unless every row is valid, one transaction, the file stashed between preview
and confirm."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import registration_services as services
from awards.models import RegistrationEntry, RegistrationStatus
from tests.awards.factories import RegistrationFactory
from tests.awards.records_setup import (
    NOT_XLSX,
    person,
    row_errors,
    stored_files,
    titles,
    token_of,
    upload,
    workbook,
)
from tests.versions import version_of

pytestmark = pytest.mark.django_db

HEADER = ["Mã cán bộ", "Họ và tên", "Mã danh hiệu"]


@pytest.fixture
def t(db):
    return titles()


@pytest.fixture
def registration(org):
    return RegistrationFactory(unit=org.x1, year=2025, status=RegistrationStatus.DRAFT)


@pytest.fixture
def staff(org):
    return {
        "an": person(org.x1, "Nguyễn Văn An", "X1-001"),
        "binh": person(org.x1a, "Trần Thị Bình", "X1A-001"),
        "cuong": person(org.x2, "Lê Văn Cường", "X2-001"),
        "nghi": person(org.x1, "Phạm Văn Nghỉ", "X1-009", is_active=False),
    }


def urls(registration) -> tuple[str, str, str]:
    args = [registration.pk]
    return (
        reverse("awards:registration_import", args=args),
        reverse("awards:registration_import_confirm", args=args),
        reverse("awards:registration_import_template", args=args),
    )


def test_the_template_lists_the_individual_titles(client_for, focal_x1, registration, t):
    response = client_for(focal_x1).get(urls(registration)[2])
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Đăng ký cá nhân"][1]] == HEADER
    guide = [row for row in wb["Hướng dẫn"].iter_rows(values_only=True)]
    codes = {row[2] for row in guide if len(row) > 2 and row[2]}
    assert {"LDTT", "CSTDCS"} <= codes and "TTLDXS" not in codes


def test_a_valid_file_is_previewed_then_written(client_for, focal_x1, registration, staff, t):
    upload_url, confirm_url, _template = urls(registration)
    client = client_for(focal_x1)
    data = workbook(
        HEADER,
        [
            ["X1-001", "Nguyễn Văn An", "CSTDCS"],
            ["X1A-001", "", "ldtt"],  # the name is optional; codes are case-blind
            ["X1-001", "nguyen van an", "LDTT"],  # two titles for one person are allowed
        ],
    )
    preview = upload(client, upload_url, data)
    assert preview.status_code == 200
    assert not preview.context["preview"].has_errors
    assert preview.context["counts"].create == 3
    assert not registration.entries.exists()
    assert len(stored_files()) == 1

    response = client.post(confirm_url, {"token": token_of(preview)})
    assert response.url == reverse("awards:registration_detail", args=[registration.pk])
    pairs = set(registration.entries.values_list("person__staff_code", "award_type__code"))
    assert pairs == {("X1-001", "CSTDCS"), ("X1A-001", "LDTT"), ("X1-001", "LDTT")}
    assert set(RegistrationEntry.history.values_list("history_user__username", flat=True)) == {
        "focal_x1"
    }
    assert stored_files() == []
    assert registration.history.latest().history_change_reason == "Nhập từ Excel: thêm 3 cá nhân"

    # Importing the same file again changes nothing.
    again = upload(client, upload_url, data)
    assert again.context["counts"].same == 3 and again.context["counts"].create == 0
    client.post(confirm_url, {"token": token_of(again)})
    assert registration.entries.count() == 3


def test_bad_rows_are_shown_and_nothing_is_written(client_for, focal_x1, registration, staff, t):
    upload_url, confirm_url, _template = urls(registration)
    client = client_for(focal_x1)
    data = workbook(
        HEADER,
        [
            ["X1-001", "Nguyễn Văn An", "CSTDCS"],  # 2: fine
            ["KHONG-CO", "", "LDTT"],  # 3: unknown staff code
            ["X2-001", "", "LDTT"],  # 4: outside the unit
            ["X1-001", "", "KHONG-CO"],  # 5: unknown title code
            ["X1-001", "", "TTLDXS"],  # 6: a collective title
            ["X1-001", "", "CSTDCS"],  # 7: duplicate of row 2
            ["X1-009", "", "LDTT"],  # 8: left the unit
            ["X1-001", "Trần Văn Khác", "LDTT"],  # 9: name does not match
            ["", "", ""],  # skipped: empty
            ["", "Ai đó", ""],  # 11: nothing to go on
        ],
    )
    response = upload(client, upload_url, data)
    errors = row_errors(response)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 11}
    # Unknown, or someone outside the unit: one answer, word for word but for the code.
    assert errors[3] == [
        "Không tìm thấy cán bộ có mã “KHONG-CO” trong Vụ X1 và các đơn vị trực thuộc."
    ]
    assert errors[4] == [
        "Không tìm thấy cán bộ có mã “X2-001” trong Vụ X1 và các đơn vị trực thuộc."
    ]
    assert "Không tìm thấy danh hiệu có mã “KHONG-CO”" in errors[5][0]
    assert "không phải danh hiệu thi đua cá nhân" in errors[6][0]
    assert "trùng với dòng 2" in errors[7][0]
    assert "đã nghỉ công tác" in errors[8][0]
    assert "không khớp" in errors[9][0]
    assert errors[11] == ["Chưa nhập mã cán bộ.", "Chưa nhập mã danh hiệu."]
    assert response.context["token"] == ""
    assert stored_files() == []
    # A forged confirm writes nothing either.
    client.post(confirm_url, {"token": "0" * 32})
    assert not registration.entries.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("danh-sach.xlsx", b"MZ\x90\x00 this is a renamed program"),
        ("danh-sach.xlsx", b""),
        ("danh-sach.xlsx", b"PK\x03\x04 not really a zip"),
        ("danh-sach.csv", "Mã cán bộ,Mã danh hiệu\nX1-001,LDTT\n".encode()),
    ],
)
def test_a_broken_file_is_refused(client_for, focal_x1, registration, staff, name, content):
    response = upload(client_for(focal_x1), urls(registration)[0], content, name)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not registration.entries.exists()
    assert stored_files() == []


def test_an_exe_renamed_is_refused_with_the_reason(client_for, focal_x1, registration):
    response = upload(client_for(focal_x1), urls(registration)[0], b"MZ" + b"\0" * 200, "a.xlsx")
    assert NOT_XLSX in response.content.decode()


def test_missing_columns_are_reported(client_for, focal_x1, registration, staff):
    data = workbook(["Mã cán bộ", "Họ và tên"], [["X1-001", "Nguyễn Văn An"]])
    response = upload(client_for(focal_x1), urls(registration)[0], data)
    assert "thiếu cột: Mã danh hiệu" in " ".join(response.context["preview"].errors)
    assert not registration.entries.exists()


def test_a_file_without_rows_is_reported(client_for, focal_x1, registration):
    response = upload(client_for(focal_x1), urls(registration)[0], workbook(HEADER, []))
    assert response.context["preview"].errors == ["Tệp không có dòng dữ liệu nào."]


def test_confirm_checks_again_and_writes_nothing_if_the_data_changed(
    client_for, focal_x1, registration, staff, t
):
    upload_url, confirm_url, _template = urls(registration)
    client = client_for(focal_x1)
    preview = upload(client, upload_url, workbook(HEADER, [["X1-001", "", "CSTDCS"]]))
    staff["an"].unit = registration.unit.parent  # moved out of X1 meanwhile
    staff["an"].save()
    response = client.post(confirm_url, {"token": token_of(preview)})
    assert response.status_code == 200
    assert "Không tìm thấy cán bộ có mã “X1-001” trong Vụ X1" in " ".join(row_errors(response)[2])
    assert not registration.entries.exists()


def _masked(errors: list[str], code: str) -> list[str]:
    """The messages with the code itself masked: what must not depend on where it exists."""
    return [e.replace(f"“{code}”", "“…”") for e in errors]


def test_a_staff_code_of_another_body_reads_as_one_that_exists_nowhere(
    client_for, focal_x1, registration, staff, org, t
):
    """X1's focal point learns nothing of Y's staff codes from the import's answers."""
    person(org.y, "Đỗ Thị Yến", "Y-001")
    data = workbook(HEADER, [["Y-001", "", "LDTT"], ["KHONG-CO", "", "LDTT"]])
    errors = row_errors(upload(client_for(focal_x1), urls(registration)[0], data))
    assert errors.get(2), errors
    assert _masked(errors[2], "Y-001") == _masked(errors[3], "KHONG-CO")


def test_a_submitted_registration_cannot_be_imported_into(
    client_for, focal_x1, registration, staff, t
):
    upload_url, confirm_url, _template = urls(registration)
    client = client_for(focal_x1)
    preview = upload(client, upload_url, workbook(HEADER, [["X1-001", "", "CSTDCS"]]))
    services.registration_update(
        registration=registration,
        expected_version=int(version_of(registration)),
        by=focal_x1,
        collective_title=t["TTLDTT"],
        entries=[],
    )
    services.registration_submit(registration=registration, by=focal_x1)
    response = client.post(confirm_url, {"token": token_of(preview)}, follow=True)
    assert "không thể nhập thêm" in response.content.decode()
    assert not registration.entries.exists()


def test_another_unit_gets_404_and_a_leader_403(client_for, focal_x2, leader, registration):
    upload_url, confirm_url, template_url = urls(registration)
    data = workbook(HEADER, [["X1-001", "", "LDTT"]])
    assert upload(client_for(focal_x2), upload_url, data).status_code == 404
    assert client_for(focal_x2).get(template_url).status_code == 404
    assert upload(client_for(leader), upload_url, data).status_code == 403
    assert client_for(leader).post(confirm_url, {"token": "x"}).status_code == 403
