"""The yearly summary of a bloc: figures equal to the database, the documents, starting a draft."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.models import AwardRecord
from pledges.models import PledgeStatus, ScoringStage
from pledges.scoring_selectors import ranking
from reports import services
from reports.bloc_report import bloc_year_fingerprint, gather_bloc_year_figures
from reports.builders import builder_for
from reports.models import ReportDraft, ReportKind, ReportStatus
from tests.awards.factories import AwardRecordFactory, seeded
from tests.documents import pdf_fonts, pdf_text
from tests.factories import (
    BlocYearFactory,
    CommitmentFactory,
    PersonFactory,
    PledgeFactory,
    SignatureFactory,
    UnitFactory,
)
from tests.pledges.scoring_factories import (
    AcclamationFactory,
    CrossScoreFactory,
    add_members,
    focal_point_of,
    table_with_criteria,
)

pytestmark = pytest.mark.django_db

BLOC_NAME = "Khối thi đua các bộ, ngành nội chính Trung ương"


@pytest.fixture
def bloc(org):
    """Bloc A in 2024: members X, M01 (deputy, last year's leader) and M02 (leader)."""
    org.bloc_a.name = BLOC_NAME
    org.bloc_a.save()
    m1, m2 = add_members(org.bloc_a, 2)
    BlocYearFactory(bloc=org.bloc_a, year=2023, leader=m1)
    bloc_year = BlocYearFactory(
        bloc=org.bloc_a,
        year=2024,
        leader=m2,
        deputies=[m1],
        flag_handover_date=datetime.date(2024, 1, 20),
        flag_handover_occasion="Hội nghị tổng kết năm 2023",
    )
    pledge = PledgeFactory(
        bloc_year=bloc_year, title="Giao ước thi đua năm 2024", status=PledgeStatus.SIGNED
    )
    CommitmentFactory(pledge=pledge, number=1, text="Hoàn thành xuất sắc nhiệm vụ chính trị")
    SignatureFactory(pledge=pledge, member=org.x, signatory_name="Nguyễn Văn An")
    SignatureFactory(pledge=pledge, member=m1, signatory_name="Trần Thị Bình")
    table, criteria = table_with_criteria(bloc_year, [10, 20], stage=ScoringStage.CLOSED)
    points = {org.x: 7, m1: 8, m2: 9}
    for criterion in criteria:
        for scored, value in points.items():
            for scorer in points:
                if scorer != scored:
                    CrossScoreFactory(
                        criterion=criterion, scorer=scorer, scored=scored, points=Decimal(value)
                    )
    AcclamationFactory(
        bloc_year=bloc_year,
        member=m2,
        votes_for=3,
        votes_total=3,
        meeting_date=datetime.date(2024, 12, 10),
    )
    ldtt, ttldxs, co_bo = seeded("LDTT"), seeded("TTLDXS"), seeded("CO_BO")
    AwardRecordFactory(award_type=ldtt, person=PersonFactory(unit=org.x1a), year=2024)
    AwardRecordFactory(award_type=ldtt, person=PersonFactory(unit=m1), year=2024)
    AwardRecordFactory(award_type=ttldxs, person=None, unit=org.x2, year=2024)
    AwardRecordFactory(award_type=co_bo, person=None, unit=m2, year=2024)
    # Left out: revoked, another year, a unit outside the bloc.
    AwardRecordFactory(
        award_type=ldtt,
        person=PersonFactory(unit=org.x),
        year=2024,
        revoked_on=datetime.date(2025, 2, 1),
        revocation_reason="Khai man thành tích",
    )
    AwardRecordFactory(award_type=ldtt, person=PersonFactory(unit=org.x), year=2023)
    AwardRecordFactory(award_type=ldtt, person=PersonFactory(unit=org.y), year=2024)
    bloc_year.m1, bloc_year.m2, bloc_year.table = m1, m2, table
    return bloc_year


def in_members(bloc_year, members) -> int:
    """Awards of the year counted the plain way, one member at a time (what the report must say)."""
    total = 0
    for unit in members:
        total += (
            AwardRecord.objects.filter(year=bloc_year.year, revoked_on__isnull=True)
            .filter(unit__path__startswith=unit.path)
            .count()
        )
        total += (
            AwardRecord.objects.filter(year=bloc_year.year, revoked_on__isnull=True)
            .filter(person__unit__path__startswith=unit.path)
            .count()
        )
    return total


def test_the_figures_equal_the_database(org, bloc):
    figures = gather_bloc_year_figures(bloc)
    assert figures.bloc.name == BLOC_NAME
    assert figures.leader == bloc.m2 and figures.deputies == [bloc.m1]
    assert figures.giver == bloc.m1  # last year's leader hands the flag over
    assert {u.pk for u in figures.members} == {org.x.pk, bloc.m1.pk, bloc.m2.pk}
    [pledge] = figures.pledges
    assert [s.signatory_name for s in pledge.signatures.all()] == ["Nguyễn Văn An", "Trần Thị Bình"]
    assert figures.signatures == 2
    assert [(u.pk, u.total, u.rank) for u in figures.ranking] == [
        (u.pk, u.total, u.rank) for u in ranking(bloc.table)
    ]
    assert figures.ranking[0] == bloc.m2 and figures.ranking[0].total == Decimal("18.00")
    assert figures.table_maximum == Decimal(30)
    assert [a.member for a in figures.acclamations] == [bloc.m2]
    assert {(r.code, r.individuals, r.collectives) for r in figures.awards} == {
        ("LDTT", 2, 0),
        ("TTLDXS", 0, 1),
        ("CO_BO", 0, 1),
    }
    assert figures.awards_total == in_members(bloc, figures.members) == 4
    by_member = {row.member.pk: row.total for row in figures.awards_by_member}
    assert by_member == {org.x.pk: 2, bloc.m1.pk: 1, bloc.m2.pk: 1}
    assert by_member[org.x.pk] == in_members(bloc, [org.x])


def test_revoked_awards_are_left_out(org, bloc):
    record = AwardRecord.objects.get(award_type__code="TTLDXS")
    record.revoked_on = datetime.date(2025, 3, 1)
    record.save()
    figures = gather_bloc_year_figures(bloc)
    assert "TTLDXS" not in {r.code for r in figures.awards}
    assert figures.awards_total == 3


def _count_queries(bloc_year) -> int:
    with CaptureQueriesContext(connection) as captured:
        figures = gather_bloc_year_figures(bloc_year)
        # What the template reads of the prefetched rows must not query either.
        for pledge in figures.pledges:
            [s.member.name for s in pledge.signatures.all()]
            list(pledge.commitments.all())
        [a.member.name for a in figures.acclamations]
    return len(captured)


def test_the_number_of_queries_does_not_grow_with_the_data(org, bloc):
    before = _count_queries(bloc)
    [pledge] = bloc.pledges.all()
    criterion = bloc.table.groups.get().criteria.first()
    for unit in add_members(org.bloc_a, 12, prefix="Thêm"):
        SignatureFactory(pledge=pledge, member=unit)
        CrossScoreFactory(criterion=criterion, scorer=bloc.m1, scored=unit, points=Decimal(5))
        AwardRecordFactory(award_type=seeded("LDTT"), person=PersonFactory(unit=unit), year=2024)
        AwardRecordFactory(
            award_type=seeded("TTLDTT"), person=None, unit=UnitFactory(parent=unit), year=2024
        )
    AcclamationFactory(bloc_year=bloc, member=org.x, meeting_date=datetime.date(2024, 12, 10))
    assert _count_queries(bloc) == before
    figures = gather_bloc_year_figures(bloc)
    assert len(figures.members) == 15 and figures.awards_total == 4 + 24


def test_the_fingerprint_changes_with_its_sources(org, bloc):
    first = bloc_year_fingerprint(bloc)
    assert bloc_year_fingerprint(bloc) == first
    SignatureFactory(pledge=bloc.pledges.get(), member=bloc.m2)
    second = bloc_year_fingerprint(bloc)
    assert second != first
    bloc.deputies.add(org.x)
    third = bloc_year_fingerprint(bloc)
    assert third != second
    AwardRecordFactory(award_type=seeded("LDTT"), person=PersonFactory(unit=org.x), year=2024)
    assert bloc_year_fingerprint(bloc) != third


@pytest.fixture
def draft(bloc, secretary):
    return ReportDraft.objects.create(
        kind=ReportKind.BLOC_YEAR,
        bloc_year=bloc,
        body=bloc.m2,
        year=2024,
        title="Báo cáo tổng kết công tác thi đua, khen thưởng năm 2024 của khối",
        strengths="Các thành viên phối hợp chặt chẽ.",
        next_direction="Tiếp tục đổi mới nội dung giao ước.",
        area_results={},
        number="05/BC-KTĐ",
        document_date=datetime.date(2024, 12, 20),
        signer_name="Lê Văn Khối",
        signer_position="Khối trưởng",
        recipients="Ban Thi đua - Khen thưởng Trung ương\nLưu: VT",
        created_by=secretary,
    )


def test_a_generation_renders_the_pdf_and_the_word_copy(
    org, bloc, draft, secretary, django_capture_on_commit_callbacks
):
    commitment = bloc.pledges.get().commitments.get()
    draft.area_results = {str(commitment.pk): "Đã hoàn thành 100% chỉ tiêu giao ước."}
    draft.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = services.report_request(draft=draft, by=secretary)
    version.refresh_from_db()
    assert version.status == ReportStatus.DONE, version.error
    with default_storage.open(version.pdf.name) as handle:
        pdf = handle.read()
    text = " ".join(pdf_text(pdf).split())
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert BLOC_NAME.upper() in text and f"{BLOC_NAME} năm 2024 có 3 đơn vị thành viên" in text
    assert "Hà Nội, ngày 20 tháng 12 năm 2024" in text
    assert f"Khối trưởng: {bloc.m2.name}. Khối phó: {bloc.m1.name}." in text
    assert (
        f"do {bloc.m1.name} (khối trưởng năm 2023) trao cho {bloc.m2.name} ngày 20/01/2024" in text
    )
    assert "Nguyễn Văn An" in text and "Trần Thị Bình" in text
    assert "Đã hoàn thành 100% chỉ tiêu giao ước." in text
    assert f"suy tôn {bloc.m2.name} là đơn vị dẫn đầu (3/3 phiếu" in text
    total = in_members(bloc, gather_bloc_year_figures(bloc).members)
    assert f"Tổng số khen thưởng năm 2024 của các đơn vị thành viên: {total}." in text
    assert "PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2025" in text
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts

    from docx import Document

    with default_storage.open(version.docx.name) as handle:
        doc = Document(handle)
    paragraphs = [p.text for p in doc.paragraphs]
    assert draft.title in paragraphs
    assert f"Tổng số khen thưởng năm 2024 của các đơn vị thành viên: {total}." in paragraphs
    cells = {cell.text for table in doc.tables for row in table.rows for cell in row.cells}
    assert {"Nguyễn Văn An", "Lao động tiên tiến", bloc.m2.name} <= cells


def test_the_builder_is_registered_and_its_fingerprint_marks_staleness(bloc, draft):
    builder = builder_for(draft)
    assert builder.fingerprint(draft) == bloc_year_fingerprint(bloc)


def test_a_bloc_year_without_a_scoring_table_or_pledge_says_so(org, secretary):
    bloc_year = BlocYearFactory(bloc=org.bloc_a, year=2025, leader=org.x)
    figures = gather_bloc_year_figures(bloc_year)
    assert figures.table is None and figures.ranking == [] and figures.pledges == []
    draft = ReportDraft.objects.create(
        kind=ReportKind.BLOC_YEAR, bloc_year=bloc_year, body=org.x, title="Tổng kết 2025"
    )
    from reports.models import ReportVersion
    from reports.services import narrative_of

    version = ReportVersion(
        draft=draft, number=1, requested_by=secretary, narrative=narrative_of(draft)
    )
    builder = builder_for(draft)
    context = builder.context(version, on_stage=lambda *_: None)
    text = " ".join(pdf_text(builder.pdf(context)).split())
    assert "Khối chưa lập bảng chấm điểm của năm." in text
    assert "Chưa ghi nhận giao ước thi đua của năm." in text
    assert builder.docx(context)[:2] == b"PK"


# Starting a draft ----------------------------------------------------------------------------


def url(bloc_year) -> str:
    return reverse("reports:bloc_year_draft_create", args=[bloc_year.pk])


def test_the_secretariat_starts_the_yearly_summary(bloc, secretary, client_for):
    client = client_for(secretary)
    page = client.get(url(bloc))
    assert page.status_code == 200
    assert "Báo cáo tổng kết năm của khối" in page.content.decode()
    response = client.post(url(bloc), {"title": "  Tổng kết năm 2024  "})
    draft = ReportDraft.objects.get(kind=ReportKind.BLOC_YEAR, bloc_year=bloc)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:draft_detail", args=[draft.pk])
    assert client.get(response["Location"]).status_code == 200
    assert draft.title == "Tổng kết năm 2024"
    assert (draft.body, draft.year, draft.created_by) == (bloc.m2, 2024, secretary)
    assert draft.history.get().history_user == secretary


def test_an_empty_title_takes_the_default(bloc, secretary, client_for):
    client_for(secretary).post(url(bloc), {"title": ""})
    draft = ReportDraft.objects.get(bloc_year=bloc)
    assert draft.title == f"Báo cáo tổng kết công tác thi đua, khen thưởng năm 2024 của {BLOC_NAME}"


def test_the_leaders_focal_point_may_start_it(bloc, client_for):
    client = client_for(focal_point_of(bloc.m2))
    assert client.post(url(bloc), {"title": ""}).status_code == 302
    assert ReportDraft.objects.filter(bloc_year=bloc).count() == 1


def test_a_second_draft_of_the_same_year_is_refused(bloc, secretary, client_for):
    client = client_for(secretary)
    client.post(url(bloc), {"title": "Lần một"})
    response = client.post(url(bloc), {"title": "Lần hai"})
    assert response.status_code == 200
    assert "đã có dự thảo báo cáo “Lần một”" in response.content.decode()
    assert ReportDraft.objects.filter(bloc_year=bloc).count() == 1


def test_a_year_without_a_leader_is_refused_with_a_message(org, secretary, client_for):
    bloc_year = BlocYearFactory(bloc=org.bloc_a, year=2026, leader=None)
    response = client_for(secretary).post(url(bloc_year), {"title": ""})
    assert response.status_code == 200
    assert "chưa có khối trưởng" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_bad_input_is_shown_and_nothing_is_created(bloc, secretary, client_for):
    response = client_for(secretary).post(url(bloc), {"title": "x" * 501})
    assert response.status_code == 200
    assert "Trích yếu dài tối đa 500 ký tự" in response.content.decode()
    assert not ReportDraft.objects.exists()


def test_members_who_do_not_run_the_bloc_get_403(bloc, leader, council, hr, client_for):
    # Roles over member X: they see the bloc but do not run it (its leader this year is M02).
    for user in (leader, council, hr):
        client = client_for(user)
        assert client.get(url(bloc)).status_code == 403, user
        assert client.post(url(bloc), {"title": ""}).status_code == 403, user
    assert not ReportDraft.objects.exists()


def test_someone_who_cannot_see_the_bloc_gets_404(bloc, secretary_b, focal_y, focal_x1, client_for):
    # Bloc B's secretariat, a unit outside the bloc, and a department below member X.
    for user in (secretary_b, focal_y, focal_x1):
        client = client_for(user)
        assert client.get(url(bloc)).status_code == 404
        assert client.post(url(bloc), {"title": ""}).status_code == 404
    assert (
        client_for(secretary_b)
        .get(reverse("reports:bloc_year_draft_create", args=[999999]))
        .status_code
        == 404
    )


def test_an_anonymous_visitor_is_sent_to_log_in(bloc, client):
    response = client.get(url(bloc))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
