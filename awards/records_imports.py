"""Excel imports of what the rules read: task ratings, discipline, initiatives, past awards.

Ratings, discipline and initiatives are imported for one unit (its subtree) by
HR staff of its body; past awards (before the system existed) by HR staff for
the people and units of their scope, so that consecutive-year rules work from
day one. Each follows awards/excel.py: check every row, show the preview,
write nothing unless every row is valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import access as unit_access
from campaigns import imports as org_imports
from campaigns.models import Person, Role, Unit
from campaigns.spreadsheets import Column
from campaigns.text import fold

from . import excel, records_services
from .models import (
    AwardRecord,
    AwardType,
    DisciplineForm,
    DisciplineRecord,
    Initiative,
    InitiativeKind,
    Rating,
    Scope,
    Subject,
    TaskRating,
    Track,
)

# Short forms that HR files commonly use besides the full labels.
RATING_ALIASES = {
    "HTXSNV": Rating.EXCELLENT,
    "Xuất sắc": Rating.EXCELLENT,
    "HTTNV": Rating.GOOD,
    "Tốt": Rating.GOOD,
    "HTNV": Rating.DONE,
    "Hoàn thành": Rating.DONE,
    "KHTNV": Rating.NOT_DONE,
    "Không hoàn thành": Rating.NOT_DONE,
}
TRACK_ALIASES = {
    "Công trạng": Track.MERIT,
    "Thường xuyên": Track.MERIT,
    "Theo chuyên đề": Track.THEMATIC,
    "Cống hiến": Track.CONTRIBUTION,
}
INITIATIVE_ALIASES = {
    "Đề tài": InitiativeKind.SCIENCE_TOPIC,
    "Đề tài khoa học": InitiativeKind.SCIENCE_TOPIC,
}


def _people_by_code(codes: Iterable[str], within: Unit | None = None) -> dict[str, Person]:
    """People by staff code; with ``within``, only those of its subtree (no one else exists)."""
    people = Person.objects.select_related("unit")
    if within is not None:
        people = people.filter(unit__path__startswith=within.path)
    found: dict[str, Person] = {}
    for chunk in excel.chunks(sorted(set(codes))):
        for person in people.filter(staff_code__in=chunk):
            found[person.staff_code or ""] = person
    return found


def _units_by_code(codes: Iterable[str], within: Unit | None = None) -> dict[str, Unit]:
    """Units by code; with ``within``, only those of its subtree (no other unit exists)."""
    units = Unit.objects.all()
    if within is not None:
        units = units.filter(path__startswith=within.path)
    found: dict[str, Unit] = {}
    for chunk in excel.chunks(sorted(set(codes))):
        for unit in units.filter(code__in=chunk):
            found[unit.code] = unit
    return found


def _labels(choices: Any) -> list[str]:
    return [str(label) for label in choices.labels]


class _UnitImport(excel.SheetImport):
    """An import into one unit's subtree."""

    def __init__(self, *, user: AbstractBaseUser, unit: Unit) -> None:
        super().__init__(user=user)
        self.unit = unit

    # A code outside the unit's subtree, whether it names someone elsewhere or no one at
    # all, gets one answer (org_imports.person_not_found): the lookups see the subtree only.

    def _people(self, codes: Iterable[str]) -> dict[str, Person]:
        return _people_by_code(codes, within=self.unit)

    def _units(self, codes: Iterable[str]) -> dict[str, Unit]:
        return _units_by_code(codes, within=self.unit)

    def _person(self, row: excel.Row, code: str, people: dict[str, Person]) -> Person | None:
        person = people.get(code)
        if person is None or not person.unit.path.startswith(self.unit.path):
            row.errors.append(org_imports.person_not_found(code, self.unit))
            return None
        return person

    def _unit(self, row: excel.Row, code: str, units: dict[str, Unit]) -> Unit | None:
        unit = units.get(code)
        if unit is None or not unit.path.startswith(self.unit.path):
            row.errors.append(org_imports.unit_not_found(code, self.unit))
            return None
        return unit


# ---------------------------------------------------------------------- ratings

RATINGS_SHEET = excel.Sheet(
    name=gettext_lazy("Xếp loại"),
    columns=(
        Column("year", gettext_lazy("Năm"), True, 10),
        Column("staff_code", gettext_lazy("Mã cán bộ"), False, 16),
        Column("unit_code", gettext_lazy("Mã đơn vị"), False, 16),
        Column("full_name", gettext_lazy("Họ và tên / tên đơn vị"), False, 32),
        Column("rating", gettext_lazy("Mức xếp loại"), True, 36),
    ),
    example=(2024, "VD0001", "", "Nguyễn Văn An (ví dụ)", str(Rating.GOOD.label)),
    text_columns=("staff_code", "unit_code"),
)


class RatingsImport(_UnitImport):
    """Task ratings: a person (staff code) or a unit (unit code) per row, with year and rating.

    An existing rating of the same person or unit and year is updated.
    """

    sheet = RATINGS_SHEET

    def check(self, rows: list[excel.Row]) -> None:
        lookup = excel.choice_lookup(Rating, RATING_ALIASES)
        people = self._people(r.cells["staff_code"] for r in rows if r.cells["staff_code"])
        units = self._units(r.cells["unit_code"] for r in rows if r.cells["unit_code"])
        for row in rows:
            year = excel.parse_year(row, "year", what=_("năm"))
            rating = excel.parse_choice(row, "rating", lookup, Rating, _("mức xếp loại"))
            staff_code, unit_code = row.cells["staff_code"], row.cells["unit_code"]
            subject: tuple[str, int] | None = None
            if bool(staff_code) == bool(unit_code):
                row.errors.append(
                    _(
                        "Nhập mã cán bộ (xếp loại cá nhân) hoặc mã đơn vị (xếp loại tập thể), "
                        "không nhập cả hai."
                    )
                    if staff_code
                    else _("Chưa nhập mã cán bộ hoặc mã đơn vị.")
                )
            elif staff_code:
                person = self._person(row, staff_code, people)
                subject = ("person_id", person.pk) if person else None
            else:
                unit = self._unit(row, unit_code, units)
                subject = ("unit_id", unit.pk) if unit else None
            if subject and year and rating:
                row.data = {"owner": subject[0], "id": subject[1], "year": year, "rating": rating}
        excel.mark_duplicates(
            rows,
            lambda r: (r.data["owner"], r.data["id"], r.data["year"]) if r.data else None,
            _("Cùng người (đơn vị) và năm đã có ở dòng %(row)d."),
        )
        existing = self._existing([r for r in rows if r.data])
        for row in rows:
            if row.data:
                current = existing.get((row.data["owner"], row.data["id"], row.data["year"]))
                if current is not None:
                    row.action = excel.SAME if current == row.data["rating"] else excel.UPDATE

    @staticmethod
    def _existing(rows: list[excel.Row]) -> dict[tuple[str, int, int], str]:
        found: dict[tuple[str, int, int], str] = {}
        for owner in ("person_id", "unit_id"):
            ids = sorted({r.data["id"] for r in rows if r.data["owner"] == owner})
            years = sorted({r.data["year"] for r in rows if r.data["owner"] == owner})
            for chunk in excel.chunks(ids):
                query = TaskRating.objects.filter(**{f"{owner}__in": chunk}, year__in=years)
                for owner_id, year, rating in query.values_list(owner, "year", "rating"):
                    found[(owner, owner_id, year)] = rating
        return found

    def write(self, rows: list[excel.Row]) -> None:
        def pick(owner: str) -> list[tuple[int, int, str]]:
            return [
                (r.data["id"], r.data["year"], r.data["rating"])
                for r in rows
                if r.data["owner"] == owner
            ]

        records_services.ratings_import(
            by=self.user, person_ratings=pick("person_id"), unit_ratings=pick("unit_id")
        )


