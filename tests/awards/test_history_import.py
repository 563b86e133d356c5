"""Awards granted before the system existed, imported from Excel so that the
consecutive-year rules (Law 06/2022/QH15 Art. 21, 22: CSTĐ bộ needs 3 consecutive years
of CSTĐCS) work from day one. HR staff only; duplicates refused; nothing written unless
every row is valid.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import AwardRecord, Track
from tests.awards.factories import AwardRecordFactory, seeded
from tests.awards.records_setup import (
    NOT_XLSX,
    person,
    row_errors,
    stored_files,
    token_of,
    upload,
    workbook,
)

pytestmark = pytest.mark.django_db

HEADER = [
    "Mã cán bộ",
    "Mã đơn vị",
    "Mã danh hiệu, hình thức",
    "Năm",
    "Loại hình khen thưởng",
    "Số quyết định",
    "Ngày quyết định",
]
UPLOAD = reverse("awards:past_awards_import")
CONFIRM = reverse("awards:past_awards_import_confirm")
TEMPLATE = reverse("awards:past_awards_import_template")


@pytest.fixture
def staff(org):
    return {
        "an": person(org.x1, "Nguyễn Văn An", "X1-001"),
        "cuong": person(org.x2, "Lê Văn Cường", "X2-001"),
        "yen": person(org.y, "Đỗ Thị Yến", "Y-001"),
    }


def counts() -> tuple[int, int]:
    return AwardRecord.objects.count(), AwardRecord.history.count()


def test_only_hr_may_import(client_for, focal_x1, leader, council, hr, admin_user):
    for user in (focal_x1, leader, council):
        client = client_for(user)
        assert client.get(UPLOAD).status_code == 403
        assert client.get(TEMPLATE).status_code == 403
        assert client.post(CONFIRM, {"token": "x"}).status_code == 403
    assert client_for(hr).get(UPLOAD).status_code == 200
    assert client_for(admin_user).get(UPLOAD).status_code == 200


def test_the_records_home_offers_it_to_hr_only(client_for, hr, focal_x1):
    home = reverse("awards:records_home")
    assert client_for(hr).get(home).context["can_import_history"]
    assert not client_for(focal_x1).get(home).context["can_import_history"]


def test_the_template_lists_award_codes_and_tracks(client_for, hr):
    response = client_for(hr).get(TEMPLATE)
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb["Khen thưởng"][1]] == HEADER
    cells = {v for row in wb["Hướng dẫn"].iter_rows(values_only=True) for v in row if v}
    assert {"CSTDCS", "TTLDXS", "Công trạng, thường xuyên", "Chuyên đề"} <= cells


def test_ten_years_of_history_are_imported(client_for, hr, org, staff):
    cstdcs, ttldxs = seeded("CSTDCS"), seeded("TTLDXS")
    rows = [
        [
            "X1-001",
            "",
            "CSTDCS",
            year,
            "Công trạng, thường xuyên",
            f"{year}/QĐ-X",
            f"15/01/{year + 1}",
        ]
        for year in range(2015, 2025)
    ]
    rows += [
        ["", "X1", "TTLDXS", 2023, "merit", "", ""],
        ["X2-001", "", "BK_BO", 2020, "Chuyên đề", "9/QĐ-BNV", datetime.datetime(2020, 12, 1)],
        ["X2-001", "", "bk_bo", 2021, "Đột xuất", "10/QĐ-BNV", "2021-06-30"],
    ]
    client = client_for(hr)
    preview = upload(client, UPLOAD, workbook(HEADER, rows, sheet="Khen thưởng"))
    assert not preview.context["preview"].has_errors
    assert preview.context["counts"].create == 13
    assert counts() == (0, 0) and len(stored_files()) == 1
    response = client.post(CONFIRM, {"token": token_of(preview)})
    assert response.url == reverse("awards:records_home")
    assert stored_files() == []

    years = list(
        AwardRecord.objects.filter(person=staff["an"], award_type=cstdcs)
        .order_by("year")
        .values_list("year", flat=True)
    )
    assert years == list(range(2015, 2025))
    assert all(r.is_imported for r in AwardRecord.objects.all())
    first = AwardRecord.objects.get(person=staff["an"], year=2015)
    assert first.track == Track.MERIT and first.decision_number == "2015/QĐ-X"
    assert first.decision_date == datetime.date(2016, 1, 15)
    assert AwardRecord.objects.get(unit=org.x1, award_type=ttldxs).year == 2023
    tracks = dict(AwardRecord.objects.filter(person=staff["cuong"]).values_list("year", "track"))
    assert tracks == {2020: Track.THEMATIC, 2021: Track.ADHOC}
    assert set(AwardRecord.history.values_list("history_user__username", flat=True)) == {"hr"}


def test_bad_rows_are_refused_and_nothing_is_written(client_for, hr, org, staff):
    AwardRecordFactory(person=staff["an"], award_type=seeded("LDTT"), year=2019)
    before = counts()
    rows = [
        ["X1-001", "", "CSTDCS", 2020, "Công trạng", "", ""],  # 2: fine
        ["X1-001", "", "CSTDCS", 2020, "Công trạng", "", ""],  # 3: duplicate of 2
        ["X1-001", "", "LDTT", 2019, "Công trạng", "", ""],  # 4: already recorded
        ["KHONG-CO", "", "LDTT", 2020, "Công trạng", "", ""],  # 5: unknown staff code
        ["Y-001", "", "LDTT", 2020, "Công trạng", "", ""],  # 6: another body's person
        ["", "Y", "TTLDTT", 2020, "Công trạng", "", ""],  # 7: another body's unit
        ["X1-001", "", "KHONG-CO", 2020, "Công trạng", "", ""],  # 8: unknown award code
        ["X1-001", "", "TTLDXS", 2020, "Công trạng", "", ""],  # 9: collective title for a person
        ["", "X1", "CSTDCS", 2020, "Công trạng", "", ""],  # 10: individual title for a unit
        ["X1-001", "X1", "CSTDCS", 2018, "Công trạng", "", ""],  # 11: both codes
        ["", "", "CSTDCS", 2018, "Công trạng", "", ""],  # 12: neither
        ["X1-001", "", "CSTDCS", 1900, "Công trạng", "", ""],  # 13: bad year
        ["X1-001", "", "CSTDCS", 2017, "Thưởng Tết", "", ""],  # 14: unknown track
        ["X1-001", "", "CSTDCS", 2016, "", "", ""],  # 15: no track
        ["X1-001", "", "CSTDCS", 2015, "Công trạng", "", "15/01/2014"],  # 16: date before year
        ["X1-001", "", "CSTDCS", 2014, "Công trạng", "", "32/01/2015"],  # 17: impossible date
        ["X1-001", "", "", 2013, "Công trạng", "", ""],  # 18: no award code
        ["X1-001", "", "CSTDCS", 2012, "Công trạng", "x" * 101, ""],  # 19: number too long
    ]
    response = upload(client_for(hr), UPLOAD, workbook(HEADER, rows, sheet="Khen thưởng"))
    errors = row_errors(response)
    assert set(errors) == set(range(3, 20))
    assert "dòng 2" in errors[3][0]
    assert "đã có trong hệ thống" in errors[4][0]
    # Unknown, or of another body: one answer, word for word but for the code.
    assert errors[5] == ["Không tìm thấy cán bộ có mã “KHONG-CO” trong phạm vi quản lý của bạn."]
    assert errors[6] == ["Không tìm thấy cán bộ có mã “Y-001” trong phạm vi quản lý của bạn."]
    assert errors[7] == ["Không tìm thấy đơn vị có mã “Y” trong phạm vi quản lý của bạn."]
    assert "Không tìm thấy danh hiệu, hình thức có mã" in errors[8][0]
    assert "dành cho tập thể" in errors[9][0]
    assert "dành cho cá nhân" in errors[10][0]
    assert "không nhập cả hai" in errors[11][0]
    assert "Loại hình khen thưởng “Thưởng Tết” không hợp lệ" in errors[14][0]
    assert "ở trước năm khen thưởng 2015" in errors[16][0]
    assert response.context["token"] == ""
    assert counts() == before


def test_hr_of_another_body_cannot_import_for_this_one(client_for, hr_y, staff):
    rows = [["X1-001", "", "CSTDCS", 2020, "Công trạng", "", ""]]
    response = upload(client_for(hr_y), UPLOAD, workbook(HEADER, rows))
    assert row_errors(response)[2] == [
        "Không tìm thấy cán bộ có mã “X1-001” trong phạm vi quản lý của bạn."
    ]
    assert counts() == (0, 0)


def _masked(errors: list[str], code: str) -> list[str]:
    """The messages with the code itself masked: what must not depend on where it exists."""
    return [e.replace(f"“{code}”", "“…”") for e in errors]


@pytest.mark.parametrize(
    ("other", "nowhere", "code"),
    [
        (
            ["Y-001", "", "LDTT", 2020, "Công trạng", "", ""],
            ["KHONG-CO", "", "LDTT", 2020, "Công trạng", "", ""],
            "Y-001",
        ),
        (
            ["", "Y", "TTLDTT", 2020, "Công trạng", "", ""],
            ["", "KHONG-CO", "TTLDTT", 2020, "Công trạng", "", ""],
            "Y",
        ),
    ],
    ids=["staff-code", "unit-code"],
)
def test_a_code_of_another_body_reads_as_one_that_exists_nowhere(
    client_for, hr, staff, other, nowhere, code
):
    """X's HR staff learn nothing of Y's codes from the import's answers."""
    response = upload(
        client_for(hr), UPLOAD, workbook(HEADER, [other, nowhere], sheet="Khen thưởng")
    )
    errors = row_errors(response)
    assert errors.get(2), errors
    assert _masked(errors[2], code) == _masked(errors[3], "KHONG-CO")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("khen-thuong.xlsx", b"MZ\x90\x00\x03\x00\x00\x00 renamed .exe" + b"\0" * 200),
        ("khen-thuong.exe", b"MZ\x90\x00"),
        ("khen-thuong.xlsx", b"PK\x05\x06" + b"\0" * 18),  # an empty zip
    ],
)
def test_a_broken_file_writes_nothing(client_for, hr, name, content):
    response = upload(client_for(hr), UPLOAD, content, name)
    assert response.status_code == 200
    assert NOT_XLSX in response.content.decode()
    assert counts() == (0, 0) and stored_files() == []


def test_a_duplicate_recorded_between_preview_and_confirm_is_refused(client_for, hr, staff):
    client = client_for(hr)
    rows = [["X1-001", "", "CSTDCS", 2020, "Công trạng", "", ""]]
    preview = upload(client, UPLOAD, workbook(HEADER, rows))
    AwardRecordFactory(person=staff["an"], award_type=seeded("CSTDCS"), year=2020)
    response = client.post(CONFIRM, {"token": token_of(preview)})
    assert response.status_code == 200
    assert "đã có trong hệ thống" in row_errors(response)[2][0]
    assert AwardRecord.objects.count() == 1


def test_a_confirm_token_is_for_its_user_only(client_for, hr, admin_user, staff):
    rows = [["X1-001", "", "CSTDCS", 2020, "Công trạng", "", ""]]
    token = token_of(upload(client_for(hr), UPLOAD, workbook(HEADER, rows)))
    response = client_for(admin_user).post(CONFIRM, {"token": token}, follow=True)
    assert "Không có tệp nào đang chờ xác nhận" in response.content.decode()
    assert counts() == (0, 0)
