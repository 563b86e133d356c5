"""The yearly awards statistics of a body: form 0602.N/BNV-TĐKT (Circular 02/2023/TT-BNV).

The form counts the year's *state-level* awards of a body, each form of award
split into collectives and individuals, in rows: the total; by the kind of body
that submitted them; by the individual's target group; by track.

Mapping choices (documented here because the form and the catalogue differ):

* Columns come from the catalogue codes in ``CODE_COLUMNS``, the one place that
  says which seeded award type (awards/migrations/0002_seed_catalogue.py) is
  counted where. Orders (Huân chương Lao động hạng Ba, individual and
  collective) go under "orders and medals"; Cờ thi đua của Chính phủ, Bằng khen
  của Thủ tướng (both subjects) and Chiến sĩ thi đua toàn quốc have their own
  columns. The seeded catalogue has no Hồ Chí Minh prize, State prize or state
  honorary title: those columns read 0 until an administrator adds such a type
  and its code is added to ``CODE_COLUMNS``. "Other forms" counts every other
  award type of state or government level (``AwardType.level``) not in the
  dict, so a state-level type added to the catalogue is never silently left out.
  Titles and forms of ministry or grassroots level (CSTĐ bộ, Bằng khen bộ, Cờ
  thi đua bộ, TTLĐXS, LĐTT, Giấy khen, Kỷ niệm chương…) are not state-level
  awards and are not on this form.
* Collective or individual is read from the award itself (to a unit or to a
  person), not from the type's intended subject.
* By submitting body: the bodies this application serves are central ministries
  and agencies (their unit tree has no province), so every award the body
  submitted is counted under "central ministries, bodies" and the provinces row
  is 0. ``SUBMITTER_ROWS`` holds that choice.
* By target group: individuals only (``Person.target_group``); the collective
  cells of those rows are not applicable and shown as "—".
* By track: every ``Track``, both subjects.
* Scope: awards of people working in, or collectives that are, units of the
  body's subtree (unit path prefix); the award year is the report's year;
  revoked awards are left out.

Every cell is a conditional aggregate (``Count`` with ``filter=Q``) of one
query, whatever the number of awards.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardRecord, AwardType, Level, Track
from campaigns.models import Person, TargetGroup, Unit

from . import document_parts as parts
from .models import ReportDraft, ReportVersion

TEMPLATE = "reports/award_statistics_pdf.html"
FORM_CODE = "0602.N/BNV-TĐKT"
FORM_BASIS = "Thông tư số 02/2023/TT-BNV"
FORM_DUE = "15/12"
FORM_TITLE = "SỐ LƯỢNG KHEN THƯỞNG CẤP NHÀ NƯỚC"

# The form's columns in order: key and heading.
COLUMNS: list[tuple[str, str]] = [
    ("orders_medals", "Huân chương, Huy chương"),
    ("hcm_prize", "Giải thưởng Hồ Chí Minh"),
    ("state_prize", "Giải thưởng Nhà nước"),
    ("honorary_title", "Danh hiệu vinh dự Nhà nước"),
    ("government_flag", "Cờ thi đua của Chính phủ"),
    ("pm_merit", "Bằng khen của Thủ tướng Chính phủ"),
    ("national_fighter", "Chiến sĩ thi đua toàn quốc"),
    ("other", "Hình thức khác"),
]
OTHER = "other"
# Award types of these levels that no code below names are counted under "other forms".
STATE_LEVELS = (Level.STATE, Level.GOVERNMENT)

# THE mapping of catalogue codes to the form's columns.
CODE_COLUMNS: dict[str, str] = {
    "HCLD3": "orders_medals",
    "HCLD3_TT": "orders_medals",
    "CO_CP": "government_flag",
    "BK_TTG": "pm_merit",
    "BK_TTG_TT": "pm_merit",
    "CSTD_TQ": "national_fighter",
}

# By submitting body: label and whether the body's awards count there (it is a central body).
SUBMITTER_ROWS: list[tuple[str, str, bool]] = [
    ("central", "Bộ, ban, ngành, đoàn thể Trung ương", True),
    ("province", "Tỉnh, thành phố trực thuộc Trung ương", False),
]

SUBJECTS = {"collectives": Q(unit__isnull=False), "individuals": Q(person__isnull=False)}


def column_filter(column: str) -> Q | None:
    """The award types counted in ``column``; None for a column no code maps to."""
    if column == OTHER:
        return Q(award_type__level__in=STATE_LEVELS) & ~Q(award_type__code__in=list(CODE_COLUMNS))
    codes = sorted(code for code, key in CODE_COLUMNS.items() if key == column)
    return Q(award_type__code__in=codes) if codes else None


def in_form() -> Q:
    """Every award type the form counts."""
    return Q(award_type__code__in=list(CODE_COLUMNS)) | Q(award_type__level__in=STATE_LEVELS)


@dataclass
class Cell:
    collectives: int | None  # None: not applicable (target-group rows count individuals only)
    individuals: int


@dataclass
class StatRow:
    code: str
    label: str
    cells: list[Cell] = field(default_factory=list)
    heading: bool = False  # a group heading without figures
    indent: int = 0

    @property
    def total_collectives(self) -> int | None:
        if not self.cells or all(c.collectives is None for c in self.cells):
            return None
        return sum(c.collectives or 0 for c in self.cells)

    @property
    def total_individuals(self) -> int:
        return sum(c.individuals for c in self.cells)

    @property
    def total(self) -> int:
        return (self.total_collectives or 0) + self.total_individuals


@dataclass
class AwardStatistics:
    body: Unit
    year: int
    columns: list[tuple[str, str]]
    rows: list[StatRow]
    gathered_at: datetime.datetime

    @property
    def total_row(self) -> StatRow:
        return self.rows[0]

    @property
    def width(self) -> int:
        """Table columns: the label, then collectives and individuals of the total and each form."""
        return 1 + 2 * (len(self.columns) + 1)


def scope_of(body: Unit) -> Q:
    return Q(person__unit__path__startswith=body.path) | Q(unit__path__startswith=body.path)


def _row_filters() -> list[tuple[str, str, Q | None, tuple[str, ...], int, bool]]:
    """(code, label, filter, subjects, indent, heading) per row, in the form's order."""
    both = ("collectives", "individuals")
    rows: list[tuple[str, str, Q | None, tuple[str, ...], int, bool]] = [
        ("total", "Tổng số", Q(), both, 0, False),
        ("by_submitter", "Phân theo cơ quan trình khen thưởng", None, (), 0, True),
    ]
    for key, label, counts in SUBMITTER_ROWS:
        rows.append((f"submitter_{key}", label, Q() if counts else None, both, 1, False))
    rows.append(("by_group", "Phân theo đối tượng (cá nhân)", None, (), 0, True))
    for value, label in TargetGroup.choices:
        rows.append(
            (
                f"group_{value}",
                str(label),
                Q(person__target_group=value),
                ("individuals",),
                1,
                False,
            )
        )
    rows.append(("by_track", "Phân theo loại hình khen thưởng", None, (), 0, True))
    for value, label in Track.choices:
        rows.append((f"track_{value}", str(label), Q(track=value), both, 1, False))
    return rows


