"""Start a draft of the other report kinds: a bloc's yearly summary, a body's award statistics.

The views check who may start one (the bloc's managers; the body's HR staff);
these functions keep drafts consistent: one draft per bloc year, one per body
and year (the second request is refused with a message pointing to the first,
as ``draft_services.draft_create`` does for a phase), the subject row locked so
two people starting at once get one draft. The draft's history records who
created it.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Unit
from pledges.models import BlocYear

from .models import ReportDraft, ReportKind

TITLE_MAX = ReportDraft._meta.get_field("title").max_length


def bloc_year_default_title(bloc_year: BlocYear) -> str:
    title = _("Báo cáo tổng kết công tác thi đua, khen thưởng năm %(year)s của %(bloc)s") % {
        "year": bloc_year.year,
        "bloc": bloc_year.bloc.name,
    }
    return title[:TITLE_MAX]


def statistics_default_title(year: int) -> str:
    return _("Thống kê số lượng khen thưởng cấp Nhà nước năm %(year)s") % {"year": year}


def bloc_year_body(bloc_year: BlocYear) -> Unit | None:
    """The body a bloc's report is written for: its organiser, else the year's leader.

    The same people run the bloc in pledges.access: the organising body, or for a
    bloc organised centrally, the year's leader (khối trưởng).
    """
    return bloc_year.bloc.organiser or bloc_year.leader


def _save(draft: ReportDraft, by: AbstractBaseUser) -> ReportDraft:
    draft.full_clean()
    draft._history_user = by
    draft.save()
    return draft


@transaction.atomic
def bloc_year_draft_create(
    *, by: AbstractBaseUser, bloc_year: BlocYear, title: str = ""
) -> ReportDraft:
    """Start the yearly summary of ``bloc_year``."""
    bloc_year = (
        BlocYear.objects.select_for_update(of=("self",))
        .select_related("bloc", "bloc__organiser", "leader")
        .get(pk=bloc_year.pk)
    )
    body = bloc_year_body(bloc_year)
    if body is None:
        raise DomainError(
            _(
                "Năm %(year)s của khối chưa có khối trưởng: hãy ghi khối trưởng trước khi "
                "lập báo cáo tổng kết."
            )
            % {"year": bloc_year.year}
        )
    existing = ReportDraft.objects.filter(kind=ReportKind.BLOC_YEAR, bloc_year=bloc_year).first()
    if existing:
        raise DomainError(
            _("Năm %(year)s của khối đã có dự thảo báo cáo “%(title)s”; hãy tiếp tục dự thảo đó.")
            % {"year": bloc_year.year, "title": existing.title}
        )
    draft = ReportDraft(
        kind=ReportKind.BLOC_YEAR,
        bloc_year=bloc_year,
        body=body,
        year=bloc_year.year,
        title=title or bloc_year_default_title(bloc_year),
        created_by=by,
    )
    return _save(draft, by)


@transaction.atomic
def award_statistics_draft_create(
    *, by: AbstractBaseUser, body: Unit, year: int, title: str = ""
) -> ReportDraft:
    """Start form 0602.N/BNV-TĐKT of ``body`` for ``year``."""
    body = Unit.objects.select_for_update().get(pk=body.pk)
    existing = ReportDraft.objects.filter(
        kind=ReportKind.AWARD_STATISTICS, body=body, year=year
    ).first()
    if existing:
        raise DomainError(
            _(
                "%(body)s đã có dự thảo thống kê khen thưởng năm %(year)s “%(title)s”; "
                "hãy tiếp tục dự thảo đó."
            )
            % {"body": body.name, "year": year, "title": existing.title}
        )
    draft = ReportDraft(
        kind=ReportKind.AWARD_STATISTICS,
        body=body,
        year=year,
        title=title or statistics_default_title(year),
        created_by=by,
    )
    return _save(draft, by)
