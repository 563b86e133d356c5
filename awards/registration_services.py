"""A unit's registration (đăng ký thi đua): draft → submitted → approved, or returned and resubmitted.

Each use case is keyword-only and atomic, locks the registration it changes,
refuses a wrong state with a DomainError a user can read, and records who and
when (fields on the registration, and its history with the reason).

The campaign's registration deadline (if any) closes creating and first
submitting for everyone but HR staff of the unit's body. A registration that
was returned may be corrected and sent again after the deadline: it was sent
in time, and the correction is what the reviewers asked for.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from campaigns.errors import DomainError
from campaigns.models import Campaign, CampaignStatus, Person, Unit
from campaigns.versioning import check_version

from . import access
from .models import (
    AwardType,
    Category,
    Registration,
    RegistrationEntry,
    RegistrationStatus,
    Subject,
)
from .records_services import body_of

User = AbstractBaseUser | AnonymousUser

EDITABLE = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)
MIN_YEAR = 1945


def collective_titles() -> QuerySet[AwardType]:
    return AwardType.objects.filter(
        category=Category.EMULATION_TITLE, subject=Subject.COLLECTIVE, is_active=True
    )


def individual_titles() -> QuerySet[AwardType]:
    return AwardType.objects.filter(
        category=Category.EMULATION_TITLE, subject=Subject.INDIVIDUAL, is_active=True
    )


def registrable_people(unit: Unit) -> QuerySet[Person]:
    """People who may be listed: those working in the unit's subtree."""
    return Person.objects.filter(unit__path__startswith=unit.path, is_active=True)


def can_review_registration(user: User, registration: Registration) -> bool:
    """HR staff of the unit's body approve and return registrations."""
    return access.can_review(user, body_of(registration.unit))


def can_edit_registration(user: User, registration: Registration) -> bool:
    return access.can_propose_for(user, registration.unit)


def deadline_passed(campaign: Campaign | None, today: datetime.date | None = None) -> bool:
    if campaign is None or campaign.registration_deadline is None:
        return False
    return (today or timezone.localdate()) > campaign.registration_deadline


def _check_deadline(*, by: User, unit: Unit, campaign: Campaign | None, what: str) -> None:
    if campaign is None or campaign.registration_deadline is None:
        return
    if not deadline_passed(campaign) or access.can_review(by, body_of(unit)):
        return
    raise DomainError(
        _(
            "Đã quá hạn đăng ký thi đua của phong trào “%(campaign)s” (hạn cuối ngày "
            "%(date)s) nên không thể %(what)s. Sau hạn, chỉ cán bộ thi đua – khen thưởng "
            "của cơ quan mới thực hiện được; hãy liên hệ với họ."
        )
        % {
            "campaign": campaign,
            "date": campaign.registration_deadline.strftime("%d/%m/%Y"),
            "what": what,
        }
    )


def _check_collective_title(title: AwardType | None) -> None:
    if title is None:
        return
    if (
        title.category != Category.EMULATION_TITLE
        or title.subject != Subject.COLLECTIVE
        or not title.is_active
    ):
        raise DomainError(
            _("“%(title)s” không phải danh hiệu thi đua tập thể đang áp dụng.") % {"title": title}
        )


def _check_campaign(campaign: Campaign, unit: Unit, year: int) -> None:
    if campaign.status != CampaignStatus.LAUNCHED:
        raise DomainError(
            _("Phong trào “%(campaign)s” chưa phát động hoặc đã kết thúc; không nhận đăng ký.")
            % {"campaign": campaign}
        )
    if not campaign.start_year <= year <= campaign.end_year:
        raise DomainError(
            _("Năm %(year)s nằm ngoài thời gian %(years)s của phong trào “%(campaign)s”.")
            % {"year": year, "years": campaign.years_label, "campaign": campaign}
        )
    if not campaign.participating_units.filter(path__in=unit.ancestor_paths).exists():
        raise DomainError(
            _("%(unit)s không tham gia phong trào “%(campaign)s”.")
            % {"unit": unit, "campaign": campaign}
        )


def _locked(registration: Registration) -> Registration:
    return (
        # of=self: the joined campaign and title are nullable, and PostgreSQL cannot
        # lock the nullable side of an outer join.
        Registration.objects.select_for_update(of=("self",))
        .select_related("unit", "campaign", "collective_title")
        .get(pk=registration.pk)
    )


