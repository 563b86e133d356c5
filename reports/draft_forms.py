"""Forms of the report draft pages. They validate and normalise; draft_services decide."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.db.models import QuerySet
from django.forms import BoundField
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from awards.council_forms import FieldsMixin
from campaigns.forms import MAX_YEAR, MIN_YEAR, CleanTextMixin, DateInput
from campaigns.models import Campaign, Phase
from campaigns.versioning import VersionedFormMixin

from .models import ReportDraft

# A generous bound on one narrative section (a long report runs to a few pages per part).
TEXT_MAX = 20_000
NARRATIVE_TEXTS = (
    "context",
    "direction",
    "exemplars",
    "strengths",
    "shortcomings",
    "causes",
    "lessons",
    "next_direction",
    "proposals",
)
AREA_PREFIX = "area_"


def _check_day(form: forms.Form, name: str, day: datetime.date | None) -> None:
    if day is not None and not MIN_YEAR <= day.year <= MAX_YEAR:
        form.add_error(
            name,
            _("Ngày không hợp lệ (từ năm %(a)s đến %(b)s).") % {"a": MIN_YEAR, "b": MAX_YEAR},
        )


class CampaignChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        return f"{obj.name} ({obj.years_label})"


class PhaseChoiceField(forms.ModelChoiceField):
    """A phase and its review: "Giai đoạn 1 – sơ kết"; with the campaign when not narrowed."""

    with_campaign = True

    def label_from_instance(self, obj: Phase) -> str:
        label = f"{obj.name} – {obj.get_review_kind_display().lower()}"
        return f"{obj.campaign}: {label}" if self.with_campaign else label


class DraftCreateForm(FieldsMixin, CleanTextMixin, forms.Form):
    campaign = CampaignChoiceField(
        queryset=Campaign.objects.none(),
        label=_("Phong trào"),
        empty_label=_("— Chọn phong trào —"),
        error_messages={
            "required": _("Hãy chọn phong trào."),
            "invalid_choice": _("Phong trào đã chọn không hợp lệ hoặc bạn không phụ trách."),
        },
    )
    phase = PhaseChoiceField(
        queryset=Phase.objects.none(),
        label=_("Giai đoạn"),
        empty_label=_("— Chọn giai đoạn —"),
        help_text=_("Giai đoạn cuối của phong trào được tổng kết, các giai đoạn khác được sơ kết."),
        error_messages={
            "required": _("Hãy chọn giai đoạn được sơ kết, tổng kết."),
            "invalid_choice": _("Giai đoạn đã chọn không hợp lệ."),
        },
    )
    title = forms.CharField(
        label=_("Trích yếu (tên báo cáo)"),
        max_length=ReportDraft._meta.get_field("title").max_length,
        required=False,
        help_text=_("Để trống để dùng: Báo cáo sơ kết (tổng kết) giai đoạn … phong trào “…”."),
    )

    def __init__(
        self,
        *args: Any,
        campaigns: QuerySet[Campaign],
        phases: QuerySet[Phase],
        narrowed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        # Choosing a campaign narrows the phase list (htmx); without script every phase
        # is listed with its campaign's name.
        self.fields["campaign"].widget.attrs.update(
            {
                "hx-get": reverse("reports:draft_phases"),
                "hx-trigger": "change",
                "hx-target": "#id_phase",
                "hx-swap": "innerHTML",
            }
        )
        self.fields["phase"].queryset = phases
        self.fields["phase"].with_campaign = not narrowed

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        campaign, phase = data.get("campaign"), data.get("phase")
        if campaign and phase and phase.campaign_id != campaign.pk:
            self.add_error("phase", _("Giai đoạn đã chọn không thuộc phong trào này."))
        return data


class DraftForm(VersionedFormMixin, FieldsMixin, CleanTextMixin, forms.ModelForm):
    """The narrative and the document details; one text field per content area.

    Its version (campaigns.versioning) is checked by draft_services.draft_update alone,
    so that the page and its autosave answer a conflict apart (409)."""

    check_version_in_form = False

    class Meta:
        model = ReportDraft
        fields = [
            "title",
            "number",
            "place",
            "document_date",
            *NARRATIVE_TEXTS,
            "recipients",
            "signer_position",
            "signer_name",
        ]
        labels = {
            "title": _("Trích yếu (tên báo cáo)"),
            "number": _("Số, ký hiệu"),
            "place": _("Địa danh"),
            "document_date": _("Ngày ban hành"),
            "context": _("1. Bối cảnh, tình hình"),
            "direction": _("2. Công tác chỉ đạo, triển khai"),
            "exemplars": _("4. Phát hiện, bồi dưỡng, nhân rộng điển hình tiên tiến"),
            "strengths": _("Ưu điểm"),
            "shortcomings": _("Hạn chế"),
            "causes": _("Nguyên nhân"),
            "lessons": _("7. Bài học kinh nghiệm"),
            "next_direction": _("Phương hướng, nhiệm vụ giai đoạn tới"),
            "proposals": _("Đề xuất, kiến nghị"),
            "recipients": _("Nơi nhận (mỗi dòng một nơi)"),
            "signer_position": _("Chức vụ người ký"),
            "signer_name": _("Người ký"),
        }
        help_texts = {
            "number": _("Ví dụ: 12/BC-KTNN. Có thể để trống đến khi ban hành."),
            "direction": _(
                "Số đơn vị tham gia, đăng ký, giao ước đã ký do hệ thống tổng hợp; ở đây ghi "
                "việc ban hành kế hoạch, phát động, hướng dẫn, kiểm tra."
            ),
            "signer_position": _("Ví dụ: KT. TỔNG KIỂM TOÁN NHÀ NƯỚC / PHÓ TỔNG KIỂM TOÁN"),
            "recipients": _("Ví dụ: Ban Thi đua - Khen thưởng Trung ương; Lưu: VT."),
        }
        widgets = {"document_date": DateInput()}
        error_messages = {
            "title": {"required": _("Hãy nhập trích yếu của báo cáo.")},
            "document_date": {"invalid": _("Ngày ban hành không hợp lệ.")},
        }

    def __init__(self, *args: Any, areas: list[tuple[str, str]], **kwargs: Any) -> None:
        """``areas``: the draft's items as (key in ``area_results``, label), see area_sections."""
        super().__init__(*args, **kwargs)
        self.areas = areas
        results = self.instance.area_results or {}
        for key, label in areas:
            self.fields[f"{AREA_PREFIX}{key}"] = forms.CharField(
                label=label,
                required=False,
                initial=results.get(key, ""),
                widget=forms.Textarea(attrs={"class": "form-control"}),
            )
        self.multiline_fields = (
            *NARRATIVE_TEXTS,
            "recipients",
            *(f"{AREA_PREFIX}{key}" for key, _label in areas),
        )
        for name in self.multiline_fields:
            field = self.fields[name]
            field.max_length = TEXT_MAX
            field.validators.append(MaxLengthValidator(TEXT_MAX))
            field.widget.attrs.update(rows=4, maxlength=TEXT_MAX)
        for name in ("number", "place", "document_date"):
            self.fields[name].col = "col-sm-4"
        for name in ("signer_position", "signer_name"):
            self.fields[name].col = "col-sm-6"

    @property
    def area_fields(self) -> list[BoundField]:
        return [self[f"{AREA_PREFIX}{key}"] for key, _label in self.areas]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        _check_day(self, "document_date", data.get("document_date"))
        data["version"] = self.expected_version  # what the views hand to draft_update
        return data

    def draft_fields(self) -> dict[str, Any]:
        """What draft_services.draft_update takes, from the cleaned data."""
        data = {name: self.cleaned_data[name] for name in self._meta.fields}
        if self.areas:  # a draft without items keeps whatever it holds
            data["area_results"] = {
                key: self.cleaned_data.get(f"{AREA_PREFIX}{key}", "") for key, _label in self.areas
            }
        return data
