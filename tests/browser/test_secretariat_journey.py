"""A bloc secretariat records a pledge's signatures and uploads the signed scan."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pledges.models import DocumentKind, PledgeDocument
from tests.browser.conftest import assert_no_axe_violations, login
from tests.documents import tiny_pdf
from tests.pledges.document_setup import make_pledge


@pytest.fixture
def pledge(org):
    return make_pledge(org)


def test_the_documents_page_has_no_axe_violations(page: Page, live_server, secretary, pledge):
    login(page, live_server, "secretary")
    page.goto(f"/blocs/pledges/{pledge.pk}/documents/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài liệu giao ước")
    assert_no_axe_violations(page)


def test_a_refused_file_is_explained_next_to_the_field(
    page: Page, live_server, secretary, pledge, tmp_path
):
    fake = tmp_path / "ban-ky.pdf"
    fake.write_bytes(b"MZ\x90\x00" + b"\x00" * 200)  # an .exe wearing a .pdf name
    login(page, live_server, "secretary")
    page.goto(f"/blocs/pledges/{pledge.pk}/documents/")
    page.get_by_label("Tệp (PDF, JPEG hoặc PNG)").set_input_files(str(fake))
    page.get_by_role("button", name="Tải lên").click()

    field = page.get_by_label("Tệp (PDF, JPEG hoặc PNG)")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#error_1_id_file")).to_contain_text("không phải là PDF, JPEG, PNG")
    assert not PledgeDocument.objects.exists()
    assert_no_axe_violations(page)


def test_an_upload_lands_in_the_list_and_downloads_back(
    page: Page, live_server, secretary, pledge, tmp_path
):
    content = tiny_pdf()
    scan = tmp_path / "Bản ký giao ước.pdf"
    scan.write_bytes(content)
    login(page, live_server, "secretary")
    page.goto(f"/blocs/pledges/{pledge.pk}/documents/")
    page.get_by_label("Tài liệu kèm theo").check()
    page.get_by_label("Tệp (PDF, JPEG hoặc PNG)").set_input_files(str(scan))
    page.get_by_role("button", name="Tải lên").click()

    expect(page.get_by_role("status")).to_contain_text("Đã tải lên “Bản ký giao ước.pdf”")
    document = PledgeDocument.objects.get()
    assert document.kind == DocumentKind.ATTACHMENT
    assert document.sha256 == hashlib.sha256(content).hexdigest()

    with page.expect_download() as info:
        page.get_by_role("link", name="Bản ký giao ước.pdf").click()
    download = info.value
    assert download.suggested_filename == "Bản ký giao ước.pdf"
    assert Path(download.path()).read_bytes() == content
