"""The upload form of the Excel import: it checks the file, the service checks the rows."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from . import spreadsheets


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx)"),
        help_text=_("Dùng tệp mẫu; chỉ nhận tệp .xlsx."),
        widget=forms.ClearableFileInput(
            attrs={"accept": f".xlsx,{spreadsheets.XLSX_CONTENT_TYPE}"},
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.content = b""
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's <form> carries the token

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        try:
            # Judged by size and content, never by the name or the declared type.
            self.content = spreadsheets.read_upload(upload)
        except spreadsheets.ImportFileError as error:
            raise forms.ValidationError(error.message) from error
        return upload
