"""A nomination's dossier (hồ sơ): files judged by their content, stored under their
checksum, downloaded through a scoped view, never replaced or removed."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awards import nomination_services as services
from awards.models import DossierFile, DossierKind, NominationStatus
from campaigns.errors import DomainError
from tests.awards.factories import complete_dossier
from tests.documents import tiny_pdf
from tests.pledges.document_setup import media_files, png_bytes

from .nomination_setup import actions, draft, make_round, person_of

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


@pytest.fixture
def nomination(focal_x1, org):
    return draft(focal_x1, make_round(org), person=person_of(org.x1))


def upload(client, nomination, name, content, kind=DossierKind.SUBMISSION_LETTER):
    return client.post(
        reverse("awards:dossier_upload", args=[nomination.pk]),
        {"kind": kind, "file": SimpleUploadedFile(name, content, "application/pdf")},
    )


def test_it_keeps_a_pdf_under_its_checksum(client_for, focal_x1, nomination):
    content = tiny_pdf()
    response = upload(client_for(focal_x1), nomination, "Tờ trình số 12.pdf", content)
    assert response.status_code == 302
    document = DossierFile.objects.get()
    sha = hashlib.sha256(content).hexdigest()
    assert document.file.name == f"nominations/{nomination.pk}/{sha}.pdf"
    assert (document.sha256, document.size, document.content_type) == (
        sha,
        len(content),
        "application/pdf",
    )
    assert document.original_name == "Tờ trình số 12.pdf"
    assert document.uploaded_by == focal_x1
    with default_storage.open(document.file.name, "rb") as stored:
        assert stored.read() == content
    event = nomination.events.get(action="awards.nomination.file_added")
    assert event.reason == "Tờ trình: Tờ trình số 12.pdf"


def test_it_takes_a_png_by_its_content_whatever_its_name(focal_x1, nomination):
    content = png_bytes()
    document = services.dossier_file_add(
        nomination=nomination,
        kind=DossierKind.INITIATIVE_CERTIFICATE,
        upload=SimpleUploadedFile("giay-chung-nhan.pdf", content),
        by=focal_x1,
    )
    assert (document.content_type, document.extension) == ("image/png", ".png")
    assert document.file.name.endswith(".png")


def test_a_renamed_exe_is_refused_and_nothing_is_saved(client_for, focal_x1, nomination):
    response = upload(client_for(focal_x1), nomination, "bao-cao-thanh-tich.pdf", EXE)
    assert response.status_code == 400
    errors = response.context["upload_form"].errors["file"]
    assert "không phải là PDF, JPEG, PNG" in errors[0]
    assert not DossierFile.objects.exists()
    assert media_files() == []
    assert actions(nomination) == ["awards.nomination.created"]


def test_a_truncated_pdf_is_refused(client_for, focal_x1, nomination):
    response = upload(client_for(focal_x1), nomination, "to-trinh.pdf", tiny_pdf()[:60])
    assert response.status_code == 400
    assert "bị hỏng hoặc không đầy đủ" in response.context["upload_form"].errors["file"][0]
    assert not DossierFile.objects.exists()
    assert media_files() == []


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "bogus"}, "kind"),
        ({"kind": ""}, "kind"),
        ({"kind": DossierKind.MINUTES}, "file"),  # no file
    ],
)
def test_it_explains_bad_input_on_the_upload_form(client_for, focal_x1, nomination, data, field):
    if field != "file":
        data = {**data, "file": SimpleUploadedFile("a.pdf", tiny_pdf())}
    response = client_for(focal_x1).post(
        reverse("awards:dossier_upload", args=[nomination.pk]), data
    )
    assert response.status_code == 400
    assert field in response.context["upload_form"].errors
    assert not DossierFile.objects.exists()


def test_an_empty_file_is_refused(client_for, focal_x1, nomination):
    response = upload(client_for(focal_x1), nomination, "rong.pdf", b"")
    assert response.status_code == 400
    assert not DossierFile.objects.exists()


def test_a_file_added_after_submission_is_refused(client_for, focal_x1, nomination):
    complete_dossier(nomination)
    pytest.importorskip("awards.eligibility")
    services.nomination_submit(nomination=nomination, by=focal_x1)
    before = set(media_files())
    response = upload(client_for(focal_x1), nomination, "them.pdf", tiny_pdf())
    assert response.status_code == 400
    assert "không thể sửa" in str(response.context["upload_form"].non_field_errors())
    assert DossierFile.objects.count() == 3
    assert set(media_files()) == before
    with pytest.raises(DomainError):
        services.dossier_file_add(
            nomination=nomination,
            kind=DossierKind.ATTACHMENT,
            upload=SimpleUploadedFile("x.pdf", tiny_pdf()),
            by=focal_x1,
        )


def test_a_second_file_of_a_kind_sits_beside_the_first(client_for, focal_x1, nomination):
    client = client_for(focal_x1)
    upload(client, nomination, "to-trinh-v1.pdf", tiny_pdf())
    upload(client, nomination, "to-trinh-v2.pdf", png_bytes())
    assert DossierFile.objects.count() == 2
    page = client.get(reverse("awards:nomination_detail", args=[nomination.pk]))
    line = next(x for x in page.context["lines"] if x.kind == DossierKind.SUBMISSION_LETTER)
    assert [f.original_name for f in line.files] == ["to-trinh-v2.pdf", "to-trinh-v1.pdf"]


def test_the_page_lists_the_required_files_still_missing(client_for, focal_x1, nomination):
    page = client_for(focal_x1).get(reverse("awards:nomination_detail", args=[nomination.pk]))
    required = [(x.kind, x.present) for x in page.context["lines"] if x.required]
    assert required == [
        (DossierKind.SUBMISSION_LETTER, False),
        (DossierKind.ACHIEVEMENT_REPORT, False),
        (DossierKind.MINUTES, False),
    ]
    assert "Chưa có" in page.content.decode()


# --- who may upload and download


def test_someone_who_may_see_but_not_propose_gets_403(client_for, leader, nomination):
    response = upload(client_for(leader), nomination, "to-trinh.pdf", tiny_pdf())
    assert response.status_code == 403
    assert not DossierFile.objects.exists()


@pytest.mark.parametrize("persona", ["focal_x2", "focal_y"])
def test_a_focal_point_of_another_unit_gets_404(client_for, nomination, persona, request):
    client = client_for(request.getfixturevalue(persona))
    assert upload(client, nomination, "to-trinh.pdf", tiny_pdf()).status_code == 404
    assert not DossierFile.objects.exists()


def test_the_download_is_scoped_and_private(client_for, focal_x1, focal_x2, hr, nomination):
    content = tiny_pdf()
    upload(client_for(focal_x1), nomination, "Tờ trình.pdf", content)
    document = DossierFile.objects.get()
    url = reverse("awards:dossier_download", args=[document.pk])
    response = client_for(hr).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "attachment" in response["Content-Disposition"]
    assert client_for(focal_x2).get(url).status_code == 404


def test_a_download_whose_file_is_gone_is_404_not_500(client_for, focal_x1, nomination):
    upload(client_for(focal_x1), nomination, "to-trinh.pdf", tiny_pdf())
    document = DossierFile.objects.get()
    default_storage.delete(document.file.name)
    response = client_for(focal_x1).get(reverse("awards:dossier_download", args=[document.pk]))
    assert response.status_code == 404


def test_the_detail_page_links_downloads_for_the_viewer(client_for, hr, focal_x1, nomination):
    upload(
        client_for(focal_x1), nomination, "Báo cáo.pdf", tiny_pdf(), DossierKind.ACHIEVEMENT_REPORT
    )
    document = DossierFile.objects.get()
    page = client_for(hr).get(reverse("awards:nomination_detail", args=[nomination.pk]))
    assert reverse("awards:dossier_download", args=[document.pk]) in page.content.decode()
    # HR staff of X may propose for its units, so they may complete X1's dossier too.
    assert page.context["upload_form"] is not None
    assert nomination.status == NominationStatus.DRAFT
