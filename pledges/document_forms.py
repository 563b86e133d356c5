"""The upload form of a pledge's documents. It asks; the service checks the file's content."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class PledgeDocumentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tài liệu"),
        choices=DocumentKind.choices,
        initial=DocumentKind.SIGNED_SCAN,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG hoặc PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Tối đa %(limit)s. Hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp."
        ) % {"limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token
