"""Form 0602.N/BNV-TĐKT: every cell equal to the database, the documents, starting a draft."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.storage import default_storage
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from awards.models import AwardRecord, AwardType, Level, Subject, Track
from campaigns.models import TargetGroup
from reports import services
from reports.builders import builder_for
from reports.models import ReportDraft, ReportKind, ReportStatus
from reports.statistics_report import (
    CODE_COLUMNS,
    COLUMNS,
    STATE_LEVELS,
    gather_award_statistics,
    statistics_fingerprint,
)
from tests.awards.factories import AwardRecordFactory, AwardTypeFactory, seeded
from tests.documents import pdf_fonts, pdf_text
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

YEAR = 2024


def person(unit, group=TargetGroup.DIRECT_WORKER):
    return PersonFactory(unit=unit, target_group=group)


@pytest.fixture
def awards(org):
    """X's state-level awards of 2024, with what the form must leave out."""
    friendship = AwardTypeFactory(
        code="HCHN", name="Huân chương Hữu nghị", subject=Subject.INDIVIDUAL, level=Level.STATE
    )
    records = {
        "hcld3": AwardRecordFactory(
            award_type=seeded("HCLD3"),
            person=person(org.x1, TargetGroup.LEADER_DEPARTMENT),
            year=YEAR,
        ),
        "hcld3_tt": AwardRecordFactory(
            award_type=seeded("HCLD3_TT"),
            person=None,
            unit=org.x2,
            year=YEAR,
            track=Track.CONTRIBUTION,
        ),
        "co_cp": AwardRecordFactory(
            award_type=seeded("CO_CP"), person=None, unit=org.x1, year=YEAR
        ),
        "bk_ttg_1": AwardRecordFactory(
            award_type=seeded("BK_TTG"), person=person(org.x1a), year=YEAR
        ),
        "bk_ttg_2": AwardRecordFactory(
            award_type=seeded("BK_TTG"),
            person=person(org.x, TargetGroup.BUSINESS),
            year=YEAR,
            track=Track.ADHOC,
        ),
        "bk_ttg_tt": AwardRecordFactory(
            award_type=seeded("BK_TTG_TT"),
            person=None,
            unit=org.x1a,
            year=YEAR,
            track=Track.THEMATIC,
        ),
        "cstd_tq": AwardRecordFactory(
            award_type=seeded("CSTD_TQ"), person=person(org.x2, TargetGroup.MANAGER), year=YEAR
        ),
        "other": AwardRecordFactory(
            award_type=friendship, person=person(org.x2), year=YEAR, track=Track.FOREIGN
        ),
        # Left out: below state level, revoked, another year, another body.
        "ministry": AwardRecordFactory(
            award_type=seeded("CSTD_BO"), person=person(org.x1), year=YEAR
        ),
        "revoked": AwardRecordFactory(
            award_type=seeded("BK_TTG"),
            person=person(org.x1),
            year=YEAR,
            revoked_on=datetime.date(2025, 1, 10),
            revocation_reason="Khai man hồ sơ",
        ),
        "last_year": AwardRecordFactory(
            award_type=seeded("BK_TTG"), person=person(org.x1), year=YEAR - 1
        ),
        "body_y": AwardRecordFactory(
            award_type=seeded("CO_CP"), person=None, unit=org.y, year=YEAR
        ),
    }
    return records


def cells(statistics, code):
    row = next(r for r in statistics.rows if r.code == code)
    return {
        key: (cell.collectives, cell.individuals)
        for (key, _), cell in zip(COLUMNS, row.cells, strict=True)
    }, row


def expected(body, *, column, subject, extra: Q | None = None):
    """The same cell counted the plain way, one filter at a time."""
    if column == "other":
        types = AwardType.objects.filter(level__in=STATE_LEVELS).exclude(
            code__in=list(CODE_COLUMNS)
        )
    else:
        types = AwardType.objects.filter(
            code__in=[c for c, k in CODE_COLUMNS.items() if k == column]
        )
    records = AwardRecord.objects.filter(
        Q(person__unit__path__startswith=body.path) | Q(unit__path__startswith=body.path),
        award_type__in=types,
        year=YEAR,
        revoked_on__isnull=True,
    ).filter(extra or Q())
    if subject == "collectives":
        return records.filter(unit__isnull=False).count()
    return records.filter(person__isnull=False).count()


def test_the_total_row_equals_the_database(org, awards):
    statistics = gather_award_statistics(org.x, YEAR)
    total, row = cells(statistics, "total")
    assert total == {
        "orders_medals": (1, 1),
        "hcm_prize": (0, 0),
        "state_prize": (0, 0),
        "honorary_title": (0, 0),
        "government_flag": (1, 0),
        "pm_merit": (1, 2),
        "national_fighter": (0, 1),
        "other": (0, 1),
    }
    for key, _label in COLUMNS:
        assert total[key] == (
            expected(org.x, column=key, subject="collectives"),
            expected(org.x, column=key, subject="individuals"),
        ), key
    assert (row.total_collectives, row.total_individuals, row.total) == (3, 5, 8)


def test_revoked_awards_are_left_out(org, awards):
    before = cells(gather_award_statistics(org.x, YEAR), "total")[1].total
    awards["bk_ttg_1"].revoked_on = datetime.date(2025, 2, 1)
    awards["bk_ttg_1"].save()
    total, row = cells(gather_award_statistics(org.x, YEAR), "total")
    assert total["pm_merit"] == (1, 1)
    assert row.total == before - 1


def test_the_scope_is_the_body_subtree(org, awards):
    total, row = cells(gather_award_statistics(org.x1, YEAR), "total")
    # X1: Cờ Chính phủ to X1, HCLĐ3 and BK TTg to people of X1 and X1A, BK TTg collective to X1A.
    assert total["government_flag"] == (1, 0)
    assert total["orders_medals"] == (0, 1)
    assert total["pm_merit"] == (1, 1)
    assert row.total == 4
    assert cells(gather_award_statistics(org.y, YEAR), "total")[1].total == 1


def test_rows_by_submitter_target_group_and_track(org, awards):
    statistics = gather_award_statistics(org.x, YEAR)
    total = cells(statistics, "total")[0]
    assert cells(statistics, "submitter_central")[0] == total
    assert cells(statistics, "submitter_province")[1].total == 0
    groups = [r for r in statistics.rows if r.code.startswith("group_")]
    assert [r.label for r in groups] == [str(label) for _, label in TargetGroup.choices]
    assert all(cell.collectives is None for r in groups for cell in r.cells)
    assert sum(r.total_individuals for r in groups) == 5
    by_group = {r.code: r.total_individuals for r in groups}
    assert by_group["group_leader_department"] == 1
    assert by_group["group_business"] == 1
    assert by_group["group_manager"] == 1
    assert by_group["group_direct_worker"] == 2
    for r in groups:
        value = r.code.removeprefix("group_")
        for (key, _), cell in zip(COLUMNS, r.cells, strict=True):
            assert cell.individuals == expected(
                org.x, column=key, subject="individuals", extra=Q(person__target_group=value)
            )
    tracks = [r for r in statistics.rows if r.code.startswith("track_")]
    assert len(tracks) == len(Track.choices)
    assert sum(r.total for r in tracks) == 8
    for r in tracks:
        value = r.code.removeprefix("track_")
        for (key, _), cell in zip(COLUMNS, r.cells, strict=True):
            assert (cell.collectives, cell.individuals) == (
                expected(org.x, column=key, subject="collectives", extra=Q(track=value)),
                expected(org.x, column=key, subject="individuals", extra=Q(track=value)),
            )
    assert cells(statistics, "track_foreign")[0]["other"] == (0, 1)
    assert cells(statistics, "track_contribution")[0]["orders_medals"] == (1, 0)


