"""Forms for registrations. They validate and normalise; services decide."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import CleanTextMixin, TableRowMixin, UnitChoiceField
from campaigns.models import Campaign, Person, Unit
from campaigns.text import clean_multiline
from campaigns.versioning import VersionedFormMixin

from .models import AwardType, RegistrationStatus
from .records_forms import MIN_YEAR, PickField, person_label


class RegistrationCreateForm(forms.Form):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị đăng ký"))
    year = forms.IntegerField(label=_("Năm"))
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(),
        required=False,
        label=_("Phong trào"),
        empty_label=_("— đăng ký thi đua thường xuyên của năm —"),
        help_text=_("Để trống nếu đăng ký danh hiệu thi đua thường xuyên của năm."),
    )
    collective_title = forms.ModelChoiceField(
        queryset=AwardType.objects.none(),
        required=False,
        label=_("Danh hiệu tập thể đăng ký"),
        empty_label=_("— chưa chọn —"),
    )

    def __init__(self, *args: Any, units: Any, campaigns: Any, titles: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("year", timezone.localdate().year)
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["campaign"].queryset = campaigns
        self.fields["collective_title"].queryset = titles
        self.fields["year"].widget.attrs.update(min=MIN_YEAR, max=timezone.localdate().year + 1)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("unit", css_class="col-md-8"), Column("year", css_class="col-md-4")),
            "campaign",
            "collective_title",
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        high = timezone.localdate().year + 1
        if not MIN_YEAR <= year <= high:
            raise forms.ValidationError(
                _("Năm đăng ký phải trong khoảng %(min)d–%(max)d.") % {"min": MIN_YEAR, "max": high}
            )
        return year


class CollectiveTitleForm(VersionedFormMixin, forms.Form):
    collective_title = forms.ModelChoiceField(
        queryset=AwardType.objects.none(),
        required=False,
        label=_("Danh hiệu tập thể đăng ký"),
        empty_label=_("— không đăng ký danh hiệu tập thể —"),
    )

    def __init__(self, *args: Any, titles: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["collective_title"].queryset = titles
        self.fields["collective_title"].widget.attrs["class"] = "form-select"


class EntryForm(TableRowMixin, forms.Form):
    """One row of the people list: a person of the unit and the title they aim for."""

    def __init__(
        self,
        *args: Any,
        people: Mapping[int, Person],
        people_choices: list[tuple[str, str]],
        titles: Mapping[int, AwardType],
        title_choices: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = PickField(
            objects=people, choices=people_choices, label=_("Cá nhân")
        )
        self.fields["award_type"] = PickField(
            objects=titles, choices=title_choices, label=_("Danh hiệu đăng ký")
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        # A half-filled row is an error; an untouched extra row is skipped by the formset.
        if data.get("person") is not None and data.get("award_type") is None:
            self.add_error("award_type", _("Chọn danh hiệu đăng ký."))
        if data.get("award_type") is not None and data.get("person") is None:
            self.add_error("person", _("Chọn cá nhân."))
        return data


class BaseEntryFormSet(BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen: dict[tuple[int, int], int] = {}
        for index, form in enumerate(self.forms, start=1):
            if self._should_delete_form(form) or not form.has_changed():
                continue
            person, title = form.cleaned_data.get("person"), form.cleaned_data.get("award_type")
            if person is None or title is None:
                continue
            key = (person.pk, title.pk)
            if key in seen:
                form.add_error(
                    "person",
                    _("%(person)s đã được đăng ký “%(title)s” ở dòng %(row)d.")
                    % {"person": person.full_name, "title": title, "row": seen[key]},
                )
            else:
                seen[key] = index
        if any(self.errors):
            raise forms.ValidationError(_("Danh sách có dòng trùng; xem thông báo ở từng dòng."))

    def entries(self) -> list[tuple[Person, AwardType]]:
        rows = []
        for form in self.forms:
            if self._should_delete_form(form):
                continue
            person, title = form.cleaned_data.get("person"), form.cleaned_data.get("award_type")
            if person is not None and title is not None:
                rows.append((person, title))
        return rows


EntryFormSet = formset_factory(
    EntryForm,
    formset=BaseEntryFormSet,
    extra=0,
    can_delete=True,
    max_num=1000,
    absolute_max=1000,
    validate_max=True,
)


def entry_form_kwargs(people: list[Person], titles: list[AwardType]) -> dict[str, Any]:
    """What every row of the people list shares, built once for the page."""
    return {
        "people": {p.pk: p for p in people},
        "people_choices": [(str(p.pk), person_label(p)) for p in people],
        "titles": {t.pk: t for t in titles},
        "title_choices": [(str(t.pk), t.name) for t in titles],
    }


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Đơn vị sẽ thấy lý do này để sửa rồi gửi lại."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_reason(self) -> str:
        reason = clean_multiline(self.cleaned_data["reason"])
        if not reason:
            raise forms.ValidationError(_("Hãy nêu lý do trả lại."))
        return reason


class RegistrationFilterForm(CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=2100)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *RegistrationStatus.choices],
    )
    unit = UnitChoiceField(label=_("Đơn vị"), required=False, queryset=Unit.objects.none())

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].empty_label = _("Tất cả")
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-control" if name == "year" else "form-select"
