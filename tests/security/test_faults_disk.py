"""The disk for uploads is full: a clear message, no row, no half-written file.

A full disk does not refuse a write up front: the first bytes go in, then a write
fails with ENOSPC and a truncated file is left where it was being written. The
``disk_full`` fixture reproduces that below the storage: every write into a file
under MEDIA_ROOT stores at most ``room`` bytes, then raises OSError(ENOSPC),
whatever storage code does the writing. ``test_a_really_full_tmpfs…`` does the
same on a real 64 KiB tmpfs when the machine lets us mount one (root).

Checked on the three places that write files: a pledge's signed scan, a
nomination's dossier file, and a generated report (PDF and Word copy).
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from awards.models import DossierFile, DossierKind
from campaigns.models import CampaignStatus
from pledges.models import DocumentKind, PledgeDocument
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.awards.nomination_setup import draft, make_round, person_of
from tests.documents import tiny_pdf
from tests.factories import CampaignFactory, PhaseFactory
from tests.pledges.document_setup import make_pledge

pytestmark = pytest.mark.django_db


@pytest.fixture
def review_draft(org, hr) -> ReportDraft:
    """A phase review of a campaign of body X, ready to generate."""
    campaign = CampaignFactory(issuing_unit=org.x, status=CampaignStatus.LAUNCHED)
    phase = PhaseFactory(campaign=campaign, number=1, name="Giai đoạn 1")
    return ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=org.x,
        title="Báo cáo sơ kết giai đoạn 1",
        created_by=hr,
    )


STORE_FAILED = "Không lưu được tệp do lỗi hệ thống lưu trữ; chưa có gì được ghi."


def files_under(root: Path) -> list[Path]:
    """Every file left under ``root``, hidden temporary ones included."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


class Disk:
    """The full device: ``whole_files`` more files fit, then only ``room`` bytes in all."""

    def __init__(self) -> None:
        self.whole_files = 0
        self.room = 100

    def take(self, data) -> int:
        """How many of ``data``'s bytes fit; raises ENOSPC after storing those when not all do."""
        if len(data) <= self.room:
            self.room -= len(data)
            return len(data)
        fits, self.room = self.room, 0
        return fits


