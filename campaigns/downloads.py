"""Every file the app serves goes out through here, whatever made it.

Signed pledge scans, score evidence, nomination dossier files, generated PDFs and
Word copies, Excel exports and import templates: a view builds its bytes (or opens
the stored file) and hands them to ``file_response`` or ``stored_file_response``,
which answer the same way for all of them:

- the file name is the app's own (the caller passes what the file *is*, e.g.
  "Hồ sơ đề nghị 12 - Tờ trình 5"), folded to ASCII, never the uploader's name;
- its extension is that of the type detected from the bytes (the same sniffing as
  ``campaigns.uploads`` does on upload), and ``Content-Type`` is that type: a
  stored "PDF" that does not start like one goes out as
  ``application/octet-stream`` with ``.bin``, never as what its row says;
- ``Content-Disposition: attachment`` (``inline`` only where a page embeds the
  file; none does today), ``Cache-Control: private, no-store`` (every file is
  scoped to who may see it: no shared cache keeps a copy, and the browser keeps
  none on disk) and ``X-Content-Type-Options: nosniff``;
- a stored file (or a spooled export) is streamed in blocks, never read whole into
  memory; bytes generated in memory (a PDF, a template) are sent as they are.

``tests/security/test_downloads.py`` walks every route of the URL configuration as an
allowed user and checks these headers and names on each file it is served, and
that the response carries ``DOWNLOAD_MARK``: a view that builds its own file
response fails it.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from typing import IO

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.utils.http import content_disposition_header

from .uploads import JPEG, PDF, PNG, sniff

logger = logging.getLogger(__name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
OCTET_STREAM = "application/octet-stream"
# Office files are zip archives: the bytes say "zip", the caller says which kind.
_ZIP_TYPES = (XLSX, DOCX)
_ZIP_HEAD = b"PK\x03\x04"
EXTENSIONS = {
    PDF: ".pdf",
    JPEG: ".jpg",
    PNG: ".png",
    XLSX: ".xlsx",
    DOCX: ".docx",
    OCTET_STREAM: ".bin",
}
CACHE_CONTROL = "private, no-store"
# Set on every response made here; the download walk checks it.
DOWNLOAD_MARK = "app_download"
FALLBACK_NAME = "tai-lieu"
MAX_NAME = 100
_NOT_SAFE = re.compile(r"[^a-z0-9]+")
_HEAD = 16


def ascii_name(name: str, *, fallback: str = FALLBACK_NAME) -> str:
    """'Hồ sơ đề nghị 12 / Tờ trình' -> 'ho-so-de-nghi-12-to-trinh': letters, digits, hyphens.

    Diacritics are dropped (đ -> d), everything else that is not a letter or a digit
    becomes one hyphen, so no quote, slash, dot, CR/LF or control character survives.
    """
    decomposed = unicodedata.normalize("NFKD", name or "")
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    letters = letters.replace("đ", "d").replace("Đ", "D")
    folded = letters.encode("ascii", "ignore").decode("ascii").lower()
    slug = _NOT_SAFE.sub("-", folded).strip("-")
    return slug[:MAX_NAME].rstrip("-") or fallback


def detect_type(head: bytes, declared: str) -> str:
    """The type the bytes are: PDF/JPEG/PNG by their signature, an Office file when the
    bytes are a zip and the caller made one; anything else is an opaque octet stream."""
    sniffed = sniff(head)
    if sniffed is not None:
        return sniffed
    if declared in _ZIP_TYPES and head.startswith(_ZIP_HEAD):
        return declared
    return OCTET_STREAM


def download_filename(name: str, content_type: str) -> str:
    """The name a download carries: ``name`` folded to ASCII plus the type's extension."""
    stem = name or ""
    for extension in EXTENSIONS.values():  # "mau-nhap.xlsx" names the file, not "mau-nhap-xlsx"
        if stem.lower().endswith(extension):
            stem = stem[: -len(extension)]
            break
    return ascii_name(stem) + EXTENSIONS[content_type]


def file_response(
    content: bytes | IO[bytes], *, name: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A file for the browser: generated ``bytes`` (sent as they are), or a binary file
    object (streamed in blocks, and closed once sent).

    ``name`` says what the file is (any language, no extension needed); ``content_type``
    is what the caller made or what the upload check detected, confirmed against
    the bytes here.
    """
    if isinstance(content, bytes):
        head = content[:_HEAD]
    else:
        head = content.read(_HEAD)
        content.seek(0)
    detected = detect_type(head, content_type)
    if detected != content_type:
        logger.warning(
            "Download %r declared %s but its bytes are %s; served as such",
            name,
            content_type,
            detected,
        )
    filename = download_filename(name, detected)
    response: HttpResponse
    if isinstance(content, bytes):
        response = HttpResponse(content, content_type=detected)
        response["Content-Length"] = str(len(content))
        response["Content-Disposition"] = content_disposition_header(not inline, filename)
    else:
        response = FileResponse(
            content, as_attachment=not inline, filename=filename, content_type=detected
        )
    response["Cache-Control"] = CACHE_CONTROL
    response["X-Content-Type-Options"] = "nosniff"
    setattr(response, DOWNLOAD_MARK, True)
    return response


def stored_file_response(
    stored_name: str, *, name: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A file kept in the default storage, streamed; 404 (and an error logged) if it is gone."""
    try:
        stream = default_storage.open(stored_name, "rb")
    except FileNotFoundError:
        logger.error("No stored file at %s", stored_name)
        raise Http404 from None
    try:
        return file_response(stream, name=name, content_type=content_type, inline=inline)
    except BaseException:
        stream.close()
        raise
