"""Use cases that change blocs, bloc years and pledges. Each is atomic and guarded.

A refusal raises ``campaigns.errors.DomainError`` with a message a user can read;
``FieldErrors`` (a DomainError) also says which form field each message belongs
to. History rows (django-simple-history) record who did it, with a dotted action
name as the change reason (``pledges.pledge.signed``).

Pledge life cycle: draft → open for signing → fully signed. The text (title,
date, place, commitments) can be edited while nobody has signed it. Once a
member has signed, the text changes only through ``pledge_amend``: the signed
version is kept as a JSON snapshot in ``PledgeAmendment`` with who, when and
why, the signatures of that version are withdrawn (they stay in the snapshot and
in the history tables), and the pledge goes back to draft so the amended text
can be edited, opened and signed again.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.forms import BaseModelFormSet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Campaign, Unit
from campaigns.text import clean_multiline, clean_text
from campaigns.versioning import check_version, claim_version

from .models import (
    Bloc,
    BlocMembership,
    BlocYear,
    Pledge,
    PledgeAmendment,
    PledgeStatus,
    Signature,
)
from .pledge_selectors import unsigned_members
from .selectors import members_in


class FieldErrors(DomainError):
    """A refusal tied to form fields: the view shows each message next to its field."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(" ".join(m for messages in errors.values() for m in messages))
        self.errors = errors


def _record(obj: models.Model, by: AbstractBaseUser | None, action: str) -> None:
    obj._history_user = by  # type: ignore[attr-defined]
    obj._change_reason = action  # type: ignore[attr-defined]
    obj.save()


def _full_clean(obj: models.Model, **kwargs: Any) -> None:
    try:
        obj.full_clean(**kwargs)
    except ValidationError as error:
        raise FieldErrors(
            {field: list(messages) for field, messages in error.message_dict.items()}
        ) from error


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def year_window(year: int) -> tuple[datetime.date, datetime.date]:
    """Dates that may belong to a bloc year: that year, or the end of the one before.

    A year's pledge may be signed, and its flag handed over, at a ceremony held
    late in the previous year.
    """
    return datetime.date(year - 1, 1, 1), datetime.date(year, 12, 31)


def _window_error(year: int, day: datetime.date | None) -> str | None:
    first, last = year_window(year)
    if day is not None and not first <= day <= last:
        return _("Ngày phải trong năm %(prev)s hoặc năm %(year)s.") % {
            "prev": year - 1,
            "year": year,
        }
    return None


# Members -------------------------------------------------------------------------------------


def _member_years(stints: list[BlocMembership], year: int) -> bool:
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return any(s.joined_on <= last and (s.left_on is None or s.left_on >= first) for s in stints)


def _check_memberships(bloc: Bloc) -> None:
    """No unit twice in the bloc at once; every year's leader and deputies still members."""
    stints: dict[int, list[BlocMembership]] = defaultdict(list)
    for stint in bloc.memberships.select_related("unit").order_by("unit_id", "joined_on"):
        previous = stints[stint.unit_id][-1] if stints[stint.unit_id] else None
        if previous and (previous.left_on is None or previous.left_on >= stint.joined_on):
            raise DomainError(
                _(
                    "%(unit)s có hai thời gian tham gia khối chồng lên nhau (từ %(a)s và từ "
                    "%(b)s): ghi ngày rời khối của lần trước."
                )
                % {"unit": stint.unit.name, "a": _d(previous.joined_on), "b": _d(stint.joined_on)}
            )
        stints[stint.unit_id].append(stint)
    for bloc_year in bloc.years.select_related("leader").prefetch_related("deputies"):
        roles = [(bloc_year.leader, _("khối trưởng"))] if bloc_year.leader else []
        roles += [(unit, _("khối phó")) for unit in bloc_year.deputies.all()]
        for unit, role in roles:
            if not _member_years(stints.get(unit.pk, []), bloc_year.year):
                raise DomainError(
                    _(
                        "%(unit)s là %(role)s năm %(year)s nên phải là thành viên của khối "
                        "trong năm đó."
                    )
                    % {"unit": unit.name, "role": role, "year": bloc_year.year}
                )


@transaction.atomic
def memberships_save(
    *,
    bloc: Bloc,
    by: AbstractBaseUser,
    formset: BaseModelFormSet,
    expected_version: int | None = None,
) -> None:
    """Add members and change their join/leave dates. A member leaves; it is never deleted.

    The member list is the bloc's: the page claims the bloc's version (campaigns.versioning).
    """
    claim_version(bloc, expected_version)
    for form in formset.forms:
        if not form.has_changed():
            continue
        membership = form.save(commit=False)
        membership.bloc = bloc
        if membership.left_on and membership.left_on < membership.joined_on:
            raise DomainError(_("Ngày rời khối không được trước ngày tham gia."))
        try:
            with transaction.atomic():
                _record(membership, by, "pledges.membership.saved")
        except IntegrityError as error:
            raise DomainError(
                _("%(unit)s đã có một lần tham gia khối từ ngày %(date)s.")
                % {"unit": membership.unit.name, "date": _d(membership.joined_on)}
            ) from error
    _check_memberships(bloc)


# Bloc years ----------------------------------------------------------------------------------


def _bloc_year_errors(
    bloc: Bloc,
    year: int,
    leader: Unit | None,
    deputies: list[Unit],
    flag_handover_date: datetime.date | None,
    exclude_pk: int | None,
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = defaultdict(list)
    if BlocYear.objects.filter(bloc=bloc, year=year).exclude(pk=exclude_pk).exists():
        errors["year"].append(
            _("Khối đã có năm thi đua %(year)s: mỗi năm chỉ có một khối trưởng.") % {"year": year}
        )
    members = set(members_in(bloc, year).values_list("pk", flat=True))
    if leader is None:
        errors["leader"].append(_("Chọn đơn vị khối trưởng."))
    elif leader.pk not in members:
        errors["leader"].append(
            _("%(unit)s không phải là thành viên của khối trong năm %(year)s.")
            % {"unit": leader.name, "year": year}
        )
    outsiders = [unit.name for unit in deputies if unit.pk not in members]
    if outsiders:
        errors["deputies"].append(
            _("Không phải là thành viên của khối trong năm %(year)s: %(units)s.")
            % {"year": year, "units": ", ".join(outsiders)}
        )
    if leader is not None and any(unit.pk == leader.pk for unit in deputies):
        errors["deputies"].append(
            _("%(unit)s không thể vừa là khối trưởng vừa là khối phó.") % {"unit": leader.name}
        )
    message = _window_error(year, flag_handover_date)
    if message:
        errors["flag_handover_date"].append(message)
    return dict(errors)


@transaction.atomic
def bloc_year_create(
    *,
    bloc: Bloc,
    by: AbstractBaseUser,
    year: int,
    leader: Unit | None,
    deputies: Iterable[Unit] = (),
    flag_handover_date: datetime.date | None = None,
    flag_handover_occasion: str = "",
) -> BlocYear:
    """Open a year of the bloc with its leader, deputies and the rotating-flag hand-over.

    The giver of the flag is not stored: it is the previous year's leader.
    """
    deputies = list(deputies)
    errors = _bloc_year_errors(bloc, year, leader, deputies, flag_handover_date, None)
    if errors:
        raise FieldErrors(errors)
    bloc_year = BlocYear(
        bloc=bloc,
        year=year,
        leader=leader,
        flag_handover_date=flag_handover_date,
        flag_handover_occasion=clean_text(flag_handover_occasion),
    )
    _full_clean(bloc_year, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            _record(bloc_year, by, "pledges.bloc_year.created")
    except IntegrityError as error:
        # Two managers opened the same year at once.
        raise FieldErrors(
            {"year": [_("Khối đã có năm thi đua %(year)s.") % {"year": year}]}
        ) from error
    bloc_year.deputies.set(deputies)
    return bloc_year


@transaction.atomic
def bloc_year_update(
    *,
    bloc_year: BlocYear,
    by: AbstractBaseUser,
    leader: Unit | None,
    deputies: Iterable[Unit] = (),
    flag_handover_date: datetime.date | None = None,
    flag_handover_occasion: str = "",
    expected_version: int | None = None,
) -> BlocYear:
    """Change a year's leader, deputies or flag hand-over (the year itself stays)."""
    bloc_year = (
        BlocYear.objects.select_for_update(of=("self",)).select_related("bloc").get(pk=bloc_year.pk)
    )
    check_version(bloc_year, expected_version)
    bloc_year.version += 1
    deputies = list(deputies)
    errors = _bloc_year_errors(
        bloc_year.bloc, bloc_year.year, leader, deputies, flag_handover_date, bloc_year.pk
    )
    if errors:
        raise FieldErrors(errors)
    bloc_year.leader = leader
    bloc_year.flag_handover_date = flag_handover_date
    bloc_year.flag_handover_occasion = clean_text(flag_handover_occasion)
    _full_clean(bloc_year)
    _record(bloc_year, by, "pledges.bloc_year.updated")
    bloc_year.deputies.set(deputies)
    return bloc_year


# Pledges -------------------------------------------------------------------------------------


def _lock(pledge: Pledge) -> Pledge:
    """Re-read the pledge under a row lock: concurrent signings and amendments queue here."""
    return (
        Pledge.objects.select_for_update(of=("self",))
        .select_related("bloc_year", "bloc_year__bloc")
        .get(pk=pledge.pk)
    )


def _require_text_editable(pledge: Pledge) -> None:
    if pledge.status == PledgeStatus.SIGNED:
        raise DomainError(
            _("Giao ước đã được ký đủ: chỉ có thể thay đổi bằng cách lập sửa đổi, ghi rõ lý do.")
        )
    if pledge.signatures.exists():
        raise DomainError(
            _(
                "Đã có thành viên ký giao ước: nội dung đã ký chỉ có thể thay đổi bằng cách "
                "lập sửa đổi, ghi rõ lý do."
            )
        )


def _pledge_errors(
    bloc_year: BlocYear, title: str, ceremony_date: datetime.date | None, status: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not clean_text(title):
        errors["title"] = [_("Nhập tên giao ước.")]
    message = _window_error(bloc_year.year, ceremony_date)
    if message:
        errors["ceremony_date"] = [message]
    elif ceremony_date is None and status == PledgeStatus.OPEN:
        errors["ceremony_date"] = [_("Giao ước đang mở ký cần có ngày lễ ký.")]
    return errors


@transaction.atomic
def pledge_create(
    *,
    bloc_year: BlocYear,
    by: AbstractBaseUser,
    title: str,
    ceremony_date: datetime.date | None = None,
    place: str = "",
    campaigns: Iterable[Campaign] = (),
) -> Pledge:
    """Draft a pledge for a bloc year, optionally serving some campaigns."""
    errors = _pledge_errors(bloc_year, title, ceremony_date, PledgeStatus.DRAFT)
    if errors:
        raise FieldErrors(errors)
    pledge = Pledge(
        bloc_year=bloc_year,
        title=clean_text(title),
        ceremony_date=ceremony_date,
        place=clean_text(place),
        status=PledgeStatus.DRAFT,
        created_by=by,
    )
    _full_clean(pledge, exclude=["created_by"])
    _record(pledge, by, "pledges.pledge.created")
    pledge.campaigns.set(list(campaigns))
    return pledge


@transaction.atomic
def pledge_update(
    *,
    pledge: Pledge,
    by: AbstractBaseUser,
    title: str,
    ceremony_date: datetime.date | None,
    place: str,
    campaigns: Iterable[Campaign] | None = None,
    expected_version: int | None = None,
) -> Pledge:
    """Change the title, ceremony date, place or campaigns of a pledge nobody has signed."""
    pledge = _lock(pledge)
    _require_text_editable(pledge)
    check_version(pledge, expected_version)
    errors = _pledge_errors(pledge.bloc_year, title, ceremony_date, pledge.status)
    if errors:
        raise FieldErrors(errors)
    pledge.title = clean_text(title)
    pledge.ceremony_date = ceremony_date
    pledge.place = clean_text(place)
    _full_clean(pledge, exclude=["created_by"])
    pledge.version += 1
    _record(pledge, by, "pledges.pledge.updated")
    if campaigns is not None:
        pledge.campaigns.set(list(campaigns))
    return pledge


@transaction.atomic
def commitments_save(
    *,
    pledge: Pledge,
    by: AbstractBaseUser,
    formset: BaseModelFormSet,
    expected_version: int | None = None,
) -> None:
    """Save the commitments numbered 1, 2, 3… in the order the formset gives them.

    The commitments are the pledge's text: the page claims the pledge's version."""
    pledge = _lock(pledge)
    _require_text_editable(pledge)
    claim_version(pledge, expected_version)
    kept = list(formset.ordered_forms) if formset.can_order else list(formset.forms)
    number = 0
    for form in kept:
        if form.instance.pk is None and not form.has_changed():
            continue
        if form.instance.pk is not None and form.instance.pledge_id != pledge.pk:
            raise DomainError(_("Nội dung không thuộc giao ước này."))
        number += 1
        commitment = form.save(commit=False)
        commitment.pledge = pledge
        commitment.text = clean_multiline(commitment.text)
        if not commitment.text:
            raise DomainError(_("Nội dung cam kết không được để trống."))
        commitment.number = number
        _record(commitment, by, "pledges.commitment.saved")
    for form in formset.deleted_forms:
        if form.instance.pk and form.instance.pledge_id == pledge.pk:
            form.instance._history_user = by
            form.instance._change_reason = "pledges.commitment.deleted"
            form.instance.delete()


@transaction.atomic
def pledge_open(*, pledge: Pledge, by: AbstractBaseUser) -> Pledge:
    """Open a draft for signing: it needs a ceremony date, commitments and members."""
    pledge = _lock(pledge)
    if pledge.status != PledgeStatus.DRAFT:
        raise DomainError(_("Chỉ mở ký được giao ước đang ở dạng dự thảo."))
    if pledge.ceremony_date is None:
        raise DomainError(_("Nhập ngày lễ ký trước khi mở ký."))
    if not pledge.commitments.exists():
        raise DomainError(_("Giao ước cần ít nhất một nội dung cam kết trước khi mở ký."))
    if not unsigned_members(pledge).exists():
        raise DomainError(
            _("Khối không có thành viên nào vào ngày lễ ký %(date)s.")
            % {"date": _d(pledge.ceremony_date)}
        )
    pledge.status = PledgeStatus.OPEN
    _record(pledge, by, "pledges.pledge.opened")
    return pledge


def _already_signed(pledge: Pledge, member: Unit) -> bool:
    return pledge.signatures.filter(member=member).exists()


@transaction.atomic
def pledge_sign(
    *,
    pledge: Pledge,
    member: Unit,
    signatory_name: str,
    signatory_position: str,
    signed_on: datetime.date,
    by: AbstractBaseUser,
) -> Signature:
    """Record one member's signature; the last required one makes the pledge fully signed.

    The pledge row is locked first, so two people recording at once queue: the
    second sees the first's signature and is refused instead of duplicating it.
    """
    pledge = _lock(pledge)
    bloc_year = pledge.bloc_year
    if pledge.status == PledgeStatus.DRAFT:
        raise DomainError(_("Giao ước còn là dự thảo: mở ký trước khi ghi nhận chữ ký."))
    if pledge.status == PledgeStatus.SIGNED:
        raise DomainError(_("Giao ước đã được ký đủ."))
    if not members_in(bloc_year.bloc, bloc_year.year).filter(pk=member.pk).exists():
        raise DomainError(
            _("%(unit)s không phải là thành viên của khối trong năm %(year)s nên không thể ký.")
            % {"unit": member.name, "year": bloc_year.year}
        )
    already = _("%(unit)s đã ký giao ước này.") % {"unit": member.name}
    if _already_signed(pledge, member):
        raise DomainError(already)
    errors: dict[str, list[str]] = {}
    signatory_name = clean_text(signatory_name)
    signatory_position = clean_text(signatory_position)
    if not signatory_name:
        errors["signatory_name"] = [_("Nhập họ tên người ký.")]
    if not signatory_position:
        errors["signatory_position"] = [_("Nhập chức vụ người ký.")]
    message = _window_error(bloc_year.year, signed_on)
    if message:
        errors["signed_on"] = [message]
    elif signed_on > timezone.localdate():
        errors["signed_on"] = [_("Ngày ký không được sau hôm nay.")]
    if errors:
        raise FieldErrors(errors)
    signature = Signature(
        pledge=pledge,
        member=member,
        signatory_name=signatory_name,
        signatory_position=signatory_position,
        signed_on=signed_on,
        recorded_by=by,
    )
    _full_clean(signature, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            _record(signature, by, "pledges.signature.recorded")
    except IntegrityError as error:
        raise DomainError(already) from error
    if not unsigned_members(pledge).exists():
        pledge.status = PledgeStatus.SIGNED
        pledge.signed_at = timezone.now()
        _record(pledge, by, "pledges.pledge.fully_signed")
    return signature


def pledge_snapshot(pledge: Pledge) -> dict[str, Any]:
    """The pledge as it stands, in JSON: what an amendment keeps of the signed version."""
    return {
        "title": pledge.title,
        "ceremony_date": pledge.ceremony_date.isoformat() if pledge.ceremony_date else None,
        "place": pledge.place,
        "status": pledge.status,
        "signed_at": pledge.signed_at.isoformat() if pledge.signed_at else None,
        "campaigns": [
            {"id": c.pk, "name": c.name} for c in pledge.campaigns.order_by("name", "pk")
        ],
        "commitments": [
            {"number": c.number, "text": c.text}
            for c in pledge.commitments.order_by("number", "pk")
        ],
        "signatures": [
            {
                "member_id": s.member_id,
                "member": s.member.name,
                "signatory_name": s.signatory_name,
                "signatory_position": s.signatory_position,
                "signed_on": s.signed_on.isoformat(),
                "recorded_by": s.recorded_by.get_username() if s.recorded_by else None,
                "recorded_at": s.recorded_at.isoformat(),
            }
            for s in pledge.signatures.select_related("member", "recorded_by").order_by(
                "member__name", "pk"
            )
        ],
    }


@transaction.atomic
def pledge_amend(*, pledge: Pledge, by: AbstractBaseUser, reason: str) -> PledgeAmendment:
    """Amend a signed pledge: keep the signed version, say why, and reopen it as a draft.

    The members signed the old text, so their signatures are withdrawn with it:
    the snapshot (and the history tables) keep them, and the amended text is
    signed again once it is opened.
    """
    pledge = _lock(pledge)
    if pledge.status == PledgeStatus.DRAFT or not pledge.signatures.exists():
        raise DomainError(_("Giao ước chưa có chữ ký nào: sửa trực tiếp, không cần lập sửa đổi."))
    reason = clean_multiline(reason)
    if not reason:
        raise FieldErrors({"reason": [_("Ghi rõ lý do sửa đổi.")]})
    number = pledge.amendment_count + 1
    amendment = PledgeAmendment.objects.create(
        pledge=pledge,
        number=number,
        reason=reason,
        snapshot=pledge_snapshot(pledge),
        amended_by=by,
    )
    for signature in pledge.signatures.all():
        signature._history_user = by
        signature._change_reason = "pledges.signature.withdrawn_by_amendment"
        signature.delete()
    pledge.status = PledgeStatus.DRAFT
    pledge.signed_at = None
    pledge.amendment_count = number
    _record(pledge, by, "pledges.pledge.amended")
    return amendment
