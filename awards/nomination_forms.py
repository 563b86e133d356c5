"""Forms of award rounds, nominations and dossiers. They validate and normalise; services decide."""

from __future__ import annotations

from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from campaigns.forms import (
    MAX_YEAR,
    MIN_YEAR,
    CleanTextMixin,
    DateInput,
    UnitChoiceField,
)
from campaigns.models import Campaign, Person, Phase, Unit
from campaigns.versioning import VersionedFormMixin

from .models import (
    AwardRound,
    AwardType,
    DossierKind,
    NominationStatus,
    Subject,
    Track,
)

ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def _helper(*layout: Any) -> FormHelper:
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True  # the page's <form> carries the token
    if layout:
        helper.layout = Layout(*layout)
    return helper


class SearchInput(forms.TextInput):
    input_type = "search"


class PhaseChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Phase) -> str:
        campaign = obj.campaign
        return f"{campaign.short_name or campaign.name} – {obj.name}"


# Rounds ----------------------------------------------------------------------------------------


class RoundForm(VersionedFormMixin, CleanTextMixin, forms.ModelForm):
    body = UnitChoiceField(queryset=Unit.objects.none(), label=_("Cơ quan tổ chức"))
    campaign = forms.ModelChoiceField(
        queryset=Campaign.objects.none(),
        required=False,
        label=_("Phong trào"),
        help_text=_("Để trống nếu là đợt khen thưởng thường xuyên cuối năm."),
    )
    phase = PhaseChoiceField(
        queryset=Phase.objects.none(),
        required=False,
        label=_("Giai đoạn"),
        help_text=_("Chọn khi khen thưởng sơ kết, tổng kết một giai đoạn của phong trào."),
    )
    year = forms.IntegerField(label=_("Năm khen thưởng"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    class Meta:
        model = AwardRound
        fields = ["name", "body", "year", "campaign", "phase", "nomination_deadline", "is_open"]
        widgets = {"nomination_deadline": DateInput()}

    def __init__(
        self,
        *args: Any,
        bodies: QuerySet[Unit] | None,
        campaigns: QuerySet[Campaign],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if bodies is None:  # an existing round stays with its body
            del self.fields["body"]
        else:
            self.fields["body"].queryset = bodies
        self.fields["campaign"].queryset = campaigns
        self.fields["phase"].queryset = (
            Phase.objects.filter(campaign__in=campaigns)
            .select_related("campaign")
            .order_by("campaign__name", "number")
        )
        self.fields["nomination_deadline"].help_text = _(
            "Sau ngày này các đơn vị không gửi được đề nghị mới; đề nghị bị trả lại vẫn gửi "
            "lại được khi đợt còn nhận hồ sơ."
        )
        first = [Row(Column("body", css_class="col-md-6"))] if bodies is not None else []
        self.helper = _helper(
            "name",
            *first,
            Row(
                Column("year", css_class="col-md-3"),
                Column("nomination_deadline", css_class="col-md-4"),
            ),
            Row(Column("campaign", css_class="col-md-6"), Column("phase", css_class="col-md-6")),
            "is_open",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        campaign, phase = data.get("campaign"), data.get("phase")
        if phase is not None and campaign is None:
            self.add_error("phase", _("Chọn phong trào của giai đoạn này."))
        elif phase is not None and campaign is not None and phase.campaign_id != campaign.pk:
            self.add_error("phase", _("Giai đoạn này không thuộc phong trào đã chọn."))
        return data


# Nominations ------------------------------------------------------------------------------------


class AwardTypeChoiceField(forms.ModelChoiceField):
    """Titles and forms grouped by whom they are for: individuals, then collectives."""

    def grouped_choices(self) -> list[tuple[Any, Any]]:
        groups: dict[str, list[tuple[int, str]]] = {Subject.INDIVIDUAL: [], Subject.COLLECTIVE: []}
        for pk, name, subject in self.queryset.values_list("pk", "name", "subject"):
            groups.setdefault(subject, []).append((pk, name))
        labels = dict(Subject.choices)
        return [("", "---------")] + [
            (labels.get(subject, subject), options)
            for subject, options in groups.items()
            if options
        ]


class NominationForm(VersionedFormMixin, CleanTextMixin, forms.Form):
    """A nomination's content. The nominee lists show the proposing unit's subtree."""

    multiline_fields = ("achievement_summary",)

    proposing_unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), widget=forms.HiddenInput, required=False
    )
    award_type = AwardTypeChoiceField(
        queryset=AwardType.objects.none(), label=_("Danh hiệu, hình thức khen thưởng")
    )
    nominee_q = forms.CharField(
        label=_("Tìm cá nhân theo tên"),
        required=False,
        max_length=100,
        widget=SearchInput,
        help_text=_("Gõ vài chữ của họ tên (không cần dấu) để thu hẹp danh sách bên dưới."),
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, label=_("Cá nhân được đề nghị")
    )
    unit = UnitChoiceField(
        queryset=Unit.objects.none(), required=False, label=_("Tập thể được đề nghị")
    )
    track = forms.ChoiceField(label=_("Loại hình khen thưởng"), choices=Track.choices)
    achievement_summary = forms.CharField(
        label=_("Tóm tắt thành tích"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )

    def __init__(
        self,
        *args: Any,
        people: QuerySet[Person],
        units: QuerySet[Unit],
        proposing_units: QuerySet[Unit] | None,
        person_options: list[tuple[Any, str]],
        preview_url: str = "",
        nominees_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if proposing_units is None:  # an existing nomination keeps its proposing unit
            del self.fields["proposing_unit"]
        else:
            self.fields["proposing_unit"].queryset = proposing_units
            self.fields["proposing_unit"].required = True
        award_type = self.fields["award_type"]
        award_type.queryset = AwardType.objects.filter(is_active=True).order_by("order", "name")
        award_type.widget.choices = award_type.grouped_choices()
        self.fields["person"].queryset = people
        # The list offers the first people of the subtree; the search box narrows it
        # (htmx), and anyone of the subtree is accepted whatever the list showed.
        self.fields["person"].widget.choices = [("", "---------"), *person_options]
        self.fields["unit"].queryset = units
        self.fields["person"].help_text = _("Chọn một cá nhân hoặc một tập thể, không chọn cả hai.")
        if preview_url:
            preview = {
                "hx-get": preview_url,
                "hx-trigger": "change",
                "hx-target": "#eligibility-preview",
                "hx-include": "#id_award_type, #id_person, #id_unit",
            }
            for name in ("award_type", "person", "unit"):
                self.fields[name].widget.attrs.update(preview)
        if nominees_url:
            self.fields["nominee_q"].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "hx-get": nominees_url,
                    "hx-trigger": "input changed delay:400ms, search",
                    "hx-target": "#id_person",
                    "hx-include": "#id_person",
                    "aria-controls": "id_person",
                }
            )
        self.helper = _helper(
            "proposing_unit",
            "version",
            "award_type",
            Fieldset(
                _("Người được đề nghị"),
                Row(
                    Column("nominee_q", css_class="col-md-5"),
                    Column("person", css_class="col-md-7"),
                ),
                "unit",
            ),
            "track",
            "achievement_summary",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        person, unit = data.get("person"), data.get("unit")
        if "person" in self.errors or "unit" in self.errors:
            return data
        if person is None and unit is None:
            self.add_error("person", _("Chọn một cá nhân hoặc một tập thể được đề nghị."))
        elif person is not None and unit is not None:
            self.add_error("unit", _("Chỉ chọn cá nhân hoặc tập thể, không chọn cả hai."))
        award_type = data.get("award_type")
        if award_type is not None and "person" not in self.errors and "unit" not in self.errors:
            if person is not None and award_type.subject != Subject.INDIVIDUAL:
                self.add_error(
                    "award_type",
                    _("“%(award)s” dành cho tập thể; chọn danh hiệu, hình thức cho cá nhân.")
                    % {"award": award_type.name},
                )
            elif unit is not None and award_type.subject != Subject.COLLECTIVE:
                self.add_error(
                    "award_type",
                    _("“%(award)s” dành cho cá nhân; chọn danh hiệu, hình thức cho tập thể.")
                    % {"award": award_type.name},
                )
        return data


class ReturnForm(CleanTextMixin, forms.Form):
    multiline_fields = ("reason",)

    reason = forms.CharField(
        label=_("Lý do trả lại"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Đơn vị sẽ thấy lý do này; ghi rõ cần bổ sung, sửa gì."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class NoteForm(CleanTextMixin, forms.Form):
    """An optional note kept with a step (accept, resubmit)."""

    multiline_fields = ("note",)

    note = forms.CharField(
        label=_("Ghi chú"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _helper()


class DossierFileForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại hồ sơ"), choices=DossierKind.choices)
    file = forms.FileField(
        label=_("Tệp (PDF, JPEG hoặc PNG)"),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Tối đa %(limit)s. Hệ thống kiểm tra nội dung tệp, không dựa vào tên tệp."
        ) % {"limit": filesizeformat(settings.MAX_UPLOAD_BYTES)}
        self.helper = _helper()


# Lists ------------------------------------------------------------------------------------------


class NominationFilterForm(forms.Form):
    q = forms.CharField(label=_("Tên người, tập thể được đề nghị"), required=False, max_length=200)
    round = forms.ModelChoiceField(
        label=_("Đợt khen thưởng"), required=False, queryset=AwardRound.objects.none()
    )
    year = forms.IntegerField(
        label=_("Năm"), required=False, min_value=MIN_YEAR, max_value=MAX_YEAR
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *NominationStatus.choices],
    )
    award_type = forms.ModelChoiceField(
        label=_("Danh hiệu, hình thức"), required=False, queryset=AwardType.objects.none()
    )
    unit = UnitChoiceField(label=_("Đơn vị đề nghị"), required=False, queryset=Unit.objects.none())

    def __init__(
        self, *args: Any, rounds: QuerySet[AwardRound], units: QuerySet[Unit], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["award_type"].queryset = AwardType.objects.order_by("order", "name")
        self.fields["unit"].queryset = units
        for name in ("round", "award_type", "unit"):
            self.fields[name].empty_label = _("Tất cả")

    def options(self, name: str) -> list[tuple[str, str]]:
        """(value, label) of a select, in one plain query (the list page writes selects by hand)."""
        field = self.fields[name]
        return [(str(pk), label) for pk, label in field.queryset.values_list("pk", "name")]

    def round_options(self) -> list[tuple[str, str]]:
        return self.options("round")

    def award_type_options(self) -> list[tuple[str, str]]:
        return self.options("award_type")
