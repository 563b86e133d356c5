"""Report use cases: request a generation, render it (from the Celery task), sweep.

STYLE point 7–8: a report is a row; the request creates it and enqueues the job
after commit; the task loads the row and calls ``render_version``; expected
failures mark the row FAILED with a message the user sees; a job whose worker
died is found by ``sweep`` and marked failed; nothing partial is ever served
(downloads read only DONE versions, whose files were written before the status).
"""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.errors import DomainError

from .models import ReportDraft, ReportKind, ReportStatus, ReportVersion

log = logging.getLogger(__name__)

NARRATIVE_FIELDS = (
    "title",
    "context",
    "direction",
    "area_results",
    "exemplars",
    "strengths",
    "shortcomings",
    "causes",
    "lessons",
    "next_direction",
    "proposals",
    "number",
    "place",
    "document_date",
    "signer_name",
    "signer_position",
    "recipients",
)

# A running job writes a heartbeat at every stage; one silent for this long has lost its worker.
HEARTBEAT_TIMEOUT = datetime.timedelta(minutes=10)
# A queued job not picked up for this long is sent to the queue again (the broker may have been down).
REQUEUE_AFTER = datetime.timedelta(minutes=2)
MAX_ATTEMPTS = 3


def narrative_of(draft: ReportDraft) -> dict[str, Any]:
    data = {name: getattr(draft, name) for name in NARRATIVE_FIELDS}
    data["document_date"] = draft.document_date.isoformat() if draft.document_date else None
    return data


def _enqueue(version: ReportVersion) -> None:
    """Send the job to the broker; if the broker is down the row stays queued for the sweep."""
    from .tasks import render_report

    try:
        result = render_report.delay(version.pk)
    except Exception as exc:  # kombu/redis connection errors have no common base class here
        log.warning("report %s: queue unavailable (%s)", version.pk, exc)
        ReportVersion.objects.filter(pk=version.pk, status=ReportStatus.QUEUED).update(
            stage=_("Hàng đợi tạm thời không khả dụng; yêu cầu đã được lưu và sẽ tự chạy lại.")
        )
        return
    ReportVersion.objects.filter(pk=version.pk).update(task_id=result.id or "")


