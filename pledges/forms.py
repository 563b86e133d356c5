"""Forms for blocs, bloc years and pledges. They validate and normalise; services decide."""

from __future__ import annotations

import itertools
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.core.validators import MinValueValidator, ProhibitNullCharactersValidator
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import (
    MAX_YEAR,
    MIN_YEAR,
    CleanTextMixin,
    DateInput,
    IdsChoiceField,
    TableRowMixin,
    UnitChoiceField,
)
from campaigns.models import Campaign, Unit
from campaigns.versioning import VersionedFormMixin

from .models import BlocMembership, BlocYear, Commitment
from .services import year_window


def _date_in_range(form: forms.BaseForm, name: str) -> None:
    value = form.cleaned_data.get(name)
    if value and not MIN_YEAR <= value.year <= MAX_YEAR:
        form.add_error(name, _("Ngày không hợp lệ."))


def _date_in_year(form: forms.BaseForm, name: str, year: int) -> None:
    value = form.cleaned_data.get(name)
    first, last = year_window(year)
    if value and not first <= value <= last:
        form.add_error(
            name,
            _("Ngày phải trong năm %(prev)s hoặc năm %(year)s.") % {"prev": year - 1, "year": year},
        )


class NormaliseNulMixin(CleanTextMixin):
    """Let NUL through field validation so CleanTextMixin turns it into a space like any
    other control character, instead of Django's untranslated "Null characters" error."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.validators = [
                v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
            ]


# Members -------------------------------------------------------------------------------------


class MembershipForm(TableRowMixin, NormaliseNulMixin, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị thành viên"))

    class Meta:
        model = BlocMembership
        fields = ["unit", "joined_on", "left_on"]
        widgets = {"joined_on": DateInput(), "left_on": DateInput()}

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _date_in_range(self, "joined_on")
        _date_in_range(self, "left_on")
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", _("Ngày rời khối không được trước ngày tham gia."))
        return data


class BaseMembershipFormSet(BaseModelFormSet):
    """No unit may be in the bloc twice over the same period."""

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        by_unit: dict[int, list[forms.Form]] = {}
        for form in self.forms:
            if form.instance.pk is None and not form.has_changed():
                continue
            unit = form.cleaned_data.get("unit")
            if unit is not None:
                by_unit.setdefault(unit.pk, []).append(form)
        overlapping = False
        for rows in by_unit.values():
            rows.sort(key=lambda f: f.cleaned_data["joined_on"])
            for before, after in itertools.pairwise(rows):
                left = before.cleaned_data.get("left_on")
                if left is None or left >= after.cleaned_data["joined_on"]:
                    after.add_error(
                        "joined_on",
                        _("Đơn vị này đã là thành viên của khối trong thời gian này."),
                    )
                    overlapping = True
        if overlapping:
            raise forms.ValidationError(_("Có đơn vị tham gia khối hai lần cùng lúc."))


MembershipFormSet = modelformset_factory(
    BlocMembership,
    form=MembershipForm,
    formset=BaseMembershipFormSet,
    extra=0,
    can_delete=False,
    max_num=500,
    absolute_max=500,
    validate_max=True,
)


# Bloc years ----------------------------------------------------------------------------------


class BlocYearForm(VersionedFormMixin, NormaliseNulMixin, forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    leader = UnitChoiceField(queryset=Unit.objects.none(), label=_("Khối trưởng"))
    deputies = IdsChoiceField(
        queryset=Unit.objects.none(),
        label=_("Khối phó"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một khối phó.")},
        help_text=_("Khối trưởng và khối phó phải là thành viên của khối trong năm đó."),
    )
    flag_handover_date = forms.DateField(
        label=_("Ngày trao cờ luân lưu"), required=False, widget=DateInput()
    )
    flag_handover_occasion = forms.CharField(
        label=_("Dịp trao cờ"),
        required=False,
        max_length=300,
        help_text=_("Ví dụ: Hội nghị tổng kết công tác thi đua, khen thưởng năm trước."),
    )

    def __init__(
        self, *args: Any, units: QuerySet[Unit], bloc_year: BlocYear | None = None, **kwargs: Any
    ) -> None:
        if bloc_year is not None:
            kwargs.setdefault(
                "initial",
                {
                    "year": bloc_year.year,
                    "leader": bloc_year.leader_id,
                    "deputies": [u.pk for u in bloc_year.deputies.all()],
                    "flag_handover_date": bloc_year.flag_handover_date,
                    "flag_handover_occasion": bloc_year.flag_handover_occasion,
                },
            )
        super().__init__(*args, record=bloc_year, **kwargs)
        self.fields["leader"].queryset = units
        self.fields["deputies"].queryset = units
        if bloc_year is not None:
            # The year of an existing row stays: its pledges and scoring belong to it.
            self.fields["year"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("year", css_class="col-md-3"), Column("leader", css_class="col-md-9")),
            "deputies",
            Row(
                Column("flag_handover_date", css_class="col-md-4"),
                Column("flag_handover_occasion", css_class="col-md-8"),
            ),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        year = data.get("year")
        if year:
            _date_in_year(self, "flag_handover_date", year)
        else:
            _date_in_range(self, "flag_handover_date")
        return data


# Pledges -------------------------------------------------------------------------------------


class PledgeForm(VersionedFormMixin, NormaliseNulMixin, forms.Form):
    title = forms.CharField(label=_("Tên giao ước"), max_length=500)
    ceremony_date = forms.DateField(
        label=_("Ngày lễ ký"),
        required=False,
        widget=DateInput(),
        help_text=_("Bắt buộc trước khi mở ký."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300, required=False)
    campaigns = IdsChoiceField(
        queryset=Campaign.objects.none(),
        label=_("Phục vụ phong trào thi đua"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self, *args: Any, bloc_year: BlocYear, campaigns: QuerySet[Campaign], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.bloc_year = bloc_year
        self.fields["campaigns"].queryset = campaigns
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "title",
            Row(
                Column("ceremony_date", css_class="col-md-4"),
                Column("place", css_class="col-md-8"),
            ),
            "campaigns",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _date_in_year(self, "ceremony_date", self.bloc_year.year)
        return data


class CommitmentForm(TableRowMixin, NormaliseNulMixin, forms.ModelForm):
    multiline_fields = ("text",)

    text = forms.CharField(
        label=_("Nội dung cam kết"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Commitment
        fields = ["text"]


class BaseCommitmentFormSet(BaseModelFormSet):
    """Commitments are numbered by the "order" column: change it to reorder them."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "ORDER" in form.fields:
            form.fields["ORDER"].label = _("Thứ tự")
            form.fields["ORDER"].validators.append(MinValueValidator(1))
            form.fields["ORDER"].widget.attrs.update(
                {"class": "form-control form-control-sm w-6em", "min": 1}
            )
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


CommitmentFormSet = modelformset_factory(
    Commitment,
    form=CommitmentForm,
    formset=BaseCommitmentFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


class SignatureForm(NormaliseNulMixin, forms.Form):
    """One member's row on the signing sheet; a row left blank is skipped."""

    signatory_name = forms.CharField(label=_("Họ tên người ký"), max_length=200)
    signatory_position = forms.CharField(label=_("Chức vụ"), max_length=300)
    signed_on = forms.DateField(label=_("Ngày ký"), widget=DateInput())

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control form-control-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _date_in_year(self, "signed_on", self.year)
        signed_on = data.get("signed_on")
        if signed_on and signed_on > timezone.localdate() and "signed_on" not in self.errors:
            self.add_error("signed_on", _("Ngày ký không được sau hôm nay."))
        return data


class AmendmentForm(NormaliseNulMixin, forms.Form):
    multiline_fields = ("reason",)

    reason = forms.CharField(
        label=_("Lý do sửa đổi"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Bản đã ký được lưu lại nguyên vẹn. Sau khi lập sửa đổi, giao ước trở về dự thảo: "
            "sửa nội dung, mở ký và ghi nhận lại chữ ký của các thành viên."
        ),
    )
