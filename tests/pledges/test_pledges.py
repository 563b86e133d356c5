"""Pledges: create, commitments (numbered, reordered), open for signing, access."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from campaigns.errors import DomainError
from pledges import services
from pledges.models import Commitment, Pledge, PledgeStatus
from tests.factories import CampaignFactory, SignatureFactory
from tests.versions import version_of

from .pledge_setup import CEREMONY, build, pledge_for

pytestmark = pytest.mark.django_db


def pledge_post(**overrides):
    data = {
        "title": "Giao ước thi đua năm 2024 của Khối A",
        "ceremony_date": "15/03/2024",
        "place": "Hà Nội",
        "campaigns": [],
    }
    data.update(overrides)
    return data


def commitments_post(rows, pledge=None):
    """rows: (id or None, text, order, delete); the pledge's version when given."""
    initial = sum(1 for r in rows if r[0])
    data = {"version": version_of(pledge)} if pledge is not None else {}
    data |= {
        "commitments-TOTAL_FORMS": str(len(rows)),
        "commitments-INITIAL_FORMS": str(initial),
        "commitments-MIN_NUM_FORMS": "0",
        "commitments-MAX_NUM_FORMS": "1000",
    }
    for index, (pk, text, order, delete) in enumerate(rows):
        if pk:
            data[f"commitments-{index}-id"] = str(pk)
        data[f"commitments-{index}-text"] = text
        data[f"commitments-{index}-ORDER"] = str(order) if order is not None else ""
        if delete:
            data[f"commitments-{index}-DELETE"] = "on"
    return data


# Creating and editing ------------------------------------------------------------------------