class _FullDiskFile:
    def __init__(self, real, disk: Disk, whole: bool) -> None:
        self._real = real
        self._disk = disk
        self._whole = whole

    def write(self, data) -> int:
        if self._whole:
            return self._real.write(data)
        fits = self._disk.take(data)
        if fits < len(data):
            self._real.write(data[:fits])  # what fits goes in, as on a real disk
            self._real.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return self._real.write(data)

    def __getattr__(self, name):
        return getattr(self._real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self._real.close()


@pytest.fixture
def disk_full(monkeypatch) -> Disk:
    """Files written under MEDIA_ROOT fill a device with little room left (see ``Disk``)."""
    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc/self/fd to tell which file a write goes to")
    disk = Disk()
    media = Path(settings.MEDIA_ROOT).resolve()
    real_fdopen = os.fdopen
    real_write = os.write

    def under_media(fd: int) -> bool:
        try:
            return Path(os.readlink(f"/proc/self/fd/{fd}")).is_relative_to(media)
        except OSError:
            return False

    def fdopen(fd, *args, **kwargs):
        real = real_fdopen(fd, *args, **kwargs)
        if not under_media(fd):
            return real
        whole = disk.whole_files > 0
        disk.whole_files -= 1
        return _FullDiskFile(real, disk, whole)

    def write(fd, data):  # the copy path of Django's file_move_safe writes with os.write
        if under_media(fd):
            fits = disk.take(data)
            if fits < len(data):
                real_write(fd, data[:fits])
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    monkeypatch.setattr(os, "fdopen", fdopen)
    monkeypatch.setattr(os, "write", write)
    return disk


def test_a_signed_scan_on_a_full_disk_is_refused_cleanly(client_for, secretary, org, disk_full):
    pledge = make_pledge(org)
    response = client_for(secretary).post(
        reverse("pledges:pledge_documents", args=[pledge.pk]),
        {
            "kind": DocumentKind.SIGNED_SCAN,
            "file": SimpleUploadedFile("ban-ky.pdf", tiny_pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 200  # the form again, not a 500
    assert STORE_FAILED in response.content.decode()
    assert not PledgeDocument.objects.exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []  # no truncated file left behind


def test_a_dossier_file_on_a_full_disk_is_refused_cleanly(client_for, focal_x1, org, disk_full):
    nomination = draft(focal_x1, make_round(org), person=person_of(org.x1))
    before = DossierFile.objects.count()
    response = client_for(focal_x1).post(
        reverse("awards:dossier_upload", args=[nomination.pk]),
        {
            "kind": DossierKind.SUBMISSION_LETTER,
            "file": SimpleUploadedFile("to-trinh.pdf", tiny_pdf(), "application/pdf"),
        },
    )
    assert response.status_code == 400  # the page again, with the form's error
    assert STORE_FAILED in response.content.decode()
    assert DossierFile.objects.count() == before
    assert not nomination.events.filter(action="file_added").exists()
    assert files_under(Path(settings.MEDIA_ROOT)) == []


@pytest.mark.parametrize("whole_files", [0, 1], ids=["in-the-pdf", "in-the-word-copy"])
def test_a_report_on_a_full_disk_fails_with_a_message_and_no_file(
    client_for, leader, review_draft, disk_full, whole_files, django_capture_on_commit_callbacks
):
    # whole_files=1: the PDF fits, the disk fills during the Word copy; the PDF must go too.
    disk_full.whole_files = whole_files
    client = client_for(leader)
    with django_capture_on_commit_callbacks(execute=True):  # the request enqueues after commit
        response = client.post(reverse("reports:version_request", args=[review_draft.pk]))
    assert response.status_code == 302
    version = ReportVersion.objects.get()
    assert version.status == ReportStatus.FAILED
    assert "lưu trữ" in version.error and "Tạo lại" in version.error
    assert not version.pdf and not version.docx
    assert not version.pdf_sha256 and not version.docx_sha256
    page = client.get(reverse("reports:version_status", args=[version.pk]))
    assert page.status_code == 200
    assert "lưu trữ" in page.content.decode()
    assert files_under(Path(settings.MEDIA_ROOT)) == []


# A real full file system -------------------------------------------------------------------------


@pytest.fixture
def tiny_tmpfs(settings):
    """MEDIA_ROOT on a fresh 64 KiB tmpfs, unmounted afterwards; skips when we may not mount."""
    mount_point = Path(f"/tmp/thidua-full-{uuid.uuid4().hex[:8]}")  # noqa: S108
    mount_point.mkdir()
    try:
        mounted = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
            capture_output=True,
            timeout=10,
        )
    except FileNotFoundError:
        mount_point.rmdir()
        pytest.skip("no mount command")
    if mounted.returncode != 0:
        mount_point.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        settings.MEDIA_ROOT = mount_point
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], timeout=10, check=False)
        mount_point.rmdir()


def test_a_really_full_tmpfs_refuses_the_upload_and_keeps_nothing(
    client_for, secretary, org, tiny_tmpfs
):
    pledge = make_pledge(org)
    url = reverse("pledges:pledge_documents", args=[pledge.pk])
    client = client_for(secretary)
    small = client.post(
        url,
        {
            "kind": DocumentKind.SIGNED_SCAN,
            "file": SimpleUploadedFile("nho.pdf", tiny_pdf(), "application/pdf"),
        },
    )
    assert small.status_code == 302  # there is room for a small file
    kept = files_under(tiny_tmpfs)
    assert len(kept) == 1
    # A whole, valid PNG larger than all the room there is (noise does not compress).
    noise = Image.frombytes("RGB", (160, 160), os.urandom(160 * 160 * 3))
    buffer = io.BytesIO()
    noise.save(buffer, "PNG")
    assert buffer.tell() > 64 * 1024
    response = client.post(
        url,
        {
            "kind": DocumentKind.SIGNED_SCAN,
            "file": SimpleUploadedFile("lon.png", buffer.getvalue(), "image/png"),
        },
    )
    assert response.status_code == 200
    assert STORE_FAILED in response.content.decode(), response.context["form"].errors
    assert PledgeDocument.objects.count() == 1
    assert files_under(tiny_tmpfs) == kept  # the first file intact, nothing half-written beside it
