"""Use cases that change campaign plans. Each is atomic and guarded.

History rows (django-simple-history) record who changed what; views pass the
acting user so bulk paths outside a request still attribute the change.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import F, ProtectedError
from django.forms import BaseModelFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import DomainError
from .models import (
    Campaign,
    CampaignStatus,
    ContentArea,
    Person,
    Phase,
    ProgressEntry,
    ProgressFigure,
    Target,
    Unit,
)
from .rules import PhaseInput, check_phases
from .versioning import check_version, claim_version


def _bump_version(campaign: Campaign, expected_version: int | None) -> None:
    """Optimistic lock (campaigns.versioning): refuse the write if the campaign changed
    since it was read, or if the form sent no version."""
    claim_version(campaign, expected_version)


@transaction.atomic
def campaign_create(
    *,
    by: AbstractBaseUser,
    participating_units: Iterable[Unit] = (),
    linked_campaigns: Iterable[Campaign] = (),
    **fields: Any,
) -> Campaign:
    """Create a draft campaign; with no participants named, the issuing unit's subtree takes part."""
    campaign = Campaign(created_by=by, status=CampaignStatus.DRAFT, **fields)
    campaign.full_clean()
    campaign._history_user = by
    campaign.save()
    units = list(participating_units) or [campaign.issuing_unit]
    campaign.participating_units.set(units)
    campaign.linked_campaigns.set(list(linked_campaigns))
    return campaign


@transaction.atomic
def campaign_update(
    *,
    campaign: Campaign,
    by: AbstractBaseUser,
    expected_version: int | None,
    participating_units: Iterable[Unit] | None = None,
    linked_campaigns: Iterable[Campaign] | None = None,
    **fields: Any,
) -> Campaign:
    if campaign.status == CampaignStatus.ARCHIVED:
        raise DomainError(_("Phong trào đã lưu trữ, không thể sửa."))
    _bump_version(campaign, expected_version)
    for name, value in fields.items():
        setattr(campaign, name, value)
    phases = list(campaign.phases.all())
    if phases:
        errors = check_phases(campaign.start_year, campaign.end_year, _inputs(phases))
        if errors:
            raise DomainError(
                _("Các giai đoạn hiện có không còn nằm trong thời gian %(years)s của phong trào.")
                % {"years": campaign.years_label}
            )
    campaign.full_clean()
    campaign._history_user = by
    campaign.save()
    if participating_units is not None:
        campaign.participating_units.set(list(participating_units) or [campaign.issuing_unit])
    if linked_campaigns is not None:
        campaign.linked_campaigns.set([c for c in linked_campaigns if c.pk != campaign.pk])
    return campaign


def _inputs(phases: Iterable[Phase]) -> list[PhaseInput]:
    return [
        PhaseInput(p.name, p.start_date, p.end_date, p.review_kind, p.review_due_date)
        for p in phases
    ]


def _save_numbered(
    formset: BaseModelFormSet, campaign: Campaign, by: AbstractBaseUser, parent_field: str
) -> None:
    """Save a formset's rows numbered in the order shown; deleted rows go to history."""
    kept = [f for f in formset.ordered_forms] if formset.can_order else formset.forms
    number = 0
    for form in kept:
        if not form.has_changed() and form.instance.pk is None:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            continue
        number += 1
        obj = form.save(commit=False)
        setattr(obj, parent_field, campaign)
        obj.number = number
        obj._history_user = by
        obj.save()
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._history_user = by
            try:
                form.instance.delete()
            except ProtectedError as exc:
                raise DomainError(
                    _("Không thể xóa “%(name)s” vì đã có đơn vị báo cáo kết quả theo mục này.")
                    % {"name": form.instance}
                ) from exc


@transaction.atomic
def phases_save(
    *, campaign: Campaign, by: AbstractBaseUser, formset: BaseModelFormSet, expected_version: int
) -> None:
    """Replace the campaign's phases with the formset's rows, re-checking the whole set."""
    if not campaign.is_editable:
        raise DomainError(_("Phong trào đã kết thúc hoặc lưu trữ, không thể sửa giai đoạn."))
    _bump_version(campaign, expected_version)
    _save_numbered(formset, campaign, by, "campaign")
    phases = list(Phase.objects.filter(campaign=campaign).order_by("number"))
    if check_phases(campaign.start_year, campaign.end_year, _inputs(phases)):
        raise DomainError(_("Các giai đoạn chưa hợp lệ; kiểm tra lại từng dòng."))


@transaction.atomic
def content_areas_save(
    *, campaign: Campaign, by: AbstractBaseUser, formset: BaseModelFormSet, expected_version: int
) -> None:
    if not campaign.is_editable:
        raise DomainError(_("Phong trào đã kết thúc hoặc lưu trữ, không thể sửa nội dung."))
    _bump_version(campaign, expected_version)
    _save_numbered(formset, campaign, by, "campaign")


@transaction.atomic
def targets_save(
    *,
    content_area: ContentArea,
    by: AbstractBaseUser,
    formset: BaseModelFormSet,
    expected_version: int,
) -> None:
    campaign = content_area.campaign
    if not campaign.is_editable:
        raise DomainError(_("Phong trào đã kết thúc hoặc lưu trữ, không thể sửa chỉ tiêu."))
    _bump_version(campaign, expected_version)
    _save_numbered(formset, content_area, by, "content_area")


