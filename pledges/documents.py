"""The pledge's files: uploaded scans and attachments, and the printable pledge (PDF).

An upload is judged by its content (``campaigns.uploads.inspect_upload``) before
anything is written, and stored under its SHA-256 on the default storage (shared
storage when scaled out). A signed scan never replaces an earlier one: every
upload is kept, and the newest signed scan is "the" scan of the pledge.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.documents import render_pdf, vietnamese_date
from campaigns.errors import DomainError
from campaigns.models import Unit
from campaigns.text import fold
from campaigns.uploads import SCAN_TYPES, inspect_upload, stored

from .models import DocumentKind, Pledge, PledgeDocument, Signature
from .pledge_selectors import required_signers

# What each kind of document may be. Both are PDF, JPEG or PNG today; kept apart so
# that attachments can widen (e.g. to office files) without touching scans.
ALLOWED_TYPES: dict[str, tuple[str, ...]] = {
    DocumentKind.SIGNED_SCAN: SCAN_TYPES,
    DocumentKind.ATTACHMENT: SCAN_TYPES,
}


def pledge_document_add(
    *, pledge: Pledge, kind: str, upload: UploadedFile, by: AbstractBaseUser | None
) -> PledgeDocument:
    """Check an uploaded file and keep it with the pledge.

    Raises ``django.core.exceptions.ValidationError`` (message for the user) when
    the file is not an allowed, whole PDF/JPEG/PNG within the size limit; nothing is
    written then. If storing fails after the check, no row is left pointing at a
    missing file; if the row cannot be written, the file just stored is removed.
    """
    if kind not in ALLOWED_TYPES:
        raise DomainError(_("Loại tài liệu không hợp lệ."))
    upload.seek(0)
    checked = inspect_upload(upload, ALLOWED_TYPES[kind])

    document = PledgeDocument(pledge=pledge, kind=kind)
    document.describe(checked, by=by)
    with stored(document, checked), transaction.atomic():
        document._history_user = by  # type: ignore[attr-defined]
        document.save()
    return document


def latest_signed_scan(pledge: Pledge) -> PledgeDocument | None:
    return (
        pledge.documents.filter(kind=DocumentKind.SIGNED_SCAN)
        .order_by("-uploaded_at", "-pk")
        .first()
    )


def download_name(document: PledgeDocument) -> str:
    """What the download is called: the app's words, never the uploader's file name
    (``campaigns.downloads`` folds it to ASCII and adds the detected type's extension)."""
    return f"giao-uoc-{document.pledge_id}-{document.get_kind_display()}-{document.pk}"


# ---------------------------------------------------------------------------
# The printable pledge


@dataclass(frozen=True)
class SignatoryRow:
    member: Unit
    signature: Signature | None


def signatory_rows(pledge: Pledge) -> list[SignatoryRow]:
    """The members expected to sign (``required_signers``), each with its signature or None.

    A member that signed without being required (it left before the ceremony, or
    joined after it) still appears: it signed, so it stays on the document.
    """
    signatures = {s.member_id: s for s in pledge.signatures.select_related("member")}
    members = list(required_signers(pledge))
    seen = {m.pk for m in members}
    members += [s.member for s in signatures.values() if s.member_id not in seen]
    # Vietnamese order: "Đ" among the D's, not after "Z" as code points would put it.
    members.sort(key=lambda unit: (fold(unit.name), unit.name, unit.pk))
    return [SignatoryRow(member=m, signature=signatures.get(m.pk)) for m in members]


def pledge_print_context(pledge: Pledge) -> dict[str, object]:
    bloc_year = pledge.bloc_year
    bloc = bloc_year.bloc
    if pledge.ceremony_date:
        place_date = vietnamese_date(pledge.place or "", pledge.ceremony_date).lstrip(", ")
    else:
        # Not fixed yet: leave the date to be written in at the ceremony.
        place_date = _("%(place)s, ngày …… tháng …… năm %(year)s") % {
            "place": pledge.place or "……………",
            "year": bloc_year.year,
        }
    return {
        "pledge": pledge,
        "bloc": bloc,
        "bloc_year": bloc_year,
        "parent_body": bloc.organiser.name if bloc.organiser_id else "",
        "issuer": bloc.name or (bloc_year.leader.name if bloc_year.leader_id else ""),
        "place_date": place_date,
        "commitments": list(pledge.commitments.order_by("number", "pk")),
        "rows": signatory_rows(pledge),
    }


def pledge_pdf(pledge: Pledge) -> bytes:
    """The pledge as an A4 document (Decree 30 layout) for the signing ceremony.

    Always in Vietnamese: it is an administrative document, whatever language the
    person who downloads it reads the screens in.
    """
    pledge = (
        Pledge.objects.select_related("bloc_year__bloc__organiser", "bloc_year__leader")
        .prefetch_related("bloc_year__deputies")
        .get(pk=pledge.pk)
    )
    with translation.override("vi"):
        return render_pdf("pledges/pledge_print.html", pledge_print_context(pledge))


def pledge_pdf_filename(pledge: Pledge) -> str:
    """The printable pledge's name, before ``campaigns.downloads`` folds it to ASCII."""
    bloc = pledge.bloc_year.bloc
    return f"Giao ước thi đua {pledge.bloc_year.year} - {bloc.short_name or bloc.name}"
