"""Report generation: the task run for real (eagerly here), versions, failures, staleness."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.files.storage import default_storage

from campaigns.errors import DomainError
from campaigns.models import ProgressEntry
from reports import services
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.documents import pdf_fonts, pdf_text
from tests.factories import CampaignFactory, ContentAreaFactory, PhaseFactory, TargetFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def draft(org, hr):
    campaign = CampaignFactory(
        name="Thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời",
        issuing_unit=org.x,
        start_year=2023,
        end_year=2030,
    )
    phase = PhaseFactory(campaign=campaign, name="Giai đoạn 1 (2023-2025)")
    area = ContentAreaFactory(campaign=campaign, number=1, title="Học tập suốt đời")
    TargetFactory(content_area=area)
    return ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Sơ kết Giai đoạn 1 phong trào xây dựng xã hội học tập",
        strengths="Các đơn vị hưởng ứng tích cực.",
        number="12/BC-X",
        document_date=datetime.date(2025, 3, 5),
        signer_name="Nguyễn Văn Ký",
        signer_position="Thủ trưởng cơ quan",
        recipients="Ban TĐKT Trung ương\nLưu: VT",
        created_by=hr,
    )


def test_a_request_renders_a_pdf_and_a_word_copy(draft, hr, org):
    version = services.report_request(draft=draft, by=hr)
    version.refresh_from_db()
    assert version.status == ReportStatus.DONE, version.error
    assert version.progress == 100
    assert len(version.pdf_sha256) == 64 and len(version.docx_sha256) == 64
    with default_storage.open(version.pdf.name) as handle:
        pdf = handle.read()
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Thi đua xây dựng xã hội học tập, đẩy mạnh học tập suốt đời" in text
    assert "01/01/2023" in text and "31/12/2025" in text
    assert "Hà Nội, ngày 05 tháng 03 năm 2025" in text
    assert "Đơn vị tham gia: 4" in text  # X and its three sub-units, as in the database
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts
    from docx import Document

    with default_storage.open(version.docx.name) as handle:
        doc = Document(handle)
    assert any("Sơ kết Giai đoạn 1" in p.text for p in doc.paragraphs)


def test_each_generation_is_a_new_version(draft, hr):
    first = services.report_request(draft=draft, by=hr)
    second = services.report_request(draft=draft, by=hr)
    assert (first.number, second.number) == (1, 2)
    assert ReportVersion.objects.filter(draft=draft).count() == 2
    first.refresh_from_db()
    assert default_storage.exists(first.pdf.name)


def test_a_failing_render_marks_the_version_failed_with_a_message(draft, hr):
    with mock.patch("reports.builders.PhaseReviewBuilder.pdf", side_effect=ValueError("hỏng font")):
        services.report_request(draft=draft, by=hr)
    version = draft.versions.get()
    assert version.status == ReportStatus.FAILED
    assert "hỏng font" in version.error
    assert not version.pdf
    retried = services.report_retry(version=version, by=hr)
    retried.refresh_from_db()
    assert retried.status == ReportStatus.DONE and retried.number == 2


def test_a_version_becomes_stale_when_data_changes(draft, hr, org):
    version = services.report_request(draft=draft, by=hr)
    version.refresh_from_db()
    assert not services.is_stale(version)
    ProgressEntry.objects.create(
        phase=draft.phase,
        content_area=draft.campaign.content_areas.get(),
        unit=org.x1,
        summary="Mới",
    )
    assert services.is_stale(version)


def test_the_sweep_fails_a_job_whose_worker_died(draft, hr):
    version = ReportVersion.objects.create(
        draft=draft,
        number=1,
        requested_by=hr,
        status=ReportStatus.RUNNING,
        heartbeat_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC),
    )
    assert services.sweep()["failed"] == 1
    version.refresh_from_db()
    assert version.status == ReportStatus.FAILED
    assert "dừng giữa chừng" in version.error


def test_a_request_while_the_broker_is_down_is_kept_and_requeued(draft, hr):
    with mock.patch("reports.tasks.render_report.delay", side_effect=ConnectionError("redis down")):
        version = services.report_request(draft=draft, by=hr)
    version.refresh_from_db()
    assert version.status == ReportStatus.QUEUED
    assert "không khả dụng" in version.stage
    ReportVersion.objects.filter(pk=version.pk).update(
        requested_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    assert services.sweep()["requeued"] == 1
    version.refresh_from_db()
    assert version.status == ReportStatus.DONE


def test_a_second_request_while_one_runs_is_refused(draft, hr):
    ReportVersion.objects.create(
        draft=draft, number=1, requested_by=hr, status=ReportStatus.RUNNING
    )
    with pytest.raises(DomainError):
        services.report_request(draft=draft, by=hr)