def _save(registration: Registration, by: AbstractBaseUser, reason: str = "") -> None:
    """Write a locked registration; every write raises its version (campaigns.versioning),
    so an edit form opened before a change (a submission, an import) is refused."""
    registration.version += 1
    registration._history_user = by
    if reason:
        registration._change_reason = reason
    registration.save()


@transaction.atomic
def registration_create(
    *,
    by: AbstractBaseUser,
    unit: Unit,
    year: int,
    campaign: Campaign | None = None,
    collective_title: AwardType | None = None,
) -> Registration:
    """Open a draft registration of ``unit`` for ``year`` (and ``campaign``)."""
    if not unit.is_active:
        raise DomainError(_("%(unit)s đã ngừng hoạt động.") % {"unit": unit})
    if not MIN_YEAR <= year <= timezone.localdate().year + 1:
        raise DomainError(
            _("Năm đăng ký phải trong khoảng %(min)d–%(max)d.")
            % {"min": MIN_YEAR, "max": timezone.localdate().year + 1}
        )
    if campaign is not None:
        _check_campaign(campaign, unit, year)
    _check_deadline(by=by, unit=unit, campaign=campaign, what=_("tạo đăng ký"))
    _check_collective_title(collective_title)
    duplicate = Registration.objects.filter(unit=unit, year=year, campaign=campaign)
    if duplicate.exists():
        raise DomainError(_already(unit, year, campaign))
    registration = Registration(
        unit=unit, year=year, campaign=campaign, collective_title=collective_title
    )
    try:
        with transaction.atomic():
            _save(registration, by, _("Tạo đăng ký"))
    except IntegrityError as exc:  # created by someone else meanwhile
        raise DomainError(_already(unit, year, campaign)) from exc
    return registration


def _already(unit: Unit, year: int, campaign: Campaign | None) -> str:
    if campaign is None:
        return _("%(unit)s đã có đăng ký thi đua năm %(year)s.") % {"unit": unit, "year": year}
    return _("%(unit)s đã có đăng ký thi đua năm %(year)s cho phong trào “%(campaign)s”.") % {
        "unit": unit,
        "year": year,
        "campaign": campaign,
    }


def _check_editable(registration: Registration) -> None:
    if registration.status not in EDITABLE:
        raise DomainError(
            _("Đăng ký đang ở trạng thái “%(status)s”, không thể sửa.")
            % {"status": registration.get_status_display()}
        )


def _check_entries(
    registration: Registration,
    entries: Sequence[tuple[Person, AwardType]],
    listed: set[tuple[int, int]],
) -> None:
    """People of the unit with active individual titles; pairs already listed may stay."""
    seen: set[tuple[int, int]] = set()
    for person, title in entries:
        key = (person.pk, title.pk)
        if key in seen:
            raise DomainError(
                _("%(person)s được đăng ký “%(title)s” hai lần.")
                % {"person": person, "title": title}
            )
        seen.add(key)
        if key in listed:
            continue
        if not person.unit.path.startswith(registration.unit.path):
            raise DomainError(
                _("%(person)s không thuộc %(unit)s.")
                % {"person": person, "unit": registration.unit}
            )
        if (
            title.category != Category.EMULATION_TITLE
            or title.subject != Subject.INDIVIDUAL
            or not title.is_active
        ):
            raise DomainError(
                _("“%(title)s” không phải danh hiệu thi đua cá nhân đang áp dụng.")
                % {"title": title}
            )
        if not person.is_active:
            raise DomainError(
                _("%(person)s đã nghỉ công tác, không thể thêm vào đăng ký.") % {"person": person}
            )


