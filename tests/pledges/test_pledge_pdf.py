import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pledges import documents
from tests.documents import pdf_fonts, pdf_text
from tests.pledges.document_setup import add_member, focal_point_of, make_pledge, sign

pytestmark = pytest.mark.django_db


@pytest.fixture
def focal_x(org):
    """A focal point of body X, a member of bloc A (but not the year's leader)."""
    return focal_point_of(org.x, "focal_x")


def flat(text: str) -> str:
    """Table cells wrap long names over lines: compare with whitespace collapsed."""
    return " ".join(text.split())


@pytest.fixture
def signed_pledge(org):
    pledge = make_pledge(org)
    court = add_member(org, "Tòa án nhân dân tối cao", "TANDTC")
    audit = add_member(org, "Kiểm toán nhà nước", "KTNN")
    add_member(org, "Thanh tra Chính phủ", "TTCP")  # has not signed yet
    sign(pledge, org.x, "Nguyễn Văn Hùng", "Thứ trưởng")
    sign(pledge, court, "Trần Thị Thu Hương", "Phó Chánh án")
    sign(pledge, audit, "Lê Đức Thắng", "Phó Tổng Kiểm toán", day=6)
    return pledge


def test_the_pdf_has_the_title_commitments_and_every_signatory(signed_pledge):
    pdf = documents.pledge_pdf(signed_pledge)
    text = flat(pdf_text(pdf))
    assert "GIAO ƯỚC THI ĐUA NĂM 2024" in text
    assert signed_pledge.title in text
    assert "Hà Nội, ngày 05 tháng 03 năm 2024" in text
    assert "1. Thực hiện tốt nhiệm vụ chính trị được giao." in text
    assert "2. Đẩy mạnh cải cách hành chính, chuyển đổi số." in text
    for name, position in [
        ("Nguyễn Văn Hùng", "Thứ trưởng"),
        ("Trần Thị Thu Hương", "Phó Chánh án"),
        ("Lê Đức Thắng", "Phó Tổng Kiểm toán"),
    ]:
        assert name in text
        assert position in text
    assert "06/03/2024" in text
    # A member that has not signed is listed, with blank cells, for the ceremony.
    assert "Thanh tra Chính phủ" in text
    assert "KHỐI A" in text  # the bloc is the issuer, in upper case


def test_the_pdf_uses_only_the_shipped_font(signed_pledge):
    fonts = pdf_fonts(documents.pledge_pdf(signed_pledge))
    assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts


def test_members_who_have_not_signed_get_blank_rows(signed_pledge):
    rows = documents.signatory_rows(signed_pledge)
    by_name = {row.member.name: row.signature for row in rows}
    assert by_name["Thanh tra Chính phủ"] is None
    assert by_name["Cơ quan X"].signatory_name == "Nguyễn Văn Hùng"
    # Every member of the year, in Vietnamese alphabetical order (Đ among the D's).
    assert [row.member.name for row in rows] == [
        "Cơ quan X",
        "Đơn vị khối trưởng",
        "Kiểm toán nhà nước",
        "Thanh tra Chính phủ",
        "Tòa án nhân dân tối cao",
    ]


def test_a_title_with_markup_is_printed_as_text(org):
    title = "Giao ước <script>alert(1)</script> <b>đậm</b>"
    pledge = make_pledge(org, title=title)
    with translation.override("vi"):
        html = render_to_string("pledges/pledge_print.html", documents.pledge_print_context(pledge))
    assert "<script>alert(1)</script>" not in html
    assert "<b>đậm</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = flat(pdf_text(documents.pledge_pdf(pledge)))
    assert "<script>alert(1)</script> <b>đậm</b>" in text


def test_an_undated_pledge_leaves_the_date_to_be_written_in(org):
    pledge = make_pledge(org, ceremony_date=None, place="")
    text = flat(pdf_text(documents.pledge_pdf(pledge)))
    assert "ngày …… tháng …… năm 2024" in text


def test_the_pdf_is_vietnamese_whatever_the_screen_language(signed_pledge):
    with translation.override("en"):
        text = flat(pdf_text(documents.pledge_pdf(signed_pledge)))
    assert "GIAO ƯỚC THI ĐUA NĂM 2024" in text


def test_a_member_focal_point_downloads_the_pdf(client_for, focal_x, signed_pledge):
    response = client_for(focal_x).get(reverse("pledges:pledge_pdf", args=[signed_pledge.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="giao-uoc-thi-dua-2024-'
    )
    content = response.content
    assert content.startswith(b"%PDF-")
    assert "Trần Thị Thu Hương" in flat(pdf_text(content))


def test_a_secretariat_of_another_bloc_gets_404_for_the_pdf(client_for, secretary_b, signed_pledge):
    response = client_for(secretary_b).get(reverse("pledges:pledge_pdf", args=[signed_pledge.pk]))
    assert response.status_code == 404


def test_a_focal_point_of_an_unrelated_body_gets_404(client_for, focal_y, signed_pledge):
    response = client_for(focal_y).get(reverse("pledges:pledge_pdf", args=[signed_pledge.pk]))
    assert response.status_code == 404


def test_a_signature_dated_in_the_pdf_is_zero_padded(org):
    pledge = make_pledge(org, ceremony_date=datetime.date(2024, 1, 9))
    sign(pledge, org.x, "Phạm Minh Chính", "Bộ trưởng", day=1)
    text = flat(pdf_text(documents.pledge_pdf(pledge)))
    assert "ngày 09 tháng 01 năm 2024" in text
    assert "01/03/2024" in text


def test_a_member_that_left_before_the_ceremony_is_not_waited_for(org):
    pledge = make_pledge(org, ceremony_date=datetime.date(2024, 3, 5))
    left = add_member(org, "Đơn vị đã rời khối", "LEFT")
    left.bloc_memberships.update(left_on=datetime.date(2024, 2, 1))
    gone_but_signed = add_member(org, "Đơn vị rời khối sau khi ký", "GONE")
    gone_but_signed.bloc_memberships.update(left_on=datetime.date(2024, 3, 1))
    sign(pledge, gone_but_signed, "Hoàng Văn Nam", "Giám đốc", day=1)
    names = [row.member.name for row in documents.signatory_rows(pledge)]
    assert "Đơn vị đã rời khối" not in names
    assert "Đơn vị rời khối sau khi ký" in names
