"""Decision and revocation pages: HR of the body drafts, issues and revokes (403 for the
others who read), someone of another body gets 404, bad input is explained next to the
field, and a revoked award stays on the decision page, marked revoked."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards import decision_services as services
from awards.models import AwardDecision, AwardRecord, DecisionStatus, NominationStatus
from tests.awards.factories import NominationFactory
from tests.versions import version_of

from .council_setup import approved, draft, round_of

pytestmark = pytest.mark.django_db


def detail(decision) -> str:
    return reverse("awards:decision_detail", args=[decision.pk])


@pytest.fixture
def drafted(org, hr):
    return draft(org.x, hr, approved(org.x, hr, count=2))


@pytest.fixture
def issued(drafted, hr):
    services.decision_issue(decision=drafted, by=hr)
    drafted.refresh_from_db()
    return drafted


# Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hr", "leader"])
def test_hr_and_leaders_read_decisions(drafted, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    page = client.get(detail(drafted))
    assert page.status_code == 200
    assert drafted.number in page.content.decode()
    assert drafted.number in client.get(reverse("awards:decision_list")).content.decode()


@pytest.mark.parametrize("persona", ["focal_y", "hr_y", "focal_x1"])
def test_others_get_404(drafted, persona, request, client_for):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail(drafted)).status_code == 404
    assert client.get(reverse("awards:decision_edit", args=[drafted.pk])).status_code == 404
    assert client.post(reverse("awards:decision_issue", args=[drafted.pk])).status_code == 404
    assert drafted.number not in client.get(reverse("awards:decision_list")).content.decode()


def test_leaders_read_but_do_not_manage(drafted, leader, client_for):
    client = client_for(leader)
    html = client.get(detail(drafted)).content.decode()
    assert reverse("awards:decision_issue", args=[drafted.pk]) not in html
    assert client.get(reverse("awards:decision_create")).status_code == 403
    assert client.get(reverse("awards:decision_edit", args=[drafted.pk])).status_code == 403
    assert client.post(reverse("awards:decision_issue", args=[drafted.pk])).status_code == 403
    drafted.refresh_from_db()
    assert drafted.status == DecisionStatus.DRAFT


# Drafting ------------------------------------------------------------------------------------


def test_hr_drafts_a_decision_on_the_page(org, hr, client_for):
    nominations = approved(org.x, hr, count=2)
    rejected = NominationFactory(round=round_of(org.x), status=NominationStatus.REJECTED)
    client = client_for(hr)
    page = client.get(reverse("awards:decision_create"))
    assert page.status_code == 200
    choices = {n.pk for n in page.context["form"].fields["nominations"].queryset}
    assert choices == {n.pk for n in nominations}
    assert rejected.person.full_name not in page.content.decode()
    response = client.post(
        reverse("awards:decision_create"),
        {
            "body": org.x.pk,
            "number": " 125/QĐ-X ",
            "signed_on": "2025-12-20",
            "signer_name": "Phạm Văn Ký",
            "signer_position": "Thủ trưởng cơ quan",
            "nominations": [n.pk for n in nominations],
        },
    )
    decision = AwardDecision.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(decision)
    assert decision.number == "125/QĐ-X"
    assert decision.nominations.count() == 2


def _payload(org, chosen, **overrides):
    return {
        "body": org.x.pk,
        "number": "125/QĐ-X",
        "signed_on": "2025-12-20",
        "signer_name": "Phạm Văn Ký",
        "signer_position": "Thủ trưởng cơ quan",
        "nominations": [n.pk for n in chosen],
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"number": "  "}, "number", "Hãy nhập số quyết định"),
        ({"signed_on": "2025-13-40"}, "signed_on", "Ngày ký không hợp lệ"),
        ({"signed_on": "1800-01-01"}, "signed_on", "Ngày không hợp lệ"),
        ({"signer_name": ""}, "signer_name", "Hãy nhập họ tên người ký"),
        ({"signer_position": ""}, "signer_position", "Hãy nhập chức vụ người ký"),
        ({"nominations": []}, "nominations", "ít nhất một đề nghị"),
        ({"nominations": ["x"]}, "nominations", "Đề nghị đã chọn không hợp lệ"),
        ({"round": "999999"}, "round", "Đợt khen thưởng đã chọn không hợp lệ"),
    ],
)
def test_bad_input_on_the_decision_form_is_explained(
    org, hr, client_for, overrides, field, message
):
    nominations = approved(org.x, hr, count=1)
    response = client_for(hr).post(
        reverse("awards:decision_create"), _payload(org, nominations, **overrides)
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not AwardDecision.objects.exists()


def test_a_non_approved_nomination_posted_anyway_is_refused(org, hr, client_for):
    good = approved(org.x, hr, count=1)
    accepted_only = NominationFactory(round=round_of(org.x), status=NominationStatus.ACCEPTED)
    response = client_for(hr).post(
        reverse("awards:decision_create"), _payload(org, [*good, accepted_only])
    )
    assert response.status_code == 400
    assert "không còn ở trạng thái được Hội đồng thông qua" in response.content.decode()
    assert not AwardDecision.objects.exists()


def test_a_duplicate_number_is_explained(org, hr, drafted, client_for):
    more = approved(org.x, hr, count=1)
    response = client_for(hr).post(
        reverse("awards:decision_create"), _payload(org, more, number=drafted.number)
    )
    assert response.status_code == 400
    assert f"đã có quyết định số {drafted.number}" in response.content.decode()


def test_hr_edits_a_draft(org, hr, drafted, client_for):
    url = reverse("awards:decision_edit", args=[drafted.pk])
    client = client_for(hr)
    page = client.get(url)
    assert page.status_code == 200
    assert set(page.context["form"].initial["nominations"]) == set(
        drafted.nominations.values_list("pk", flat=True)
    )
    keep = drafted.nominations.first()
    version = {"version": version_of(drafted)}
    response = client.post(url, {**_payload(org, [keep], number="130/QĐ-X"), **version})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.number == "130/QĐ-X" and list(drafted.nominations.all()) == [keep]
    bad = client.post(
        url, {"number": "", "signed_on": "", "nominations": [], "version": version_of(drafted)}
    )
    assert bad.status_code == 400
    assert {"number", "signed_on", "nominations"} <= set(bad.context["form"].errors)


# Issuing -------------------------------------------------------------------------------------


def test_hr_issues_the_decision(drafted, hr, client_for):
    response = client_for(hr).post(reverse("awards:decision_issue", args=[drafted.pk]), follow=True)
    html = response.content.decode()
    assert "Đã ban hành quyết định số" in html and "2 khen thưởng được ghi nhận" in html
    assert html.count("Đã khen thưởng") == 2
    assert AwardRecord.objects.filter(decision=drafted).count() == 2
    drafted.refresh_from_db()
    assert drafted.status == DecisionStatus.ISSUED


def test_an_issued_decision_is_not_edited_or_issued_again(issued, hr, client_for):
    client = client_for(hr)
    edit = client.get(reverse("awards:decision_edit", args=[issued.pk]), follow=True)
    assert "Quyết định đã ban hành; không thể sửa." in edit.content.decode()
    again = client.post(reverse("awards:decision_issue", args=[issued.pk]), follow=True)
    assert "đã ban hành; không thể thay đổi" in again.content.decode()
    assert AwardRecord.objects.count() == 2


# Revocation ----------------------------------------------------------------------------------


def revoke_url(record) -> str:
    return reverse("awards:award_revoke", args=[record.pk])


def test_hr_revokes_and_the_record_stays_visible_marked_revoked(issued, hr, leader, client_for):
    record = AwardRecord.objects.filter(decision=issued).first()
    client = client_for(hr)
    assert client.get(revoke_url(record)).status_code == 200
    response = client.post(
        revoke_url(record),
        {
            "revocation_decision": "Quyết định số 45/QĐ-X ngày 02/03/2026",
            "revoked_on": "2026-03-02",
            "reason": "Kê khai thành tích không trung thực.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == detail(issued)
    html = response.content.decode()
    assert "Đã ghi nhận việc thu hồi khen thưởng." in html
    assert "Đã thu hồi" in html and "Kê khai thành tích không trung thực." in html
    assert "Quyết định số 45/QĐ-X ngày 02/03/2026" in html
    assert record.nomination.person.full_name in html  # still listed
    record.refresh_from_db()
    assert record.is_revoked
    # Leaders read the same page with the revoked award on it.
    assert "Đã thu hồi" in client_for(leader).get(detail(issued)).content.decode()
    # The revocation page now shows the revocation instead of a form.
    page = client_for(hr).get(revoke_url(record)).content.decode()
    assert "Khen thưởng này đã bị thu hồi." in page and 'name="reason"' not in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"revocation_decision": ""}, "revocation_decision", "Hãy ghi quyết định thu hồi"),
        ({"reason": "   "}, "reason", "Hãy ghi lý do thu hồi"),
        ({"revoked_on": "02/30/2026"}, "revoked_on", "Ngày thu hồi không hợp lệ"),
        ({"revoked_on": ""}, "revoked_on", "Hãy nhập ngày thu hồi"),
        ({"revoked_on": "tomorrow"}, "revoked_on", "Ngày thu hồi không được sau ngày hôm nay"),
        ({"revoked_on": "2024-01-01"}, None, "trước ngày quyết định khen thưởng"),
    ],
)
def test_bad_input_on_the_revocation_form_is_explained(
    issued, hr, client_for, data, field, message
):
    record = AwardRecord.objects.filter(decision=issued).first()
    if data.get("revoked_on") == "tomorrow":
        data = {"revoked_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()}
    payload = {
        "revocation_decision": "Quyết định số 45/QĐ-X",
        "revoked_on": "2026-03-02",
        "reason": "Lý do.",
        **data,
    }
    response = client_for(hr).post(revoke_url(record), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    if field:
        assert field in response.context["form"].errors
    record.refresh_from_db()
    assert not record.is_revoked


def test_revoking_twice_is_refused(issued, hr, client_for):
    record = AwardRecord.objects.filter(decision=issued).first()
    services.award_revoke(
        record=record,
        by=hr,
        revocation_decision="QĐ 1",
        reason="Lý do.",
        revoked_on=datetime.date(2026, 1, 5),
    )
    response = client_for(hr).post(
        revoke_url(record),
        {"revocation_decision": "QĐ 2", "revoked_on": "2026-02-01", "reason": "Khác."},
        follow=True,
    )
    assert "Khen thưởng này đã bị thu hồi." in response.content.decode()
    record.refresh_from_db()
    assert record.revocation_decision == "QĐ 1"


@pytest.mark.parametrize(("persona", "status"), [("leader", 403), ("focal_y", 404), ("hr_y", 404)])
def test_only_hr_of_the_body_revokes(issued, persona, status, request, client_for):
    record = AwardRecord.objects.filter(decision=issued).first()
    client = client_for(request.getfixturevalue(persona))
    assert client.get(revoke_url(record)).status_code == status
    data = {"revocation_decision": "QĐ", "revoked_on": "2026-01-05", "reason": "Lý do."}
    assert client.post(revoke_url(record), data).status_code == status
    record.refresh_from_db()
    assert not record.is_revoked


# Query counts --------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_decision_page_reads_a_fixed_number_of_queries(org, hr, client_for):
    small = draft(org.x, hr, approved(org.x, hr, count=1), number="1/QĐ")
    big = draft(org.x, hr, approved(org.x, hr, count=6), number="2/QĐ")
    services.decision_issue(decision=small, by=hr)
    services.decision_issue(decision=big, by=hr)
    client = client_for(hr)
    client.get(detail(small))
    assert _queries(client, detail(small)) == _queries(client, detail(big))
    list_url = reverse("awards:decision_list")
    assert _queries(client, list_url) <= 12
