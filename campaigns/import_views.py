"""Excel import of units and people: upload → preview → confirm.

Between preview and confirm the file waits on the shared storage (several web
processes may serve the two requests); the session holds only its token.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import access, downloads, imports, spreadsheets
from .errors import DomainError
from .import_forms import ImportUploadForm

SESSION_KEY = "org_import"


def _require_org_role(request: HttpRequest) -> None:
    if not access.has_role(request.user, access.ORG_ROLES):
        raise PermissionDenied


def _forget_pending(request: HttpRequest) -> None:
    pending = request.session.pop(SESSION_KEY, None)
    if isinstance(pending, dict) and pending.get("token"):
        imports.drop_stash(pending["token"])


def _preview_page(
    request: HttpRequest, preview: imports.ImportPreview, form: ImportUploadForm, token: str
) -> HttpResponse:
    units, units_hidden = imports.rows_to_show(preview.units)
    people, people_hidden = imports.rows_to_show(preview.people)
    context: dict[str, Any] = {
        "preview": preview,
        "form": form,
        "token": token,
        "units": units,
        "units_hidden": units_hidden,
        "people": people,
        "people_hidden": people_hidden,
        "unit_counts": preview.unit_counts,
        "person_counts": preview.person_counts,
        "row_limit": imports.PREVIEW_ROW_LIMIT,
    }
    return render(request, "campaigns/import_preview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    _require_org_role(request)
    if request.method == "GET":
        return render(request, "campaigns/import_upload.html", {"form": ImportUploadForm()})
    form = ImportUploadForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            preview = imports.preview_import(form.content, user=request.user)
        except spreadsheets.ImportFileError as error:
            form.add_error("file", error.message)
        else:
            _forget_pending(request)
            token = ""
            if not preview.has_errors:
                token = imports.stash(form.content)
                request.session[SESSION_KEY] = {"token": token, "user": request.user.pk}
            return _preview_page(request, preview, ImportUploadForm(), token)
    return render(request, "campaigns/import_upload.html", {"form": form})


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _require_org_role(request)
    return downloads.file_response(
        imports.build_template(user=request.user),
        name="mau-nhap-don-vi-ca-nhan",
        content_type=spreadsheets.XLSX_CONTENT_TYPE,
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _require_org_role(request)
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if (
        not isinstance(pending, dict)
        or pending.get("user") != request.user.pk
        or pending.get("token") != token
    ):
        messages.error(
            request,
            _("Không có tệp nào đang chờ xác nhận, hoặc tệp đã được thay. Hãy tải tệp lên lại."),
        )
        return redirect("org:import")
    data = imports.load_stash(token)
    _forget_pending(request)
    if data is None:
        messages.error(request, _("Tệp chờ xác nhận không còn nữa. Hãy tải tệp lên lại."))
        return redirect("org:import")
    try:
        # Checked again: the database may have changed since the preview.
        preview = imports.preview_import(data, user=request.user)
        if preview.has_errors:
            messages.error(
                request,
                _("Dữ liệu đã thay đổi từ lúc kiểm tra và tệp nay có lỗi; chưa có gì được ghi."),
            )
            return _preview_page(request, preview, ImportUploadForm(), "")
        result = imports.apply_import(preview=preview, user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("org:import")
    messages.success(
        request,
        _(
            "Đã nhập xong: thêm mới %(units_created)d và cập nhật %(units_updated)d đơn vị; "
            "thêm mới %(people_created)d và cập nhật %(people_updated)d cá nhân."
        )
        % {
            "units_created": result.units_created,
            "units_updated": result.units_updated,
            "people_created": result.people_created,
            "people_updated": result.people_updated,
        },
    )
    return redirect("org:unit_tree")
