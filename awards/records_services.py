"""What the rules read, kept by HR staff: task ratings, discipline, initiatives, past awards.

Each use case is keyword-only and atomic, refuses with a DomainError a user can
read, and writes its rows with the acting user in their history.

Who may change them: HR staff of the unit's body (``can_keep_records``); anyone
with a role over the unit may read them. A unit's body is the nearest unit of
kind "body" at or above it (the root of its tree if there is none).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from campaigns import access as unit_access
from campaigns.errors import ConflictError, DomainError
from campaigns.models import Person, Unit, UnitKind
from campaigns.versioning import bump_versions, claim_version, conflict_message

from . import access
from .models import AwardRecord, DisciplineRecord, Initiative, Rating, TaskRating

User = AbstractBaseUser | AnonymousUser

MIN_YEAR, MAX_YEAR = 1945, 2100
_BATCH = 500


# ------------------------------------------------------------------------ scope


def body_of(unit: Unit) -> Unit:
    """The body a unit belongs to: the nearest ancestor (or itself) of kind body, else the root."""
    ids = unit.ancestor_ids
    if unit.kind == UnitKind.BODY:
        return unit
    body = Unit.objects.filter(pk__in=ids, kind=UnitKind.BODY).order_by("-depth").first()
    if body is not None:
        return body
    return unit if len(ids) <= 1 else Unit.objects.get(pk=ids[0])


def can_keep_records(user: User, unit: Unit) -> bool:
    """HR staff of the unit's body change its ratings, discipline and initiatives."""
    return access.can_review(user, body_of(unit))


def subtree_people(unit: Unit) -> QuerySet[Person]:
    return Person.objects.filter(unit__path__startswith=unit.path)


def _in_subtree(unit: Unit, path: str) -> bool:
    return path.startswith(unit.path)


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DomainError(_("Năm %(year)s không hợp lệ.") % {"year": year})


def _integrity(exc: IntegrityError) -> DomainError:
    return DomainError(
        _(
            "Dữ liệu vừa được người khác thay đổi nên không thể lưu. Tải lại trang để xem "
            "bản mới nhất rồi nhập lại thay đổi của bạn."
        )
    )


# ---------------------------------------------------------------------- ratings


@dataclass(frozen=True)
class RatingChange:
    created: int
    updated: int
    removed: int


def ratings_save(
    *,
    unit: Unit,
    year: int,
    by: AbstractBaseUser,
    unit_rating: str | None,
    person_ratings: dict[Person, str],
    expected_versions: dict[int, int | None] | None = None,
    unit_expected_version: int | None = None,
) -> RatingChange:
    """Set the year's task ratings of ``unit`` and of the people given.

    ``unit_rating`` None leaves the unit's rating alone, "" removes it (its
    history stays). In ``person_ratings`` an empty rating removes the person's
    rating; people not given are left alone (the page shows one page of people).

    The page sends the version of each rating it showed (None where there was none):
    with ``expected_versions`` (the people's, by person id) a rating that would be
    written, created or removed must still be at that version, or nothing is saved
    (campaigns.versioning; the unit's own rating likewise).
    """
    _check_year(year)
    valid = set(Rating.values)
    for person, rating in person_ratings.items():
        if not _in_subtree(unit, person.unit.path):
            raise DomainError(
                _("%(person)s không thuộc %(unit)s.") % {"person": person, "unit": unit}
            )
        if rating and rating not in valid:
            raise DomainError(_("Mức xếp loại “%(value)s” không hợp lệ.") % {"value": rating})
    if unit_rating and unit_rating not in valid:
        raise DomainError(_("Mức xếp loại “%(value)s” không hợp lệ.") % {"value": unit_rating})
    created = updated = removed = 0
    try:
        with transaction.atomic():
            if unit_rating is not None:
                c, u, r = _set_ratings(
                    TaskRating.objects.filter(unit=unit, year=year),
                    {unit.pk: unit_rating},
                    "unit_id",
                    year,
                    by,
                    None if expected_versions is None else {unit.pk: unit_expected_version},
                )
                created, updated, removed = created + c, updated + u, removed + r
            wanted = {person.pk: rating for person, rating in person_ratings.items()}
            for chunk in _chunked(sorted(wanted)):
                c, u, r = _set_ratings(
                    TaskRating.objects.filter(person_id__in=chunk, year=year),
                    {pk: wanted[pk] for pk in chunk},
                    "person_id",
                    year,
                    by,
                    expected_versions,
                )
                created, updated, removed = created + c, updated + u, removed + r
    except IntegrityError as exc:
        raise _integrity(exc) from exc
    return RatingChange(created, updated, removed)


