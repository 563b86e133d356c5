"""Helpers for tests that handle PDF files."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter


def tiny_pdf() -> bytes:
    """A valid one-page PDF made in memory."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_fonts(content: bytes) -> set[str]:
    """Base names of every font the PDF embeds (subset prefixes removed)."""
    reader = PdfReader(io.BytesIO(content))
    names: set[str] = set()
    for page in reader.pages:
        fonts = (page.get("/Resources") or {}).get("/Font") or {}
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            names.add(base.split("+", 1)[-1].lstrip("/"))
    return names
