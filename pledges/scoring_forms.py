"""Forms of the scoring pages. They validate and normalise; the services decide."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms import modelformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from campaigns.forms import CleanTextMixin, DateInput, TableRowMixin
from campaigns.models import Unit
from campaigns.text import clean_multiline
from campaigns.uploads import CheckedUpload, inspect_upload
from campaigns.versioning import VersionedFormMixin

from .models import Acclamation, Criterion, CriterionGroup, SelfScore
from .scoring_services import FinalScoreInput, SelfScoreInput

MAX_POINTS = Decimal(1000)
MAX_FILES_PER_CRITERION = 10


def _within_years(day: datetime.date | None) -> bool:
    return day is None or 2000 <= day.year <= 2100


def _points_field(criterion: Criterion, *, required: bool, label: str) -> forms.DecimalField:
    limit = f"{criterion.max_points.normalize():f}"
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=criterion.max_points,
        max_digits=6,
        decimal_places=2,
        error_messages={
            "required": _("Hãy nhập điểm."),
            "invalid": _("Điểm phải là một số."),
            "min_value": _("Điểm không được âm."),
            "max_value": _("Điểm không được vượt quá điểm tối đa %(max)s.") % {"max": limit},
            "max_decimal_places": _("Điểm có tối đa hai chữ số thập phân."),
            "max_digits": _("Điểm không hợp lệ."),
            "max_whole_digits": _("Điểm không hợp lệ."),
        },
        widget=forms.NumberInput(
            attrs={
                "step": "0.01",
                "min": "0",
                "max": limit,
                "class": "form-control form-control-sm",
            }
        ),
    )


class MarkInvalidMixin:
    """After validation, inputs with errors are marked invalid and point at their message."""

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


class BootstrapMixin(MarkInvalidMixin):
    """Bootstrap classes on every widget of a small stacked form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select"
            else:
                widget.attrs["class"] = "form-control"


# The table -----------------------------------------------------------------------------------


class TableCreateForm(forms.Form):
    copy_previous = forms.BooleanField(
        label=_("Sao chép nhóm và tiêu chí từ bảng điểm năm trước"), required=False
    )


