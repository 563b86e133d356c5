"""Generation pages: request, status page with its polling partial, retry, downloads.

Roles: hr writes and requests; leader (of X) requests and downloads; focal_x1
reads and downloads but may not request (403); focal_y and leader_y (body Y) get 404.
"""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import ProgressEntry
from reports.models import ReportStatus, ReportVersion
from tests.documents import pdf_text
from tests.reports.page_setup import finished_version

pytestmark = pytest.mark.django_db

POLL = 'hx-trigger="every 1s"'


def _status(client, version: ReportVersion) -> str:
    response = client.get(reverse("reports:version_status", args=[version.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- requesting ---------------------------------------------------------------------------


def test_a_leader_requests_a_report_and_lands_on_its_status_page(
    client_for, leader, phase_review, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:version_request", args=[phase_review.draft.pk]))
    version = ReportVersion.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:version_status", args=[version.pk])
    assert version.requested_by == leader and version.number == 1
    assert version.status == ReportStatus.DONE, version.error

    body = _status(client, version)
    assert 'role="progressbar"' in body and 'aria-valuenow="100"' in body
    assert "Hoàn thành" in body
    assert POLL not in body
    assert reverse("reports:version_pdf", args=[version.pk]) in body
    assert reverse("reports:version_docx", args=[version.pk]) in body
    assert version.pdf_sha256 in body and version.docx_sha256 in body
    assert f"{version.page_count} trang" in body

    response = client.get(reverse("reports:version_pdf", args=[version.pk]))
    content = b"".join(response.streaming_content)
    assert "Thi đua xây dựng xã hội học tập" in pdf_text(content)


def test_lưu_và_tạo_saves_the_writers_page_into_the_version(
    client_for, hr, phase_review, django_capture_on_commit_callbacks
):
    data = {
        "version": str(phase_review.draft.version),
        "title": phase_review.draft.title,
        "place": "Hà Nội",
        "context": "Bối cảnh viết ngay trước khi tạo.",
    }
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(hr).post(
            reverse("reports:version_request", args=[phase_review.draft.pk]), data
        )
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert version.narrative["context"] == "Bối cảnh viết ngay trước khi tạo."
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.context == "Bối cảnh viết ngay trước khi tạo."


def test_lưu_và_tạo_with_bad_input_creates_nothing(client_for, hr, phase_review):
    data = {"version": str(phase_review.draft.version), "title": "", "document_date": "2025-02-30"}
    response = client_for(hr).post(
        reverse("reports:version_request", args=[phase_review.draft.pk]), data
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Ngày ban hành không hợp lệ." in body and "Hãy nhập trích yếu của báo cáo." in body
    assert not ReportVersion.objects.exists()


def test_lưu_và_tạo_from_an_old_page_is_a_conflict(client_for, hr, phase_review):
    data = {"version": "99", "title": "Khác", "place": "Hà Nội"}
    response = client_for(hr).post(
        reverse("reports:version_request", args=[phase_review.draft.pk]), data
    )
    assert response.status_code == 409
    assert not ReportVersion.objects.exists()


def test_a_focal_point_may_not_request(client_for, focal_x1, phase_review):
    response = client_for(focal_x1).post(
        reverse("reports:version_request", args=[phase_review.draft.pk])
    )
    assert response.status_code == 403
    assert not ReportVersion.objects.exists()


@pytest.mark.parametrize("persona", ["focal_y", "leader_y"])
def test_another_body_gets_404_on_request(client_for, request, persona, phase_review):
    client = client_for(request.getfixturevalue(persona))
    assert (
        client.post(reverse("reports:version_request", args=[phase_review.draft.pk])).status_code
        == 404
    )
    assert not ReportVersion.objects.exists()


def test_a_request_while_one_runs_says_so(client_for, leader, hr, phase_review):
    ReportVersion.objects.create(
        draft=phase_review.draft, number=1, requested_by=hr, status=ReportStatus.RUNNING
    )
    client = client_for(leader)
    response = client.post(
        reverse("reports:version_request", args=[phase_review.draft.pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse(
        "reports:draft_detail", args=[phase_review.draft.pk]
    )
    assert "Phiên bản 1 đang được tạo" in response.content.decode()
    assert ReportVersion.objects.count() == 1


def test_requests_are_refused_to_get(client_for, leader, phase_review):
    response = client_for(leader).get(
        reverse("reports:version_request", args=[phase_review.draft.pk])
    )
    assert response.status_code == 405


def test_a_request_while_the_broker_is_down_shows_the_stored_stage(
    client_for, leader, phase_review, django_capture_on_commit_callbacks
):
    client = client_for(leader)
    with (
        mock.patch("reports.tasks.render_report.delay", side_effect=ConnectionError("redis")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("reports:version_request", args=[phase_review.draft.pk]))
    version = ReportVersion.objects.get()
    assert response.url == reverse("reports:version_status", args=[version.pk])
    body = _status(client, version)
    assert "Hàng đợi tạm thời không khả dụng" in body
    assert "Đang chờ" in body and 'aria-valuenow="0"' in body
    assert POLL in body  # still waiting: the sweep will queue it again


# --- status page and its partial -------------------------------------------------------------


def test_a_running_version_polls_and_shows_its_stage(client_for, leader, hr, phase_review):
    version = ReportVersion.objects.create(
        draft=phase_review.draft,
        number=1,
        requested_by=hr,
        status=ReportStatus.RUNNING,
        progress=55,
        stage="Dàn trang PDF",
    )
    client = client_for(leader)
    body = _status(client, version)
    assert 'aria-valuenow="55"' in body and "Dàn trang PDF" in body and "Đang tạo" in body
    assert POLL in body
    partial_url = reverse("reports:version_progress", args=[version.pk])
    assert f'hx-get="{partial_url}?seen=' in body
    assert reverse("reports:version_pdf", args=[version.pk]) not in body


def test_the_partial_answers_204_while_nothing_changed(client_for, leader, hr, phase_review):
    version = ReportVersion.objects.create(
        draft=phase_review.draft,
        number=1,
        requested_by=hr,
        status=ReportStatus.RUNNING,
        progress=40,
    )
    client = client_for(leader)
    url = reverse("reports:version_progress", args=[version.pk])
    first = client.get(url).content.decode()
    seen = re.search(r"\?seen=([0-9a-f]+)", first).group(1)
    assert client.get(url, {"seen": seen}).status_code == 204
    ReportVersion.objects.filter(pk=version.pk).update(progress=80, stage="Tạo bản Word")
    changed = client.get(url, {"seen": seen})
    assert changed.status_code == 200 and 'aria-valuenow="80"' in changed.content.decode()


def test_the_partial_stops_polling_when_done(client_for, leader, hr, phase_review):
    version = ReportVersion.objects.create(
        draft=phase_review.draft,
        number=1,
        requested_by=hr,
        status=ReportStatus.RUNNING,
        progress=92,
    )
    client = client_for(leader)
    url = reverse("reports:version_progress", args=[version.pk])
    assert POLL in client.get(url).content.decode()
    version.delete()
    done = finished_version(phase_review.draft, hr)
    url = reverse("reports:version_progress", args=[done.pk])
    response = client.get(url, {"seen": "stale-token"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert POLL not in body and "hx-get" not in body
    assert 'aria-valuenow="100"' in body and "Hoàn thành" in body
    assert "Tải bản PDF" in body and "3 trang" in body and "a" * 64 in body


def test_a_failed_version_shows_its_message_and_a_retry_button(
    client_for, leader, focal_x1, hr, phase_review
):
    version = ReportVersion.objects.create(
        draft=phase_review.draft,
        number=1,
        requested_by=hr,
        status=ReportStatus.FAILED,
        progress=55,
        error="Không tạo được báo cáo: hỏng phông chữ",
    )
    body = _status(client_for(leader), version)
    assert "Không tạo được báo cáo: hỏng phông chữ" in body
    assert POLL not in body
    assert reverse("reports:version_retry", args=[version.pk]) in body and "Tạo lại" in body
    assert reverse("reports:version_pdf", args=[version.pk]) not in body
    # A reader sees the failure, not the button.
    body = _status(client_for(focal_x1), version)
    assert "hỏng phông chữ" in body
    assert reverse("reports:version_retry", args=[version.pk]) not in body


def test_a_stale_marker_appears_after_data_changes(client_for, leader, hr, org, phase_review):
    version = finished_version(phase_review.draft, hr)
    client = client_for(leader)
    assert "Số liệu đã thay đổi" not in _status(client, version)
    draft_url = reverse("reports:draft_detail", args=[phase_review.draft.pk])
    assert "Số liệu đã thay đổi" not in client.get(draft_url).content.decode()
    ProgressEntry.objects.create(
        phase=phase_review.phase, content_area=phase_review.area, unit=org.x1, summary="Số liệu mới"
    )
    assert "Số liệu đã thay đổi sau khi tạo phiên bản này" in _status(client, version)
    assert "Số liệu đã thay đổi" in client.get(draft_url).content.decode()


def test_the_draft_page_lists_every_version(client_for, leader, hr, phase_review):
    done = finished_version(phase_review.draft, hr, number=1)
    ReportVersion.objects.create(
        draft=phase_review.draft,
        number=2,
        requested_by=leader,
        status=ReportStatus.FAILED,
        error="x",
    )
    ReportVersion.objects.create(
        draft=phase_review.draft, number=3, requested_by=leader, status=ReportStatus.QUEUED
    )
    body = (
        client_for(leader)
        .get(reverse("reports:draft_detail", args=[phase_review.draft.pk]))
        .content.decode()
    )
    for n in (1, 2, 3):
        assert f"Phiên bản {n}" in body
    assert "Hoàn thành" in body and "Lỗi" in body and "Đang chờ" in body
    assert body.count("/pdf/") == 1
    assert reverse("reports:version_pdf", args=[done.pk]) in body
    assert "(3 trang)" in body


def test_the_status_page_runs_a_fixed_number_of_queries(client_for, leader, hr, phase_review):
    version = finished_version(phase_review.draft, hr)
    client = client_for(leader)
    with CaptureQueriesContext(connection) as queries:
        _status(client, version)
    assert len(queries) <= 30, [q["sql"] for q in queries]


@pytest.mark.parametrize("persona", ["focal_y", "leader_y"])
def test_another_body_gets_404_on_the_status_pages(client_for, request, hr, persona, phase_review):
    version = finished_version(phase_review.draft, hr)
    client = client_for(request.getfixturevalue(persona))
    for name in ("version_status", "version_progress"):
        assert client.get(reverse(f"reports:{name}", args=[version.pk])).status_code == 404
    assert client.post(reverse("reports:version_retry", args=[version.pk])).status_code == 404


# --- retry --------------------------------------------------------------------------------------


def test_a_leader_retries_a_failed_version_as_a_new_one(
    client_for, leader, hr, phase_review, django_capture_on_commit_callbacks
):
    failed = ReportVersion.objects.create(
        draft=phase_review.draft, number=1, requested_by=hr, status=ReportStatus.FAILED, error="x"
    )
    with django_capture_on_commit_callbacks(execute=False):
        response = client_for(leader).post(reverse("reports:version_retry", args=[failed.pk]))
    retried = ReportVersion.objects.get(number=2)
    assert response.url == reverse("reports:version_status", args=[retried.pk])
    assert retried.requested_by == leader
    failed.refresh_from_db()
    assert failed.status == ReportStatus.FAILED  # kept as it was


def test_only_a_failed_version_is_retried(client_for, leader, hr, phase_review):
    done = finished_version(phase_review.draft, hr)
    response = client_for(leader).post(
        reverse("reports:version_retry", args=[done.pk]), follow=True
    )
    assert "Chỉ tạo lại được phiên bản bị lỗi." in response.content.decode()
    assert ReportVersion.objects.count() == 1


def test_a_focal_point_may_not_retry(client_for, focal_x1, hr, phase_review):
    failed = ReportVersion.objects.create(
        draft=phase_review.draft, number=1, requested_by=hr, status=ReportStatus.FAILED, error="x"
    )
    assert (
        client_for(focal_x1).post(reverse("reports:version_retry", args=[failed.pk])).status_code
        == 403
    )
    assert ReportVersion.objects.count() == 1


# --- downloads ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type", "start"),
    [
        ("version_pdf", "application/pdf", b"%PDF"),
        (
            "version_docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            b"PK",
        ),
    ],
)
@pytest.mark.parametrize("persona", ["leader", "focal_x1", "hr"])
def test_who_sees_the_draft_downloads_a_finished_version(
    client_for, request, hr, phase_review, name, content_type, start, persona
):
    version = finished_version(phase_review.draft, hr)
    response = client_for(request.getfixturevalue(persona)).get(
        reverse(f"reports:{name}", args=[version.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith("attachment;")
    # The draft's title and the version, folded to ASCII, with the file's own extension.
    extension = ".pdf" if name == "version_pdf" else ".docx"
    assert response["Content-Disposition"].endswith(f'-phien-ban-1{extension}"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert b"".join(response.streaming_content).startswith(start)


@pytest.mark.parametrize("persona", ["leader_y", "focal_y"])
def test_another_body_gets_404_on_the_download(client_for, request, hr, phase_review, persona):
    version = finished_version(phase_review.draft, hr)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("reports:version_pdf", args=[version.pk])).status_code == 404
    assert client.get(reverse("reports:version_docx", args=[version.pk])).status_code == 404


@pytest.mark.parametrize("status", [ReportStatus.QUEUED, ReportStatus.RUNNING, ReportStatus.FAILED])
def test_an_unfinished_version_is_never_served(client_for, leader, hr, phase_review, status):
    version = finished_version(phase_review.draft, hr)
    # A file already on disk but the row not DONE (the sweep gave up meanwhile, say).
    ReportVersion.objects.filter(pk=version.pk).update(status=status)
    client = client_for(leader)
    assert client.get(reverse("reports:version_pdf", args=[version.pk])).status_code == 404
    assert client.get(reverse("reports:version_docx", args=[version.pk])).status_code == 404


def test_a_missing_file_is_a_404_not_a_500(client_for, leader, hr, phase_review):
    version = finished_version(phase_review.draft, hr)
    default_storage.delete(version.pdf.name)
    response = client_for(leader).get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 404


def test_downloads_need_a_login(client, hr, phase_review):
    version = finished_version(phase_review.draft, hr)
    response = client.get(reverse("reports:version_pdf", args=[version.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url
