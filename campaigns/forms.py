"""Forms for campaign plans. They validate and normalise; services decide."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.db.models import QuerySet
from django.forms import BaseModelFormSet, modelformset_factory
from django.utils.translation import gettext_lazy as _

from .models import (
    Campaign,
    CampaignKind,
    CampaignStatus,
    ContentArea,
    Milestone,
    Person,
    Phase,
    Target,
    Unit,
)
from .rules import PhaseInput, check_phases
from .text import clean_multiline, clean_text
from .versioning import VersionedFormMixin

MIN_YEAR, MAX_YEAR = 1945, 2100


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TableRowMixin:
    """Bootstrap classes for forms shown as table rows (formsets)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            widget.attrs["class"] = css


class CleanTextMixin:
    """Trim, NFC-normalise and drop control characters from every text field."""

    multiline_fields: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean()  # type: ignore[misc]
        for name, value in list(data.items()):
            if isinstance(value, str):
                data[name] = (
                    clean_multiline(value) if name in self.multiline_fields else clean_text(value)
                )
                field = self.fields.get(name)  # type: ignore[attr-defined]
                if field is not None and field.required and not data[name]:
                    self.add_error(name, _("Trường này không được để trống."))  # type: ignore[attr-defined]
        return data


class IdsChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice that refuses ids no database integer can hold.

    Django checks each id in Python, then runs one ``IN (...)`` query; SQLite's
    driver raises OverflowError (a 500) on an id past 64 bits, such as a forged
    ``999…9``. Such an id is refused like any other invalid one.
    """

    def _check_values(self, value: Any) -> QuerySet:
        try:
            return super()._check_values(value)
        except OverflowError as error:
            raise forms.ValidationError(
                self.error_messages["invalid_pk_value"],
                code="invalid_pk_value",
                params={"pk": next(iter(value), "")},
            ) from error


def unit_label(name: str, depth: int) -> str:
    """A unit as a choice: indented by its depth in the tree."""
    return f"{'— ' * depth}{name}"


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj.name, obj.depth)


class UnitMultipleChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj.name, obj.depth)


class CampaignForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    multiline_fields = ("objectives",)

    issuing_unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị ban hành"))
    participating_units = UnitMultipleChoiceField(
        queryset=Unit.objects.none(),
        required=False,
        label=_("Đơn vị tham gia"),
        help_text=_(
            "Mỗi đơn vị được chọn tham gia cùng các đơn vị trực thuộc. Để trống: toàn bộ "
            "đơn vị ban hành và các đơn vị trực thuộc."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    linked_campaigns = IdsChoiceField(
        queryset=Campaign.objects.none(),
        required=False,
        label=_("Phong trào lồng ghép"),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    class Meta:
        model = Campaign
        fields = [
            "name",
            "short_name",
            "kind",
            "issuing_unit",
            "plan_number",
            "plan_date",
            "signer_name",
            "signer_position",
            "start_year",
            "end_year",
            "objectives",
            "motto",
            "participating_units",
            "linked_campaigns",
            "requires_registration",
            "registration_deadline",
        ]
        widgets = {
            "plan_date": DateInput(),
            "registration_deadline": DateInput(),
            "objectives": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(
        self,
        *args: Any,
        issuing_units: QuerySet[Unit],
        participating_choices: QuerySet[Unit],
        linkable: QuerySet[Campaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = issuing_units
        self.fields["participating_units"].queryset = participating_choices
        self.fields["linked_campaigns"].queryset = linkable
        self.fields["start_year"].widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
        self.fields["end_year"].widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Thông tin chung"),
                "name",
                Row(
                    Column("short_name", css_class="col-md-8"), Column("kind", css_class="col-md-4")
                ),
                Row(
                    Column("start_year", css_class="col-md-3"),
                    Column("end_year", css_class="col-md-3"),
                ),
                "objectives",
                "motto",
            ),
            Fieldset(
                _("Kế hoạch phát động"),
                "issuing_unit",
                Row(
                    Column("plan_number", css_class="col-md-4"),
                    Column("plan_date", css_class="col-md-4"),
                ),
                Row(
                    Column("signer_name", css_class="col-md-6"),
                    Column("signer_position", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("Phạm vi và đăng ký"),
                "participating_units",
                "linked_campaigns",
                Row(
                    Column("requires_registration", css_class="col-md-6"),
                    Column("registration_deadline", css_class="col-md-6"),
                ),
            ),
            "version",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_year"), data.get("end_year")
        for name in ("start_year", "end_year"):
            value = data.get(name)
            if value is not None and not MIN_YEAR <= value <= MAX_YEAR:
                self.add_error(
                    name, _("Năm phải trong khoảng %(a)s–%(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}
                )
        if start and end and end < start:
            self.add_error("end_year", _("Năm kết thúc không được trước năm bắt đầu."))
        if data.get("requires_registration") is False:
            data["registration_deadline"] = None
        plan_date = data.get("plan_date")
        if plan_date and not datetime.date(MIN_YEAR, 1, 1) <= plan_date <= datetime.date(
            MAX_YEAR, 12, 31
        ):
            self.add_error("plan_date", _("Ngày ban hành không hợp lệ."))
        return data


class CampaignFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Đang dùng (trừ lưu trữ)")), ("all", _("Tất cả")), *CampaignStatus.choices],
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *CampaignKind.choices]
    )
    year = forms.IntegerField(
        label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    issuing_unit = UnitChoiceField(
        label=_("Đơn vị ban hành"), required=False, queryset=Unit.objects.none()
    )

    def __init__(self, *args: Any, issuing_units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_unit"].queryset = issuing_units
        self.fields["issuing_unit"].empty_label = _("Tất cả")

    def issuing_unit_options(self) -> list[tuple[str, str]]:
        """(value, label) of the issuing-unit select, for a template that writes it by hand.

        Three columns in one plain query: iterating the field's choices would load
        whole units through a server-side cursor, and the widget templates cost
        more than the rest of the list page (docs/benchmarks.md).
        """
        field = self.fields["issuing_unit"]
        return [
            (str(pk), field.label_from_instance(Unit(name=name, depth=depth)))
            for pk, name, depth in field.queryset.values_list("pk", "name", "depth")
        ]


# Formsets ------------------------------------------------------------------------------------


class PhaseForm(TableRowMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Phase
        fields = ["name", "start_date", "end_date", "review_kind", "review_due_date"]
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "review_due_date": DateInput(),
        }


class BasePhaseFormSet(BaseModelFormSet):
    def __init__(self, *args: Any, campaign: Campaign, **kwargs: Any) -> None:
        self.campaign = campaign
        super().__init__(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        rows = [
            form
            for form in self.forms
            if not self._should_delete_form(form) and (form.instance.pk or form.has_changed())
        ]
        inputs = [
            PhaseInput(
                form.cleaned_data.get("name", ""),
                form.cleaned_data.get("start_date"),
                form.cleaned_data.get("end_date"),
                form.cleaned_data.get("review_kind", ""),
                form.cleaned_data.get("review_due_date"),
            )
            for form in rows
        ]
        errors = check_phases(self.campaign.start_year, self.campaign.end_year, inputs)
        for index, fields in errors.items():
            for field, messages in fields.items():
                for message in messages:
                    rows[index].add_error(field, message)
        if errors:
            raise forms.ValidationError(_("Các giai đoạn chưa hợp lệ; xem thông báo ở từng dòng."))


PhaseFormSet = modelformset_factory(
    Phase,
    form=PhaseForm,
    formset=BasePhaseFormSet,
    extra=0,
    can_delete=True,
    max_num=20,
    absolute_max=20,
    validate_max=True,
)


class ContentAreaForm(TableRowMixin, CleanTextMixin, forms.ModelForm):
    multiline_fields = ("description",)

    class Meta:
        model = ContentArea
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


ContentAreaFormSet = modelformset_factory(
    ContentArea,
    form=ContentAreaForm,
    extra=0,
    can_delete=True,
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class TargetForm(TableRowMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Target
        fields = ["text", "goal", "unit_of_measure"]

    def clean_goal(self) -> Decimal | None:
        goal = self.cleaned_data.get("goal")
        if goal is not None and goal < 0:
            raise forms.ValidationError(_("Mức phấn đấu không được âm."))
        return goal


TargetFormSet = modelformset_factory(
    Target,
    form=TargetForm,
    extra=0,
    can_delete=True,
    max_num=50,
    absolute_max=50,
    validate_max=True,
)


class MilestoneForm(TableRowMixin, CleanTextMixin, forms.ModelForm):
    responsible_unit = UnitChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Đơn vị chủ trì")
    )

    class Meta:
        model = Milestone
        fields = ["title", "due_date", "responsible_unit", "done_date"]
        widgets = {"due_date": DateInput(), "done_date": DateInput()}

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = units

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("due_date", "done_date"):
            value = data.get(name)
            if value and not MIN_YEAR <= value.year <= MAX_YEAR:
                self.add_error(name, _("Ngày không hợp lệ."))
        return data


MilestoneFormSet = modelformset_factory(
    Milestone,
    form=MilestoneForm,
    extra=0,
    can_delete=True,
    max_num=100,
    absolute_max=100,
    validate_max=True,
)


class ProgressForm(VersionedFormMixin, forms.Form):
    """One content area's report: a text and one figure per measurable target; with the
    unit's entry already reported (``record=``), the version it was read at."""

    summary = forms.CharField(
        label=_("Kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000
    )

    def __init__(self, *args: Any, targets: list[Target], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.targets = targets
        for target in targets:
            label = target.text
            if target.goal is not None:
                label = _("%(text)s (mức phấn đấu: %(goal)s %(unit)s)") % {
                    "text": target.text,
                    "goal": f"{target.goal.normalize():f}",
                    "unit": target.unit_of_measure,
                }
            self.fields[f"target_{target.pk}"] = forms.DecimalField(
                label=label, required=False, max_digits=14, decimal_places=2, min_value=0
            )

    def clean_summary(self) -> str:
        value = clean_multiline(self.cleaned_data["summary"])
        if not value:
            raise forms.ValidationError(_("Hãy mô tả kết quả thực hiện."))
        return value

    def figures(self) -> dict[int, Decimal | None]:
        return {t.pk: self.cleaned_data.get(f"target_{t.pk}") for t in self.targets}


class UnitForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    parent = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị cấp trên"))

    class Meta:
        model = Unit
        fields = ["code", "name", "short_name", "kind", "parent", "is_active"]

    def __init__(
        self, *args: Any, parents: QuerySet[Unit], root_allowed: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A unit cannot move under itself or its own subtree.
            parents = parents.exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = not root_allowed
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_code(self) -> str:
        code = clean_text(self.cleaned_data["code"]).upper()
        if not code or any(ch.isspace() for ch in code):
            raise forms.ValidationError(_("Mã đơn vị không được chứa khoảng trắng."))
        return code


class PersonForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))

    class Meta:
        model = Person
        fields = [
            "full_name",
            "unit",
            "position",
            "gender",
            "birth_year",
            "staff_code",
            "is_active",
        ]

    def __init__(self, *args: Any, units: QuerySet[Unit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["birth_year"].widget.attrs.update(min=1930, max=datetime.date.today().year)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        this_year = datetime.date.today().year
        if year is not None and not 1930 <= year <= this_year - 15:
            raise forms.ValidationError(
                _("Năm sinh phải trong khoảng 1930–%(max)s.") % {"max": this_year - 15}
            )
        return year

    def clean_staff_code(self) -> str | None:
        return clean_text(self.cleaned_data.get("staff_code") or "") or None