class DeadlinesForm(VersionedFormMixin, BootstrapMixin, forms.Form):
    self_deadline = forms.DateField(label=_("Hạn tự chấm"), required=False, widget=DateInput())
    cross_deadline = forms.DateField(label=_("Hạn chấm chéo"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.col = "col-sm-6"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("self_deadline", "cross_deadline"):
            if not _within_years(data.get(name)):
                self.add_error(name, _("Ngày không hợp lệ."))
        first, second = data.get("self_deadline"), data.get("cross_deadline")
        if first and second and second < first:
            self.add_error("cross_deadline", _("Hạn chấm chéo không được trước hạn tự chấm."))
        return data


class ReopenForm(BootstrapMixin, CleanTextMixin, forms.Form):
    multiline_fields = ("reason",)

    until = forms.DateField(label=_("Mở lại đến ngày"), widget=DateInput())
    reason = forms.CharField(
        label=_("Lý do mở lại"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_until(self) -> datetime.date:
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise ValidationError(_("Ngày mở lại đến phải từ hôm nay trở đi."))
        if not _within_years(until):
            raise ValidationError(_("Ngày không hợp lệ."))
        return until


class _NumberedRowForm(TableRowMixin, CleanTextMixin, forms.ModelForm):
    """A row whose number may be typed to reorder; left blank, the row goes last."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = self.fields["number"]
        number.required = False
        number.min_value = 1
        # Widths are classes in static/css/app.css: the CSP refuses style= attributes.
        number.widget.attrs.update(min=1, max=99)
        number.widget.attrs["class"] = f"{number.widget.attrs.get('class', '')} w-5rem".strip()
        number.help_text = ""

    def clean_number(self) -> int | None:
        number = self.cleaned_data.get("number")
        if number is not None and not 1 <= number <= 99:
            raise ValidationError(_("Số thứ tự từ 1 đến 99."))
        return number


class CriterionGroupForm(_NumberedRowForm):
    class Meta:
        model = CriterionGroup
        fields = ["number", "title"]


class CriterionForm(_NumberedRowForm):
    multiline_fields = ("text",)

    class Meta:
        model = Criterion
        fields = ["number", "text", "max_points"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        points = self.fields["max_points"].widget
        points.attrs.update(step="0.01", min="0.01")
        points.attrs["class"] = f"{points.attrs.get('class', '')} w-7rem".strip()
        self.fields["max_points"].error_messages["invalid"] = _("Điểm tối đa phải là một số.")

    def clean_max_points(self) -> Decimal:
        value = self.cleaned_data["max_points"]
        if value <= 0:
            raise ValidationError(_("Điểm tối đa phải lớn hơn 0."))
        if value > MAX_POINTS:
            raise ValidationError(_("Điểm tối đa không vượt quá 1000."))
        return value


CriterionGroupFormSet = modelformset_factory(
    CriterionGroup,
    form=CriterionGroupForm,
    extra=0,
    can_delete=True,
    max_num=30,
    absolute_max=30,
    validate_max=True,
)
CriterionFormSet = modelformset_factory(
    Criterion,
    form=CriterionForm,
    extra=0,
    can_delete=True,
    max_num=60,
    absolute_max=60,
    validate_max=True,
)


# Scores --------------------------------------------------------------------------------------


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by its content (inspect_upload)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"class": "form-control form-control-sm"})
        )
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_FILES_PER_CRITERION:
            raise ValidationError(
                _("Mỗi lần tải lên tối đa %(n)s tệp.") % {"n": MAX_FILES_PER_CRITERION}
            )
        checked = []
        for upload in files:
            upload = super().clean(upload, initial)
            if upload:
                checked.append(inspect_upload(upload))
        return checked


class SelfScoreForm(MarkInvalidMixin, forms.Form):
    """Every criterion: points (0..max), a note and evidence files."""

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        existing: dict[int, SelfScore],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.existing = existing
        for criterion in criteria:
            score = existing.get(criterion.pk)
            points = _points_field(
                criterion,
                required=True,
                label=_("Điểm tự chấm tiêu chí %(n)s") % {"n": criterion.number},
            )
            points.initial = score.points if score else None
            self.fields[f"points_{criterion.pk}"] = points
            self.fields[f"note_{criterion.pk}"] = forms.CharField(
                label=_("Giải trình tiêu chí %(n)s") % {"n": criterion.number},
                required=False,
                max_length=5000,
                initial=score.note if score else "",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
            )
            self.fields[f"files_{criterion.pk}"] = MultipleFileField(
                label=_("Minh chứng tiêu chí %(n)s") % {"n": criterion.number}, required=False
            )

    def rows(self) -> list[tuple[Criterion, Any, Any, Any, SelfScore | None]]:
        return [
            (
                c,
                self[f"points_{c.pk}"],
                self[f"note_{c.pk}"],
                self[f"files_{c.pk}"],
                self.existing.get(c.pk),
            )
            for c in self.criteria
        ]

    def entries(self) -> dict[int, SelfScoreInput]:
        data = self.cleaned_data
        return {
            c.pk: SelfScoreInput(
                points=data[f"points_{c.pk}"],
                note=clean_multiline(data.get(f"note_{c.pk}") or ""),
                files=data.get(f"files_{c.pk}") or [],
            )
            for c in self.criteria
        }


def cross_field_name(criterion_id: int, member_id: int) -> str:
    return f"s_{criterion_id}_{member_id}"


class CrossScoreForm(MarkInvalidMixin, forms.Form):
    """One scorer's sheet: a cell per criterion and OTHER member; blank means not scored yet."""

    def __init__(
        self,
        *args: Any,
        scorer: Unit,
        criteria: list[Criterion],
        members: list[Unit],
        existing: dict[tuple[int, int], Decimal],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.scorer = scorer
        self.criteria = criteria
        self.others = [m for m in members if m.pk != scorer.pk]
        self.existing = existing
        for criterion in criteria:
            for member in self.others:
                cell = _points_field(
                    criterion,
                    required=False,
                    label=_("Tiêu chí %(n)s – %(unit)s")
                    % {"n": criterion.number, "unit": member.name},
                )
                cell.initial = existing.get((criterion.pk, member.pk))
                cell.widget.attrs["class"] += " min-w-5rem"
                self.fields[cross_field_name(criterion.pk, member.pk)] = cell

    def grid(self) -> list[tuple[Criterion, list[Any]]]:
        return [
            (c, [self[cross_field_name(c.pk, m.pk)] for m in self.others]) for c in self.criteria
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        own = [cross_field_name(c.pk, self.scorer.pk) for c in self.criteria]
        if self.data and any((self.data.get(name) or "").strip() for name in own):
            raise ValidationError(
                _("Đơn vị không được tự chấm chéo cho chính mình (%(unit)s).")
                % {"unit": self.scorer.name}
            )
        for (criterion_id, member_id), _points in self.existing.items():
            name = cross_field_name(criterion_id, member_id)
            if name in self.fields and name not in self.errors and data.get(name) is None:
                self.add_error(name, _("Đã chấm điểm này; không để trống, hãy nhập điểm mới."))
        return data

    def scores(self) -> dict[tuple[int, int], Decimal]:
        result = {}
        for criterion in self.criteria:
            for member in self.others:
                value = self.cleaned_data.get(cross_field_name(criterion.pk, member.pk))
                if value is not None:
                    result[(criterion.pk, member.pk)] = value
        return result


class FinalScoreForm(MarkInvalidMixin, forms.Form):
    """The meeting's score per criterion for one member; blank keeps the mean."""

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        existing: dict[int, tuple[Decimal, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            points, reason = existing.get(criterion.pk, (None, ""))
            field = _points_field(
                criterion,
                required=False,
                label=_("Điểm hội nghị quyết định, tiêu chí %(n)s") % {"n": criterion.number},
            )
            field.initial = points
            self.fields[f"points_{criterion.pk}"] = field
            self.fields[f"reason_{criterion.pk}"] = forms.CharField(
                label=_("Lý do, tiêu chí %(n)s") % {"n": criterion.number},
                required=False,
                max_length=2000,
                initial=reason,
                widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for criterion in self.criteria:
            reason = clean_multiline(data.get(f"reason_{criterion.pk}") or "")
            data[f"reason_{criterion.pk}"] = reason
            if data.get(f"points_{criterion.pk}") is not None and not reason:
                self.add_error(
                    f"reason_{criterion.pk}", _("Hãy ghi lý do hội nghị quyết định điểm này.")
                )
        return data

    def rows(self) -> list[tuple[Criterion, Any, Any]]:
        return [(c, self[f"points_{c.pk}"], self[f"reason_{c.pk}"]) for c in self.criteria]

    def entries(self) -> dict[int, FinalScoreInput]:
        return {
            c.pk: FinalScoreInput(
                points=self.cleaned_data.get(f"points_{c.pk}"),
                reason=self.cleaned_data.get(f"reason_{c.pk}", ""),
            )
            for c in self.criteria
        }


class AcclamationForm(BootstrapMixin, CleanTextMixin, forms.ModelForm):
    multiline_fields = ("minutes",)

    class Meta:
        model = Acclamation
        fields = [
            "member",
            "votes_for",
            "votes_total",
            "meeting_date",
            "proposed_for_flag",
            "minutes",
        ]
        widgets = {"meeting_date": DateInput(), "minutes": forms.Textarea(attrs={"rows": 4})}

    def __init__(
        self, *args: Any, members: QuerySet[Unit], member_count: int, year: int, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.member_count = member_count
        self.year = year
        self.fields["member"].queryset = members
        self.fields["votes_total"].initial = member_count
        self.fields["votes_total"].widget.attrs.update(min=1, max=member_count)
        self.fields["votes_for"].widget.attrs.update(min=0, max=member_count)
        for name in ("votes_for", "votes_total"):
            self.fields[name].error_messages["invalid"] = _("Số phiếu phải là số nguyên.")
        widths = {"member": "col-md-6", "votes_for": "col-md-2", "votes_total": "col-md-2"}
        widths["meeting_date"] = "col-md-2"
        for name, width in widths.items():
            self.fields[name].col = width

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        votes_for, votes_total = data.get("votes_for"), data.get("votes_total")
        if votes_total is not None:
            if votes_total < 1:
                self.add_error("votes_total", _("Tổng số phiếu phải lớn hơn 0."))
            elif votes_total > self.member_count:
                self.add_error(
                    "votes_total",
                    _("Tổng số phiếu không được vượt quá số thành viên của khối (%(n)s).")
                    % {"n": self.member_count},
                )
        if votes_for is not None and votes_total is not None and votes_for > votes_total:
            self.add_error("votes_for", _("Số phiếu đồng ý không được lớn hơn tổng số phiếu."))
        day = data.get("meeting_date")
        if day and not self.year <= day.year <= self.year + 1:
            self.add_error(
                "meeting_date",
                _("Ngày hội nghị phải trong năm %(year)s hoặc năm %(next)s.")
                % {"year": self.year, "next": self.year + 1},
            )
        return data
