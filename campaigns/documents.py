"""Administrative documents (Decree 30/2020/NĐ-CP layout) rendered to PDF by WeasyPrint.

Templates extend ``documents/base.html``. The serif font shipped under
static/fonts (Liberation Serif 2, metric-compatible with Times New Roman and
covering Vietnamese) is the only font the PDF uses, so it looks the same on
every machine.
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

FONT_DIR = settings.BASE_DIR / "static" / "fonts"

# WeasyPrint logs every CSS property it ignores; those are not our errors.
logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)


def vietnamese_date(place: str, day: datetime.date) -> str:
    """'Hà Nội, ngày 05 tháng 03 năm 2025' (days and months below 10 zero-padded)."""
    return f"{place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def render_pdf(template_name: str, context: dict[str, Any]) -> bytes:
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    html = render_to_string(template_name, {**context, "font_dir": FONT_DIR.as_uri()})
    fonts = FontConfiguration()
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(font_config=fonts)
