"""Turn a draft and its figures into documents: one builder per report kind.

The same context feeds the PDF template (Decree 30 layout, WeasyPrint) and the
Word copy (python-docx), so both say the same thing.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.documents import render_pdf, vietnamese_date
from campaigns.errors import DomainError

from .bloc_report import BlocYearBuilder
from .charts import bar_chart
from .figures import gather_phase_figures, phase_fingerprint
from .models import ReportDraft, ReportKind, ReportVersion
from .statistics_report import AwardStatisticsBuilder

Stage = Callable[[int, str], None]

STATUS_LABELS = {
    "draft": "Dự thảo",
    "submitted": "Đã gửi",
    "approved": "Đã duyệt",
    "returned": "Trả lại",
    "accepted": "Đưa ra Hội đồng",
    "voted": "Đã bỏ phiếu",
    "rejected": "Không được thông qua",
    "decided": "Đã có quyết định",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PhaseReviewBuilder:
    template = "reports/phase_review_pdf.html"

    def fingerprint(self, draft: ReportDraft) -> str:
        return phase_fingerprint(draft.campaign, draft.phase)

    def context(self, version: ReportVersion, *, on_stage: Stage) -> dict[str, Any]:
        draft = version.draft
        narrative = version.narrative
        figures = gather_phase_figures(draft.campaign, draft.phase)
        on_stage(40, _("Vẽ biểu đồ"))
        charts = {
            "awards": bar_chart(
                [(row.name, row.total) for row in figures.awards],
                title="Khen thưởng theo danh hiệu, hình thức",
            ),
            "years": bar_chart(
                [(str(year), count) for year, count in figures.awards_by_year.items()],
                title="Khen thưởng theo năm",
            ),
            "participation": bar_chart(
                [
                    ("Đơn vị tham gia", figures.units_taking_part),
                    ("Đơn vị đã báo cáo kết quả", figures.units_reporting),
                ],
                title="Tham gia phong trào",
            ),
        }
        document_date = (
            datetime.date.fromisoformat(narrative["document_date"])
            if narrative.get("document_date")
            else None
        )
        issuer = draft.campaign.issuing_unit
        parent = issuer.parent.name if issuer.parent_id else ""
        review = "TỔNG KẾT" if draft.phase.review_kind == "final" else "SƠ KẾT"
        area_texts = narrative.get("area_results") or {}
        return {
            "draft": draft,
            "version": version,
            "narrative": narrative,
            "figures": figures,
            "charts": charts,
            "review_word": review,
            "area_rows": [
                {"figure": area, "text": area_texts.get(str(area.area.pk), "")}
                for area in figures.areas
            ],
            "registration_rows": [
                (STATUS_LABELS.get(status, status), count)
                for status, count in sorted(figures.registrations.items())
            ],
            "nomination_rows": [
                (STATUS_LABELS.get(status, status), count)
                for status, count in sorted(figures.nominations.items())
            ],
            "parent_body": parent,
            "issuer": issuer.name,
            "number": narrative.get("number", ""),
            "place_date": vietnamese_date(narrative.get("place") or "Hà Nội", document_date)
            if document_date
            else f"{narrative.get('place') or 'Hà Nội'}, ngày      tháng      năm {datetime.date.today().year}",
            "signer_position": narrative.get("signer_position", ""),
            "signer_name": narrative.get("signer_name", ""),
            "recipients": _lines(narrative.get("recipients", "")),
        }

    def pdf(self, context: dict[str, Any]) -> bytes:
        # An official document is in Vietnamese whatever language the requester uses.
        with translation.override("vi"):
            return render_pdf(self.template, context)

    def docx(self, context: dict[str, Any]) -> bytes:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Mm, Pt

        narrative = context["narrative"]
        figures = context["figures"]
        document = Document()
        section = document.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
        style = document.styles["Normal"]
        style.font.name = "Times New Roman"
        style.font.size = Pt(14)

        header = document.add_table(rows=1, cols=2)
        left, right = header.rows[0].cells
        left.text = "\n".join(
            part
            for part in [
                context["parent_body"].upper(),
                context["issuer"].upper(),
                f"Số: {context['number']}" if context["number"] else "",
            ]
            if part
        )
        right.text = (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            + context["place_date"]
        )
        for cell in (left, right):
            for paragraph in cell.paragraphs:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER

        def heading(text: str) -> None:
            paragraph = document.add_paragraph()
            paragraph.add_run(text).bold = True

        title = document.add_paragraph()
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.add_run("BÁO CÁO").bold = True
        subject = document.add_paragraph()
        subject.alignment = WD_ALIGN_PARAGRAPH.CENTER
        subject.add_run(narrative.get("title", "")).bold = True

        def body(text: str) -> None:
            for line in _lines(text) or ["…"]:
                document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

        campaign, phase = figures.campaign, figures.phase
        heading("Phần I. KẾT QUẢ THỰC HIỆN")
        heading("1. Bối cảnh")
        document.add_paragraph(
            f"Phong trào “{campaign.name}” ({campaign.years_label}); {phase.name}: "
            f"từ {phase.start_date:%d/%m/%Y} đến {phase.end_date:%d/%m/%Y}."
        )
        body(narrative.get("context", ""))
        heading("2. Công tác chỉ đạo, triển khai")
        document.add_paragraph(
            f"Đơn vị tham gia: {figures.units_taking_part}; đơn vị đã báo cáo kết quả: {figures.units_reporting}; "
            f"giao ước thi đua đã ký: {figures.pledges_signed} ({figures.signatures} chữ ký); "
            f"cá nhân đăng ký danh hiệu: {figures.registered_people}."
        )
        body(narrative.get("direction", ""))
        heading("3. Kết quả theo từng nội dung thi đua")
        for row in context["area_rows"]:
            area = row["figure"]
            document.add_paragraph(
                f"{area.area.number}. {area.area.title} — {area.units_reporting} đơn vị báo cáo"
            )
            for target in area.targets:
                goal = (
                    f" / mức phấn đấu {target.target.goal.normalize():f} {target.target.unit_of_measure}"
                    if target.target.goal is not None
                    else ""
                )
                average = f"{target.average}" if target.average is not None else "chưa có số liệu"
                document.add_paragraph(f"– {target.target.text}: bình quân {average}{goal}")
            if row["text"]:
                body(row["text"])
        heading("4. Phát hiện, nhân rộng điển hình tiên tiến")
        for exemplar in figures.exemplars:
            document.add_paragraph(f"– {exemplar.headline}")
        body(narrative.get("exemplars", ""))
        heading("5. Công tác khen thưởng")
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells,
            ["Danh hiệu, hình thức", "Cá nhân", "Tập thể", "Tổng", "Giai đoạn trước"],
            strict=True,
        ):
            cell.text = text
        for award in figures.awards:
            cells = table.add_row().cells
            for cell, value in zip(
                cells,
                [award.name, award.individuals, award.collectives, award.total, award.previous],
                strict=True,
            ):
                cell.text = str(value)
        heading("6. Đánh giá chung")
        for label, key in (
            ("Ưu điểm", "strengths"),
            ("Hạn chế", "shortcomings"),
            ("Nguyên nhân", "causes"),
        ):
            document.add_paragraph().add_run(label).italic = True
            body(narrative.get(key, ""))
        heading("7. Bài học kinh nghiệm")
        body(narrative.get("lessons", ""))
        heading("Phần II. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TỚI")
        body(narrative.get("next_direction", ""))
        heading("Phần III. ĐỀ XUẤT, KIẾN NGHỊ")
        body(narrative.get("proposals", ""))

        closing = document.add_table(rows=1, cols=2)
        recipients, signature = closing.rows[0].cells
        recipients.text = "Nơi nhận:\n" + "\n".join(f"- {r};" for r in context["recipients"])
        signature.text = f"{context['signer_position'].upper()}\n\n\n\n{context['signer_name']}"
        signature.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


BUILDERS = {
    ReportKind.PHASE_REVIEW: PhaseReviewBuilder,
    ReportKind.BLOC_YEAR: BlocYearBuilder,
    ReportKind.AWARD_STATISTICS: AwardStatisticsBuilder,
}


def builder_for(draft: ReportDraft) -> PhaseReviewBuilder:
    try:
        return BUILDERS[draft.kind]()
    except KeyError:
        raise DomainError(_("Loại báo cáo này chưa được hỗ trợ.")) from None
