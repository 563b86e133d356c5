"""Forms that start a bloc-year summary or an award-statistics draft.

They validate and normalise (trimmed, NFC text); reports.kind_services decides.
The narrative is written afterwards on the draft's page.
"""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import MIN_YEAR, CleanTextMixin, UnitChoiceField
from campaigns.models import Unit

from .kind_services import TITLE_MAX


def _title_field(help_text: str) -> forms.CharField:
    return forms.CharField(
        label=_("Trích yếu (tên báo cáo)"),
        max_length=TITLE_MAX,
        required=False,
        help_text=help_text,
        error_messages={
            "max_length": _("Trích yếu dài tối đa %(limit_value)d ký tự (hiện có %(show_value)d).")
        },
    )


class BlocYearDraftForm(CleanTextMixin, forms.Form):
    title = _title_field(
        _("Để trống: “Báo cáo tổng kết công tác thi đua, khen thưởng năm … của khối …”.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("title")


class AwardStatisticsDraftForm(CleanTextMixin, forms.Form):
    body = UnitChoiceField(
        queryset=Unit.objects.none(),
        label=_("Cơ quan báo cáo"),
        empty_label=_("— Chọn cơ quan —"),
        error_messages={
            "required": _("Hãy chọn cơ quan báo cáo."),
            "invalid_choice": _("Cơ quan đã chọn không hợp lệ hoặc bạn không phụ trách."),
        },
    )
    year = forms.IntegerField(
        label=_("Năm thống kê"),
        error_messages={
            "required": _("Hãy nhập năm thống kê."),
            "invalid": _("Năm thống kê phải là một số, ví dụ 2024."),
        },
    )
    title = _title_field(_("Để trống: “Thống kê số lượng khen thưởng cấp Nhà nước năm …”."))

    def __init__(self, *args: Any, bodies: QuerySet[Unit], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year})
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies
        first_two = list(bodies[:2])
        if len(first_two) == 1:
            self.fields["body"].initial = first_two[0].pk
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("body", css_class="col-md-9"), Column("year", css_class="col-md-3")),
            "title",
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        # The form reports a year that has ended or is ending (due 15 December).
        this_year = timezone.localdate().year
        if not MIN_YEAR <= year <= this_year:
            raise forms.ValidationError(
                _("Năm thống kê phải từ %(first)s đến %(last)s.")
                % {"first": MIN_YEAR, "last": this_year}
            )
        return year