def test_the_mapping_names_seeded_state_level_types(org):
    columns = {key for key, _ in COLUMNS}
    assert set(CODE_COLUMNS.values()) <= columns
    for code in CODE_COLUMNS:
        assert seeded(code).level in STATE_LEVELS, code
    # Every seeded state- or government-level type lands in a named column.
    seeded("LDTT")
    state_level = set(
        AwardType.objects.filter(level__in=STATE_LEVELS).values_list("code", flat=True)
    )
    assert state_level <= set(CODE_COLUMNS)


def test_one_query_whatever_the_number_of_awards(org, awards, django_assert_num_queries):
    with django_assert_num_queries(1):
        gather_award_statistics(org.x, YEAR)
    for _ in range(40):
        unit = UnitFactory(parent=org.x2)
        AwardRecordFactory(award_type=seeded("BK_TTG"), person=person(unit), year=YEAR)
        AwardRecordFactory(
            award_type=seeded("CO_CP"), person=None, unit=unit, year=YEAR, track=Track.THEMATIC
        )
    with django_assert_num_queries(1):
        statistics = gather_award_statistics(org.x, YEAR)
    assert cells(statistics, "total")[1].total == 8 + 80


def test_the_fingerprint_changes_with_awards_and_target_groups(org, awards):
    first = statistics_fingerprint(org.x, YEAR)
    assert statistics_fingerprint(org.x, YEAR) == first
    awards["cstd_tq"].person.target_group = TargetGroup.OTHER
    awards["cstd_tq"].person.save()
    second = statistics_fingerprint(org.x, YEAR)
    assert second != first
    awards["other"].revoked_on = datetime.date(2025, 1, 1)
    awards["other"].save()
    assert statistics_fingerprint(org.x, YEAR) != second
    assert statistics_fingerprint(org.x, YEAR - 1) != statistics_fingerprint(org.x, YEAR)


@pytest.fixture
def draft(org, hr):
    return ReportDraft.objects.create(
        kind=ReportKind.AWARD_STATISTICS,
        body=org.x,
        year=YEAR,
        title="Thống kê số lượng khen thưởng cấp Nhà nước năm 2024",
        context="Số liệu tính đến ngày 30/11/2024.",
        number="40/BC-X",
        document_date=datetime.date(2024, 12, 10),
        signer_name="Phạm Văn Ký",
        signer_position="Thủ trưởng cơ quan",
        recipients="Bộ Nội vụ\nLưu: VT",
        created_by=hr,
    )


