"""Signing a pledge: who may sign, once each, fully signed after the last member."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse

from campaigns.errors import DomainError
from pledges import pledge_selectors, services
from pledges.models import Pledge, PledgeStatus, Signature
from tests.factories import BlocMembershipFactory, SignatureFactory, UnitFactory

from .pledge_setup import CEREMONY, build, pledge_for

pytestmark = pytest.mark.django_db


def sign(pledge, member, by, **overrides):
    fields = {
        "signatory_name": "Nguyễn Văn Ký",
        "signatory_position": "Thứ trưởng",
        "signed_on": CEREMONY,
    }
    fields.update(overrides)
    return services.pledge_sign(pledge=pledge, member=member, by=by, **fields)


def test_it_rejects_signature_from_non_member(org, secretary):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    with pytest.raises(DomainError, match="không phải là thành viên"):
        sign(pledge, org.y, secretary)  # Y belongs to bloc B
    assert not Signature.objects.exists()


def test_it_rejects_a_unit_that_joined_after_the_year(org, secretary):
    setup = build(org)
    late = UnitFactory(name="Cơ quan Mới")
    BlocMembershipFactory(bloc=org.bloc_a, unit=late, joined_on=datetime.date(2025, 1, 1))
    pledge = pledge_for(setup.year_a)
    with pytest.raises(DomainError, match="không phải là thành viên"):
        sign(pledge, late, secretary)


def test_it_rejects_a_second_signature_by_the_same_member(org, secretary):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    sign(pledge, org.x, secretary)
    with pytest.raises(DomainError, match="đã ký giao ước này"):
        sign(pledge, org.x, secretary, signatory_name="Người khác")
    assert Signature.objects.filter(pledge=pledge, member=org.x).count() == 1
    assert Signature.objects.get(member=org.x).signatory_name == "Nguyễn Văn Ký"


def test_it_is_fully_signed_after_the_last_member(org, secretary):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    sign(pledge, org.x, secretary)
    sign(pledge, setup.p, secretary)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN and pledge.signed_at is None
    signature = sign(pledge, setup.q, secretary)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    assert pledge.signed_at is not None
    assert signature.recorded_by == secretary
    with pytest.raises(DomainError, match="đã được ký đủ"):
        sign(pledge, org.x, secretary)


def test_a_member_that_left_before_the_ceremony_is_not_waited_for(org, secretary):
    setup = build(org)
    gone = UnitFactory(name="Cơ quan Đã rời")
    BlocMembershipFactory(
        bloc=org.bloc_a, unit=gone, left_on=CEREMONY - datetime.timedelta(days=10)
    )
    pledge = pledge_for(setup.year_a)
    assert gone not in pledge_selectors.required_signers(pledge)
    for member in (org.x, setup.p, setup.q):
        sign(pledge, member, secretary)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED


def test_the_not_yet_signed_list(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    sign(pledge, setup.p, secretary)
    assert list(pledge_selectors.unsigned_members(pledge)) == [setup.q, org.x]
    response = client_for(secretary).get(reverse("pledges:pledge_detail", args=[pledge.pk]))
    assert response.status_code == 200
    assert [u.name for u in response.context["unsigned"]] == ["Cơ quan Q", "Cơ quan X"]
    unsigned_block = response.text.split('id="unsigned-members"')[1].split("</ul>")[0]
    assert "Cơ quan X" in unsigned_block and "Cơ quan P" not in unsigned_block


def test_it_refuses_signing_a_draft(org, secretary):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    with pytest.raises(DomainError, match="dự thảo"):
        sign(pledge, org.x, secretary)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"signed_on": datetime.date(2021, 5, 1)}, "signed_on"),
        ({"signed_on": datetime.date.today() + datetime.timedelta(days=400)}, "signed_on"),
        ({"signatory_name": " \x00\t "}, "signatory_name"),
        ({"signatory_position": ""}, "signatory_position"),
    ],
)
def test_it_refuses_bad_signature_data(org, secretary, overrides, field):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    with pytest.raises(services.FieldErrors) as error:
        sign(pledge, org.x, secretary, **overrides)
    assert field in error.value.errors
    assert not Signature.objects.exists()


# The signing sheet --------------------------------------------------------------------------


def row(unit, name="", position="", day=""):
    return {
        f"m{unit.pk}-signatory_name": name,
        f"m{unit.pk}-signatory_position": position,
        f"m{unit.pk}-signed_on": day,
    }


def test_the_sheet_records_filled_rows_and_skips_blank_ones(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    url = reverse("pledges:signatures_record", args=[pledge.pk])
    client = client_for(secretary)
    page = client.get(url)
    assert page.status_code == 200
    assert f'for="id_m{org.x.pk}-signatory_name"' in page.text
    data = {
        **row(org.x, "Trần Văn\x07 An", "Thứ trưởng", "15/03/2024"),
        **row(setup.p, "Lê Thị Bình", "Phó Chủ nhiệm", "2024-03-15"),
        **row(setup.q, "", "", CEREMONY.isoformat()),  # untouched: date is the default
    }
    response = client.post(url, data)
    assert response.status_code == 302
    names = dict(Signature.objects.values_list("member__code", "signatory_name"))
    assert names == {"X": "Trần Văn An", "P": "Lê Thị Bình"}
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN

    response = client.post(url, row(setup.q, "Phạm Văn Cường", "Phó Tổng", "15/03/2024"))
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED


@pytest.mark.parametrize(
    ("data_for_x", "field"),
    [
        (("Trần Văn An", "", "15/03/2024"), "signatory_position"),
        (("Trần Văn An", "Thứ trưởng", "31/02/2024"), "signed_on"),
        (("Trần Văn An", "Thứ trưởng", "15/03/2019"), "signed_on"),
        (("\x00\x01", "Thứ trưởng", "15/03/2024"), "signatory_name"),
    ],
)
def test_a_bad_row_saves_nothing(org, secretary, client_for, data_for_x, field):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    data = {
        **row(org.x, *data_for_x),
        **row(setup.p, "Lê Thị Bình", "Phó Chủ nhiệm", "15/03/2024"),
    }
    response = client_for(secretary).post(
        reverse("pledges:signatures_record", args=[pledge.pk]), data
    )
    assert response.status_code == 200
    form = next(f for unit, _req, f in response.context["rows"] if unit == org.x)
    assert form.errors[field]
    assert f'id="id_m{org.x.pk}-{field}_error"' in response.text
    assert not Signature.objects.exists()


def test_a_member_of_another_bloc_has_no_row_and_is_ignored(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    response = client_for(secretary).post(
        reverse("pledges:signatures_record", args=[pledge.pk]),
        row(org.y, "Kẻ Lạ", "Chức vụ", "15/03/2024"),
    )
    assert response.status_code == 200
    assert not Signature.objects.exists()


# Amendments ----------------------------------------------------------------------------------


def _fully_signed(org, setup, secretary):
    pledge = pledge_for(setup.year_a)
    for member, name in ((org.x, "An"), (setup.p, "Bình"), (setup.q, "Cường")):
        sign(pledge, member, secretary, signatory_name=f"Nguyễn Văn {name}")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    return pledge


def test_an_amendment_keeps_the_signed_version(org, secretary):
    setup = build(org)
    pledge = _fully_signed(org, setup, secretary)
    signed_at = pledge.signed_at
    amendment = services.pledge_amend(
        pledge=pledge, by=secretary, reason="Bổ sung nội dung chuyển đổi số theo chỉ đạo mới."
    )
    assert amendment.number == 1
    assert amendment.amended_by == secretary
    assert amendment.reason == "Bổ sung nội dung chuyển đổi số theo chỉ đạo mới."
    assert amendment.amended_at is not None
    snapshot = amendment.snapshot
    assert snapshot["title"] == "Giao ước thi đua năm 2024"
    assert snapshot["ceremony_date"] == "2024-03-15"
    assert snapshot["place"] == "Hà Nội"
    assert snapshot["status"] == PledgeStatus.SIGNED
    assert snapshot["signed_at"] == signed_at.isoformat()
    assert snapshot["commitments"] == [
        {"number": 1, "text": "Cam kết số 1"},
        {"number": 2, "text": "Cam kết số 2"},
    ]
    assert [
        (s["member"], s["signatory_name"], s["signatory_position"], s["signed_on"])
        for s in snapshot["signatures"]
    ] == [
        ("Cơ quan P", "Nguyễn Văn Bình", "Thứ trưởng", "2024-03-15"),
        ("Cơ quan Q", "Nguyễn Văn Cường", "Thứ trưởng", "2024-03-15"),
        ("Cơ quan X", "Nguyễn Văn An", "Thứ trưởng", "2024-03-15"),
    ]
    pledge.refresh_from_db()
    assert pledge.amendment_count == 1
    assert pledge.status == PledgeStatus.DRAFT
    assert pledge.signed_at is None
    assert not pledge.signatures.exists()
    # The withdrawn signatures are still in the history table.
    assert Signature.history.filter(history_type="-").count() == 3


def test_after_an_amendment_the_text_is_edited_and_signed_again(org, secretary):
    setup = build(org)
    pledge = _fully_signed(org, setup, secretary)
    services.pledge_amend(pledge=pledge, by=secretary, reason="Đổi địa điểm lễ ký.")
    pledge.refresh_from_db()
    services.pledge_update(
        pledge=pledge,
        by=secretary,
        expected_version=pledge.version,
        title="Giao ước thi đua năm 2024 (sửa đổi)",
        ceremony_date=CEREMONY,
        place="Đà Nẵng",
    )
    services.pledge_open(pledge=pledge, by=secretary)
    for member in (org.x, setup.p, setup.q):
        sign(pledge, member, secretary)
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED
    assert pledge.place == "Đà Nẵng"
    second = services.pledge_amend(pledge=pledge, by=secretary, reason="Lần hai.")
    assert second.number == 2
    assert second.snapshot["place"] == "Đà Nẵng"
    assert pledge.amendments.get(number=1).snapshot["place"] == "Hà Nội"


def test_an_amendment_needs_a_reason_and_signatures(org, secretary):
    setup = build(org)
    draft = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    with pytest.raises(DomainError, match="chưa có chữ ký"):
        services.pledge_amend(pledge=draft, by=secretary, reason="Lý do")
    pledge = _fully_signed(org, setup, secretary)
    with pytest.raises(services.FieldErrors):
        services.pledge_amend(pledge=pledge, by=secretary, reason=" \x00 ")
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.SIGNED and pledge.amendment_count == 0


def test_the_amendment_page(org, secretary, client_for):
    setup = build(org)
    pledge = _fully_signed(org, setup, secretary)
    client = client_for(secretary)
    url = reverse("pledges:pledge_amend", args=[pledge.pk])
    assert client.get(url).status_code == 200
    empty = client.post(url, {"reason": "   "})
    assert empty.status_code == 200 and empty.context["form"].errors["reason"]
    response = client.post(url, {"reason": "Sửa lỗi\x07 chính tả\r\nở nội dung 2."})
    assert response.status_code == 302
    amendment = pledge.amendments.get()
    assert amendment.reason == "Sửa lỗi chính tả\nở nội dung 2."
    page = client.get(reverse("pledges:pledge_detail", args=[pledge.pk]))
    assert "Sửa lỗi" in page.text
    old = client.get(reverse("pledges:amendment_detail", args=[pledge.pk, 1]))
    assert old.status_code == 200
    assert "Nguyễn Văn An" in old.text and "15/03/2024" in old.text


# Concurrency ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_people_signing_for_the_same_member_at_once_leave_one_signature(org, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (SELECT … FOR UPDATE); run with DATABASE_URL")
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt(name: str) -> None:
        from django.db import connections

        try:
            barrier.wait()
            sign(Pledge.objects.get(pk=pledge.pk), org.x, secretary, signatory_name=name)
            outcomes.append("signed")
        except DomainError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in ("Người A", "Người B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["refused", "signed"]
    assert Signature.objects.filter(pledge=pledge, member=org.x).count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_last_two_members_signing_at_once_complete_the_pledge(org, secretary):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks (SELECT … FOR UPDATE); run with DATABASE_URL")
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    sign(pledge, org.x, secretary)
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def attempt(member) -> None:
        from django.db import connections

        try:
            barrier.wait()
            sign(Pledge.objects.get(pk=pledge.pk), member, secretary)
        except Exception as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(m,)) for m in (setup.p, setup.q)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    pledge.refresh_from_db()
    assert pledge.signatures.count() == 3
    assert pledge.status == PledgeStatus.SIGNED


def test_the_database_refuses_a_duplicate_even_past_the_check(org, secretary, monkeypatch):
    """If the existence check were bypassed, the constraint still turns it into a refusal."""
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    SignatureFactory(pledge=pledge, member=org.x)
    monkeypatch.setattr(services, "_already_signed", lambda pledge, member: False)
    with pytest.raises(DomainError, match="đã ký giao ước này"):
        sign(pledge, org.x, secretary)
    assert Signature.objects.filter(pledge=pledge, member=org.x).count() == 1
