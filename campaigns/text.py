"""Text normalisation shared by forms, search and every bulk path.

Search ignores diacritics and case on every database: each searchable model keeps
a folded copy of its name (``search_text``) written on save and by bulk loaders,
and a query is folded the same way before it is matched.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch).startswith("C")


def _controls_to_spaces(value: str) -> str:
    """Each control character (category C*) of ``value`` as a space.

    Judged once per distinct character, then replaced by ``str.translate``: every
    spreadsheet cell passes here, and a per-character loop cost about a microsecond a
    character. A printable string (``isprintable``) has none, and is returned as it is.
    """
    if value.isprintable():
        return value
    table = {ord(ch): " " for ch in set(value) if _is_control(ch)}
    return value.translate(table) if table else value


def clean_text(value: str) -> str:
    """NFC-normalise, turn control characters into spaces and collapse runs of spaces."""
    value = _controls_to_spaces(unicodedata.normalize("NFC", value or ""))
    # str.split() splits on exactly what \s matches, and drops the ends: as
    # _SPACES.sub(" ", value).strip(), four times faster.
    return " ".join(value.split())


def clean_multiline(value: str) -> str:
    """Like clean_text but keeps line breaks (objectives, narrative)."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n")
    lines = [_controls_to_spaces(line) for line in value.split("\n")]
    return "\n".join(" ".join(line.split()) for line in lines).strip()


def fold(value: str) -> str:
    """Lower-case ASCII-ish form of a Vietnamese string: 'Đổi mới' -> 'doi moi'."""
    decomposed = unicodedata.normalize("NFD", value or "")
    # Control characters (NUL included, which PostgreSQL refuses in a query) become spaces.
    stripped = "".join(
        " " if _is_control(ch) else ch for ch in decomposed if not unicodedata.combining(ch)
    )
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()
