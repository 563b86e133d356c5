"""Rules that tie a campaign's phases together.

They concern the whole set of phases, so they are checked here, once, by the
phase formset (to place messages next to fields) and again by the service that
saves (so no other path can store an inconsistent plan).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from .models import ReviewKind


@dataclass
class PhaseInput:
    name: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    review_kind: str
    review_due_date: datetime.date | None = None


PhaseErrors = dict[int, dict[str, list[str]]]


def _d(value: datetime.date) -> str:
    return date_format(value, "d/m/Y")


def check_phases(start_year: int, end_year: int, phases: list[PhaseInput]) -> PhaseErrors:
    """Return errors keyed by the phase's position, then by field name.

    Phases must lie inside the campaign's years, be given in order without
    overlapping, and exactly the last one ends in the final review (tổng kết).
    """
    errors: PhaseErrors = {}

    def add(index: int, field: str, message: str) -> None:
        errors.setdefault(index, {}).setdefault(field, []).append(message)

    previous: PhaseInput | None = None
    for index, phase in enumerate(phases):
        start, end = phase.start_date, phase.end_date
        if start and end and end < start:
            add(index, "end_date", _("Ngày kết thúc phải sau ngày bắt đầu giai đoạn."))
        if start and start.year < start_year:
            add(
                index,
                "start_date",
                _(
                    "Giai đoạn bắt đầu năm %(year)s, trước năm bắt đầu của phong trào "
                    "(%(start)s–%(end)s). Kiểm tra lại kế hoạch."
                )
                % {"year": start.year, "start": start_year, "end": end_year},
            )
        if end and end.year > end_year:
            add(
                index,
                "end_date",
                _(
                    "Giai đoạn kết thúc năm %(year)s, sau năm kết thúc của phong trào "
                    "(%(start)s–%(end)s)."
                )
                % {"year": end.year, "start": start_year, "end": end_year},
            )
        if previous and previous.end_date and start and start <= previous.end_date:
            add(
                index,
                "start_date",
                _(
                    "Giai đoạn phải bắt đầu sau khi giai đoạn trước (%(name)s) kết thúc "
                    "ngày %(date)s: các giai đoạn không được chồng lấn và phải theo thứ tự."
                )
                % {"name": previous.name, "date": _d(previous.end_date)},
            )
        if phase.review_due_date and start and phase.review_due_date < start:
            add(
                index,
                "review_due_date",
                _("Hạn sơ kết/tổng kết không được trước ngày bắt đầu giai đoạn."),
            )
        is_last = index == len(phases) - 1
        if is_last and phase.review_kind != ReviewKind.FINAL:
            add(
                index,
                "review_kind",
                _("Giai đoạn cuối cùng của phong trào kết thúc bằng tổng kết."),
            )
        if not is_last and phase.review_kind == ReviewKind.FINAL:
            add(
                index,
                "review_kind",
                _("Chỉ giai đoạn cuối cùng mới tổng kết; các giai đoạn trước là sơ kết."),
            )
        previous = phase
    return errors
