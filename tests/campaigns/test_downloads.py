"""campaigns.downloads: the one way a file leaves the app (names, types, headers)."""

from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404

from campaigns import downloads
from tests.documents import tiny_pdf
from tests.pledges.document_setup import png_bytes


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Tờ trình khen thưởng Đoàn viên", "to-trinh-khen-thuong-doan-vien"),
        ("../../x.html", "x-html"),
        ('bad"name\r\nSet-Cookie: a=1', "bad-name-set-cookie-a-1"),
        ("\u202egpj.exe\x00", "gpj-exe"),
        ("日本語", downloads.FALLBACK_NAME),
        ("", downloads.FALLBACK_NAME),
        ("a" * 300, "a" * downloads.MAX_NAME),
    ],
)
def test_a_name_is_folded_to_an_ascii_slug(name, expected):
    assert downloads.ascii_name(name) == expected


def test_the_extension_comes_from_the_bytes_not_the_name_or_the_row(caplog):
    response = downloads.file_response(png_bytes(), name="scan.pdf", content_type=downloads.PDF)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="scan.png"'
    assert "declared application/pdf" in caplog.text


def test_bytes_that_are_no_known_type_go_out_as_an_opaque_attachment():
    html = b"<html><script>alert(1)</script></html>"
    response = downloads.file_response(html, name="bao-cao", content_type=downloads.PDF)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao.bin"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_an_office_file_keeps_the_type_the_app_made_and_its_own_extension():
    response = downloads.file_response(
        io.BytesIO(b"PK\x03\x04rest"), name="mau-nhap.xlsx", content_type=downloads.XLSX
    )
    assert response["Content-Type"] == downloads.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap.xlsx"'
    assert b"".join(response.streaming_content) == b"PK\x03\x04rest"
    response.file_to_stream.close()  # close() would send request_finished (a DB call)


def test_inline_is_a_choice_of_the_caller():
    response = downloads.file_response(
        tiny_pdf(), name="xem", content_type=downloads.PDF, inline=True
    )
    assert response["Content-Disposition"] == 'inline; filename="xem.pdf"'
    assert response["Cache-Control"] == "private, no-store"


def test_a_stored_file_is_streamed(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    stored = default_storage.save("scans/a.pdf", ContentFile(tiny_pdf()))
    response = downloads.stored_file_response(stored, name="Bản ký", content_type=downloads.PDF)
    assert response.streaming
    assert response["Content-Length"] == str(len(tiny_pdf()))
    assert b"".join(response.streaming_content) == tiny_pdf()
    response.file_to_stream.close()  # close() would send request_finished (a DB call)
    assert response["Content-Disposition"] == 'attachment; filename="ban-ky.pdf"'


def test_a_stored_file_that_is_gone_is_a_404(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with pytest.raises(Http404):
        downloads.stored_file_response("scans/none.pdf", name="x", content_type=downloads.PDF)
