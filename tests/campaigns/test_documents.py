import datetime

from django.template import engines

from campaigns.documents import render_pdf, vietnamese_date
from tests.documents import pdf_fonts, pdf_text


def test_vietnamese_dates_are_zero_padded():
    assert (
        vietnamese_date("Hà Nội", datetime.date(2025, 3, 5)) == "Hà Nội, ngày 05 tháng 03 năm 2025"
    )


def test_a_document_has_the_decree_30_header_and_only_the_shipped_font(tmp_path, settings):
    template = tmp_path / "doc.html"
    template.write_text(
        '{% extends "documents/base.html" %}{% block doc_title %}Báo cáo{% endblock %}'
        "{% block body %}<p>Đổi mới, sáng tạo: ắ ằ ẳ ẵ ặ ố ồ ổ ỗ ộ ư ứ ừ ử ữ ự đ Đ</p>{% endblock %}",
        encoding="utf-8",
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path]}
    ]
    engines._engines = {}  # pick up the extra template directory
    engines.__dict__.pop("templates", None)
    pdf = render_pdf(
        "doc.html",
        {
            "issuer": "Kiểm toán nhà nước",
            "number": "12/BC-KTNN",
            "place_date": vietnamese_date("Hà Nội", datetime.date(2025, 3, 5)),
            "signer_position": "Tổng Kiểm toán nhà nước",
            "signer_name": "Ngô Văn Tuấn",
            "recipients": ["Lưu: VT"],
        },
    )
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 12/BC-KTNN" in text
    assert "Hà Nội, ngày 05 tháng 03 năm 2025" in text
    assert "Đổi mới" in text
    # Only the @font-face family backed by static/fonts: a missing glyph would pull in a
    # system fallback font (DejaVu, ...) and show up here.
    fonts = pdf_fonts(pdf)
    assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts
