"""Pieces shared by the bloc-year and award-statistics builders.

The document's header and closing (Decree 30/2020/NĐ-CP, Appendix I) read the
same narrative keys as the phase review (number, place, date, signer,
recipients), so every kind of report fills ``documents/base.html`` alike and its
Word copy has the same header and closing.

The text of an official document is Vietnamese whatever language the requester
uses, as in ``PhaseReviewBuilder``: it is written here and in the templates as
Vietnamese, not through the UI catalogue.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import translation

from campaigns.documents import render_pdf, vietnamese_date


def lines(text: str | None) -> list[str]:
    """Non-empty lines of a narrative field, trimmed."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def document_details(narrative: dict[str, Any]) -> dict[str, Any]:
    """Header and closing values of ``documents/base.html`` from a version's narrative."""
    place = narrative.get("place") or "Hà Nội"
    raw_date = narrative.get("document_date")
    if raw_date:
        place_date = vietnamese_date(place, datetime.date.fromisoformat(raw_date))
    else:
        # An undated draft leaves the day and month blank for the signer to fill in.
        place_date = f"{place}, ngày      tháng      năm {datetime.date.today().year}"
    return {
        "number": narrative.get("number", ""),
        "place_date": place_date,
        "signer_position": narrative.get("signer_position", ""),
        "signer_name": narrative.get("signer_name", ""),
        "recipients": lines(narrative.get("recipients", "")),
    }


def pdf_in_vietnamese(template: str, context: dict[str, Any]) -> bytes:
    with translation.override("vi"):
        return render_pdf(template, context)


# Word copy -----------------------------------------------------------------------------------


def docx_document(*, landscape: bool = False):
    """A python-docx document with the Decree 30 page, margins and font."""
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(15)
    else:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14 if not landscape else 12)
    return document


def docx_header(document, context: dict[str, Any], *, title: str, subject: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    header = document.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.text = "\n".join(
        part
        for part in [
            (context.get("parent_body") or "").upper(),
            context["issuer"].upper(),
            f"Số: {context['number']}" if context.get("number") else "",
        ]
        if part
    )
    right.text = (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n" + context["place_date"]
    )
    for cell in (left, right):
        for paragraph in cell.paragraphs:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for text in (title, subject):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run(text).bold = True


def docx_heading(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def docx_body(document, text: str | None) -> None:
    """The narrative's paragraphs, or an ellipsis where the staff wrote nothing yet."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    for line in lines(text) or ["…"]:
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.JUSTIFY


def docx_table(document, head: list[str], rows: list[list[Any]]) -> None:
    table = document.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, head, strict=True):
        cell.text = text
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def docx_closing(document, context: dict[str, Any]) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    closing = document.add_table(rows=1, cols=2)
    recipients, signature = closing.rows[0].cells
    recipients.text = "Nơi nhận:\n" + "\n".join(f"- {r};" for r in context["recipients"])
    signature.text = f"{context['signer_position'].upper()}\n\n\n\n{context['signer_name']}"
    signature.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
