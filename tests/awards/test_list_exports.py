"""Excel export of the awards lists: each list downloads the rows its user may see, with
the filters on the page, whole rather than by page, in a number of queries that does not
grow with the rows."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import NominationStatus, RegistrationStatus
from campaigns.models import Role
from tests.awards.factories import (
    AwardDecisionFactory,
    CouncilSessionFactory,
    InitiativeFactory,
    NominationFactory,
    RegistrationEntryFactory,
    RegistrationFactory,
)
from tests.factories import PersonFactory, RoleFactory, UserFactory

from .nomination_setup import individual_title, make_round

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet(client, url, params=None):
    response = client.get(url, {**(params or {}), "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    return rows[0], rows[1:]


def column(header, rows, name):
    index = header.index(name)
    return [row[index] for row in rows]


def nominate(award_round, unit, name, **fields):
    fields.setdefault("award_type", individual_title())
    fields.setdefault("status", NominationStatus.SUBMITTED)
    return NominationFactory(
        round=award_round,
        proposing_unit=unit,
        person=PersonFactory(unit=unit, full_name=name),
        **fields,
    )


def test_the_nominations_list_exports_every_row_of_its_scope_and_filters(
    client_for, hr, focal_x1, focal_y, org, settings
):
    settings.PAGE_SIZE = 2  # the workbook holds the whole list, not the page
    award_round = make_round(org, name="Đợt 2025")
    nominate(award_round, org.x1, "Lê Văn Một")
    nominate(award_round, org.x1a, "Lê Văn Hai", status=NominationStatus.DRAFT)
    nominate(award_round, org.x2, "Lê Văn Ba")
    url = reverse("awards:nomination_list")

    header, rows = sheet(client_for(hr), url)
    assert header[:3] == ("Người, tập thể được đề nghị", "Mã cán bộ", "Đơn vị công tác")
    assert sorted(column(header, rows, "Người, tập thể được đề nghị")) == [
        "Lê Văn Ba",
        "Lê Văn Hai",
        "Lê Văn Một",
    ]
    assert set(column(header, rows, "Đợt khen thưởng")) == {"Đợt 2025"}
    assert set(column(header, rows, "Trạng thái")) == {"Đã gửi", "Dự thảo"}

    _header, rows = sheet(client_for(hr), url, {"status": NominationStatus.SUBMITTED})
    assert sorted(row[0] for row in rows) == ["Lê Văn Ba", "Lê Văn Một"]
    _header, rows = sheet(client_for(focal_x1), url)
    assert sorted(row[0] for row in rows) == ["Lê Văn Hai", "Lê Văn Một"]
    # Another body's focal point downloads the header only, never X's nominations.
    _header, rows = sheet(client_for(focal_y), url)
    assert rows == []


def test_the_export_link_keeps_the_filters_and_drops_the_page(client_for, hr, org):
    nominate(make_round(org), org.x1, "Lê Văn Một")
    response = client_for(hr).get(
        reverse("awards:nomination_list"), {"status": "submitted", "page": "1"}
    )
    assert 'href="?status=submitted&amp;format=xlsx"' in response.content.decode()


def test_a_rounds_page_exports_its_nominations_of_the_status_shown(client_for, hr, org):
    award_round = make_round(org)
    nominate(award_round, org.x1, "Lê Văn Một")
    nominate(award_round, org.x2, "Lê Văn Hai", status=NominationStatus.RETURNED)
    nominate(make_round(org), org.x1, "Ở đợt khác")
    url = reverse("awards:round_detail", args=[award_round.pk])
    _header, rows = sheet(client_for(hr), url)
    assert sorted(row[0] for row in rows) == ["Lê Văn Hai", "Lê Văn Một"]
    _header, rows = sheet(client_for(hr), url, {"status": NominationStatus.RETURNED})
    assert [row[0] for row in rows] == ["Lê Văn Hai"]


def test_the_nominations_export_reads_a_fixed_number_of_queries(client_for, hr, org):
    award_round = make_round(org)
    client = client_for(hr)
    url = reverse("awards:nomination_list")

    def count():
        with CaptureQueriesContext(connection) as captured:
            sheet(client, url)
        return len(captured)

    nominate(award_round, org.x1, "Lê Văn Một")
    NominationFactory(round=award_round, proposing_unit=org.x1, person=None, unit=org.x1a)
    few = count()
    for i in range(6):
        nominate(award_round, org.x1a if i % 2 else org.x2, f"Người số {i}")
    assert count() == few


def test_the_registrations_list_exports_its_rows(client_for, hr, focal_x1, focal_y, org):
    registration = RegistrationFactory(unit=org.x1, year=2025)
    RegistrationEntryFactory.create_batch(3, registration=registration)
    RegistrationFactory(unit=org.x2, year=2025, status=RegistrationStatus.DRAFT)
    url = reverse("awards:registration_list")
    header, rows = sheet(client_for(hr), url)
    assert sorted(column(header, rows, "Đơn vị")) == sorted([org.x1.name, org.x2.name])
    assert {r[header.index("Đơn vị")]: r[header.index("Số cá nhân đăng ký")] for r in rows}[
        org.x1.name
    ] == 3
    _header, rows = sheet(client_for(hr), url, {"status": RegistrationStatus.DRAFT})
    assert [row[1] for row in rows] == [org.x2.name]
    _header, rows = sheet(client_for(focal_x1), url)
    assert [row[1] for row in rows] == [org.x1.name]
    assert sheet(client_for(focal_y), url)[1] == []


def test_the_decisions_list_exports_the_bodys_decisions(client_for, hr, focal_y, org):
    AwardDecisionFactory(body=org.x, number="12/QĐ-X")
    AwardDecisionFactory(body=org.y, number="99/QĐ-Y")
    url = reverse("awards:decision_list")
    header, rows = sheet(client_for(hr), url)
    assert column(header, rows, "Số quyết định") == ["12/QĐ-X"]
    assert column(header, rows, "Trạng thái") == ["Dự thảo"]
    assert column(*sheet(client_for(focal_y), url), "Số quyết định") == []


def test_the_council_sessions_list_exports_what_the_user_may_see(client_for, hr, org):
    member = UserFactory(username="member_elsewhere")
    RoleFactory(user=member, role=Role.FOCAL_POINT, unit=org.y)
    CouncilSessionFactory(body=org.x, title="Phiên họp X", members=[member])
    CouncilSessionFactory(body=org.y, title="Phiên họp Y")
    url = reverse("awards:council_session_list")
    header, rows = sheet(client_for(hr), url)
    assert column(header, rows, "Tên phiên họp") == ["Phiên họp X"]
    assert column(header, rows, "Số thành viên") == [1]
    # A member sees the session they sit on, not the other ones of their own body.
    assert column(*sheet(client_for(member), url), "Tên phiên họp") == ["Phiên họp X"]


def test_the_rounds_list_exports_the_rounds_of_ones_bodies(client_for, focal_x1, focal_y, org):
    make_round(org, name="Đợt của X")
    make_round(org, body=org.y, name="Đợt của Y")
    url = reverse("awards:round_list")
    header, rows = sheet(client_for(focal_x1), url)
    assert column(header, rows, "Tên đợt khen thưởng") == ["Đợt của X"]
    assert column(header, rows, "Đang nhận hồ sơ") == ["Có"]
    assert column(*sheet(client_for(focal_y), url), "Tên đợt khen thưởng") == ["Đợt của Y"]


def test_a_units_initiatives_export_with_their_authors(client_for, hr, focal_y, org):
    authors = [
        PersonFactory(unit=org.x1, full_name="Trần Văn An"),
        PersonFactory(unit=org.x1a, full_name="Đỗ Thị Bình"),
    ]
    InitiativeFactory(unit=org.x1a, year=2024, title="Số hoá hồ sơ", authors=authors)
    InitiativeFactory(unit=org.x1, year=2023, title="Năm khác")
    url = reverse("awards:records_initiatives", args=[org.x1.pk, 2024])
    header, rows = sheet(client_for(hr), url)
    assert column(header, rows, "Tên sáng kiến, đề tài") == ["Số hoá hồ sơ"]
    [authors_cell] = column(header, rows, "Tác giả")
    assert sorted(authors_cell.split(", ")) == ["Trần Văn An", "Đỗ Thị Bình"]
    assert client_for(focal_y).get(url, {"format": "xlsx"}).status_code == 404


def test_the_catalogue_exports_each_title_with_the_legal_basis_in_force(client_for, focal_y):
    header, rows = sheet(client_for(focal_y), reverse("awards:catalogue"))
    by_code = {row[header.index("Mã")]: row for row in rows}
    cstdcs = by_code["CSTDCS"]
    assert cstdcs[header.index("Danh hiệu, hình thức khen thưởng")] == "Chiến sĩ thi đua cơ sở"
    assert "06/2022/QH15" in cstdcs[header.index("Căn cứ pháp lý của tiêu chuẩn đang áp dụng")]
    assert isinstance(cstdcs[header.index("Tiền thưởng (lần mức lương cơ sở)")], float | int)