@transaction.atomic
def milestones_save(
    *, campaign: Campaign, by: AbstractBaseUser, formset: BaseModelFormSet, expected_version: int
) -> None:
    if campaign.status == CampaignStatus.ARCHIVED:
        raise DomainError(_("Phong trào đã lưu trữ, không thể sửa mốc thời gian."))
    _bump_version(campaign, expected_version)
    for form in formset.forms:
        if formset._should_delete_form(form):
            continue
        if not form.has_changed():
            continue
        milestone = form.save(commit=False)
        milestone.campaign = campaign
        milestone._history_user = by
        milestone.save()
    for form in formset.deleted_forms:
        if form.instance.pk:
            form.instance._history_user = by
            form.instance.delete()


# Status transitions --------------------------------------------------------------------------

_TRANSITIONS: dict[str, tuple[set[str], str]] = {
    "launch": ({CampaignStatus.DRAFT}, CampaignStatus.LAUNCHED),
    "close": ({CampaignStatus.LAUNCHED}, CampaignStatus.CLOSED),
    "archive": ({CampaignStatus.DRAFT, CampaignStatus.CLOSED}, CampaignStatus.ARCHIVED),
    "restore": ({CampaignStatus.ARCHIVED}, CampaignStatus.DRAFT),
}


@transaction.atomic
def campaign_change_status(*, campaign: Campaign, by: AbstractBaseUser, action: str) -> Campaign:
    """Launch (phát động), close, archive or restore a campaign.

    Launching needs at least one phase and one content area; a launched
    campaign is closed before it can be archived; restoring an archived campaign
    brings it back as closed if it had been launched, else as a draft.
    """
    if action not in _TRANSITIONS:
        raise DomainError(_("Thao tác không hợp lệ."))
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    allowed, target = _TRANSITIONS[action]
    if campaign.status not in allowed:
        raise DomainError(
            _("Không thể thực hiện thao tác này khi phong trào đang ở trạng thái “%(status)s”.")
            % {"status": campaign.get_status_display()}
        )
    today = timezone.localdate()
    if action == "launch":
        if not campaign.phases.exists():
            raise DomainError(_("Cần ít nhất một giai đoạn trước khi phát động."))
        if not campaign.content_areas.exists():
            raise DomainError(_("Cần ít nhất một nội dung thi đua trước khi phát động."))
        campaign.launched_on = today
    elif action == "close":
        campaign.closed_on = today
    elif action == "restore" and campaign.launched_on:
        target = CampaignStatus.CLOSED
    campaign.status = target
    campaign.version = F("version") + 1
    campaign._history_user = by
    campaign.save()
    campaign.refresh_from_db()
    return campaign


# Progress ------------------------------------------------------------------------------------


@transaction.atomic
def progress_record(
    *,
    phase: Phase,
    content_area: ContentArea,
    unit: Unit,
    by: AbstractBaseUser,
    summary: str,
    figures: dict[int, Any],
    expected_version: int | None = None,
) -> ProgressEntry:
    """Record (or revise) what ``unit`` did in ``phase`` for ``content_area``.

    Revising claims the version the form read (campaigns.versioning); a report made by
    someone else since the form was opened as a first report is refused the same way."""
    campaign = phase.campaign
    if content_area.campaign_id != campaign.pk:
        raise DomainError(_("Nội dung thi đua không thuộc phong trào này."))
    if campaign.status != CampaignStatus.LAUNCHED:
        raise DomainError(_("Chỉ báo cáo kết quả khi phong trào đang được triển khai."))
    entry = (
        ProgressEntry.objects.select_for_update()
        .filter(phase=phase, content_area=content_area, unit=unit)
        .first()
    )
    if entry is None:
        entry = ProgressEntry(phase=phase, content_area=content_area, unit=unit)
    else:
        check_version(entry, expected_version)
        entry.version += 1
    entry.summary = summary
    entry.reported_by = by
    entry._history_user = by
    entry.save()
    targets = {t.pk: t for t in Target.objects.filter(content_area=content_area)}
    existing = {f.target_id: f for f in entry.figures.all()}
    for target_id, value in figures.items():
        if target_id not in targets:
            raise DomainError(_("Chỉ tiêu không thuộc nội dung thi đua này."))
        figure = existing.get(target_id)
        if value is None:
            if figure:
                figure.delete()
            continue
        if figure is None:
            figure = ProgressFigure(entry=entry, target_id=target_id)
        figure.value = value
        figure._history_user = by
        figure.save()
    return entry


# Units and people ----------------------------------------------------------------------------


@transaction.atomic
def unit_save(*, unit: Unit, by: AbstractBaseUser, expected_version: int | None = None) -> Unit:
    """Create or update a unit. Archiving needs every sub-unit archived first.

    An update claims the version the form was built from (campaigns.versioning)."""
    if unit.pk:
        claim_version(unit, expected_version)
    if unit.pk and not unit.is_active:
        active_children = unit.children.filter(is_active=True).count()
        if active_children:
            raise DomainError(
                _("Còn %(n)s đơn vị trực thuộc đang hoạt động: lưu trữ các đơn vị đó trước.")
                % {"n": active_children}
            )
    unit.full_clean()
    unit._history_user = by
    unit.save()
    return unit


@transaction.atomic
def person_save(
    *, person: Person, by: AbstractBaseUser, expected_version: int | None = None
) -> Person:
    """Create or update a person; an update claims the form's version."""
    if person.pk:
        claim_version(person, expected_version)
    if not person.unit.is_active and person.is_active:
        raise DomainError(
            _("Đơn vị đã lưu trữ: không thể thêm hoặc chuyển cá nhân đang công tác vào.")
        )
    person.full_clean()
    person._history_user = by
    person.save()
    return person
