import hashlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pledges import documents
from pledges.models import DocumentKind, PledgeDocument
from tests.documents import tiny_pdf
from tests.pledges.document_setup import focal_point_of, make_pledge, media_files, png_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_x(org):
    """A focal point of body X, a member of bloc A (but not the year's leader)."""
    return focal_point_of(org.x, "focal_x")


EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def pledge(org):
    return make_pledge(org)


def upload_url(pledge):
    return reverse("pledges:pledge_documents", args=[pledge.pk])


def post_file(client, pledge, name, content, kind=DocumentKind.SIGNED_SCAN):
    return client.post(
        upload_url(pledge),
        {"kind": kind, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def add(pledge, name, content, kind=DocumentKind.SIGNED_SCAN, by=None):
    return documents.pledge_document_add(
        pledge=pledge, kind=kind, upload=SimpleUploadedFile(name, content), by=by
    )


# --- what is accepted


def test_it_keeps_a_real_pdf_under_its_checksum(client_for, secretary, pledge):
    content = tiny_pdf()
    response = post_file(client_for(secretary), pledge, "Bản ký giao ước.pdf", content)
    assert response.status_code == 302
    document = PledgeDocument.objects.get()
    sha = hashlib.sha256(content).hexdigest()
    assert document.sha256 == sha
    assert document.size == len(content)
    assert document.content_type == "application/pdf"
    assert document.kind == DocumentKind.SIGNED_SCAN
    assert document.original_name == "Bản ký giao ước.pdf"
    assert document.uploaded_by == secretary
    assert document.file.name == f"pledges/{pledge.pk}/{sha}.pdf"
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content
    assert document.history.get().history_user == secretary


def test_it_takes_a_png_by_its_content_whatever_its_name(secretary, pledge):
    content = png_bytes()
    document = add(pledge, "anh-chup.pdf", content, kind=DocumentKind.ATTACHMENT, by=secretary)
    assert document.content_type == "image/png"
    assert document.extension == ".png"
    assert document.sha256 == hashlib.sha256(content).hexdigest()
    assert document.file.name.endswith(".png")
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content


def test_a_new_signed_scan_keeps_the_previous_one(pledge):
    first = add(pledge, "ban-ky-1.pdf", tiny_pdf())
    second = add(pledge, "ban-ky-2.png", png_bytes())
    assert set(PledgeDocument.objects.values_list("pk", flat=True)) == {first.pk, second.pk}
    assert default_storage.exists(first.file.name)
    assert default_storage.exists(second.file.name)
    assert documents.latest_signed_scan(pledge) == second


def test_the_same_file_twice_is_kept_twice_and_the_first_is_untouched(pledge):
    first = add(pledge, "a.pdf", tiny_pdf())
    second = add(pledge, "b.pdf", tiny_pdf())
    assert first.sha256 == second.sha256
    assert first.file.name != second.file.name
    assert first.file.name == f"pledges/{pledge.pk}/{first.sha256}.pdf"
    assert len(media_files()) == 2
    with default_storage.open(first.file.name, "rb") as stored:
        assert stored.read() == tiny_pdf()


# --- what is refused, and that nothing is touched then


def test_a_renamed_exe_is_refused_and_nothing_is_saved(client_for, secretary, pledge):
    response = post_file(client_for(secretary), pledge, "ban-ky.pdf", EXE)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert "không phải là PDF, JPEG, PNG" in errors[0]
    # The message sits under the file field, which has its label.
    html = response.text
    assert 'for="id_file"' in html
    assert 'class="invalid-feedback' in html or "invalid-feedback" in html
    assert "không phải là PDF, JPEG, PNG" in html
    assert not PledgeDocument.objects.exists()
    assert media_files() == []


def test_a_refused_file_leaves_earlier_documents_untouched(pledge):
    kept = add(pledge, "ban-ky.pdf", tiny_pdf())
    kept_path = Path(settings.MEDIA_ROOT) / kept.file.name
    before = kept_path.read_bytes()
    with pytest.raises(ValidationError):
        add(pledge, "ban-ky.pdf", EXE)
    assert list(PledgeDocument.objects.all()) == [kept]
    assert media_files() == [kept_path]
    assert kept_path.read_bytes() == before


def test_an_oversized_file_is_refused(client_for, secretary, pledge, settings):
    settings.MAX_UPLOAD_BYTES = 100
    response = post_file(client_for(secretary), pledge, "ban-ky.pdf", tiny_pdf())
    assert response.status_code == 200
    assert "quá lớn" in response.context["form"].errors["file"][0]
    assert not PledgeDocument.objects.exists()
    assert media_files() == []


def test_a_truncated_png_is_refused(client_for, secretary, pledge):
    response = post_file(client_for(secretary), pledge, "ban-ky.png", png_bytes(64)[:60])
    assert response.status_code == 200
    assert "bị hỏng hoặc không đầy đủ" in response.context["form"].errors["file"][0]
    assert not PledgeDocument.objects.exists()
    assert media_files() == []


def test_an_upload_without_a_file_asks_for_one(client_for, secretary, pledge):
    response = client_for(secretary).post(upload_url(pledge), {"kind": DocumentKind.SIGNED_SCAN})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_failed_store_leaves_no_row(client_for, secretary, pledge, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(FileSystemStorage, "save", broken_save)
    response = post_file(client_for(secretary), pledge, "ban-ky.pdf", tiny_pdf())
    assert response.status_code == 200
    assert "Không lưu được tệp" in response.text
    assert not PledgeDocument.objects.exists()


def test_a_failed_row_removes_the_file_just_stored(pledge, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(PledgeDocument, "save", broken_save)
    with pytest.raises(RuntimeError):
        add(pledge, "ban-ky.pdf", tiny_pdf())
    assert media_files() == []


# --- who may upload, see and download


def test_a_member_focal_point_may_not_upload(client_for, focal_x, pledge):
    client = client_for(focal_x)
    assert post_file(client, pledge, "ban-ky.pdf", tiny_pdf()).status_code == 403
    assert not PledgeDocument.objects.exists()
    assert media_files() == []
    # They still see the list, without the form.
    response = client.get(upload_url(pledge))
    assert response.status_code == 200
    assert response.context["form"] is None
    assert 'type="file"' not in response.text


def test_hr_of_a_member_body_may_not_upload_either(client_for, hr, pledge):
    # HR of a member body manages its own units, not the bloc (its organiser does).
    assert post_file(client_for(hr), pledge, "ban-ky.pdf", tiny_pdf()).status_code == 403


def test_the_secretariat_sees_the_upload_form(client_for, secretary, pledge):
    response = client_for(secretary).get(upload_url(pledge))
    assert response.status_code == 200
    assert 'type="file"' in response.text
    assert "Tệp (PDF, JPEG hoặc PNG)" in response.text


def test_a_secretariat_of_another_bloc_gets_404(client_for, secretary_b, pledge):
    document = add(pledge, "ban-ky.pdf", tiny_pdf())
    client = client_for(secretary_b)
    assert client.get(upload_url(pledge)).status_code == 404
    assert post_file(client, pledge, "ban-ky.pdf", tiny_pdf()).status_code == 404
    download = reverse("pledges:document_download", args=[document.pk])
    assert client.get(download).status_code == 404
    assert PledgeDocument.objects.count() == 1


def test_a_member_focal_point_downloads_the_scan(client_for, focal_x, pledge):
    content = tiny_pdf()
    document = add(pledge, "Bản ký giao ước 2024.PDF", content)
    response = client_for(focal_x).get(reverse("pledges:document_download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    # The app's own ASCII name with the detected extension, never the uploader's.
    assert response["Content-Disposition"] == (
        f'attachment; filename="giao-uoc-{pledge.pk}-ban-ky-scan-{document.pk}.pdf"'
    )


def test_a_download_is_named_by_the_app_with_the_detected_extension(client_for, focal_x, pledge):
    document = add(pledge, '..\\..\\bad"name\r\n.exe', png_bytes())
    response = client_for(focal_x).get(reverse("pledges:document_download", args=[document.pk]))
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == (
        f'attachment; filename="giao-uoc-{pledge.pk}-ban-ky-scan-{document.pk}.png"'
    )
    b"".join(response.streaming_content)


def test_an_anonymous_visitor_is_sent_to_log_in(client, pledge):
    document = add(pledge, "ban-ky.pdf", tiny_pdf())
    response = client.get(reverse("pledges:document_download", args=[document.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_document_whose_file_is_missing_is_a_404_not_a_500(client_for, focal_x, pledge):
    document = add(pledge, "ban-ky.pdf", tiny_pdf())
    default_storage.delete(document.file.name)
    response = client_for(focal_x).get(reverse("pledges:document_download", args=[document.pk]))
    assert response.status_code == 404


def test_the_documents_page_marks_the_current_scan(client_for, focal_x, pledge):
    add(pledge, "ban-ky-cu.pdf", tiny_pdf())
    newest = add(pledge, "ban-ky-moi.png", png_bytes())
    response = client_for(focal_x).get(upload_url(pledge))
    assert response.context["scan"] == newest
    assert "ban-ky-cu.pdf" in response.text
    assert "ban-ky-moi.png" in response.text


def test_a_failed_row_never_removes_an_earlier_documents_file(pledge, monkeypatch):
    kept = add(pledge, "ban-ky.pdf", tiny_pdf())
    original_save = PledgeDocument.save

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(PledgeDocument, "save", broken_save)
    with pytest.raises(RuntimeError):
        add(pledge, "ban-ky-lan-2.pdf", tiny_pdf())
    monkeypatch.setattr(PledgeDocument, "save", original_save)
    assert media_files() == [Path(settings.MEDIA_ROOT) / kept.file.name]
    assert list(PledgeDocument.objects.all()) == [kept]
