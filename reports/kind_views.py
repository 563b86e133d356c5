"""Pages that start a bloc's yearly summary or a body's award statistics (form 0602).

Thin views: load through the scoping helpers (someone who cannot see the bloc
gets 404; someone who sees it but does not run it gets 403; someone who is HR
staff of no body gets 403), validate the form, call reports.kind_services, then
go to the draft's page (reports:draft_detail), where the narrative is written
and generations are requested.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from campaigns import access as unit_access
from campaigns.errors import DomainError
from campaigns.models import Role, Unit, UnitKind
from pledges import access as bloc_access

from . import kind_services
from .kind_forms import AwardStatisticsDraftForm, BlocYearDraftForm


def statistics_bodies(user) -> QuerySet[Unit]:
    """Bodies whose award statistics the user may file: those where they are HR staff."""
    return Unit.objects.filter(
        unit_access.subtree_q(user, {Role.HR_STAFF}), kind=UnitKind.BODY, is_active=True
    ).order_by("path")


def _render(request: HttpRequest, form, **context: Any) -> HttpResponse:
    return render(request, "reports/kind_draft_form.html", {"form": form, **context})


@login_required
@require_http_methods(["GET", "POST"])
def bloc_year_draft_create(request: HttpRequest, pk: int) -> HttpResponse:
    bloc_year = bloc_access.get_bloc_year(request.user, pk)
    if not bloc_access.can_manage(request.user, bloc_year.bloc, bloc_year):
        raise PermissionDenied
    bloc_year_url = reverse("pledges:bloc_year", args=[bloc_year.pk])
    form = BlocYearDraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = kind_services.bloc_year_draft_create(
                by=request.user, bloc_year=bloc_year, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã tạo dự thảo “%(title)s”.") % {"title": draft.title})
            return redirect("reports:draft_detail", pk=draft.pk)
    return _render(
        request,
        form,
        heading=_("Báo cáo tổng kết năm của khối"),
        subject=_("%(bloc)s – năm %(year)s")
        % {"bloc": bloc_year.bloc.name, "year": bloc_year.year},
        intro=_(
            "Hệ thống tự tổng hợp khối trưởng, khối phó, cờ luân lưu, thành viên, giao ước và "
            "chữ ký, kết quả chấm điểm, suy tôn và khen thưởng của các đơn vị thành viên trong "
            "năm. Sau khi tạo, hãy viết phần đánh giá, phương hướng và đề xuất trên trang dự thảo."
        ),
        breadcrumbs=[
            (_("Khối thi đua"), reverse("pledges:bloc_list")),
            (str(bloc_year.bloc), reverse("pledges:bloc_detail", args=[bloc_year.bloc_id])),
            (_("Năm %(year)s") % {"year": bloc_year.year}, bloc_year_url),
        ],
        cancel_url=bloc_year_url,
    )


@login_required
@require_http_methods(["GET", "POST"])
def award_statistics_draft_create(request: HttpRequest) -> HttpResponse:
    bodies = statistics_bodies(request.user)
    if not bodies.exists():
        raise PermissionDenied
    form = AwardStatisticsDraftForm(request.POST or None, bodies=bodies)
    if request.method == "POST" and form.is_valid():
        try:
            draft = kind_services.award_statistics_draft_create(
                by=request.user, **form.cleaned_data
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Đã tạo dự thảo “%(title)s”.") % {"title": draft.title})
            return redirect("reports:draft_detail", pk=draft.pk)
    return _render(
        request,
        form,
        heading=_("Thống kê khen thưởng năm (mẫu 0602)"),
        subject=_("Biểu mẫu 0602.N/BNV-TĐKT, Thông tư số 02/2023/TT-BNV"),
        intro=_(
            "Hệ thống đếm khen thưởng cấp Nhà nước của cơ quan trong năm (không tính khen "
            "thưởng đã thu hồi), theo từng hình thức, tập thể và cá nhân: tổng số, theo cơ "
            "quan trình, theo đối tượng và theo loại hình khen thưởng. Hạn nộp: 15 tháng 12."
        ),
        breadcrumbs=[],
        cancel_url=reverse("home"),
    )
