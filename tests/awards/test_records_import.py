"""Excel imports of ratings, discipline and initiatives into a unit's subtree: the same
check → preview → confirm as the import of units and people; nothing written unless every
row is valid; only HR staff of the body; another body's unit is a 404.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import (
    DisciplineForm,
    DisciplineRecord,
    Initiative,
    InitiativeKind,
    Rating,
    Scope,
    TaskRating,
)
from tests.awards.factories import DisciplineRecordFactory, InitiativeFactory, TaskRatingFactory
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

RATINGS = ["Năm", "Mã cán bộ", "Mã đơn vị", "Họ và tên / tên đơn vị", "Mức xếp loại"]
DISCIPLINE = ["Mã cán bộ", "Họ và tên", "Hình thức kỷ luật", "Từ ngày", "Đến ngày", "Quyết định"]
INITIATIVES = [
    "Loại",
    "Tên sáng kiến, đề tài",
    "Mã đơn vị",
    "Năm công nhận",
    "Phạm vi ảnh hưởng",
    "Mã cán bộ tác giả",
    "Quyết định công nhận",
    "Ngày công nhận",
]


@pytest.fixture
def staff(org):
    return {
        "an": person(org.x1, "Nguyễn Văn An", "X1-001"),
        "binh": person(org.x1a, "Trần Thị Bình", "X1A-001"),
        "cuong": person(org.x2, "Lê Văn Cường", "X2-001"),
    }


def urls(unit, kind: str) -> tuple[str, str, str]:
    args = [unit.pk, kind]
    return (
        reverse("awards:records_import", args=args) + "?year=2024",
        reverse("awards:records_import_confirm", args=args) + "?year=2024",
        reverse("awards:records_import_template", args=args),
    )


def snapshot() -> tuple[int, ...]:
    return (
        TaskRating.objects.count(),
        DisciplineRecord.objects.count(),
        Initiative.objects.count(),
        TaskRating.history.count(),
        DisciplineRecord.history.count(),
        Initiative.history.count(),
    )


# Access --------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ratings", "discipline", "initiatives"])
def test_access(client_for, hr, focal_x1, focal_x2, focal_y, org, kind):
    upload_url, confirm_url, template_url = urls(org.x1, kind)
    assert client_for(hr).get(upload_url).status_code == 200
    assert client_for(hr).get(template_url).status_code == 200
    for user in (focal_x2, focal_y):
        assert client_for(user).get(upload_url).status_code == 404
        assert client_for(user).post(confirm_url, {"token": "x"}).status_code == 404
    assert client_for(focal_x1).get(upload_url).status_code == 403
    assert client_for(focal_x1).get(template_url).status_code == 403
    assert client_for(focal_x1).post(confirm_url, {"token": "x"}).status_code == 403


def test_an_unknown_kind_is_404(client_for, hr, org):
    url = reverse("awards:records_import", args=[org.x1.pk, "salaries"])
    assert client_for(hr).get(url).status_code == 404


@pytest.mark.parametrize(
    ("kind", "sheet", "header"),
    [
        ("ratings", "Xếp loại", RATINGS),
        ("discipline", "Kỷ luật", DISCIPLINE),
        ("initiatives", "Sáng kiến", INITIATIVES),
    ],
)
def test_templates_have_the_headers(client_for, hr, org, kind, sheet, header):
    response = client_for(hr).get(urls(org.x1, kind)[2])
    wb = load_workbook(io.BytesIO(response.content))
    assert [c.value for c in wb[sheet][1]] == header
    assert wb["Hướng dẫn"]["A1"].value


# Broken files write nothing ------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["ratings", "discipline", "initiatives"])
@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00\x03 renamed program" + b"\0" * 100, b"", b"PK\x03\x04broken", b"\xff\xfe text"],
)
def test_a_broken_file_writes_nothing(client_for, hr, org, kind, content):
    before = snapshot()
    response = upload(client_for(hr), urls(org.x1, kind)[0], content, "so-lieu.xlsx")
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    if content:
        assert NOT_XLSX in response.content.decode()
    assert snapshot() == before and stored_files() == []


# Ratings -------------------------------------------------------------------------------------


def test_ratings_import(client_for, hr, org, staff):
    TaskRatingFactory(person=staff["an"], year=2024, rating=Rating.DONE)
    TaskRatingFactory(person=staff["binh"], year=2024, rating=Rating.GOOD)
    upload_url, confirm_url, _t = urls(org.x1, "ratings")
    client = client_for(hr)
    data = workbook(
        RATINGS,
        [
            [2024, "X1-001", "", "Nguyễn Văn An", "Hoàn thành xuất sắc nhiệm vụ"],  # update
            [2024, "X1A-001", "", "", "HTTNV"],  # same (alias)
            [2024, "", "X1", "Vụ X1", "good"],  # create (value)
            ["2023", "X1-001", "", "", "hoàn thành tốt nhiệm vụ"],  # create (case, text year)
        ],
        sheet="Xếp loại",
    )
    preview = upload(client, upload_url, data)
    counts = preview.context["counts"]
    assert (counts.create, counts.update, counts.same, counts.errors) == (2, 1, 1, 0)
    response = client.post(confirm_url, {"token": token_of(preview)})
    assert response.url == reverse("awards:records_ratings", args=[org.x1.pk, 2024])
    assert TaskRating.objects.get(person=staff["an"], year=2024).rating == Rating.EXCELLENT
    assert TaskRating.objects.get(person=staff["an"], year=2023).rating == Rating.GOOD
    assert TaskRating.objects.get(unit=org.x1, year=2024).rating == Rating.GOOD
    assert TaskRating.history.filter(history_user__username="hr").count() == 3


def test_ratings_import_bad_rows_write_nothing(client_for, hr, org, staff):
    upload_url, confirm_url, _t = urls(org.x1, "ratings")
    client = client_for(hr)
    before = snapshot()
    data = workbook(
        RATINGS,
        [
            [2024, "X1-001", "", "", "Tốt"],  # 2: fine
            [2024, "KHONG-CO", "", "", "Tốt"],  # 3: unknown staff code
            [2024, "X2-001", "", "", "Tốt"],  # 4: outside the unit
            [2024, "", "Y", "", "Tốt"],  # 5: unit outside
            [2024, "X1-001", "X1", "", "Tốt"],  # 6: both codes
            [2024, "", "", "", "Tốt"],  # 7: neither
            [2024, "X1-001", "", "", "Tuyệt vời"],  # 8: unknown rating (and duplicate of 2)
            ["năm ngoái", "X1A-001", "", "", "Tốt"],  # 9: bad year
            [2999, "X1A-001", "", "", "Tốt"],  # 10: future year
            [2024, "X1A-001", "", "", ""],  # 11: no rating
            [2024, "X1-001", "", "", "Xuất sắc"],  # 12: duplicate of row 2
        ],
        sheet="Xếp loại",
    )
    response = upload(client, upload_url, data)
    errors = row_errors(response)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10, 11, 12}
    # Unknown, or someone (some unit) outside the unit: one answer, which names no body.
    assert errors[3] == [
        "Không tìm thấy cán bộ có mã “KHONG-CO” trong Vụ X1 và các đơn vị trực thuộc."
    ]
    assert errors[4] == [
        "Không tìm thấy cán bộ có mã “X2-001” trong Vụ X1 và các đơn vị trực thuộc."
    ]
    assert errors[5] == ["Không tìm thấy đơn vị có mã “Y” trong Vụ X1 và các đơn vị trực thuộc."]
    assert "không nhập cả hai" in errors[6][0]
    assert "Chưa nhập mã cán bộ hoặc mã đơn vị" in errors[7][0]
    assert "Mức xếp loại “Tuyệt vời” không hợp lệ" in errors[8][0]
    assert "Năm “năm ngoái” không hợp lệ" in errors[9][0]
    assert "Năm “2999” không hợp lệ" in errors[10][0]
    assert "Chưa nhập mức xếp loại" in errors[11][0]
    assert "dòng 2" in errors[12][0]
    assert response.context["token"] == ""
    assert client.post(confirm_url, {"token": "0" * 32}).status_code == 302
    assert snapshot() == before and stored_files() == []


def test_a_sheet_with_a_missing_column_writes_nothing(client_for, hr, org, staff):
    data = workbook(["Năm", "Mã cán bộ"], [[2024, "X1-001"]])
    response = upload(client_for(hr), urls(org.x1, "ratings")[0], data)
    assert "thiếu cột: Mức xếp loại" in " ".join(response.context["preview"].errors)
    assert not TaskRating.objects.exists()


# Discipline ----------------------------------------------------------------------------------


def test_discipline_import(client_for, hr, org, staff):
    existing = DisciplineRecordFactory(
        person=staff["an"],
        form=DisciplineForm.REPRIMAND,
        start_date=datetime.date(2024, 2, 1),
        end_date=None,
        decision="1/QĐ-KL",
    )
    upload_url, confirm_url, _t = urls(org.x1, "discipline")
    client = client_for(hr)
    data = workbook(
        DISCIPLINE,
        [
            ["X1-001", "", "Khiển trách", "01/02/2024", "31/01/2025", "1/QĐ-KL"],  # update
            ["X1A-001", "", "Cảnh cáo", datetime.datetime(2024, 3, 5), "", "2/QĐ-KL"],  # new
        ],
        sheet="Kỷ luật",
    )
    preview = upload(client, upload_url, data)
    counts = preview.context["counts"]
    assert (counts.create, counts.update, counts.errors) == (1, 1, 0)
    client.post(confirm_url, {"token": token_of(preview)})
    existing.refresh_from_db()
    assert existing.end_date == datetime.date(2025, 1, 31)
    new = DisciplineRecord.objects.get(person=staff["binh"])
    assert new.form == DisciplineForm.WARNING and new.start_date == datetime.date(2024, 3, 5)
    assert new.history.get().history_user.username == "hr"


def test_discipline_import_bad_rows_write_nothing(client_for, hr, org, staff):
    before = snapshot()
    data = workbook(
        DISCIPLINE,
        [
            ["X1-001", "", "Khiển trách", "01/02/2024", "", ""],  # 2: fine
            ["", "", "Khiển trách", "01/02/2024", "", ""],  # 3: no staff code
            ["X2-001", "", "Khiển trách", "01/02/2024", "", ""],  # 4: outside
            ["X1-001", "", "Phê bình", "01/02/2024", "", ""],  # 5: unknown form
            ["X1-001", "", "Cảnh cáo", "", "", ""],  # 6: no start date
            ["X1-001", "", "Cảnh cáo", "31/02/2024", "", ""],  # 7: impossible date
            ["X1-001", "", "Cảnh cáo", "01/05/2024", "01/04/2024", ""],  # 8: ends first
            ["X1-001", "", "Khiển trách", "2024-02-01", "", ""],  # 9: duplicate of 2
            ["X1-001", "", "Cảnh cáo", "01/05/2099", "", ""],  # 10: start in the future
            ["X1-001", "", "Cảnh cáo", "01/05/2024", "", "x" * 301],  # 11: decision too long
        ],
        sheet="Kỷ luật",
    )
    response = upload(client_for(hr), urls(org.x1, "discipline")[0], data)
    errors = row_errors(response)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "trùng" not in " ".join(errors[8]) and "dòng 2" in errors[9][0]
    assert snapshot() == before


# Initiatives ---------------------------------------------------------------------------------


def test_initiatives_import(client_for, hr, org, staff):
    InitiativeFactory(unit=org.x1, year=2024, title="Đã có từ trước")
    upload_url, confirm_url, _t = urls(org.x1, "initiatives")
    client = client_for(hr)
    data = workbook(
        INITIATIVES,
        [
            ["", "Số hóa hồ sơ", "X1", 2024, "Cơ sở", "X1-001; X1A-001", "5/QĐ-HĐSK", "15/11/2024"],
            ["Đề tài", "Nghiên cứu quy trình", "X1A", 2024, "Toàn quốc", "X1A-001", "", ""],
            ["Sáng kiến", "đã có từ trước", "X1", 2024, "Cơ sở", "X1-001", "", ""],  # skipped
        ],
        sheet="Sáng kiến",
    )
    preview = upload(client, upload_url, data)
    counts = preview.context["counts"]
    assert (counts.create, counts.same, counts.errors) == (2, 1, 0)
    client.post(confirm_url, {"token": token_of(preview)})
    first = Initiative.objects.get(title="Số hóa hồ sơ")
    assert set(first.authors.values_list("staff_code", flat=True)) == {"X1-001", "X1A-001"}
    assert first.recognised_on == datetime.date(2024, 11, 15) and first.scope == Scope.GRASSROOTS
    second = Initiative.objects.get(title="Nghiên cứu quy trình")
    assert second.kind == InitiativeKind.SCIENCE_TOPIC and second.scope == Scope.NATIONAL
    assert Initiative.objects.count() == 3


def test_initiatives_import_bad_rows_write_nothing(client_for, hr, org, staff):
    before = snapshot()
    data = workbook(
        INITIATIVES,
        [
            ["", "Tốt", "X1", 2024, "Cơ sở", "X1-001", "", ""],  # 2: fine
            ["", "", "X1", 2024, "Cơ sở", "X1-001", "", ""],  # 3: no title
            ["", "Ngoài", "X2", 2024, "Cơ sở", "X2-001", "", ""],  # 4: unit outside
            ["", "Tác giả ngoài", "X1A", 2024, "Cơ sở", "X1-001", "", ""],  # 5: author not in X1A
            ["", "Không tác giả", "X1", 2024, "Cơ sở", "", "", ""],  # 6: no author
            ["", "Sai phạm vi", "X1", 2024, "Vũ trụ", "X1-001", "", ""],  # 7: bad scope
            ["Thơ", "Sai loại", "X1", 2024, "Cơ sở", "X1-001", "", ""],  # 8: bad kind
            ["", "Sai ngày", "X1", 2024, "Cơ sở", "X1-001", "", "15/11/2023"],  # 9: date/year
            ["", "TỐT", "X1", 2024, "Cơ sở", "X1-001", "", ""],  # 10: duplicate of 2
            ["", "Mã lạ", "X1", 2024, "Cơ sở", "KHONG-CO", "", ""],  # 11: unknown author
        ],
        sheet="Sáng kiến",
    )
    response = upload(client_for(hr), urls(org.x1, "initiatives")[0], data)
    errors = row_errors(response)
    assert set(errors) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "Tác giả mã “X1-001” không thuộc Phòng X1A" in errors[5][0]
    assert "dòng 2" in errors[10][0]
    assert snapshot() == before


# Codes of another body ------------------------------------------------------------------------


def _masked(errors: list[str], code: str) -> list[str]:
    """The messages with the code itself masked: what must not depend on where it exists."""
    return [e.replace(f"“{code}”", "“…”") for e in errors]


@pytest.mark.parametrize(
    ("kind", "sheet", "header", "other", "nowhere"),
    [
        # A staff code of body Y's, and one of no one's.
        (
            "ratings",
            "Xếp loại",
            RATINGS,
            [2024, "Y-001", "", "", "Tốt"],
            [2024, "KHONG-CO", "", "", "Tốt"],
        ),
        # A unit code of body Y's, and one of no unit's.
        (
            "ratings",
            "Xếp loại",
            RATINGS,
            [2024, "", "Y", "", "Tốt"],
            [2024, "", "KHONG-CO", "", "Tốt"],
        ),
        (
            "discipline",
            "Kỷ luật",
            DISCIPLINE,
            ["Y-001", "", "Khiển trách", "01/03/2024", "", ""],
            ["KHONG-CO", "", "Khiển trách", "01/03/2024", "", ""],
        ),
        (
            "initiatives",
            "Sáng kiến",
            INITIATIVES,
            ["", "Sáng kiến A", "Y", 2024, "Cơ sở", "X1-001", "", ""],
            ["", "Sáng kiến B", "KHONG-CO", 2024, "Cơ sở", "X1-001", "", ""],
        ),
        (  # an author of body Y's, and one of no one's
            "initiatives",
            "Sáng kiến",
            INITIATIVES,
            ["", "Sáng kiến A", "X1", 2024, "Cơ sở", "Y-001", "", ""],
            ["", "Sáng kiến B", "X1", 2024, "Cơ sở", "KHONG-CO", "", ""],
        ),
    ],
    ids=[
        "ratings-staff",
        "ratings-unit",
        "discipline-staff",
        "initiatives-unit",
        "initiatives-author",
    ],
)
def test_a_code_of_another_body_reads_as_one_that_exists_nowhere(
    client_for, hr, org, staff, kind, sheet, header, other, nowhere
):
    """X's HR staff learn nothing of Y's codes from the import's answers."""
    person(org.y, "Đỗ Thị Yến", "Y-001")
    data = workbook(header, [other, nowhere], sheet=sheet)
    errors = row_errors(upload(client_for(hr), urls(org.x1, kind)[0], data))
    code = {"Y-001", "Y"} & {str(c) for c in other}
    assert len(code) == 1 and errors.get(2), errors
    assert _masked(errors[2], code.pop()) == _masked(errors[3], "KHONG-CO")
