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


def clean_text(value: str) -> str:
    """NFC-normalise, turn control characters into spaces and collapse runs of spaces."""
    value = unicodedata.normalize("NFC", value or "")
    value = "".join(" " if _is_control(ch) else ch for ch in value)
    return _SPACES.sub(" ", value).strip()


def clean_multiline(value: str) -> str:
    """Like clean_text but keeps line breaks (objectives, narrative)."""
    value = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n")
    lines = ["".join(" " if _is_control(ch) else ch for ch in line) for line in value.split("\n")]
    return "\n".join(_SPACES.sub(" ", line).strip() for line in lines).strip()


def fold(value: str) -> str:
    """Lower-case ASCII-ish form of a Vietnamese string: 'Đổi mới' -> 'doi moi'."""
    decomposed = unicodedata.normalize("NFD", value or "")
    # Control characters (NUL included, which PostgreSQL refuses in a query) become spaces.
    stripped = "".join(
        " " if _is_control(ch) else ch for ch in decomposed if not unicodedata.combining(ch)
    )
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()