def gather_award_statistics(body: Unit, year: int) -> AwardStatistics:
    """Every cell of the form in one query of conditional counts."""
    row_specs = _row_filters()
    columns = {key: column_filter(key) for key, _label in COLUMNS}
    aggregates: dict[str, Count] = {}
    for code, _label, row_q, subjects, _indent, _heading in row_specs:
        if row_q is None:
            continue
        # The submitter row that counts everything equals the total: count it once.
        if code.startswith("submitter_"):
            continue
        for column, column_q in columns.items():
            if column_q is None:
                continue
            for subject in subjects:
                aggregates[f"{code}__{column}__{subject}"] = Count(
                    "pk", filter=row_q & column_q & SUBJECTS[subject]
                )
    counts = (
        AwardRecord.objects.filter(scope_of(body), in_form(), year=year, revoked_on__isnull=True)
        .order_by()
        .aggregate(**aggregates)
    )

    def value(code: str, column: str, subject: str) -> int:
        return counts.get(f"{code}__{column}__{subject}") or 0

    rows = []
    for code, label, row_q, subjects, indent, heading in row_specs:
        row = StatRow(code, label, heading=heading, indent=indent)
        if not heading:
            # A submitter row that counts the body's awards reads the total's figures.
            source = "total" if code.startswith("submitter_") and row_q is not None else code
            for column, _heading in COLUMNS:
                if row_q is None:
                    cell = Cell(0, 0)
                else:
                    cell = Cell(
                        value(source, column, "collectives") if "collectives" in subjects else None,
                        value(source, column, "individuals"),
                    )
                row.cells.append(cell)
        rows.append(row)
    return AwardStatistics(
        body=body, year=year, columns=COLUMNS, rows=rows, gathered_at=timezone.now()
    )