def ratings_template() -> bytes:
    return excel.build_template(
        RATINGS_SHEET,
        guide=[
            _("Hướng dẫn nhập xếp loại hoàn thành nhiệm vụ"),
            _(
                "Mỗi dòng: năm, mã cán bộ (xếp loại cá nhân) hoặc mã đơn vị (xếp loại tập thể) và mức xếp loại."
            ),
            _("Cột “Họ và tên / tên đơn vị” chỉ để đối chiếu, không được kiểm tra."),
            _("Xếp loại đã có của cùng người (đơn vị) và năm sẽ được cập nhật."),
            _("Không đổi tên các cột ở dòng tiêu đề; xóa dòng ví dụ trước khi nhập."),
        ],
        pick_lists={"rating": (_("Mức xếp loại"), _labels(Rating))},
    )


# ------------------------------------------------------------------- discipline

DISCIPLINE_SHEET = excel.Sheet(
    name=gettext_lazy("Kỷ luật"),
    columns=(
        Column("staff_code", gettext_lazy("Mã cán bộ"), True, 16),
        Column("full_name", gettext_lazy("Họ và tên"), False, 32),
        Column("form", gettext_lazy("Hình thức kỷ luật"), True, 28),
        Column("start_date", gettext_lazy("Từ ngày"), True, 14),
        Column("end_date", gettext_lazy("Đến ngày"), False, 14),
        Column("decision", gettext_lazy("Quyết định"), False, 40),
    ),
    example=(
        "VD0001",
        "Nguyễn Văn An (ví dụ)",
        str(DisciplineForm.REPRIMAND.label),
        "01/06/2024",
        "31/05/2025",
        "Quyết định số 12/QĐ-XX ngày 01/06/2024",
    ),
    text_columns=("staff_code", "start_date", "end_date"),
)


class DisciplineImport(_UnitImport):
    """Discipline records of the unit's people. A record of the same person, form and
    start date is the same record: its end date and decision are updated."""

    sheet = DISCIPLINE_SHEET

    def check(self, rows: list[excel.Row]) -> None:
        lookup = excel.choice_lookup(DisciplineForm)
        people = self._people(r.cells["staff_code"] for r in rows if r.cells["staff_code"])
        decision_max = DisciplineRecord._meta.get_field("decision").max_length or 300
        for row in rows:
            code = row.cells["staff_code"]
            person = None
            if not code:
                row.errors.append(_("Chưa nhập mã cán bộ."))
            else:
                person = self._person(row, code, people)
            form = excel.parse_choice(row, "form", lookup, DisciplineForm, _("hình thức kỷ luật"))
            start = excel.parse_date(row, "start_date", what=_("từ ngày"), required=True)
            end = excel.parse_date(row, "end_date", what=_("đến ngày"), future=True)
            decision = excel.parse_text(
                row, "decision", what=_("quyết định"), max_length=decision_max
            )
            if start and end and end < start:
                row.errors.append(_("Ngày kết thúc kỷ luật không được trước ngày bắt đầu."))
            if person and form and start and not row.errors:
                row.data = {
                    "person": person,
                    "form": form,
                    "start_date": start,
                    "end_date": end,
                    "decision": decision,
                }
        excel.mark_duplicates(
            rows,
            lambda r: (
                (r.data["person"].pk, r.data["form"], r.data["start_date"]) if r.data else None
            ),
            _("Cùng người, hình thức và ngày bắt đầu đã có ở dòng %(row)d."),
        )
        checked = [r for r in rows if r.data]
        existing: dict[tuple[int, str, Any], DisciplineRecord] = {}
        ids = sorted({r.data["person"].pk for r in checked})
        for chunk in excel.chunks(ids):
            for record in DisciplineRecord.objects.filter(person_id__in=chunk):
                existing[(record.person_id, record.form, record.start_date)] = record
        for row in checked:
            record = existing.get((row.data["person"].pk, row.data["form"], row.data["start_date"]))
            if record is not None:
                row.data["record"] = record
                same = (
                    record.end_date == row.data["end_date"]
                    and record.decision == row.data["decision"]
                )
                row.action = excel.SAME if same else excel.UPDATE

    def write(self, rows: list[excel.Row]) -> None:
        new: list[DisciplineRecord] = []
        changed: list[DisciplineRecord] = []
        for row in rows:
            record = row.data.get("record")
            if record is None:
                new.append(
                    DisciplineRecord(
                        person=row.data["person"],
                        form=row.data["form"],
                        start_date=row.data["start_date"],
                        end_date=row.data["end_date"],
                        decision=row.data["decision"],
                    )
                )
            else:
                record.end_date = row.data["end_date"]
                record.decision = row.data["decision"]
                changed.append(record)
        records_services.discipline_import(by=self.user, new=new, changed=changed)


