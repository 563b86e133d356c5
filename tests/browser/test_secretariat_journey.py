"""A bloc secretariat records a pledge's signatures and uploads the signed scan."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from pledges.models import DocumentKind, PledgeDocument, PledgeStatus
from tests.browser.conftest import assert_no_axe_violations, login
from tests.documents import pdf_text, tiny_pdf
from tests.pledges.document_setup import add_member, make_pledge

SIGNATORIES = {
    "Cơ quan X": ("Nguyễn Văn Hùng", "Thứ trưởng"),
    "Đơn vị khối trưởng": ("Trần Thị Thu Hương", "Phó Chánh án"),
    "Kiểm toán nhà nước": ("Lê Đức Thắng", "Phó Tổng Kiểm toán nhà nước"),
    "Thanh tra Chính phủ": ("Phạm Thị Ngọc Ánh", "Phó Tổng Thanh tra Chính phủ"),
}


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
    # The uploader's name is shown on the page only; the download is named by the app.
    assert re.fullmatch(
        rf"giao-uoc-{document.pledge_id}-tai-lieu-kem-theo-{document.pk}\.pdf",
        download.suggested_filename,
    ), download.suggested_filename
    assert Path(download.path()).read_bytes() == content


def _sign(page: Page, member: str) -> None:
    name, position = SIGNATORIES[member]
    page.get_by_label(f"Họ tên người ký — {member}").fill(name)
    page.get_by_label(f"Chức vụ — {member}").fill(position)


def test_a_secretariat_records_every_signature_and_uploads_the_scan(
    page: Page, live_server, secretary, org, tmp_path
):
    pledge = make_pledge(org, title="Giao ước thi đua năm 2024 của Khối A")
    add_member(org, "Kiểm toán nhà nước", "KTNN")
    add_member(org, "Thanh tra Chính phủ", "TTCP")
    assert pledge.status == PledgeStatus.OPEN
    login(page, live_server, "secretary")

    # From the menu to the pledge, as a person finds it.
    page.get_by_role("link", name="Khối thi đua", exact=True).click()
    page.get_by_role("link", name="Khối A", exact=True).click()
    page.get_by_role("link", name="2024", exact=True).click()
    page.get_by_role("link", name=pledge.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pledge.title)
    expect(page.locator("#unsigned-members li")).to_have_count(4)

    # Two members sign first; the page then lists who has not signed yet.
    page.get_by_role("link", name="Ghi nhận chữ ký").click()
    _sign(page, "Cơ quan X")
    _sign(page, "Kiểm toán nhà nước")
    page.get_by_role("button", name="Lưu chữ ký").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận 2 chữ ký")
    unsigned = page.locator("#unsigned-members li")
    expect(unsigned).to_have_count(2)
    for member in ("Đơn vị khối trưởng", "Thanh tra Chính phủ"):
        expect(unsigned.filter(has_text=member)).to_have_count(1)

    # Then the others: the pledge is fully signed.
    page.get_by_role("link", name="Ghi nhận chữ ký").click()
    _sign(page, "Đơn vị khối trưởng")
    _sign(page, "Thanh tra Chính phủ")
    page.get_by_role("button", name="Lưu chữ ký").click()
    expect(page.get_by_role("status")).to_contain_text("Giao ước đã được ký đủ")
    expect(page.get_by_text("Không còn thành viên nào chưa ký.")).to_be_visible()
    for name, position in SIGNATORIES.values():
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
        expect(page.get_by_role("cell", name=position, exact=True)).to_be_visible()

    # The printable pledge lists every signatory.
    with page.expect_download() as info:
        page.get_by_role("link", name="Bản in giao ước (PDF)").click()
    text = " ".join(pdf_text(Path(info.value.path()).read_bytes()).split())
    assert all(name in text for name, _position in SIGNATORIES.values())

    # The scan of the signed paper, a real PDF from disk.
    scan = tmp_path / "Giao ước 2024 - bản ký.pdf"
    scan.write_bytes(tiny_pdf())
    page.get_by_role("link", name="Bản ký và tài liệu kèm theo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tài liệu giao ước")
    expect(page.get_by_role("radio", name="Bản ký (scan)")).to_be_checked()
    page.get_by_label("Tệp (PDF, JPEG hoặc PNG)").set_input_files(str(scan))
    page.get_by_role("button", name="Tải lên").click()
    expect(page.get_by_role("status")).to_contain_text("Đã tải lên “Giao ước 2024 - bản ký.pdf”")
    scan_section = page.get_by_role("region", name="Bản ký hiện hành")
    expect(scan_section.get_by_role("link", name="Giao ước 2024 - bản ký.pdf")).to_be_visible()
    assert_no_axe_violations(page)

    # Back on the pledge: fully signed.
    page.get_by_role("link", name="Quay lại giao ước").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(pledge.title)
    expect(page.locator(".badge", has_text="Đã ký đủ")).to_be_visible()

    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    assert pledge.signatures.count() == 4
    document = PledgeDocument.objects.get(pledge=pledge)
    assert document.kind == DocumentKind.SIGNED_SCAN
    assert document.sha256 == hashlib.sha256(scan.read_bytes()).hexdigest()
    assert document.uploaded_by == secretary
