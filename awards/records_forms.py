"""Forms for ratings, discipline and initiatives. They validate and normalise; services decide."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import BaseFormSet, BaseModelFormSet, formset_factory, modelformset_factory
from django.utils.translation import gettext_lazy as _

from campaigns.forms import CleanTextMixin, DateInput, TableRowMixin, UnitChoiceField
from campaigns.models import Person, Unit
from campaigns.versioning import VersionedFormMixin

from .models import DisciplineRecord, Initiative, Rating, TaskRating

MIN_YEAR, MAX_YEAR = 1945, 2100


def person_label(person: Person) -> str:
    """“Full name (staff code) – unit”, with the unit loaded by the caller."""
    code = f" ({person.staff_code})" if person.staff_code else ""
    return f"{person.full_name}{code} – {person.unit}"


class PickField(forms.ChoiceField):
    """A choice among objects loaded once for the whole page.

    A ModelChoiceField runs its queryset again for every form of a formset (and
    once more per row to validate); this field takes the objects, keyed by
    primary key, and returns the chosen object.
    """

    def __init__(
        self,
        *,
        objects: Mapping[int, Any],
        label_of: Callable[[Any], str] = str,
        choices: list[tuple[str, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        self.objects = {str(pk): obj for pk, obj in objects.items()}
        if choices is None:
            choices = pick_choices(objects.values(), label_of)
        super().__init__(choices=[("", "---------"), *choices], **kwargs)

    def clean(self, value: Any) -> Any:
        value = super().clean(value)
        return self.objects.get(str(value)) if value not in (None, "") else None

    def prepare_value(self, value: Any) -> Any:
        return getattr(value, "pk", value)


def pick_choices(
    objects: Iterable[Any], label_of: Callable[[Any], str] = str
) -> list[tuple[str, str]]:
    return [(str(obj.pk), label_of(obj)) for obj in objects]


def year_field(**kwargs: Any) -> forms.IntegerField:
    field = forms.IntegerField(label=_("Năm"), min_value=MIN_YEAR, max_value=MAX_YEAR, **kwargs)
    field.widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
    return field


class RecordsChooserForm(forms.Form):
    """The records home: pick a unit and a year."""

    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))
    year = year_field()

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].widget.attrs["class"] = "form-select"
        self.fields["year"].widget.attrs["class"] = "form-control"


# Ratings -------------------------------------------------------------------------------------


def rating_choices() -> list[tuple[str, str]]:
    return [("", _("— chưa xếp loại —")), *Rating.choices]


class UnitRatingForm(VersionedFormMixin, forms.Form):
    """The unit's own rating; ``record=`` its stored rating, whose version the form sends."""

    rating = forms.ChoiceField(label=_("Xếp loại của đơn vị"), required=False, choices=())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = rating_choices()
        self.fields["rating"].widget.attrs["class"] = "form-select"


