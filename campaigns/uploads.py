"""Uploaded files are trusted by their content, never by their name or browser label.

``inspect_upload`` reads the file, checks its size against MAX_UPLOAD_BYTES and its
bytes against the kinds the caller allows (PDF, JPEG, PNG), and returns what to
store: the detected type, a safe extension and the SHA-256. Anything else raises a
ValidationError with a message for the user.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .models import StoredUpload

PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
SCAN_TYPES = (PDF, JPEG, PNG)
_EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png"}
_LABELS = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG"}


@dataclass(frozen=True)
class CheckedUpload:
    content: bytes
    content_type: str
    extension: str
    sha256: str
    size: int
    original_name: str


def sniff(head: bytes) -> str | None:
    """The type the first bytes of a file announce (PDF, JPEG, PNG), or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def _is_whole(content_type: str, content: bytes) -> bool:
    """Parse the file for real: a truncated or forged file fails here."""
    try:
        if content_type == PDF:
            from pypdf import PdfReader

            reader = PdfReader(io.BytesIO(content), strict=False)
            return len(reader.pages) > 0 and b"%%EOF" in content[-2048:]
        from PIL import Image

        with Image.open(io.BytesIO(content)) as image:
            image.verify()
        with Image.open(io.BytesIO(content)) as image:
            image.load()  # verify() does not decode pixels; a cut-off image fails to load
        return True
    except Exception:  # any parser error means "not a valid file"
        return False


# zipfile builds an object per entry of the central directory (about 35 µs each): an
# archive of 120,000 empty entries fits in a 10 MB upload and took 4 s to list.
_ZIP_ENTRIES_LISTED = 1_000


def _carries_zip(content: bytes) -> bool:
    """True when a zip archive with entries is appended to (or hidden in) the file.

    Opening it for real, not just finding the end-record signature, keeps a PDF whose
    compressed bytes happen to hold "PK\\x05\\x06" from being refused. An end record that
    declares more entries than a small archive has is taken at its word without listing
    them: a scan carries no archive at all, so either way the file is refused.
    """
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 65_535))
    if end < 0:
        return False
    if len(content) >= end + 22:
        (entries,) = struct.unpack("<H", content[end + 10 : end + 12])
        if entries > _ZIP_ENTRIES_LISTED:
            return True
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return bool(archive.infolist())
    except Exception:  # any reader error means "no archive here"
        return False


def inspect_upload(upload: UploadedFile, allowed: tuple[str, ...] = SCAN_TYPES) -> CheckedUpload:
    limit = settings.MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
        )
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            _("Tệp quá lớn; giới hạn là %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    if not content:
        raise ValidationError(_("Tệp rỗng."))
    content_type = sniff(content[:16])
    kinds = ", ".join(_LABELS[t] for t in allowed)
    if content_type not in allowed:
        raise ValidationError(
            _(
                "Tệp “%(name)s” không phải là %(kinds)s (hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp)."
            )
            % {"name": upload.name, "kinds": kinds}
        )
    if not _is_whole(content_type, content):
        raise ValidationError(
            _("Tệp “%(name)s” bị hỏng hoặc không đầy đủ, không đọc được như một tệp %(kind)s.")
            % {"name": upload.name, "kind": _LABELS[content_type]}
        )
    if _carries_zip(content):
        # A polyglot (a PDF or an image with a zip archive, e.g. a Java .jar, appended)
        # opens as a valid file yet carries a second one; a scan has no need of that.
        raise ValidationError(
            _(
                "Tệp “%(name)s” có gắn kèm một tệp nén (zip) bên trong; hãy tải lên tệp %(kind)s gốc."
            )
            % {"name": upload.name, "kind": _LABELS[content_type]}
        )
    return CheckedUpload(
        content=content,
        content_type=content_type,
        extension=_EXTENSIONS[content_type],
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
        original_name=(upload.name or "")[-200:],
    )


@contextmanager
def stored(document: StoredUpload, checked: CheckedUpload) -> Iterator[None]:
    """Write ``checked``'s bytes under ``document``'s file name; undo it if the block raises.

    The block saves the row (and whatever goes with it). If it raises, the file just
    written is removed, so no file is left that no row names, unless the same bytes
    were already stored under that very name: a storage that overwrites (S3 by
    default) rewrites them, and that file belongs to an earlier row. (The file
    system storage never overwrites; the same bytes again get a name of their own.)
    """
    name = document.file.field.generate_filename(document, checked.original_name)
    existed = default_storage.exists(name)
    stored_name = default_storage.save(name, ContentFile(checked.content))
    document.file.name = stored_name
    try:
        yield
    except BaseException:
        if not (existed and stored_name == name):
            default_storage.delete(stored_name)
        raise


_UNSAFE_IN_NAMES = '/\\:*?"<>|'


def safe_filename(
    name: str, *, extension: str = "", fallback: str = "tai-lieu", replace_extension: bool = True
) -> str:
    """A name to show (the uploader's, as kept beside the file) that keeps Vietnamese letters
    but nothing a page or an OS chokes on. Downloads never carry it: campaigns.downloads
    names every file it serves itself.

    Drops any directory part, control characters and characters Windows forbids;
    NFC-normalises; replaces the extension with ``extension`` (the type detected
    from the content, not the one the uploader typed) when given.
    """
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(
        " " if unicodedata.category(ch).startswith("C") or ch in _UNSAFE_IN_NAMES else ch
        for ch in name
    )
    name = " ".join(name.split()).strip(" .")
    if extension and replace_extension:
        stem, old_ext = os.path.splitext(name)
        # Only strip what looks like an extension ("báo cáo 2024.pdf"), not "v1.2 bản ký".
        if old_ext and len(old_ext) <= 6 and " " not in old_ext:
            name = stem.strip(" .")
    name = (name or fallback)[:150]
    return f"{name}{extension}"