def _chunked(items: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), _BATCH):
        yield items[start : start + _BATCH]


def _set_ratings(
    existing: QuerySet[TaskRating],
    wanted: dict[int, str],
    owner: str,
    year: int,
    by: AbstractBaseUser,
    expected: Mapping[int, int | None] | None = None,
) -> tuple[int, int, int]:
    """Create, update or remove ratings so that each owner id has its wanted rating.

    With ``expected`` (owner id → the version the page showed, None for no rating), a
    row about to be written that is not at that version refuses the whole save."""
    current = {getattr(r, owner): r for r in existing.select_for_update()}
    to_create: list[TaskRating] = []
    to_update: list[TaskRating] = []
    to_remove: list[TaskRating] = []
    for owner_id, rating in wanted.items():
        row = current.get(owner_id)
        writes = (row is None and bool(rating)) or (row is not None and row.rating != rating)
        stored = row.version if row is not None else None
        if writes and expected is not None and stored != expected.get(owner_id):
            raise ConflictError(conflict_message(TaskRating))
        if row is None:
            if rating:
                to_create.append(TaskRating(**{owner: owner_id}, year=year, rating=rating))
        elif not rating:
            to_remove.append(row)
        elif row.rating != rating:
            row.rating = rating
            row.version += 1
            to_update.append(row)
    if to_create:
        bulk_create_with_history(to_create, TaskRating, batch_size=_BATCH, default_user=by)
    if to_update:
        bulk_update_with_history(
            to_update, TaskRating, ["rating", "version"], batch_size=_BATCH, default_user=by
        )
    for row in to_remove:
        row._history_user = by
        row.delete()
    return len(to_create), len(to_update), len(to_remove)


def ratings_import(
    *,
    by: AbstractBaseUser,
    person_ratings: Sequence[tuple[int, int, str]],
    unit_ratings: Sequence[tuple[int, int, str]],
) -> None:
    """Write checked rows of a ratings file: (person or unit id, year, rating) each.

    Runs inside the import's transaction; existing ratings are updated.
    """
    for owner, rows in (("person_id", person_ratings), ("unit_id", unit_ratings)):
        by_year: dict[int, dict[int, str]] = {}
        for owner_id, year, rating in rows:
            by_year.setdefault(year, {})[owner_id] = rating
        for year, wanted in by_year.items():
            for chunk in _chunked(sorted(wanted)):
                _set_ratings(
                    TaskRating.objects.filter(**{f"{owner}__in": chunk}, year=year),
                    {pk: wanted[pk] for pk in chunk},
                    owner,
                    year,
                    by,
                )


# ------------------------------------------------------------------- discipline


def discipline_in_year(unit: Unit, year: int) -> QuerySet[DisciplineRecord]:
    """Discipline of the unit's people whose period has at least one day in ``year``."""
    return DisciplineRecord.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=datetime.date(year, 1, 1)),
        person__unit__path__startswith=unit.path,
        start_date__lte=datetime.date(year, 12, 31),
    )


def _check_discipline(record: DisciplineRecord, unit: Unit, year: int | None) -> None:
    if not _in_subtree(unit, record.person.unit.path):
        raise DomainError(
            _("%(person)s không thuộc %(unit)s.") % {"person": record.person, "unit": unit}
        )
    if record.end_date and record.end_date < record.start_date:
        raise DomainError(_("Ngày kết thúc kỷ luật không được trước ngày bắt đầu."))
    if year is not None and (
        record.start_date > datetime.date(year, 12, 31)
        or (record.end_date is not None and record.end_date < datetime.date(year, 1, 1))
    ):
        raise DomainError(
            _("Thời gian kỷ luật của %(person)s phải có ít nhất một ngày trong năm %(year)s.")
            % {"person": record.person, "year": year}
        )


def discipline_save(
    *,
    unit: Unit,
    year: int,
    by: AbstractBaseUser,
    records: Sequence[DisciplineRecord],
    removed: Sequence[DisciplineRecord] = (),
    expected_versions: Mapping[int, int | None] | None = None,
) -> None:
    """Save new and changed discipline records of the unit's people shown for ``year``.

    ``removed`` are records entered by mistake; they leave the list, not the history.
    A stored record changed or removed claims the version its row was shown at
    (``expected_versions``, by id; campaigns.versioning).
    """
    _check_year(year)
    for record in [*records, *removed]:
        if record.pk and not _in_subtree(unit, record.person.unit.path):
            raise DomainError(_("Bản ghi kỷ luật không thuộc đơn vị này."))
    for record in records:
        _check_discipline(record, unit, year)
    try:
        with transaction.atomic():
            for record in [*records, *removed]:
                if record.pk:
                    claim_version(record, (expected_versions or {}).get(record.pk))
            for record in records:
                record.full_clean()
                record._history_user = by
                record.save()
            for record in removed:
                if record.pk:
                    record._history_user = by
                    record.delete()
    except IntegrityError as exc:
        raise _integrity(exc) from exc


