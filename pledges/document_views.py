"""A pledge's files: the list and upload page, downloads, and the printable pledge (PDF).

Whoever may see the bloc sees and downloads its pledges' files; only those who
may manage the bloc that year upload (others get 403). Anyone else gets 404.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigns import downloads
from campaigns.errors import DomainError

from . import access, documents
from .document_forms import PledgeDocumentForm
from .models import DocumentKind, Pledge, PledgeDocument

logger = logging.getLogger(__name__)


def _get_pledge(request: HttpRequest, pk: int) -> Pledge:
    try:
        return (
            Pledge.objects.filter(bloc_year__bloc__in=access.visible_blocs(request.user))
            .select_related("bloc_year__bloc__organiser", "bloc_year__leader")
            .get(pk=pk)
        )
    except Pledge.DoesNotExist:
        raise Http404 from None


@login_required
@require_http_methods(["GET", "POST"])
def pledge_documents(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    bloc_year = pledge.bloc_year
    may_upload = access.can_manage(request.user, bloc_year.bloc, bloc_year)
    form = PledgeDocumentForm() if may_upload else None
    if request.method == "POST":
        if not may_upload:
            raise PermissionDenied
        form = PledgeDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = documents.pledge_document_add(
                    pledge=pledge,
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error("file", error)
            except DomainError as error:
                form.add_error(None, error.message)
            except OSError:
                logger.exception("Storing a document of pledge %s failed", pledge.pk)
                form.add_error(
                    None, _("Không lưu được tệp do lỗi hệ thống lưu trữ; chưa có gì được ghi.")
                )
            else:
                messages.success(
                    request,
                    _("Đã tải lên “%(name)s” (%(kind)s).")
                    % {"name": document.original_name, "kind": document.get_kind_display()},
                )
                return redirect("pledges:pledge_documents", pk=pledge.pk)
    files = pledge.documents.select_related("uploaded_by").order_by("-uploaded_at", "-pk")
    page = Paginator(files, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    scan = documents.latest_signed_scan(pledge)
    return render(
        request,
        "pledges/document_list.html",
        {
            "pledge": pledge,
            "bloc_year": bloc_year,
            "bloc": bloc_year.bloc,
            "form": form,
            "page": page,
            "scan": scan,
            "signed_scan_kind": DocumentKind.SIGNED_SCAN,
        },
    )


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        document = PledgeDocument.objects.get(
            pk=pk, pledge__bloc_year__bloc__in=access.visible_blocs(request.user)
        )
    except PledgeDocument.DoesNotExist:
        raise Http404 from None
    return downloads.stored_file_response(
        document.file.name,
        name=documents.download_name(document),
        content_type=document.content_type,
    )


@login_required
@require_GET
def pledge_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    pledge = _get_pledge(request, pk)
    content = documents.pledge_pdf(pledge)
    return downloads.file_response(
        content, name=documents.pledge_pdf_filename(pledge), content_type=downloads.PDF
    )