def discipline_template() -> bytes:
    return excel.build_template(
        DISCIPLINE_SHEET,
        guide=[
            _("Hướng dẫn nhập kỷ luật"),
            _("Mỗi dòng một quyết định kỷ luật của một cán bộ thuộc đơn vị."),
            _(
                "Ngày nhập dạng ngày/tháng/năm, ví dụ 05/03/2024. “Đến ngày” để trống nếu chưa hết thời hạn."
            ),
            _(
                "Dòng có cùng cán bộ, hình thức và ngày bắt đầu với bản ghi đã có được coi là "
                "bản ghi đó: ngày kết thúc và quyết định được cập nhật."
            ),
            _("Không đổi tên các cột ở dòng tiêu đề; xóa dòng ví dụ trước khi nhập."),
        ],
        pick_lists={"form": (_("Hình thức kỷ luật"), _labels(DisciplineForm))},
    )


# ------------------------------------------------------------------ initiatives

INITIATIVES_SHEET = excel.Sheet(
    name=gettext_lazy("Sáng kiến"),
    columns=(
        Column("kind", gettext_lazy("Loại"), False, 18),
        Column("title", gettext_lazy("Tên sáng kiến, đề tài"), True, 48),
        Column("unit_code", gettext_lazy("Mã đơn vị"), True, 16),
        Column("year", gettext_lazy("Năm công nhận"), True, 12),
        Column("scope", gettext_lazy("Phạm vi ảnh hưởng"), True, 24),
        Column("authors", gettext_lazy("Mã cán bộ tác giả"), True, 28),
        Column("recognition", gettext_lazy("Quyết định công nhận"), False, 36),
        Column("recognised_on", gettext_lazy("Ngày công nhận"), False, 14),
    ),
    example=(
        str(InitiativeKind.INITIATIVE.label),
        "Số hóa hồ sơ thi đua (ví dụ)",
        "VD-PTCCB",
        2024,
        str(Scope.GRASSROOTS.label),
        "VD0001; VD0002",
        "Quyết định số 5/QĐ-HĐSK",
        "15/11/2024",
    ),
    text_columns=("unit_code", "authors", "recognised_on"),
)