def discipline_import(
    *,
    by: AbstractBaseUser,
    new: Sequence[DisciplineRecord],
    changed: Sequence[DisciplineRecord],
) -> None:
    """Write checked rows of a discipline file (inside the import's transaction)."""
    if new:
        bulk_create_with_history(list(new), DisciplineRecord, batch_size=_BATCH, default_user=by)
    if changed:
        bulk_update_with_history(
            list(changed),
            DisciplineRecord,
            ["end_date", "decision"],
            batch_size=_BATCH,
            default_user=by,
        )
        bump_versions(DisciplineRecord, [record.pk for record in changed])


# ------------------------------------------------------------------ initiatives


def initiative_save(
    *,
    by: AbstractBaseUser,
    initiative: Initiative,
    authors: Sequence[Person],
    scope_unit: Unit,
    expected_version: int | None = None,
) -> Initiative:
    """Create or change an initiative; its unit lies in ``scope_unit``'s subtree and its
    authors in its unit's subtree. A change claims the version its form was built from."""
    _check_year(initiative.year)
    if not _in_subtree(scope_unit, initiative.unit.path):
        raise DomainError(_("Đơn vị của sáng kiến phải thuộc %(unit)s.") % {"unit": scope_unit})
    if not authors:
        raise DomainError(_("Sáng kiến phải có ít nhất một tác giả."))
    outside = [p for p in authors if not _in_subtree(initiative.unit, p.unit.path)]
    if outside:
        raise DomainError(
            _("Tác giả %(people)s không thuộc %(unit)s.")
            % {"people": ", ".join(str(p) for p in outside), "unit": initiative.unit}
        )
    if initiative.recognised_on and initiative.recognised_on.year != initiative.year:
        raise DomainError(_("Ngày công nhận phải thuộc năm công nhận."))
    with transaction.atomic():
        if initiative.pk:
            claim_version(initiative, expected_version)
        initiative.full_clean()
        initiative._history_user = by
        initiative.save()
        initiative.authors.set(list(authors))
    return initiative


def initiatives_import(
    *, by: AbstractBaseUser, rows: Sequence[tuple[Initiative, Sequence[int]]]
) -> None:
    """Write checked initiatives with their authors' ids (inside the import's transaction)."""
    # One by one: a few hundred rows at most, and each needs its id for the authors.
    for initiative, _authors in rows:
        initiative._history_user = by
        initiative.save()
    links = [
        Initiative.authors.through(initiative_id=initiative.pk, person_id=person_id)
        for initiative, author_ids in rows
        for person_id in author_ids
    ]
    Initiative.authors.through.objects.bulk_create(links, batch_size=_BATCH)


# ----------------------------------------------------------------- past awards


def issuing_body_for(user: User, unit: Unit, cache: dict[int, Unit] | None = None) -> Unit:
    """The body that grants what ``user`` enters for ``unit`` or its people: the body of
    the user's nearest HR staff role over the unit (the user's own body), else (a
    superuser) the unit's body. Never the unit itself: a department is not a body."""
    cache = {} if cache is None else cache
    over = [
        g
        for g in unit_access.grants(user)
        if g.role in access.REVIEW_ROLES and unit.path.startswith(g.path)
    ]
    key = max(over, key=lambda g: len(g.path)).unit_id if over else unit.pk
    if key not in cache:
        cache[key] = body_of(unit if key == unit.pk else Unit.objects.get(pk=key))
    return cache[key]


def past_awards_import(*, by: AbstractBaseUser, records: Sequence[AwardRecord]) -> None:
    """Write checked awards from before the system (inside the import's transaction).

    Each is marked issued by the importing HR staff's body (``issuing_body_for``), the
    body whose HR staff may later revoke or correct it."""
    bodies: dict[int, Unit] = {}
    for record in records:
        record.is_imported = True
        recipient = record.person.unit if record.person_id else record.unit
        record.issuing_body = issuing_body_for(by, recipient, bodies)
    bulk_create_with_history(list(records), AwardRecord, batch_size=_BATCH, default_user=by)