def test_a_secretariat_creates_a_pledge_serving_a_campaign(org, secretary, hr, client_for):
    setup = build(org)
    campaign = CampaignFactory(issuing_unit=org.x, name="Phong trào của X")
    # The secretary holds no unit role, so sees no campaign; HR of X sees X's campaigns.
    client = client_for(secretary)
    url = reverse("pledges:pledge_create", args=[setup.year_a.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert list(page.context["form"].fields["campaigns"].queryset) == []
    assert page.context["form"].initial["title"] == "Giao ước thi đua năm 2024 của Khối A"
    response = client.post(url, pledge_post(title="  Giao ước\t thi đua\x00 năm 2024  "))
    pledge = Pledge.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("pledges:commitments_edit", args=[pledge.pk])
    assert pledge.title == "Giao ước thi đua năm 2024"
    assert pledge.status == PledgeStatus.DRAFT
    assert pledge.created_by == secretary
    assert campaign.name not in page.text

    setup.year_a.leader = org.x  # HR of X manages the bloc while X leads it
    setup.year_a.save()
    response = client_for(hr).post(url, pledge_post(campaigns=[str(campaign.pk)]))
    assert response.status_code == 302
    assert list(Pledge.objects.latest("pk").campaigns.all()) == [campaign]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": " \x00\x07 "}, "title"),
        ({"title": "x" * 501}, "title"),
        ({"ceremony_date": "30/02/2024"}, "ceremony_date"),
        ({"ceremony_date": "không rõ"}, "ceremony_date"),
        ({"ceremony_date": "15/03/2022"}, "ceremony_date"),  # not 2023 or 2024
        ({"place": "p" * 301}, "place"),
        ({"campaigns": ["999999"]}, "campaigns"),
    ],
)
def test_bad_pledge_input_is_refused(org, secretary, client_for, overrides, field):
    setup = build(org)
    response = client_for(secretary).post(
        reverse("pledges:pledge_create", args=[setup.year_a.pk]), pledge_post(**overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Pledge.objects.exists()


def test_a_campaign_the_user_cannot_see_is_refused(org, hr, client_for):
    setup = build(org)
    setup.year_a.leader = org.x
    setup.year_a.save()
    hidden = CampaignFactory(issuing_unit=org.y)
    response = client_for(hr).post(
        reverse("pledges:pledge_create", args=[setup.year_a.pk]),
        pledge_post(campaigns=[str(hidden.pk)]),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["campaigns"]


def test_a_manager_edits_a_pledge_nobody_signed(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    url = reverse("pledges:pledge_edit", args=[pledge.pk])
    client = client_for(secretary)
    assert client.get(url).context["form"].initial["title"] == pledge.title
    response = client.post(
        url, pledge_post(title="Tên mới", place="Huế", version=version_of(pledge))
    )
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert (pledge.title, pledge.place) == ("Tên mới", "Huế")
    # An open pledge needs its ceremony date.
    response = client.post(url, pledge_post(ceremony_date="", version=version_of(pledge)))
    assert response.status_code == 200
    assert response.context["form"].errors["ceremony_date"]


def test_editing_a_signed_pledge_without_an_amendment_is_refused(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.SIGNED)
    client = client_for(secretary)
    for url, data in (
        (reverse("pledges:pledge_edit", args=[pledge.pk]), pledge_post(title="Sửa lén")),
        (
            reverse("pledges:commitments_edit", args=[pledge.pk]),
            commitments_post([(None, "Cam kết thêm", 3, False)], pledge),
        ),
    ):
        response = client.post(url, data)
        assert response.status_code == 302
        assert response.url == reverse("pledges:pledge_detail", args=[pledge.pk])
    pledge.refresh_from_db()
    assert pledge.title == "Giao ước thi đua năm 2024"
    assert pledge.commitments.count() == 2
    with pytest.raises(DomainError, match="lập sửa đổi"):
        services.pledge_update(
            pledge=pledge, by=secretary, title="Sửa lén", ceremony_date=CEREMONY, place=""
        )


def test_a_partly_signed_text_is_frozen_too(org, secretary):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    SignatureFactory(pledge=pledge, member=org.x)
    with pytest.raises(DomainError, match="Đã có thành viên ký"):
        services.pledge_update(
            pledge=pledge, by=secretary, title="Khác", ceremony_date=CEREMONY, place=""
        )


# Commitments ---------------------------------------------------------------------------------


def test_commitments_are_numbered_in_the_order_given(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT, commitments=0)
    url = reverse("pledges:commitments_edit", args=[pledge.pk])
    client = client_for(secretary)
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["formset"].forms) == 3  # an empty table opens with rows to fill
    response = client.post(
        url,
        commitments_post(
            [
                (None, "Thứ nhất", 1, False),
                (None, "Thứ hai\r\n  dòng hai  ", 2, False),
                (None, "", None, False),  # blank extra row: skipped
            ],
            pledge,
        ),
    )
    assert response.status_code == 302
    rows = list(pledge.commitments.order_by("number").values_list("number", "text"))
    assert rows == [(1, "Thứ nhất"), (2, "Thứ hai\ndòng hai")]

    first, second = pledge.commitments.order_by("number")
    response = client.post(
        url,
        commitments_post(
            [
                (first.pk, "Thứ nhất", 3, False),
                (second.pk, "Thứ hai\ndòng hai", 1, False),
                (None, "Mới ở giữa", 2, False),
            ],
            pledge,
        ),
    )
    assert response.status_code == 302
    assert list(pledge.commitments.order_by("number").values_list("text", flat=True)) == [
        "Thứ hai\ndòng hai",
        "Mới ở giữa",
        "Thứ nhất",
    ]
    middle = pledge.commitments.get(number=2)
    response = client.post(
        url,
        commitments_post(
            [
                (second.pk, "Thứ hai\ndòng hai", 1, False),
                (middle.pk, "Mới ở giữa", 2, True),
                (first.pk, "Thứ nhất", 3, False),
            ],
            pledge,
        ),
    )
    assert list(pledge.commitments.order_by("number").values_list("number", "text")) == [
        (1, "Thứ hai\ndòng hai"),
        (2, "Thứ nhất"),
    ]


@pytest.mark.parametrize(
    ("text", "order"),
    [(" \x00 ", 1), ("Hợp lệ", "một"), ("x" * 4001, 1), ("Hợp lệ", -3)],
)
def test_bad_commitment_rows_are_refused(org, secretary, client_for, text, order):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT, commitments=0)
    response = client_for(secretary).post(
        reverse("pledges:commitments_edit", args=[pledge.pk]),
        commitments_post([(None, text, order, False)], pledge),
    )
    assert response.status_code == 200
    assert response.context["formset"].forms[0].errors
    assert not Commitment.objects.exists()


def test_a_commitment_of_another_pledge_cannot_be_edited_through_this_one(
    org, secretary, client_for
):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT, commitments=1)
    other = pledge_for(setup.year_b, status=PledgeStatus.DRAFT, commitments=1)
    foreign = other.commitments.get()
    response = client_for(secretary).post(
        reverse("pledges:commitments_edit", args=[pledge.pk]),
        commitments_post([(foreign.pk, "Chiếm quyền", 1, False)], pledge),
    )
    assert response.status_code in (200, 302)
    foreign.refresh_from_db()
    assert (foreign.pledge_id, foreign.text) == (other.pk, "Cam kết số 1")


# Opening -------------------------------------------------------------------------------------


def test_opening_needs_commitments_and_a_date(org, secretary, client_for):
    setup = build(org)
    empty = pledge_for(setup.year_a, status=PledgeStatus.DRAFT, commitments=0)
    with pytest.raises(DomainError, match="ít nhất một nội dung"):
        services.pledge_open(pledge=empty, by=secretary)
    undated = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    undated.ceremony_date = None
    undated.save()
    with pytest.raises(DomainError, match="ngày lễ ký"):
        services.pledge_open(pledge=undated, by=secretary)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    response = client_for(secretary).post(reverse("pledges:pledge_open", args=[pledge.pk]))
    assert response.status_code == 302
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN
    assert pledge.history.first().history_change_reason == "pledges.pledge.opened"
    with pytest.raises(DomainError, match="dự thảo"):
        services.pledge_open(pledge=pledge, by=secretary)


def test_the_pledge_page_offers_what_the_state_allows(org, secretary, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    client = client_for(secretary)
    url = reverse("pledges:pledge_detail", args=[pledge.pk])
    page = client.get(url)
    assert page.context["can_edit"] and page.context["can_open"]
    assert not page.context["can_sign"] and not page.context["can_amend"]
    pledge.status = PledgeStatus.SIGNED
    pledge.save()
    SignatureFactory(pledge=pledge, member=org.x)
    page = client.get(url)
    assert not page.context["can_edit"] and page.context["can_amend"]
    assert "Lập sửa đổi" in page.text
    assert "Cam kết số 1" in page.text


# Access --------------------------------------------------------------------------------------


def _urls(pledge, bloc_year):
    return {
        "edit": reverse("pledges:pledge_edit", args=[pledge.pk]),
        "commitments": reverse("pledges:commitments_edit", args=[pledge.pk]),
        "open": reverse("pledges:pledge_open", args=[pledge.pk]),
        "signatures": reverse("pledges:signatures_record", args=[pledge.pk]),
        "amend": reverse("pledges:pledge_amend", args=[pledge.pk]),
        "create": reverse("pledges:pledge_create", args=[bloc_year.pk]),
    }


def test_a_secretariat_of_another_bloc_gets_404_on_every_pledge_page(org, secretary_b, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    client = client_for(secretary_b)
    urls = [
        reverse("pledges:pledge_detail", args=[pledge.pk]),
        reverse("pledges:amendment_detail", args=[pledge.pk, 1]),
        *_urls(pledge, setup.year_a).values(),
    ]
    for url in urls:
        assert client.get(url).status_code in (404, 405), url
        assert client.post(url, {"reason": "x"}).status_code == 404, url


def test_a_members_focal_point_reads_but_gets_403_on_changes(org, focal_y, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_b)
    SignatureFactory(pledge=pledge, member=setup.z)
    client = client_for(focal_y)
    page = client.get(reverse("pledges:pledge_detail", args=[pledge.pk]))
    assert page.status_code == 200
    assert not page.context["can_manage"]
    assert "Ghi nhận chữ ký" not in page.text
    for name, url in _urls(pledge, setup.year_b).items():
        if name != "open":
            assert client.get(url).status_code == 403, url
        assert client.post(url, {"reason": "x", "title": "y"}).status_code == 403, url
    pledge.refresh_from_db()
    assert pledge.status == PledgeStatus.OPEN and pledge.amendment_count == 0


def test_a_leader_of_a_member_body_reads_the_pledge(org, leader, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    client = client_for(leader)
    assert client.get(reverse("pledges:pledge_detail", args=[pledge.pk])).status_code == 200
    assert client.get(reverse("pledges:pledge_edit", args=[pledge.pk])).status_code == 403


def test_anonymous_users_are_sent_to_log_in(org, client):
    setup = build(org)
    pledge = pledge_for(setup.year_a)
    response = client.get(reverse("pledges:pledge_detail", args=[pledge.pk]))
    assert response.status_code == 302 and "login" in response.url


def test_the_ceremony_may_be_late_in_the_previous_year(org, secretary):
    setup = build(org)
    pledge = services.pledge_create(
        bloc_year=setup.year_a,
        by=secretary,
        title="Giao ước",
        ceremony_date=datetime.date(2023, 12, 20),
    )
    assert pledge.ceremony_date.year == 2023
