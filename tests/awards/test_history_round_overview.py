"""A round's overview: per award type registered → nominated → approved → awarded."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import NominationStatus, RegistrationStatus
from tests.factories import PersonFactory

from .history_setup import award_round, nomination, record, registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_x(org):
    return award_round(org.x, 2024)


@pytest.fixture
def filled(org, round_x):
    """X1 and X2 each register, nominate and get awards in the 2024 round of body X."""
    a, b = PersonFactory(unit=org.x1), PersonFactory(unit=org.x1a)
    c = PersonFactory(unit=org.x2)
    registration(org.x1, 2024, [(a, "CSTDCS"), (b, "CSTDCS"), (a, "LDTT")], collective="TTLDXS")
    registration(org.x2, 2024, [(c, "CSTDCS")])
    registration(org.x2, 2023, [(c, "CSTDCS")])  # another year
    registration(org.x1a, 2024, [(b, "LDTT")], status=RegistrationStatus.DRAFT)  # not sent
    n1 = nomination(round_x, "CSTDCS", person=a, status=NominationStatus.DECIDED)
    nomination(round_x, "CSTDCS", person=b, status=NominationStatus.APPROVED)
    nomination(round_x, "CSTDCS", person=c, status=NominationStatus.REJECTED)
    nomination(round_x, "LDTT", person=a, status=NominationStatus.DRAFT)  # not sent
    n5 = nomination(round_x, "CSTDCS", person=c, status=NominationStatus.DECIDED)
    record("CSTDCS", 2024, person=a, nomination=n1)
    record("CSTDCS", 2024, person=c, nomination=n5, revoked_on=datetime.date(2025, 1, 5))
    return round_x


def _rows(response):
    return {
        r.code: (r.registered, r.nominated, r.approved, r.awarded) for r in response.context["rows"]
    }


def test_hr_sees_the_whole_bodys_funnel(client_for, hr, filled):
    response = client_for(hr).get(reverse("awards:round_overview", args=[filled.pk]))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows["CSTDCS"] == (3, 4, 3, 1)  # the revoked award is not counted
    assert rows["LDTT"] == (1, 0, 0, 0)
    assert rows["TTLDXS"] == (1, 0, 0, 0)
    total = response.context["total"]
    assert (total.registered, total.nominated, total.approved, total.awarded) == (5, 4, 3, 1)
    assert response.context["whole_body"] is True


def test_a_focal_point_sees_the_figures_of_their_unit(client_for, focal_x1, filled):
    response = client_for(focal_x1).get(reverse("awards:round_overview", args=[filled.pk]))
    assert response.status_code == 200
    rows = _rows(response)
    assert rows["CSTDCS"] == (2, 2, 2, 1)
    assert response.context["whole_body"] is False
    assert "Số liệu chỉ gồm các đơn vị trong phạm vi của bạn." in response.text


def test_another_bodys_focal_point_gets_404(client_for, focal_y, filled):
    url = reverse("awards:round_overview", args=[filled.pk])
    assert client_for(focal_y).get(url).status_code == 404
    assert client_for(focal_y).get(url, {"format": "xlsx"}).status_code == 404


def test_an_unknown_round_is_404(client_for, hr, org):
    assert client_for(hr).get(reverse("awards:round_overview", args=[999999])).status_code == 404


def test_an_empty_round_says_so(client_for, hr, round_x):
    response = client_for(hr).get(reverse("awards:round_overview", args=[round_x.pk]))
    assert "Chưa có đăng ký hoặc đề nghị nào trong đợt này." in response.text


def test_the_overview_exports_with_a_total_row(client_for, hr, filled):
    response = client_for(hr).get(
        reverse("awards:round_overview", args=[filled.pk]), {"format": "xlsx"}
    )
    assert response.status_code == 200
    assert 'filename="tong-hop-dot-khen-thuong-' in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[0] == (
        "Mã",
        "Danh hiệu, hình thức khen thưởng",
        "Đăng ký",
        "Đề nghị",
        "Hội đồng thông qua",
        "Đã khen thưởng",
    )
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["CSTDCS"][2:] == (3, 4, 3, 1)
    assert rows[-1][1:] == ("Tổng cộng", 5, 4, 3, 1)


def test_the_overview_reads_three_queries_of_figures(hr, filled, django_assert_num_queries):
    from awards.history_selectors import round_overview

    hr.refresh_from_db()
    round_overview(hr, filled)  # fills the user's grants cache
    with django_assert_num_queries(3):
        round_overview(hr, filled)


def test_a_type_with_only_drafts_is_not_listed(client_for, hr, org, round_x):
    nomination(round_x, "BK_BO", person=PersonFactory(unit=org.x1), status=NominationStatus.DRAFT)
    response = client_for(hr).get(reverse("awards:round_overview", args=[round_x.pk]))
    assert response.context["rows"] == []