def statistics_fingerprint(body: Unit, year: int) -> str:
    """A digest of the sources: awards, the catalogue, people (target group) and units (tree).

    As ``phase_fingerprint``: the newest history id of each table, one indexed MAX
    each; a false "stale" is safe, a missed one is not.
    """
    sources = [
        AwardRecord.history.all(),
        AwardType.history.all(),
        Person.history.all(),
        Unit.history.all(),
    ]
    digest: list[Any] = [body.pk, year]
    digest += [source.aggregate(latest=Max("history_id"))["latest"] or 0 for source in sources]
    return hashlib.sha256(repr(digest).encode()).hexdigest()


class AwardStatisticsBuilder:
    """Builds form 0602.N/BNV-TĐKT: a landscape PDF and its Word copy with the same table."""

    template = TEMPLATE

    def fingerprint(self, draft: ReportDraft) -> str:
        return statistics_fingerprint(draft.body, draft.year)

    def context(
        self, version: ReportVersion, *, on_stage: Callable[[int, str], None]
    ) -> dict[str, Any]:
        draft = version.draft
        body = Unit.objects.select_related("parent").get(pk=draft.body_id)
        statistics = gather_award_statistics(body, draft.year)
        on_stage(40, _("Lập bảng thống kê"))
        total = statistics.total_row
        return {
            "draft": draft,
            "version": version,
            "narrative": version.narrative,
            "statistics": statistics,
            "form_code": FORM_CODE,
            "form_basis": FORM_BASIS,
            "form_due": FORM_DUE,
            "form_title": f"{FORM_TITLE} NĂM {draft.year}",
            "summary": (
                f"Tổng số khen thưởng cấp Nhà nước năm {draft.year}: {total.total} "
                f"(tập thể: {total.total_collectives or 0}; cá nhân: {total.total_individuals})."
            ),
            "parent_body": body.parent.name if body.parent_id else "",
            "issuer": body.name,
            **parts.document_details(version.narrative),
        }

    def pdf(self, context: dict[str, Any]) -> bytes:
        return parts.pdf_in_vietnamese(self.template, context)

    def docx(self, context: dict[str, Any]) -> bytes:
        narrative = context["narrative"]
        statistics: AwardStatistics = context["statistics"]
        document = parts.docx_document(landscape=True)
        parts.docx_header(
            document,
            context,
            title=context["form_title"],
            subject=narrative.get("title", ""),
        )
        document.add_paragraph(
            f"Biểu số {context['form_code']} (ban hành kèm theo {context['form_basis']}); "
            f"ngày nhận báo cáo: {context['form_due']}. "
            f"Đơn vị báo cáo: {context['issuer']}. "
            "Đơn vị nhận báo cáo: Bộ Nội vụ (Ban Thi đua - Khen thưởng Trung ương)."
        )
        document.add_paragraph(context["summary"])
        _docx_statistics_table(document, statistics)
        for label, key in (
            ("Thuyết minh, giải trình số liệu", "context"),
            ("Đề xuất, kiến nghị", "proposals"),
        ):
            if parts.lines(narrative.get(key)):
                parts.docx_heading(document, label)
                parts.docx_body(document, narrative.get(key))
        return parts.docx_closing(document, context)


def _show(value: int | None) -> str:
    return "—" if value is None else str(value)


def _docx_statistics_table(document, statistics: AwardStatistics) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=2, cols=statistics.width)
    table.style = "Table Grid"
    top, sub = table.rows
    top.cells[0].merge(sub.cells[0]).text = "Chỉ tiêu"
    headings = ["Tổng số"] + [label for _key, label in statistics.columns]
    for index, heading in enumerate(headings):
        left = 1 + 2 * index
        top.cells[left].merge(top.cells[left + 1]).text = heading
        sub.cells[left].text, sub.cells[left + 1].text = "Tập thể", "Cá nhân"
    for row in statistics.rows:
        cells = table.add_row().cells
        cells[0].text = ("    " * row.indent) + row.label
        if row.heading:
            continue
        values = [row.total_collectives, row.total_individuals]
        for cell in row.cells:
            values += [cell.collectives, cell.individuals]
        for target, value in zip(cells[1:], values, strict=True):
            target.text = _show(value)
    for table_row in table.rows:
        for cell in table_row.cells:
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
