"""Generation pages: request a version, watch it being made, download its files.

STYLE points 7–8: the POST creates the version row and queues the job (nothing is
rendered in the request), then redirects to the status page, which polls a small
partial every second while the job is queued or running and stops once it is done
or failed. Files are served by their own views, only for finished versions, to
whoever may see the draft (reports.access.get_version: someone else gets 404);
requesting and retrying need reports.access.can_request (403 otherwise).
"""

from __future__ import annotations

import hashlib
import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from campaigns import downloads
from campaigns.errors import ConflictError, DomainError

from . import access, services
from . import draft_services as drafts
from .draft_forms import DraftForm
from .draft_views import draft_areas, draft_page
from .models import ReportDraft, ReportStatus, ReportVersion

logger = logging.getLogger(__name__)

ACTIVE = (ReportStatus.QUEUED, ReportStatus.RUNNING)
FILES = {
    "pdf": ("pdf", "pdf_sha256", downloads.PDF),
    "docx": ("docx", "docx_sha256", downloads.DOCX),
}


def _version(request: HttpRequest, pk: int) -> tuple[ReportVersion, ReportDraft]:
    version = access.get_version(request.user, pk)
    draft = access.get_draft(request.user, version.draft_id)
    version.draft = draft
    return version, draft


@login_required
@require_POST
def version_request(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tạo báo cáo": a new version of the draft, queued; a writer's form is saved first."""
    draft = access.get_draft(request.user, pk)
    if not access.can_request(request.user, draft):
        raise PermissionDenied
    if "version" in request.POST and access.can_write(request.user, draft):
        # "Lưu và tạo báo cáo" on the edit form: the version holds what the page shows.
        form = DraftForm(request.POST, instance=draft, areas=draft_areas(draft))
        if not form.is_valid():
            return draft_page(request, draft, form, status=400)
        try:
            drafts.draft_update(
                draft=draft,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                **form.draft_fields(),
            )
        except ConflictError as error:
            form.add_error(None, error.message)
            return draft_page(request, draft, form, status=409)
        except DomainError as error:
            form.add_error(None, error.message)
            return draft_page(request, draft, form, status=400)
    try:
        version = services.report_request(draft=draft, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reports:draft_detail", pk=draft.pk)
    return redirect("reports:version_status", pk=version.pk)


def _state(version: ReportVersion) -> str:
    """What the status partial shows, in a few characters: unchanged means nothing to redraw."""
    text = f"{version.status}|{version.progress}|{version.stage}|{version.error}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _progress_context(request: HttpRequest, version: ReportVersion, draft: ReportDraft) -> dict:
    return {
        "version": version,
        "draft": draft,
        "active": version.status in ACTIVE,
        "state": _state(version),
        "stale": services.is_stale(version),
        "can_request": access.can_request(request.user, draft),
    }


@login_required
@require_GET
def version_status(request: HttpRequest, pk: int) -> HttpResponse:
    version, draft = _version(request, pk)
    return render(
        request, "reports/version_status.html", _progress_context(request, version, draft)
    )


@login_required
@require_GET
def version_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx partial polled every second while the job runs; it stops polling once finished.

    ``seen`` is the state the page shows: while it is unchanged the answer is 204,
    which htmx leaves alone, so a screen reader is not told the same stage again.
    """
    version, draft = _version(request, pk)
    if version.status in ACTIVE and request.GET.get("seen") == _state(version):
        return HttpResponse(status=204)
    return render(
        request, "reports/_version_progress.html", _progress_context(request, version, draft)
    )


@login_required
@require_POST
def version_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """ "Tạo lại" a failed version: a new version from the same draft, queued."""
    version, draft = _version(request, pk)
    if not access.can_request(request.user, draft):
        raise PermissionDenied
    try:
        retried = services.report_retry(version=version, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("reports:version_status", pk=version.pk)
    return redirect("reports:version_status", pk=retried.pk)


def _download(request: HttpRequest, pk: int, kind: str) -> FileResponse:
    field, checksum_field, content_type = FILES[kind]
    version, draft = _version(request, pk)
    stored = getattr(version, field)
    # Only a finished version has files, written before its status: never a partial one.
    if version.status != ReportStatus.DONE or not stored or not getattr(version, checksum_field):
        raise Http404
    return downloads.stored_file_response(
        stored.name,
        name=_("%(title)s (phiên bản %(number)s)")
        % {"title": draft.title[:80], "number": version.number},
        content_type=content_type,
    )


@login_required
@require_GET
def version_pdf(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "pdf")


@login_required
@require_GET
def version_docx(request: HttpRequest, pk: int) -> FileResponse:
    return _download(request, pk, "docx")
