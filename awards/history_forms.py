"""Forms of the history pages: exemplar entry and the list filters. They validate and
normalise; awards/history_services.py saves."""

from __future__ import annotations

import datetime
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Field, Layout, Row
from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from campaigns.forms import CleanTextMixin, IdsChoiceField, UnitChoiceField
from campaigns.models import Campaign, Person, Unit
from campaigns.text import clean_text
from campaigns.versioning import VersionedFormMixin

from .models import Exemplar

MIN_YEAR = 1945
NO_NUL = ProhibitNullCharactersValidator(message=_("Không được chứa ký tự điều khiển (NUL)."))


def max_year() -> int:
    return datetime.date.today().year + 1


class SubjectKind:
    PERSON = "person"
    COLLECTIVE = "collective"
    CHOICES = [(PERSON, _("Cá nhân")), (COLLECTIVE, _("Tập thể"))]


class CampaignChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return obj.short_name or obj.name


class ExemplarForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    """An exemplar is a person (found by staff code) or a collective, inside the HR scope."""

    multiline_fields = ("story",)

    subject = forms.ChoiceField(
        label=_("Điển hình là"),
        choices=SubjectKind.CHOICES,
        initial=SubjectKind.PERSON,
        widget=forms.RadioSelect,
    )
    person_code = forms.CharField(
        label=_("Mã cán bộ của cá nhân"),
        max_length=32,
        required=False,
        help_text=_("Ví dụ: KTNN-KV1-001. Để trống nếu điển hình là tập thể."),
    )
    unit = UnitChoiceField(
        queryset=Unit.objects.none(),
        label=_("Tập thể"),
        required=False,
        help_text=_("Chỉ chọn khi điển hình là tập thể."),
    )
    campaigns = CampaignChoiceField(
        queryset=Campaign.objects.none(),
        label=_("Phong trào liên quan"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Exemplar
        fields = ["headline", "year", "story", "campaigns"]
        widgets = {"story": forms.Textarea(attrs={"rows": 10})}

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        units: QuerySet[Unit],
        campaigns: QuerySet[Campaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["unit"].queryset = units
        self.fields["campaigns"].queryset = campaigns
        for form_field in self.fields.values():
            # Django's own message for a NUL character is not translated into Vietnamese.
            form_field.validators = [
                NO_NUL if isinstance(v, ProhibitNullCharactersValidator) else v
                for v in form_field.validators
            ]
        self.fields["year"].widget.attrs.update(min=MIN_YEAR, max=max_year())
        self.fields["headline"].widget.attrs.update(maxlength=300)
        instance = self.instance
        if instance.pk:
            if instance.person_id:
                self.initial.setdefault("subject", SubjectKind.PERSON)
                self.initial.setdefault("person_code", instance.person.staff_code or "")
            else:
                self.initial.setdefault("subject", SubjectKind.COLLECTIVE)
                self.initial.setdefault("unit", instance.unit_id)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Field("subject"),
            Row(Column("person_code", css_class="col-md-4"), Column("unit", css_class="col-md-8")),
            Row(Column("headline", css_class="col-md-9"), Column("year", css_class="col-md-3")),
            Field("story"),
            Field("campaigns"),
        )

    def clean_year(self) -> int | None:
        year = self.cleaned_data.get("year")
        if year is not None and not MIN_YEAR <= year <= max_year():
            raise forms.ValidationError(
                _("Năm phải trong khoảng %(min)s–%(max)s.") % {"min": MIN_YEAR, "max": max_year()}
            )
        return year

    def clean_person_code(self) -> str:
        return clean_text(self.cleaned_data.get("person_code") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        subject = data.get("subject")
        if subject == SubjectKind.PERSON:
            code = data.get("person_code")
            if not code:
                self.add_error("person_code", _("Nhập mã cán bộ của cá nhân điển hình."))
            else:
                person = self.people.filter(staff_code__iexact=code).select_related("unit").first()
                if person is None:
                    self.add_error(
                        "person_code",
                        _("Không có cá nhân mang mã cán bộ “%(code)s” trong phạm vi của bạn.")
                        % {"code": code},
                    )
                data["person"] = person
            data["unit"] = None
        elif subject == SubjectKind.COLLECTIVE:
            if not data.get("unit"):
                self.add_error("unit", _("Chọn tập thể điển hình."))
            data["person"] = None
        return data

    def save(self, commit: bool = True) -> Exemplar:
        exemplar = super().save(commit=False)
        exemplar.person = self.cleaned_data.get("person")
        exemplar.unit = self.cleaned_data.get("unit")
        if commit:
            raise NotImplementedError("Save through awards.history_services.exemplar_save.")
        return exemplar


class ExemplarFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm theo tiêu đề, tên cá nhân hoặc tập thể (không cần dấu)"),
        required=False,
        max_length=200,
    )
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=2100)

    def clean_q(self) -> str:
        return clean_text(self.cleaned_data.get("q") or "")


class UnitAwardsFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=2100)
    # An id: bounded to the column's range, so no database is asked about 10**30.
    award_type = forms.IntegerField(
        required=False, min_value=1, max_value=2_147_483_647, widget=forms.HiddenInput
    )


class HistorySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Họ tên, mã cán bộ hoặc tên đơn vị (không cần dấu)"),
        required=False,
        max_length=200,
    )

    def clean_q(self) -> str:
        return clean_text(self.cleaned_data.get("q") or "")