@transaction.atomic
def report_request(*, draft: ReportDraft, by: AbstractBaseUser) -> ReportVersion:
    """Create the next version of ``draft`` and queue its generation after commit."""
    draft = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    if draft.kind == ReportKind.PHASE_REVIEW and draft.phase.campaign_id != draft.campaign_id:
        raise DomainError(_("Giai đoạn không thuộc phong trào của báo cáo."))
    busy = draft.versions.filter(status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]).first()
    if busy:
        raise DomainError(
            _("Phiên bản %(n)s đang được tạo; hãy chờ phiên bản đó xong.") % {"n": busy.number}
        )
    number = (draft.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = ReportVersion.objects.create(
        draft=draft,
        number=number,
        requested_by=by,
        narrative=narrative_of(draft),
        stage=_("Đang chờ máy chủ xử lý"),
    )
    transaction.on_commit(lambda: _enqueue(version))
    return version


@transaction.atomic
def report_retry(*, version: ReportVersion, by: AbstractBaseUser) -> ReportVersion:
    """A failed version is retried as a new version from the same draft (nothing overwritten)."""
    if version.status != ReportStatus.FAILED:
        raise DomainError(_("Chỉ tạo lại được phiên bản bị lỗi."))
    return report_request(draft=version.draft, by=by)


def _progress(version: ReportVersion, percent: int, stage: str) -> None:
    ReportVersion.objects.filter(pk=version.pk).update(
        progress=percent, stage=stage, heartbeat_at=timezone.now()
    )


def fingerprint_of(draft: ReportDraft) -> str:
    from . import builders

    return builders.builder_for(draft).fingerprint(draft)


def is_stale(version: ReportVersion) -> bool:
    """True when the data behind a finished version has changed since it was made."""
    if version.status != ReportStatus.DONE or not version.data_fingerprint:
        return False
    return fingerprint_of(version.draft) != version.data_fingerprint


def render_version(version_id: int, *, on_stage: Callable[[int, str], None] | None = None) -> None:
    """Build the figures, the PDF and the Word copy of one version; called by the task."""
    from . import builders

    claimed = ReportVersion.objects.filter(
        pk=version_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).update(
        status=ReportStatus.RUNNING,
        started_at=timezone.now(),
        heartbeat_at=timezone.now(),
        error="",
    )
    if not claimed:
        return  # already finished or failed: a duplicate delivery of the same job
    version = ReportVersion.objects.select_related("draft").get(pk=version_id)
    ReportVersion.objects.filter(pk=version_id).update(attempts=version.attempts + 1)

    def stage(percent: int, text: str) -> None:
        _progress(version, percent, text)
        if on_stage:
            on_stage(percent, text)

    builder = builders.builder_for(version.draft)
    stage(5, _("Thu thập số liệu"))
    fingerprint = builder.fingerprint(version.draft)
    context = builder.context(version, on_stage=stage)
    stage(55, _("Dàn trang PDF"))
    pdf = builder.pdf(context)
    stage(80, _("Tạo bản Word"))
    docx = builder.docx(context)
    stage(92, _("Lưu tệp"))
    slug = f"{version.draft.kind}-{version.draft_id}"
    stored: list[str] = []
    try:
        for field, extension, content in ((version.pdf, "pdf", pdf), (version.docx, "docx", docx)):
            name = field.field.upload_to(version, f"{slug}.{extension}")
            stored.append(default_storage.save(name, ContentFile(content)))
    except OSError:
        # A full disk (or a storage outage) is expected to happen some day: no file of
        # this version may stay behind, and the user is told plainly what to do.
        log.exception("report %s: storing the files failed", version_id)
        for name in stored:
            default_storage.delete(name)
        mark_failed(
            version_id,
            _(
                "Không lưu được tệp báo cáo do lỗi hệ thống lưu trữ (có thể đã hết dung "
                "lượng). Hãy báo quản trị viên, rồi bấm “Tạo lại”."
            ),
        )
        return
    pdf_name, docx_name = stored
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    with transaction.atomic():
        updated = ReportVersion.objects.filter(pk=version_id, status=ReportStatus.RUNNING).update(
            pdf=pdf_name,
            pdf_sha256=hashlib.sha256(pdf).hexdigest(),
            docx=docx_name,
            docx_sha256=hashlib.sha256(docx).hexdigest(),
            page_count=pages,
            data_fingerprint=fingerprint,
            status=ReportStatus.DONE,
            progress=100,
            stage=_("Hoàn thành"),
            finished_at=timezone.now(),
        )
    if not updated:
        # The sweep gave up on this job meanwhile: do not leave its files behind.
        default_storage.delete(pdf_name)
        default_storage.delete(docx_name)


def mark_failed(version_id: int, message: str) -> None:
    ReportVersion.objects.filter(
        pk=version_id, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).update(status=ReportStatus.FAILED, error=message, finished_at=timezone.now())


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Fail jobs whose worker died; queue again jobs the broker never delivered."""
    now = now or timezone.now()
    dead = ReportVersion.objects.filter(
        status=ReportStatus.RUNNING, heartbeat_at__lt=now - HEARTBEAT_TIMEOUT
    ).update(
        status=ReportStatus.FAILED,
        error=_("Máy chủ xử lý đã dừng giữa chừng. Bấm “Tạo lại” để thử lần nữa."),
        finished_at=now,
    )
    requeued = 0
    for version in ReportVersion.objects.filter(
        status=ReportStatus.QUEUED, requested_at__lt=now - REQUEUE_AFTER
    ):
        if version.attempts >= MAX_ATTEMPTS:
            mark_failed(
                version.pk, _("Không gửi được yêu cầu tới máy chủ xử lý sau nhiều lần thử.")
            )
            continue
        ReportVersion.objects.filter(pk=version.pk).update(attempts=version.attempts + 1)
        _enqueue(version)
        requeued += 1
    return {"failed": dead, "requeued": requeued}
