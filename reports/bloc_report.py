"""The yearly summary of a bloc (báo cáo tổng kết năm của khối thi đua): figures and builder.

What the system fills in, for one bloc year: the bloc, the year's leader and
deputies and the rotating-flag hand-over; the members; the pledge(s), their
commitments and who signed; the scoring ranking (``pledges.scoring_selectors``)
and the acclaimed leading units; the awards member units and their people
received that year, by title and by member. Every figure is read in a fixed
number of queries whatever the number of members, signatures, scores or awards.

The narrative comes from the draft, with the same fields as the phase review,
mapped to the sections of a bloc's year-end report:

====================  ==========================================================
draft field           section of the bloc report
====================  ==========================================================
context               I.1 Đặc điểm, tình hình (after the bloc's facts)
direction             I.2 Tổ chức phong trào, ký kết giao ước (after the pledges)
area_results          I.3 Kết quả thực hiện giao ước: text per commitment, keyed
                      by the commitment's id (as the phase review keys by area)
exemplars             I.4 Phát hiện, nhân rộng điển hình tiên tiến
(figures only)        I.5 Chấm điểm, bình xét, suy tôn và khen thưởng
strengths/shortcomings/causes  I.6 Đánh giá chung
lessons               I.7 Bài học kinh nghiệm
next_direction        II. Phương hướng, nhiệm vụ năm sau
proposals             III. Đề xuất, kiến nghị
====================  ==========================================================
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Prefetch, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.models import AwardRecord, AwardType
from campaigns.models import Unit
from pledges.models import (
    Acclamation,
    Bloc,
    BlocMembership,
    BlocYear,
    Commitment,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    Pledge,
    ScoringTable,
    Signature,
)
from pledges.scoring_selectors import acclamations, ranking
from pledges.selectors import members_in

from . import document_parts as parts
from .charts import bar_chart
from .models import ReportDraft, ReportVersion

TEMPLATE = "reports/bloc_year_pdf.html"


@dataclass
class TitleCount:
    """Awards of one title or form received in the bloc that year."""

    code: str
    name: str
    individuals: int
    collectives: int

    @property
    def total(self) -> int:
        return self.individuals + self.collectives


@dataclass
class MemberAwards:
    member: Unit
    total: int


@dataclass
class BlocYearFigures:
    bloc_year: BlocYear
    bloc: Bloc
    leader: Unit | None
    deputies: list[Unit]
    giver: Unit | None
    members: list[Unit]
    pledges: list[Pledge]
    table: ScoringTable | None
    table_maximum: Decimal | None
    ranking: list[Unit]
    acclamations: list[Acclamation]
    awards: list[TitleCount]
    awards_by_member: list[MemberAwards]
    gathered_at: datetime.datetime

    @property
    def year(self) -> int:
        return self.bloc_year.year

    @property
    def awards_total(self) -> int:
        return sum(row.total for row in self.awards)

    @property
    def signatures(self) -> int:
        return sum(len(pledge.signatures.all()) for pledge in self.pledges)


def _members_subtree(members: list[Unit]) -> Q:
    """Awards of a member unit, of the units below it, or of people working in them."""
    query = Q(pk__in=[])
    for unit in members:
        query |= Q(unit__path__startswith=unit.path) | Q(person__unit__path__startswith=unit.path)
    return query


def gather_bloc_year_figures(bloc_year: BlocYear) -> BlocYearFigures:
    """Everything the report states about the bloc year, in a fixed number of queries."""
    bloc_year = BlocYear.objects.select_related("bloc", "bloc__organiser", "leader").get(
        pk=bloc_year.pk
    )
    bloc, year = bloc_year.bloc, bloc_year.year
    deputies = list(bloc_year.deputies.order_by("name"))
    previous = BlocYear.objects.filter(bloc=bloc, year=year - 1).select_related("leader").first()
    members = list(members_in(bloc, year))
    pledges = list(
        bloc_year.pledges.order_by("ceremony_date", "pk").prefetch_related(
            Prefetch("commitments", queryset=Commitment.objects.order_by("number", "pk")),
            Prefetch(
                "signatures",
                queryset=Signature.objects.select_related("member").order_by("member__name"),
            ),
        )
    )

    table = (
        ScoringTable.objects.select_related("bloc_year", "bloc_year__bloc")
        .filter(bloc_year=bloc_year)
        .first()
    )
    ranked: list[Unit] = []
    maximum = None
    if table is not None:
        ranked = list(ranking(table))
        maximum = Criterion.objects.filter(group__table=table).aggregate(m=Sum("max_points"))["m"]

    awards_q = AwardRecord.objects.filter(
        _members_subtree(members), year=year, revoked_on__isnull=True
    )
    awards = [
        TitleCount(
            row["award_type__code"],
            row["award_type__name"],
            row["individuals"],
            row["collectives"],
        )
        for row in awards_q.values("award_type__code", "award_type__name", "award_type__order")
        .annotate(
            individuals=Count("pk", filter=Q(person__isnull=False)),
            collectives=Count("pk", filter=Q(unit__isnull=False)),
        )
        # An explicit order: the model's default one would join the GROUP BY.
        .order_by("award_type__order", "award_type__name")
    ]
    by_member: list[MemberAwards] = []
    if members:
        counts = AwardRecord.objects.filter(year=year, revoked_on__isnull=True).aggregate(
            **{f"m{unit.pk}": Count("pk", filter=_members_subtree([unit])) for unit in members}
        )
        by_member = [MemberAwards(unit, counts[f"m{unit.pk}"]) for unit in members]

    return BlocYearFigures(
        bloc_year=bloc_year,
        bloc=bloc,
        leader=bloc_year.leader,
        deputies=deputies,
        giver=previous.leader if previous else None,
        members=members,
        pledges=pledges,
        table=table,
        table_maximum=maximum,
        ranking=ranked,
        acclamations=acclamations(bloc_year),
        awards=awards,
        awards_by_member=by_member,
        gathered_at=timezone.now(),
    )


def bloc_year_fingerprint(bloc_year: BlocYear) -> str:
    """A digest of what the figures depend on; it changes when any of that data changes.

    As ``phase_fingerprint``: the newest history id of each source, one indexed
    MAX per table, filtered to the bloc where the history row carries the key.
    Awards, award types and units (their names) are taken whole: a false
    "stale" is safe, a missed one is not. The deputies are a many-to-many
    without history, so their ids join the digest as they are.
    """
    pledge_ids = Pledge.history.filter(bloc_year_id=bloc_year.pk).values("id")
    table_ids = ScoringTable.history.filter(bloc_year_id=bloc_year.pk).values("id")
    group_ids = CriterionGroup.history.filter(table_id__in=table_ids).values("id")
    criterion_ids = Criterion.history.filter(group_id__in=group_ids).values("id")
    sources = [
        Bloc.history.filter(id=bloc_year.bloc_id),
        BlocYear.history.filter(bloc_id=bloc_year.bloc_id),
        BlocMembership.history.filter(bloc_id=bloc_year.bloc_id),
        Pledge.history.filter(bloc_year_id=bloc_year.pk),
        Commitment.history.filter(pledge_id__in=pledge_ids),
        Signature.history.filter(pledge_id__in=pledge_ids),
        ScoringTable.history.filter(bloc_year_id=bloc_year.pk),
        CriterionGroup.history.filter(table_id__in=table_ids),
        Criterion.history.filter(group_id__in=group_ids),
        CrossScore.history.filter(criterion_id__in=criterion_ids),
        FinalScore.history.filter(criterion_id__in=criterion_ids),
        Acclamation.history.filter(bloc_year_id=bloc_year.pk),
        AwardRecord.history.all(),
        AwardType.history.all(),
        Unit.history.all(),
    ]
    digest: list[Any] = [
        source.aggregate(latest=Max("history_id"))["latest"] or 0 for source in sources
    ]
    digest.append(sorted(bloc_year.deputies.values_list("pk", flat=True)))
    return hashlib.sha256(repr(digest).encode()).hexdigest()


class BlocYearBuilder:
    """Builds the yearly summary of a bloc: the PDF (Decree 30 layout) and its Word copy."""

    template = TEMPLATE

    def fingerprint(self, draft: ReportDraft) -> str:
        return bloc_year_fingerprint(draft.bloc_year)

    def context(
        self, version: ReportVersion, *, on_stage: Callable[[int, str], None]
    ) -> dict[str, Any]:
        draft = version.draft
        narrative = version.narrative
        figures = gather_bloc_year_figures(draft.bloc_year)
        on_stage(40, _("Vẽ biểu đồ"))
        charts = {
            "ranking": bar_chart(
                [(unit.name, float(unit.total)) for unit in figures.ranking],
                title="Tổng điểm chấm chéo theo đơn vị thành viên",
            )
            if figures.ranking
            else "",
            "awards": bar_chart(
                [(row.name, row.total) for row in figures.awards],
                title="Khen thưởng theo danh hiệu, hình thức",
            )
            if figures.awards
            else "",
        }
        texts = narrative.get("area_results") or {}
        commitment_rows = [
            {"commitment": commitment, "pledge": pledge, "text": texts.get(str(commitment.pk), "")}
            for pledge in figures.pledges
            for commitment in pledge.commitments.all()
        ]
        organiser = figures.bloc.organiser
        return {
            "draft": draft,
            "version": version,
            "narrative": narrative,
            "figures": figures,
            "charts": charts,
            "commitment_rows": commitment_rows,
            # The same sentences as the Word copy, so both documents say the same thing.
            "facts": _facts(figures),
            "pledge_rows": [(pledge, _pledge_line(pledge)) for pledge in figures.pledges],
            "scoring_line": _scoring_line(figures) if figures.table else "",
            "acclamation_lines": [_acclamation_line(a) for a in figures.acclamations],
            "next_year": figures.year + 1,
            "parent_body": organiser.name if organiser else "",
            "issuer": figures.bloc.name,
            **parts.document_details(narrative),
        }

    def pdf(self, context: dict[str, Any]) -> bytes:
        return parts.pdf_in_vietnamese(self.template, context)

    def docx(self, context: dict[str, Any]) -> bytes:
        narrative = context["narrative"]
        figures: BlocYearFigures = context["figures"]
        document = parts.docx_document()
        parts.docx_header(document, context, title="BÁO CÁO", subject=narrative.get("title", ""))

        def heading(text: str) -> None:
            parts.docx_heading(document, text)

        def body(text: str | None) -> None:
            parts.docx_body(document, text)

        heading("Phần I. KẾT QUẢ CÔNG TÁC THI ĐUA, KHEN THƯỞNG NĂM " + str(figures.year))
        heading("1. Đặc điểm, tình hình")
        for line in context["facts"]:
            document.add_paragraph(line)
        body(narrative.get("context"))

        heading("2. Tổ chức phong trào, ký kết giao ước thi đua")
        if not figures.pledges:
            document.add_paragraph("Chưa ghi nhận giao ước thi đua của năm.")
        for pledge, line in context["pledge_rows"]:
            document.add_paragraph(line)
            parts.docx_table(
                document,
                ["Đơn vị", "Người ký", "Chức vụ", "Ngày ký"],
                [
                    [
                        s.member.name,
                        s.signatory_name,
                        s.signatory_position,
                        f"{s.signed_on:%d/%m/%Y}",
                    ]
                    for s in pledge.signatures.all()
                ],
            )
        body(narrative.get("direction"))

        heading("3. Kết quả thực hiện các nội dung giao ước")
        for row in context["commitment_rows"]:
            document.add_paragraph(f"{row['commitment'].number}. {row['commitment'].text}")
            if row["text"]:
                body(row["text"])

        heading("4. Phát hiện, nhân rộng điển hình tiên tiến")
        body(narrative.get("exemplars"))

        heading("5. Chấm điểm, bình xét thi đua và công tác khen thưởng")
        if figures.table is None:
            document.add_paragraph("Khối chưa lập bảng chấm điểm của năm.")
        else:
            document.add_paragraph(context["scoring_line"])
            parts.docx_table(
                document,
                ["Xếp hạng", "Đơn vị", "Tổng điểm"],
                [[unit.rank, unit.name, _points(unit.total, places=2)] for unit in figures.ranking],
            )
        for line in context["acclamation_lines"]:
            document.add_paragraph(line)
        document.add_paragraph(
            f"Tổng số khen thưởng năm {figures.year} của các đơn vị thành viên: {figures.awards_total}."
        )
        parts.docx_table(
            document,
            ["Danh hiệu, hình thức", "Cá nhân", "Tập thể", "Tổng"],
            [[r.name, r.individuals, r.collectives, r.total] for r in figures.awards],
        )
        parts.docx_table(
            document,
            ["Đơn vị thành viên", "Số khen thưởng"],
            [[r.member.name, r.total] for r in figures.awards_by_member],
        )

        heading("6. Đánh giá chung")
        for label, key in (
            ("Ưu điểm", "strengths"),
            ("Hạn chế", "shortcomings"),
            ("Nguyên nhân", "causes"),
        ):
            document.add_paragraph().add_run(label).italic = True
            body(narrative.get(key))
        heading("7. Bài học kinh nghiệm")
        body(narrative.get("lessons"))
        heading(f"Phần II. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {context['next_year']}")
        body(narrative.get("next_direction"))
        heading("Phần III. ĐỀ XUẤT, KIẾN NGHỊ")
        body(narrative.get("proposals"))
        return parts.docx_closing(document, context)


# Sentences shared by the Word copy; the PDF template writes the same ones.


def _facts(figures: BlocYearFigures) -> list[str]:
    facts = [
        f"{figures.bloc.name} năm {figures.year} có {len(figures.members)} đơn vị thành viên: "
        + "; ".join(unit.name for unit in figures.members)
        + "."
    ]
    leader = figures.leader.name if figures.leader else "chưa xác định"
    deputies = "; ".join(unit.name for unit in figures.deputies) or "không có"
    facts.append(f"Khối trưởng: {leader}. Khối phó: {deputies}.")
    by = figures.bloc_year
    if figures.giver or by.flag_handover_date:
        handover = "Cờ luân lưu"
        if figures.giver:
            handover += f" do {figures.giver.name} (khối trưởng năm {figures.year - 1}) trao"
        if figures.leader:
            handover += f" cho {figures.leader.name}"
        if by.flag_handover_date:
            handover += f" ngày {by.flag_handover_date:%d/%m/%Y}"
        if by.flag_handover_occasion:
            handover += f" tại {by.flag_handover_occasion}"
        facts.append(handover + ".")
    return facts


def _pledge_line(pledge: Pledge) -> str:
    line = f"Giao ước “{pledge.title}”"
    if pledge.ceremony_date:
        line += f" ký ngày {pledge.ceremony_date:%d/%m/%Y}"
    if pledge.place:
        line += f" tại {pledge.place}"
    return (
        line + f": {len(pledge.commitments.all())} nội dung cam kết, "
        f"{len(pledge.signatures.all())} đơn vị đã ký ({pledge.get_status_display()})."
    )


def _scoring_line(figures: BlocYearFigures) -> str:
    table = figures.table
    maximum = _points(figures.table_maximum) if figures.table_maximum is not None else "—"
    return (
        f"Bảng chấm điểm của khối: tối đa {maximum} điểm; "
        f"giai đoạn: {table.get_stage_display()}. Kết quả xếp hạng theo tổng điểm:"
    )


def _points(value: Decimal, places: int | None = None) -> str:
    """Points as Vietnamese write them: a decimal comma ("18,50"; "30" for a whole maximum)."""
    text = f"{value:.{places}f}" if places is not None else f"{value.normalize():f}"
    return text.replace(".", ",")


def _acclamation_line(acclamation: Acclamation) -> str:
    flag = "; đề nghị tặng Cờ thi đua" if acclamation.proposed_for_flag else ""
    return (
        f"Hội nghị khối ngày {acclamation.meeting_date:%d/%m/%Y} suy tôn {acclamation.member.name} "
        f"là đơn vị dẫn đầu ({acclamation.votes_for}/{acclamation.votes_total} phiếu{flag})."
    )
