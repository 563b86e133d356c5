"""Charts drawn on the server as SVG, so the page and the PDF show the same picture.

Plain SVG with text labels, a <title> and a <desc> for screen readers, and black
and grey fills that print well; no JavaScript, no external fonts (the document's
font applies in the PDF).
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from django.utils.safestring import SafeString, mark_safe


def bar_chart(
    data: Sequence[tuple[str, int | float]],
    *,
    title: str,
    width: int = 480,
    bar_height: int = 22,
    label_width: int = 190,
    id_prefix: str = "",
) -> SafeString:
    """A horizontal bar chart: one bar per (label, value).

    ``id_prefix`` keeps the title and description ids unique when a page shows
    several charts inline (the PDF embeds each one as is).
    """
    rows = list(data)
    height = max(1, len(rows)) * (bar_height + 8) + 36
    top = max((value for _label, value in rows), default=0) or 1
    plot = width - label_width - 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{id_prefix}t {id_prefix}d" font-size="12" font-family="DocSerif, serif">',
        f'<title id="{id_prefix}t">{escape(title)}</title>',
        f'<desc id="{id_prefix}d">'
        + escape("; ".join(f"{label}: {value}" for label, value in rows))
        + "</desc>",
        f'<text x="0" y="16" font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        y = 28 + index * (bar_height + 8)
        length = max(1, round(plot * value / top)) if value else 0
        short = label if len(label) <= 32 else label[:31] + "…"
        parts.append(
            f'<text x="{label_width - 6}" y="{y + bar_height * 0.7:.0f}" text-anchor="end">{escape(short)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="#5a5a5a"/>'
        )
        parts.append(
            f'<text x="{label_width + length + 4}" y="{y + bar_height * 0.7:.0f}">{value}</text>'
        )
    if not rows:
        parts.append('<text x="0" y="40">—</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text node above is escaped