class InitiativesImport(_UnitImport):
    """Initiatives of units of the subtree; one already recorded (same unit, year and
    title) is skipped."""

    sheet = INITIATIVES_SHEET

    def check(self, rows: list[excel.Row]) -> None:
        kinds = excel.choice_lookup(InitiativeKind, INITIATIVE_ALIASES)
        scopes = excel.choice_lookup(Scope)
        units = self._units(r.cells["unit_code"] for r in rows if r.cells["unit_code"])
        codes = {c for r in rows for c in excel.split_codes(r.cells["authors"])}
        people = self._people(codes)
        title_max = Initiative._meta.get_field("title").max_length or 500
        recognition_max = Initiative._meta.get_field("recognition").max_length or 300
        for row in rows:
            kind = InitiativeKind.INITIATIVE.value
            if row.cells["kind"]:
                kind = excel.parse_choice(row, "kind", kinds, InitiativeKind, _("loại"))
            title = excel.parse_text(
                row, "title", what=_("tên sáng kiến, đề tài"), max_length=title_max, required=True
            )
            unit = None
            if not row.cells["unit_code"]:
                row.errors.append(_("Chưa nhập mã đơn vị."))
            else:
                unit = self._unit(row, row.cells["unit_code"], units)
            year = excel.parse_year(row, "year", what=_("năm công nhận"))
            scope = excel.parse_choice(row, "scope", scopes, Scope, _("phạm vi ảnh hưởng"))
            recognition = excel.parse_text(
                row, "recognition", what=_("quyết định công nhận"), max_length=recognition_max
            )
            recognised_on = excel.parse_date(row, "recognised_on", what=_("ngày công nhận"))
            if recognised_on and year and recognised_on.year != year:
                row.errors.append(_("Ngày công nhận phải thuộc năm công nhận."))
            authors: list[Person] = []
            author_codes = excel.split_codes(row.cells["authors"])
            if not author_codes:
                row.errors.append(_("Chưa nhập mã cán bộ tác giả."))
            for code in dict.fromkeys(author_codes):
                person = self._person(row, code, people)
                if person is None:
                    continue
                if unit is not None and not person.unit.path.startswith(unit.path):
                    # Both within the import's unit, which the user manages: naming it is safe.
                    row.errors.append(
                        _("Tác giả mã “%(code)s” không thuộc %(unit)s.")
                        % {"code": code, "unit": unit}
                    )
                else:
                    authors.append(person)
            if not row.errors and unit is not None and year is not None:
                row.data = {
                    "kind": kind,
                    "title": title,
                    "unit": unit,
                    "year": year,
                    "scope": scope,
                    "recognition": recognition,
                    "recognised_on": recognised_on,
                    "authors": [p.pk for p in authors],
                }
        excel.mark_duplicates(
            rows,
            lambda r: (
                (r.data["unit"].pk, r.data["year"], fold(r.data["title"])) if r.data else None
            ),
            _("Sáng kiến cùng tên, đơn vị và năm đã có ở dòng %(row)d."),
        )
        checked = [r for r in rows if r.data]
        known: set[tuple[int, int, str]] = set()
        unit_ids = sorted({r.data["unit"].pk for r in checked})
        years = sorted({r.data["year"] for r in checked})
        for chunk in excel.chunks(unit_ids):
            for unit_id, year, title in Initiative.objects.filter(
                unit_id__in=chunk, year__in=years
            ).values_list("unit_id", "year", "title"):
                known.add((unit_id, year, fold(title)))
        for row in checked:
            if (row.data["unit"].pk, row.data["year"], fold(row.data["title"])) in known:
                row.action = excel.SAME

    def write(self, rows: list[excel.Row]) -> None:
        records_services.initiatives_import(
            by=self.user,
            rows=[
                (
                    Initiative(
                        kind=r.data["kind"],
                        title=r.data["title"],
                        unit=r.data["unit"],
                        year=r.data["year"],
                        scope=r.data["scope"],
                        recognition=r.data["recognition"],
                        recognised_on=r.data["recognised_on"],
                    ),
                    r.data["authors"],
                )
                for r in rows
            ],
        )


def initiatives_template() -> bytes:
    return excel.build_template(
        INITIATIVES_SHEET,
        guide=[
            _("Hướng dẫn nhập sáng kiến, đề tài khoa học"),
            _("Mỗi dòng một sáng kiến hoặc đề tài đã được công nhận."),
            _("Loại: Sáng kiến (mặc định khi để trống) hoặc Đề tài khoa học."),
            _(
                "Mã cán bộ tác giả: một hay nhiều mã, cách nhau bởi dấu phẩy hoặc chấm phẩy; tác giả phải thuộc đơn vị của sáng kiến."
            ),
            _("Sáng kiến đã có (cùng đơn vị, năm và tên) được bỏ qua."),
            _("Không đổi tên các cột ở dòng tiêu đề; xóa dòng ví dụ trước khi nhập."),
        ],
        pick_lists={
            "kind": (_("Loại"), _labels(InitiativeKind)),
            "scope": (_("Phạm vi ảnh hưởng"), _labels(Scope)),
        },
    )


