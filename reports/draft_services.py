"""Report drafts: create one for a campaign phase, update its narrative (autosaved).

The views check who may write (reports.access.can_write); these functions keep the
draft consistent: the phase belongs to the campaign, one draft per phase, and an
update carrying an old ``version`` is refused (ConflictError) instead of silently
overwriting what someone else saved in between. Every change is kept in the
draft's history with its author.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Campaign, Phase, ReviewKind
from campaigns.versioning import check_version

from .draft_selectors import area_sections
from .models import ReportDraft, ReportKind

# What the staff may change on a draft; the subject (campaign, phase, body) is fixed.
EDITABLE_FIELDS = frozenset(
    {
        "title",
        "context",
        "direction",
        "area_results",
        "exemplars",
        "strengths",
        "shortcomings",
        "causes",
        "lessons",
        "next_direction",
        "proposals",
        "number",
        "place",
        "document_date",
        "signer_name",
        "signer_position",
        "recipients",
    }
)
TITLE_MAX = ReportDraft._meta.get_field("title").max_length


def review_word(phase: Phase) -> str:
    return _("tổng kết") if phase.review_kind == ReviewKind.FINAL else _("sơ kết")


def default_title(campaign: Campaign, phase: Phase) -> str:
    """'Báo cáo sơ kết giai đoạn 1 (2023-2025) phong trào “…”' (tổng kết for the final phase)."""
    name = phase.name.strip()
    # "Giai đoạn 1" reads "giai đoạn 1" mid-sentence; an acronym ("GĐ1") is left alone.
    if len(name) > 1 and name[0].isupper() and name[1].islower():
        name = name[0].lower() + name[1:]
    title = _("Báo cáo %(review)s %(phase)s phong trào “%(campaign)s”") % {
        "review": review_word(phase),
        "phase": name,
        "campaign": campaign.name,
    }
    return title[:TITLE_MAX]


def _area_results(keys: set[str], results: dict[str, str] | None) -> dict[str, str]:
    """Keep the texts of the draft's own items (content areas, commitments), empty ones dropped."""
    return {key: text for key, text in (results or {}).items() if key in keys and text}


def _validate(draft: ReportDraft, exclude: list[str] | None = None) -> None:
    try:
        draft.full_clean(exclude=exclude)
    except ValidationError as error:
        raise DomainError(" ".join(error.messages)) from error


@transaction.atomic
def draft_create(
    *,
    by: AbstractBaseUser,
    campaign: Campaign,
    phase: Phase,
    title: str = "",
    **fields: Any,
) -> ReportDraft:
    """Start the phase review of ``phase``: written for the campaign's issuing unit."""
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"draft_create() got unexpected fields: {sorted(unknown)}")
    # Lock the phase so that two people starting the same review get one draft.
    phase = Phase.objects.select_for_update().get(pk=phase.pk)
    if phase.campaign_id != campaign.pk:
        raise DomainError(_("Giai đoạn đã chọn không thuộc phong trào này."))
    existing = ReportDraft.objects.filter(kind=ReportKind.PHASE_REVIEW, phase=phase).first()
    if existing:
        raise DomainError(
            _("Giai đoạn này đã có dự thảo báo cáo “%(title)s”; hãy tiếp tục dự thảo đó.")
            % {"title": existing.title}
        )
    fields.setdefault("signer_name", campaign.signer_name)
    fields.setdefault("signer_position", campaign.signer_position)
    if "area_results" in fields:
        areas = {str(pk) for pk in campaign.content_areas.values_list("pk", flat=True)}
        fields["area_results"] = _area_results(areas, fields["area_results"])
    draft = ReportDraft(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=campaign.issuing_unit,
        title=title or default_title(campaign, phase),
        created_by=by,
        **fields,
    )
    _validate(draft)
    draft._history_user = by
    draft.save()
    return draft


@transaction.atomic
def draft_update(
    *, draft: ReportDraft, by: AbstractBaseUser, expected_version: int | None, **fields: Any
) -> tuple[ReportDraft, bool]:
    """Save the narrative; returns the draft as stored and whether anything changed.

    ``expected_version`` is the version the user's page was showing: if the draft
    has been saved since (by someone else, or in another tab), nothing is written
    and ConflictError says so. Saving what is already stored writes nothing, so
    the autosave of an unchanged page costs no history row.
    """
    unknown = set(fields) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"draft_update() got unexpected fields: {sorted(unknown)}")
    current = ReportDraft.objects.select_for_update().get(pk=draft.pk)
    check_version(current, expected_version)
    if "area_results" in fields:
        keys = {key for key, _label in area_sections(current)}
        fields["area_results"] = _area_results(keys, fields["area_results"])
    if "title" in fields and not fields["title"]:
        raise DomainError(_("Hãy nhập trích yếu của báo cáo."))
    changed = {name: value for name, value in fields.items() if getattr(current, name) != value}
    if not changed:
        return current, False
    for name, value in changed.items():
        setattr(current, name, value)
    current.version += 1
    # Only what this call changes is checked: older rows may lack fields added since.
    _validate(current, exclude=[f.name for f in ReportDraft._meta.fields if f.name not in changed])
    current._history_user = by
    current.save()
    return current, True
