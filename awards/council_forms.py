"""Forms of the council pages. They validate and normalise; the services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.forms import CleanTextMixin, DateInput, IdsChoiceField
from campaigns.models import Unit
from campaigns.versioning import VersionedFormMixin

from .models import AwardRound, Choice, Nomination

MIN_YEAR, MAX_YEAR = 2000, 2100


class FieldsMixin:
    """Bootstrap classes on every widget; after validation, inputs with errors are marked
    invalid and point at their message (awards/council_fields.html prints it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            # CheckboxSelectMultiple is a RadioSelect: both render a list of check inputs.
            if isinstance(widget, forms.RadioSelect | forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is None:
                continue
            attrs = field.widget.attrs
            attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = f"{self[name].auto_id}_error"  # type: ignore[index]


def check_day(form: forms.Form, name: str, day: datetime.date | None) -> None:
    if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
        form.add_error(
            name, _("Ngày không hợp lệ (từ năm %(a)s đến %(b)s).") % {"a": MIN_YEAR, "b": MAX_YEAR}
        )


class MemberChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.get_full_name() or obj.get_username()


class NominationChoiceField(IdsChoiceField):
    """Nominations as checkboxes: title – nominee (proposing unit, year)."""

    def label_from_instance(self, obj: Nomination) -> str:
        return _("%(award)s – %(nominee)s (%(unit)s, năm %(year)s)") % {
            "award": obj.award_type.name,
            "nominee": obj.person.full_name if obj.person_id else obj.unit.name,
            "unit": obj.proposing_unit.name,
            "year": obj.year,
        }


class BodyForm(FieldsMixin, forms.Form):
    """Which body's council meets (asked first when the user reviews several bodies)."""

    body = forms.ModelChoiceField(
        queryset=Unit.objects.none(),
        label=_("Cơ quan"),
        empty_label=_("— Chọn cơ quan —"),
        error_messages={
            "required": _("Hãy chọn cơ quan."),
            "invalid_choice": _("Cơ quan đã chọn không hợp lệ."),
        },
    )

    def __init__(self, *args: Any, bodies: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].queryset = bodies


class SessionForm(VersionedFormMixin, FieldsMixin, CleanTextMixin, forms.Form):
    title = forms.CharField(
        label=_("Tên phiên họp"),
        max_length=300,
        error_messages={"required": _("Hãy nhập tên phiên họp.")},
    )
    held_on = forms.DateField(
        label=_("Ngày họp"),
        widget=DateInput(),
        error_messages={
            "required": _("Hãy nhập ngày họp."),
            "invalid": _("Ngày họp không hợp lệ."),
        },
    )
    chair = forms.CharField(label=_("Chủ tịch Hội đồng"), max_length=200, required=False)
    round = forms.ModelChoiceField(
        queryset=AwardRound.objects.none(),
        label=_("Đợt khen thưởng"),
        required=False,
        empty_label=_("— Mọi đợt của cơ quan —"),
        help_text=_("Chỉ đưa ra phiên họp các đề nghị của đợt này."),
        error_messages={"invalid_choice": _("Đợt khen thưởng đã chọn không hợp lệ.")},
    )
    members = MemberChoiceField(
        queryset=None,
        label=_("Thành viên Hội đồng"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Tỷ lệ đồng ý được tính trên tổng số thành viên này; thành viên vắng mặt được "
            "tính là không đồng ý."
        ),
        error_messages={
            "required": _("Hãy chọn ít nhất một thành viên Hội đồng."),
            "invalid_choice": _("Người đã chọn không phải thành viên Hội đồng của cơ quan."),
            "invalid_pk_value": _("Thành viên đã chọn không hợp lệ."),
        },
    )

    def __init__(
        self,
        *args: Any,
        candidates: QuerySet,
        rounds: QuerySet[AwardRound] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.fields["held_on"].col = "col-sm-4"
        self.fields["chair"].col = "col-sm-8"
        if rounds is None:
            del self.fields["round"]  # fixed once the session exists
        else:
            self.fields["round"].queryset = rounds

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_day(self, "held_on", data.get("held_on"))
        return data


class AgendaForm(FieldsMixin, forms.Form):
    nominations = NominationChoiceField(
        queryset=Nomination.objects.none(),
        label=_("Đề nghị đưa ra phiên họp"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Hãy chọn ít nhất một đề nghị."),
            "invalid_choice": _("Đề nghị đã chọn không còn chờ Hội đồng xét."),
            "invalid_pk_value": _("Đề nghị đã chọn không hợp lệ."),
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Nomination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nominations"].queryset = candidates


class VoteForm(FieldsMixin, forms.Form):
    choice = forms.ChoiceField(
        label=_("Phiếu của bạn"),
        choices=Choice.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Hãy chọn Đồng ý hoặc Không đồng ý."),
            "invalid_choice": _("Phiếu không hợp lệ: hãy chọn Đồng ý hoặc Không đồng ý."),
        },
    )
