import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from campaigns.uploads import PDF, PNG, inspect_upload
from tests.documents import tiny_pdf


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def test_a_real_pdf_passes_and_gets_its_checksum():
    checked = inspect_upload(SimpleUploadedFile("scan.PDF", tiny_pdf(), "application/octet-stream"))
    assert checked.content_type == PDF
    assert checked.extension == ".pdf"
    assert len(checked.sha256) == 64


def test_a_real_png_passes_whatever_its_name():
    checked = inspect_upload(SimpleUploadedFile("anh.pdf", png_bytes(), "application/pdf"))
    assert checked.content_type == PNG


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ky-ket.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100),  # a renamed .exe
        ("ky-ket.jpg", b"just some text"),
        ("empty.pdf", b""),
        ("cut.png", png_bytes()[:30]),  # truncated
        ("cut.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\n"),  # a PDF header with nothing behind it
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, content):
    with pytest.raises(ValidationError):
        inspect_upload(SimpleUploadedFile(name, content))


def test_an_oversized_file_is_refused(settings):
    settings.MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationError, match="quá lớn"):
        inspect_upload(SimpleUploadedFile("big.pdf", tiny_pdf()))


def test_an_image_carrying_a_zip_of_many_entries_is_refused_without_listing_them():
    # 120,000 empty entries fit under the upload limit; listing them took 4 s.
    import time
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n in range(70_000):
            archive.writestr(f"{n}", b"")
    content = png_bytes() + buffer.getvalue()
    started = time.process_time()
    with pytest.raises(ValidationError, match="tệp nén"):
        inspect_upload(SimpleUploadedFile("anh.png", content))
    assert time.process_time() - started < 0.5