def test_a_generation_renders_the_form_in_pdf_and_word(
    org, awards, draft, hr, django_capture_on_commit_callbacks
):
    assert builder_for(draft).fingerprint(draft) == statistics_fingerprint(org.x, YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.report_request(draft=draft, by=hr)
    version.refresh_from_db()
    assert version.status == ReportStatus.DONE, version.error
    with default_storage.open(version.pdf.name) as handle:
        pdf = handle.read()
    text = " ".join(pdf_text(pdf).split())
    assert "0602.N/BNV-TĐKT" in text and "Thông tư số 02/2023/TT-BNV" in text
    assert "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC NĂM 2024" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    _, row = cells(gather_award_statistics(org.x, YEAR), "total")
    assert (
        f"Tổng số khen thưởng cấp Nhà nước năm 2024: {row.total} "
        f"(tập thể: {row.total_collectives}; cá nhân: {row.total_individuals})." in text
    )
    assert "Cờ thi đua của Chính phủ" in text and "Chiến sĩ thi đua toàn quốc" in text
    assert "Số liệu tính đến ngày 30/11/2024." in text
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # A4 landscape
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts

    from docx import Document

    with default_storage.open(version.docx.name) as handle:
        doc = Document(handle)
    section = doc.sections[0]
    assert section.page_width > section.page_height
    [table] = [t for t in doc.tables if t.rows[0].cells[0].text == "Chỉ tiêu"]
    total_row = next(r for r in table.rows if r.cells[0].text == "Tổng số")
    values = [c.text for c in total_row.cells[1:]]
    assert values[:2] == [str(row.total_collectives), str(row.total_individuals)]
    flag_index = 1 + 2 * (1 + [k for k, _ in COLUMNS].index("government_flag"))
    assert total_row.cells[flag_index].text == "1"
    group_row = next(
        r for r in table.rows if r.cells[0].text.strip() == str(TargetGroup.BUSINESS.label)
    )
    assert group_row.cells[1].text == "—"


# Starting a draft ----------------------------------------------------------------------------

URL = "reports:award_statistics_draft_create"


def post(client, **data):
    return client.post(reverse(URL), {"year": YEAR, "title": "", **data})


def test_hr_staff_start_the_statistics_of_their_body(org, hr, client_for):
    client = client_for(hr)
    page = client.get(reverse(URL))
    assert page.status_code == 200
    assert "Thống kê khen thưởng năm (mẫu 0602)" in page.content.decode()
    response = post(client, body=org.x.pk)
    assert response.status_code == 302
    draft = ReportDraft.objects.get(kind=ReportKind.AWARD_STATISTICS)
    assert (draft.body, draft.year, draft.created_by) == (org.x, YEAR, hr)
    assert draft.title == "Thống kê số lượng khen thưởng cấp Nhà nước năm 2024"
    assert response["Location"] == reverse("reports:draft_detail", args=[draft.pk])
    assert client.get(response["Location"]).status_code == 200


def test_a_second_draft_for_the_same_body_and_year_is_refused(org, hr, client_for):
    client = client_for(hr)
    post(client, body=org.x.pk)
    response = post(client, body=org.x.pk, title="Bản khác")
    assert response.status_code == 200
    assert "đã có dự thảo thống kê khen thưởng năm 2024" in response.content.decode()
    assert ReportDraft.objects.count() == 1
    assert post(client, body=org.x.pk, year=YEAR - 1).status_code == 302
    assert ReportDraft.objects.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": 1800}, "Năm thống kê phải từ 1945"),
        ({"year": "năm nay"}, "Năm thống kê phải là một số"),
        ({"year": ""}, "Hãy nhập năm thống kê."),
        ({"body": ""}, "Hãy chọn cơ quan báo cáo."),
        ({"title": "x" * 501}, "Trích yếu dài tối đa 500 ký tự"),
    ],
)
def test_bad_input_is_shown_and_nothing_is_created(org, hr, client_for, data, message):
    response = post(client_for(hr), **{"body": org.x.pk, **data})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_next_year_cannot_be_reported_yet(org, hr, client_for):
    response = post(client_for(hr), body=org.x.pk, year=timezone.localdate().year + 1)
    assert response.status_code == 200 and "Năm thống kê phải từ" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_hr_staff_of_another_body_cannot_choose_this_one(org, hr_y, client_for):
    response = post(client_for(hr_y), body=org.x.pk)
    assert response.status_code == 200
    assert "không hợp lệ hoặc bạn không phụ trách" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_a_department_is_not_a_body(org, hr, client_for):
    response = post(client_for(hr), body=org.x1.pk)
    assert response.status_code == 200
    assert not ReportDraft.objects.exists()


def test_users_who_are_not_hr_staff_get_403(org, leader, focal_x1, council, secretary, client_for):
    for user in (leader, focal_x1, council, secretary):
        client = client_for(user)
        assert client.get(reverse(URL)).status_code == 403, user
        assert post(client, body=org.x.pk).status_code == 403, user
    assert not ReportDraft.objects.exists()


def test_hr_staff_of_a_department_only_get_403(org, client_for):
    from tests.factories import RoleFactory, UserFactory

    user = UserFactory(username="hr_x1")
    RoleFactory(user=user, unit=org.x1, role="hr_staff")
    assert client_for(user).get(reverse(URL)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse(URL))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