@transaction.atomic
def registration_update(
    *,
    registration: Registration,
    by: AbstractBaseUser,
    collective_title: AwardType | None,
    entries: Sequence[tuple[Person, AwardType]],
    expected_version: int | None = None,
) -> Registration:
    """Replace the collective title and the list of people with their titles.

    Entries no longer listed leave the list (their history stays); people who
    have left the unit since may stay listed but cannot be added. The form's version
    is checked under the row lock (campaigns.versioning).
    """
    registration = _locked(registration)
    _check_editable(registration)
    check_version(registration, expected_version)
    title_changed = registration.collective_title_id != (
        collective_title.pk if collective_title else None
    )
    if title_changed:
        _check_collective_title(collective_title)
    current = {(e.person_id, e.award_type_id): e for e in registration.entries.all()}
    _check_entries(registration, entries, set(current))
    wanted = {(p.pk, t.pk) for p, t in entries}
    for key, entry in current.items():
        if key not in wanted:
            entry._history_user = by
            entry.delete()
    new = [
        RegistrationEntry(registration=registration, person=p, award_type=t)
        for p, t in entries
        if (p.pk, t.pk) not in current
    ]
    removed = len([key for key in current if key not in wanted])
    if new:
        bulk_create_with_history(new, RegistrationEntry, default_user=by)
    reasons = []
    if title_changed:
        registration.collective_title = collective_title
        reasons.append(_("sửa danh hiệu tập thể"))
    if new or removed:
        reasons.append(
            _("thêm %(added)d, bỏ %(removed)d cá nhân") % {"added": len(new), "removed": removed}
        )
    if reasons:
        # A history row on the registration itself says who changed the list, and when.
        text = "; ".join(reasons)
        _save(registration, by, text[:1].upper() + text[1:])
    return registration


@dataclass(frozen=True)
class EntryRow:
    person_id: int
    award_type_id: int


@transaction.atomic
def registration_add_entries(
    *, registration: Registration, by: AbstractBaseUser, entries: Sequence[EntryRow]
) -> int:
    """Add people with their titles (the Excel import); pairs already listed are skipped."""
    registration = _locked(registration)
    _check_editable(registration)
    current = set(registration.entries.values_list("person_id", "award_type_id"))
    new = [
        RegistrationEntry(
            registration=registration, person_id=e.person_id, award_type_id=e.award_type_id
        )
        for e in entries
        if (e.person_id, e.award_type_id) not in current
    ]
    if new:
        bulk_create_with_history(new, RegistrationEntry, batch_size=500, default_user=by)
        _save(
            registration,
            by,
            _("Nhập từ Excel: thêm %(added)d cá nhân") % {"added": len(new)},
        )
    return len(new)


@transaction.atomic
def registration_submit(*, registration: Registration, by: AbstractBaseUser) -> Registration:
    """Send the registration to the body's HR staff."""
    registration = _locked(registration)
    if registration.status not in EDITABLE:
        raise DomainError(
            _("Đăng ký đang ở trạng thái “%(status)s”, không thể gửi.")
            % {"status": registration.get_status_display()}
        )
    resubmission = registration.status == RegistrationStatus.RETURNED
    if not resubmission:
        _check_deadline(
            by=by, unit=registration.unit, campaign=registration.campaign, what=_("gửi đăng ký")
        )
    if registration.collective_title_id is None and not registration.entries.exists():
        raise DomainError(
            _("Đăng ký chưa có danh hiệu tập thể hay cá nhân nào; hãy nhập trước khi gửi.")
        )
    registration.status = RegistrationStatus.SUBMITTED
    registration.submitted_at = timezone.now()
    registration.submitted_by = by
    registration.return_reason = ""
    _save(registration, by, _("Gửi lại sau khi bị trả lại") if resubmission else _("Gửi đăng ký"))
    return registration


def _check_submitted(registration: Registration, what: str) -> None:
    if registration.status != RegistrationStatus.SUBMITTED:
        raise DomainError(
            _("Chỉ %(what)s đăng ký đã gửi; đăng ký này đang ở trạng thái “%(status)s”.")
            % {"what": what, "status": registration.get_status_display()}
        )


@transaction.atomic
def registration_approve(*, registration: Registration, by: AbstractBaseUser) -> Registration:
    registration = _locked(registration)
    _check_submitted(registration, _("duyệt"))
    registration.status = RegistrationStatus.APPROVED
    registration.reviewed_at = timezone.now()
    registration.reviewed_by = by
    _save(registration, by, _("Duyệt đăng ký"))
    return registration


@transaction.atomic
def registration_return(
    *, registration: Registration, by: AbstractBaseUser, reason: str
) -> Registration:
    """Send a submitted registration back to the unit with the reason to correct it."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Hãy nêu lý do trả lại để đơn vị biết cần sửa gì."))
    registration = _locked(registration)
    _check_submitted(registration, _("trả lại"))
    registration.status = RegistrationStatus.RETURNED
    registration.return_reason = reason
    registration.reviewed_at = timezone.now()
    registration.reviewed_by = by
    _save(registration, by, _("Trả lại đăng ký"))
    return registration