class PersonRatingForm(VersionedFormMixin, forms.Form):
    """One person's row: who (hidden, checked against the page's people), the rating, and
    the version of the person's stored rating (``ratings``), if any."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    rating = forms.ChoiceField(label=_("Mức xếp loại"), required=False, choices=())

    def __init__(
        self,
        *args: Any,
        people: Mapping[int, Person],
        ratings: Mapping[int, TaskRating] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.people = people
        self.fields["rating"].choices = rating_choices()
        self.fields["rating"].widget.attrs["class"] = "form-select form-select-sm"
        value = self["person"].value()
        try:
            self.person_obj = people.get(int(value)) if value not in (None, "") else None
        except (TypeError, ValueError):
            self.person_obj = None
        stored = (ratings or {}).get(self.person_obj.pk) if self.person_obj else None
        self.versioned = stored
        self.fields["version"].initial = stored.version if stored is not None else None

    def clean_person(self) -> Person:
        person = self.people.get(self.cleaned_data["person"])
        if person is None:
            raise forms.ValidationError(
                _("Cá nhân này không có trong danh sách của trang; hãy tải lại trang.")
            )
        return person


class BasePersonRatingFormSet(BaseFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            person = getattr(form, "cleaned_data", {}).get("person")
            if person is None:
                continue
            if person.pk in seen:
                raise forms.ValidationError(_("Một cá nhân xuất hiện hai lần; hãy tải lại trang."))
            seen.add(person.pk)


PersonRatingFormSet = formset_factory(
    PersonRatingForm,
    formset=BasePersonRatingFormSet,
    extra=0,
    max_num=500,
    absolute_max=500,
    validate_max=True,
)


# Discipline ----------------------------------------------------------------------------------


class DisciplineForm(VersionedFormMixin, TableRowMixin, CleanTextMixin, forms.ModelForm):
    class Meta:
        model = DisciplineRecord
        fields = ["person", "form", "start_date", "end_date", "decision"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(
        self,
        *args: Any,
        people: Mapping[int, Person],
        people_choices: list[tuple[str, str]],
        year: int,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.fields["person"] = PickField(
            objects=people, choices=people_choices, label=_("Cá nhân")
        )
        self.fields["person"].widget.attrs["class"] = "form-select form-select-sm"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        for name in ("start_date", "end_date"):
            value = data.get(name)
            if value and not MIN_YEAR <= value.year <= MAX_YEAR:
                self.add_error(name, _("Ngày không hợp lệ."))
                return data
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        elif start and (
            start > datetime.date(self.year, 12, 31)
            or (end is not None and end < datetime.date(self.year, 1, 1))
        ):
            self.add_error(
                "start_date",
                _("Thời gian kỷ luật phải có ít nhất một ngày trong năm %(year)s.")
                % {"year": self.year},
            )
        return data


DisciplineFormSet = modelformset_factory(
    DisciplineRecord,
    form=DisciplineForm,
    formset=BaseModelFormSet,
    extra=0,
    can_delete=True,
    max_num=200,
    absolute_max=200,
    validate_max=True,
)


# Initiatives ---------------------------------------------------------------------------------


class InitiativeForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    unit = UnitChoiceField(queryset=Unit.objects.none(), label=_("Đơn vị"))

    class Meta:
        model = Initiative
        fields = ["kind", "title", "unit", "year", "scope", "recognition", "recognised_on"]
        widgets = {"recognised_on": DateInput()}

    def __init__(
        self,
        *args: Any,
        units: Any,
        people: Mapping[int, Person],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["year"].widget.attrs.update(min=MIN_YEAR, max=MAX_YEAR)
        self.people = people
        initial = [p.pk for p in self.instance.authors.all()] if self.instance.pk else []
        self.fields["authors"] = forms.MultipleChoiceField(
            label=_("Tác giả"),
            choices=pick_choices(people.values(), person_label),
            initial=[str(pk) for pk in initial],
            help_text=_("Giữ phím Ctrl (hoặc Cmd) để chọn nhiều người."),
            widget=forms.SelectMultiple(attrs={"size": 8}),
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-4"), Column("scope", css_class="col-md-4")),
            "title",
            Row(Column("unit", css_class="col-md-8"), Column("year", css_class="col-md-4")),
            "authors",
            Row(
                Column("recognition", css_class="col-md-8"),
                Column("recognised_on", css_class="col-md-4"),
            ),
        )

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise forms.ValidationError(
                _("Năm phải trong khoảng %(a)s–%(b)s.") % {"a": MIN_YEAR, "b": MAX_YEAR}
            )
        return year

    def clean_authors(self) -> list[Person]:
        return [self.people[int(pk)] for pk in self.cleaned_data["authors"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        unit, authors = data.get("unit"), data.get("authors") or []
        if unit is not None:
            outside = [p for p in authors if not p.unit.path.startswith(unit.path)]
            if outside:
                self.add_error(
                    "authors",
                    _("Tác giả %(people)s không thuộc %(unit)s.")
                    % {"people": ", ".join(p.full_name for p in outside), "unit": unit},
                )
        recognised_on, year = data.get("recognised_on"), data.get("year")
        if recognised_on and not MIN_YEAR <= recognised_on.year <= MAX_YEAR:
            self.add_error("recognised_on", _("Ngày không hợp lệ."))
        elif recognised_on and year and recognised_on.year != year:
            self.add_error("recognised_on", _("Ngày công nhận phải thuộc năm công nhận."))
        return data
