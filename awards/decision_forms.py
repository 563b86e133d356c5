"""Forms of the decision and revocation pages. They validate and normalise; services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import CleanTextMixin, DateInput
from campaigns.versioning import VersionedFormMixin

from .council_forms import FieldsMixin, NominationChoiceField, check_day
from .models import AwardRound, Nomination


class DecisionForm(VersionedFormMixin, FieldsMixin, CleanTextMixin, forms.Form):
    number = forms.CharField(
        label=_("Số quyết định"),
        max_length=100,
        help_text=_("Ví dụ: 125/QĐ-KTNN"),
        error_messages={"required": _("Hãy nhập số quyết định.")},
    )
    signed_on = forms.DateField(
        label=_("Ngày ký"),
        widget=DateInput(),
        error_messages={"required": _("Hãy nhập ngày ký."), "invalid": _("Ngày ký không hợp lệ.")},
    )
    signer_name = forms.CharField(
        label=_("Người ký"),
        max_length=200,
        error_messages={"required": _("Hãy nhập họ tên người ký.")},
    )
    signer_position = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=200,
        error_messages={"required": _("Hãy nhập chức vụ người ký.")},
    )
    round = forms.ModelChoiceField(
        queryset=AwardRound.objects.none(),
        label=_("Đợt khen thưởng"),
        required=False,
        empty_label=_("— Không gắn với một đợt —"),
        error_messages={"invalid_choice": _("Đợt khen thưởng đã chọn không hợp lệ.")},
    )
    nominations = NominationChoiceField(
        queryset=Nomination.objects.none(),
        label=_("Đề nghị được khen thưởng"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Chỉ các đề nghị đã được Hội đồng thông qua."),
        error_messages={
            "required": _("Quyết định phải có ít nhất một đề nghị được khen thưởng."),
            "invalid_choice": _(
                "Đề nghị đã chọn không còn ở trạng thái được Hội đồng thông qua hoặc đã có "
                "trong một dự thảo quyết định khác."
            ),
            "invalid_pk_value": _("Đề nghị đã chọn không hợp lệ."),
        },
    )

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet[Nomination],
        rounds: QuerySet[AwardRound] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates
        for name in ("number", "signed_on"):
            self.fields[name].col = "col-sm-6"
        for name in ("signer_name", "signer_position"):
            self.fields[name].col = "col-sm-6"
        if rounds is None:
            del self.fields["round"]
        else:
            self.fields["round"].queryset = rounds

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_day(self, "signed_on", data.get("signed_on"))
        return data


class RevokeForm(FieldsMixin, CleanTextMixin, forms.Form):
    multiline_fields = ("reason",)

    revocation_decision = forms.CharField(
        label=_("Quyết định thu hồi"),
        max_length=200,
        help_text=_("Số, ngày và cơ quan ban hành quyết định thu hồi, hủy bỏ khen thưởng."),
        error_messages={"required": _("Hãy ghi quyết định thu hồi.")},
    )
    revoked_on = forms.DateField(
        label=_("Ngày thu hồi"),
        widget=DateInput(),
        error_messages={
            "required": _("Hãy nhập ngày thu hồi."),
            "invalid": _("Ngày thu hồi không hợp lệ."),
        },
    )
    reason = forms.CharField(
        label=_("Lý do thu hồi"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=4000,
        error_messages={"required": _("Hãy ghi lý do thu hồi.")},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day = data.get("revoked_on")
        check_day(self, "revoked_on", day)
        if day is not None and day > timezone.localdate():
            self.add_error("revoked_on", _("Ngày thu hồi không được sau ngày hôm nay."))
        return data