# ----------------------------------------------------------------- past awards

PAST_AWARDS_SHEET = excel.Sheet(
    name=gettext_lazy("Khen thưởng"),
    columns=(
        Column("staff_code", gettext_lazy("Mã cán bộ"), False, 16),
        Column("unit_code", gettext_lazy("Mã đơn vị"), False, 16),
        Column("award_code", gettext_lazy("Mã danh hiệu, hình thức"), True, 22),
        Column("year", gettext_lazy("Năm"), True, 10),
        Column("track", gettext_lazy("Loại hình khen thưởng"), True, 28),
        Column("decision_number", gettext_lazy("Số quyết định"), False, 22),
        Column("decision_date", gettext_lazy("Ngày quyết định"), False, 16),
    ),
    example=("VD0001", "", "CSTDCS", 2021, str(Track.MERIT.label), "25/QĐ-XX", "15/01/2022"),
    text_columns=("staff_code", "unit_code", "award_code", "decision_number", "decision_date"),
)


class PastAwardsImport(excel.SheetImport):
    """Awards granted before the system existed, for people and units in the user's scope
    (HR staff). The same person (or unit), award and year already recorded is refused."""

    sheet = PAST_AWARDS_SHEET

    def _in_scope(self, unit: Unit) -> bool:
        return unit_access.unit_in_scope(self.user, unit, {Role.HR_STAFF})

    def check(self, rows: list[excel.Row]) -> None:
        tracks = excel.choice_lookup(Track, TRACK_ALIASES)
        people = _people_by_code(r.cells["staff_code"] for r in rows if r.cells["staff_code"])
        units = _units_by_code(r.cells["unit_code"] for r in rows if r.cells["unit_code"])
        types = {t.code.upper(): t for t in AwardType.objects.all()}
        number_max = AwardRecord._meta.get_field("decision_number").max_length or 100
        for row in rows:
            staff_code, unit_code = row.cells["staff_code"], row.cells["unit_code"]
            award_code = row.cells["award_code"]
            award = types.get(award_code.upper()) if award_code else None
            if not award_code:
                row.errors.append(_("Chưa nhập mã danh hiệu, hình thức."))
            elif award is None:
                row.errors.append(
                    _("Không tìm thấy danh hiệu, hình thức có mã “%(code)s”.")
                    % {"code": award_code}
                )
            year = excel.parse_year(row, "year", what=_("năm"))
            track = excel.parse_choice(row, "track", tracks, Track, _("loại hình khen thưởng"))
            number = excel.parse_text(
                row, "decision_number", what=_("số quyết định"), max_length=number_max
            )
            date = excel.parse_date(row, "decision_date", what=_("ngày quyết định"))
            if date and year and date.year < year:
                row.errors.append(
                    _("Ngày quyết định %(date)s ở trước năm khen thưởng %(year)s.")
                    % {"date": date.strftime("%d/%m/%Y"), "year": year}
                )
            person: Person | None = None
            unit: Unit | None = None
            if bool(staff_code) == bool(unit_code):
                row.errors.append(
                    _("Nhập mã cán bộ (cá nhân) hoặc mã đơn vị (tập thể), không nhập cả hai.")
                    if staff_code
                    else _("Chưa nhập mã cán bộ hoặc mã đơn vị.")
                )
            elif staff_code:
                person = people.get(staff_code)
                if person is None or not self._in_scope(person.unit):
                    # Someone of another body reads as no one at all.
                    row.errors.append(org_imports.person_not_found(staff_code))
                    person = None
                elif award is not None and award.subject != Subject.INDIVIDUAL:
                    row.errors.append(
                        _("“%(award)s” dành cho tập thể; hãy nhập mã đơn vị thay cho mã cán bộ.")
                        % {"award": award}
                    )
            else:
                unit = units.get(unit_code)
                if unit is None or not self._in_scope(unit):
                    row.errors.append(org_imports.unit_not_found(unit_code))
                    unit = None
                elif award is not None and award.subject != Subject.COLLECTIVE:
                    row.errors.append(
                        _("“%(award)s” dành cho cá nhân; hãy nhập mã cán bộ thay cho mã đơn vị.")
                        % {"award": award}
                    )
            if not row.errors and award and year and track and (person or unit):
                row.data = {
                    "person": person,
                    "unit": unit,
                    "award_type": award,
                    "year": year,
                    "track": track,
                    "decision_number": number,
                    "decision_date": date,
                }
        excel.mark_duplicates(
            rows, _award_key, _("Cùng đối tượng, danh hiệu và năm đã có ở dòng %(row)d.")
        )
        self._refuse_recorded([r for r in rows if r.data and not r.errors])

    @staticmethod
    def _refuse_recorded(rows: list[excel.Row]) -> None:
        """An award already recorded (imported or granted here) cannot be imported again."""
        if not rows:
            return
        recorded: set[tuple[str, int, int, int]] = set()
        for owner in ("person", "unit"):
            ids = sorted({r.data[owner].pk for r in rows if r.data[owner] is not None})
            years = sorted({r.data["year"] for r in rows})
            for chunk in excel.chunks(ids):
                query = AwardRecord.objects.filter(
                    Q(**{f"{owner}_id__in": chunk}), year__in=years
                ).values_list(f"{owner}_id", "award_type_id", "year")
                recorded.update((owner, *values) for values in query)
        for row in rows:
            if _award_key(row) in recorded:
                row.errors.append(
                    _("Khen thưởng này (cùng đối tượng, danh hiệu và năm) đã có trong hệ thống.")
                )

    def write(self, rows: list[excel.Row]) -> None:
        records_services.past_awards_import(
            by=self.user,
            records=[
                AwardRecord(
                    person=r.data["person"],
                    unit=r.data["unit"],
                    award_type=r.data["award_type"],
                    year=r.data["year"],
                    track=r.data["track"],
                    decision_number=r.data["decision_number"],
                    decision_date=r.data["decision_date"],
                )
                for r in rows
            ],
        )


def _award_key(row: excel.Row) -> tuple[str, int, int, int] | None:
    if not row.data:
        return None
    owner = "person" if row.data["person"] is not None else "unit"
    return (owner, row.data[owner].pk, row.data["award_type"].pk, row.data["year"])


def past_awards_template() -> bytes:
    types = AwardType.objects.order_by("category", "subject", "order", "name")
    return excel.build_template(
        PAST_AWARDS_SHEET,
        guide=[
            _("Hướng dẫn nhập khen thưởng trước khi có hệ thống"),
            _(
                "Mỗi dòng một danh hiệu hoặc hình thức khen thưởng đã trao: mã cán bộ (cá nhân) hoặc mã đơn vị (tập thể), không nhập cả hai."
            ),
            _(
                "Loại hình: chỉ khen thưởng theo công trạng, thường xuyên được tính vào điều kiện số năm liên tục."
            ),
            _("Khen thưởng đã có (cùng đối tượng, danh hiệu và năm) bị từ chối."),
            _("Ngày nhập dạng ngày/tháng/năm, ví dụ 15/01/2022."),
            _("Không đổi tên các cột ở dòng tiêu đề; xóa dòng ví dụ trước khi nhập."),
        ],
        pick_lists={"track": (_("Loại hình khen thưởng"), _labels(Track))},
        reference=(_("Mã danh hiệu, hình thức"), [(t.code, t.name) for t in types]),
    )
