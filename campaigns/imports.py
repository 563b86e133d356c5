"""Excel import of units and people: the template, the preview and the apply.

One workbook holds two sheets, "Đơn vị" and "Cá nhân". The same parse runs on
upload (to show a preview) and again on confirm (on the stored copy), so what is
written is checked against the database as it stands at that moment, never
against a preview the user saw minutes earlier.

Matching rules, which the preview states row by row:

- a unit is identified by its code: an existing code in the user's scope is
  updated, a new code is created;
- a person is identified by their staff code; a person with no staff code (or a
  new one) is paired, in file order, with an existing person of the same unit
  and full name who has no staff code yet, so re-importing a file never
  duplicates people;
- an empty "Mã đơn vị cấp trên" on an existing unit keeps its current parent
  (moving a unit to the top of the tree is never what a blank cell means).
"""

from __future__ import annotations

import datetime
import io
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from . import access
from .errors import DomainError
from .models import Gender, Person, Unit, UnitKind
from .spreadsheets import (
    MAX_ROWS,
    Column,
    Sheet,
    cell_text,
    label_variants,
    open_workbook,
    read_sheet,
    write_header,
)
from .text import fold
from .versioning import bump_versions

User = AbstractBaseUser | AnonymousUser


# A code that names a person or a unit outside what the user manages gets the very answer
# a code that names nothing gets: an import must not tell a body's HR staff which codes
# other bodies hold. Every import (and form) that looks a code up words its refusal here.


def person_not_found(code: str, within: Unit | None = None) -> str:
    """No person with staff code ``code`` in ``within``'s subtree, or in the user's scope."""
    if within is None:
        return _("Không tìm thấy cán bộ có mã “%(code)s” trong phạm vi quản lý của bạn.") % {
            "code": code
        }
    return _("Không tìm thấy cán bộ có mã “%(code)s” trong %(unit)s và các đơn vị trực thuộc.") % {
        "code": code,
        "unit": within,
    }


def unit_not_found(code: str, within: Unit | None = None) -> str:
    """No unit with code ``code`` in ``within``'s subtree, or in the user's scope."""
    if within is None:
        return _("Không tìm thấy đơn vị có mã “%(code)s” trong phạm vi quản lý của bạn.") % {
            "code": code
        }
    return _("Không tìm thấy đơn vị có mã “%(code)s” trong %(unit)s và các đơn vị trực thuộc.") % {
        "code": code,
        "unit": within,
    }


T = TypeVar("T")

# Rows shown per sheet in the preview page; counts always cover the whole file.
PREVIEW_ROW_LIMIT = 500
MIN_BIRTH_YEAR = 1930
MIN_WORKING_AGE = 15
# SQLite refuses statements with too many bound parameters; keep every IN () small.
_CHUNK = 500

STASH_DIR = "imports"

CREATE, UPDATE, SAME = "create", "update", "same"


UNIT_SHEET = gettext_lazy("Đơn vị")
PERSON_SHEET = gettext_lazy("Cá nhân")
GUIDE_SHEET = gettext_lazy("Hướng dẫn")

UNIT_COLUMNS = (
    Column("code", gettext_lazy("Mã đơn vị"), True, 16),
    Column("name", gettext_lazy("Tên đầy đủ"), True, 48),
    Column("short_name", gettext_lazy("Tên viết tắt"), False, 18),
    Column("kind", gettext_lazy("Loại đơn vị"), True, 30),
    Column("parent_code", gettext_lazy("Mã đơn vị cấp trên"), False, 20),
)
PERSON_COLUMNS = (
    Column("unit_code", gettext_lazy("Mã đơn vị"), True, 16),
    Column("full_name", gettext_lazy("Họ và tên"), True, 32),
    Column("position", gettext_lazy("Chức vụ"), False, 28),
    Column("gender", gettext_lazy("Giới tính"), False, 12),
    Column("birth_year", gettext_lazy("Năm sinh"), False, 12),
    Column("staff_code", gettext_lazy("Mã cán bộ"), False, 16),
)
_UNIT_LABELS = {c.key: c.label for c in UNIT_COLUMNS}
_PERSON_LABELS = {c.key: c.label for c in PERSON_COLUMNS}


# --------------------------------------------------------------------------- rows


@dataclass
class UnitRow:
    row: int
    code: str
    name: str
    short_name: str
    kind: str
    kind_text: str
    parent_code: str
    errors: list[str] = field(default_factory=list)
    existing_pk: int | None = None
    action: str = CREATE
    # Depth in the tree as it will be after the import: parents are written first.
    depth: int = 0

    @property
    def kind_display(self) -> str:
        return str(UnitKind(self.kind).label) if self.kind else self.kind_text


@dataclass
class PersonRow:
    row: int
    unit_code: str
    full_name: str
    position: str
    gender: str
    gender_text: str
    birth_year: int | None
    birth_year_text: str
    staff_code: str
    errors: list[str] = field(default_factory=list)
    existing_pk: int | None = None
    action: str = CREATE

    @property
    def gender_display(self) -> str:
        return str(Gender(self.gender).label) if self.gender else self.gender_text


R = TypeVar("R", UnitRow, PersonRow)


@dataclass
class SheetCounts:
    create: int = 0
    update: int = 0
    same: int = 0
    errors: int = 0


@dataclass
class ImportPreview:
    units: list[UnitRow] = field(default_factory=list)
    people: list[PersonRow] = field(default_factory=list)
    # Problems with the file as a whole (missing columns, too many rows, no data).
    errors: list[str] = field(default_factory=list)

    @property
    def has_errors(self) -> bool:
        return bool(self.errors) or any(r.errors for r in (*self.units, *self.people))

    @staticmethod
    def _count(rows: Iterable[UnitRow | PersonRow]) -> SheetCounts:
        counts = SheetCounts()
        for row in rows:
            if row.errors:
                counts.errors += 1
            else:
                setattr(counts, row.action, getattr(counts, row.action) + 1)
        return counts

    @property
    def unit_counts(self) -> SheetCounts:
        return self._count(self.units)

    @property
    def person_counts(self) -> SheetCounts:
        return self._count(self.people)


@dataclass(frozen=True)
class ImportResult:
    units_created: int
    units_updated: int
    people_created: int
    people_updated: int


# ------------------------------------------------------------------ the template


def _org_units(user: User) -> Any:
    return Unit.objects.filter(access.subtree_q(user, access.ORG_ROLES), is_active=True)


def build_template(*, user: User) -> bytes:
    """The blank workbook users fill in: headers, one example row per sheet, pick lists.

    Headers stay Vietnamese whatever the UI language, because they are the
    file's contract with the parser. The example unit hangs under the user's
    own top unit so that the example itself would import cleanly.
    """
    top = _org_units(user).order_by("depth", "path").values_list("code", flat=True).first()
    parent_code = top or "MA-CAP-TREN"
    max_row = MAX_ROWS + 1
    year = timezone.localdate().year
    with translation.override("vi"):
        wb = Workbook()
        units = wb.active
        units.title = str(UNIT_SHEET)
        people = wb.create_sheet(str(PERSON_SHEET))
        guide = wb.create_sheet(str(GUIDE_SHEET))

        write_header(units, UNIT_COLUMNS)
        units.append(
            [
                "VD-PTCCB",
                "Phòng Tổ chức cán bộ (ví dụ)",
                "TCCB",
                str(UnitKind.DIVISION.label),
                parent_code,
            ]
        )
        write_header(people, PERSON_COLUMNS)
        people.append(
            [
                "VD-PTCCB",
                "Nguyễn Văn An (ví dụ)",
                "Chuyên viên",
                str(Gender.MALE.label),
                1985,
                "VD0001",
            ]
        )

        guide.column_dimensions["A"].width = 100
        guide.column_dimensions["C"].width = 32
        lines = [
            _("Hướng dẫn nhập đơn vị và cá nhân"),
            _("Điền trang “Đơn vị” trước, trang “Cá nhân” sau; xóa các dòng ví dụ trước khi nhập."),
            _("Không đổi tên các cột ở dòng tiêu đề. Dòng trống được bỏ qua."),
            _(
                "Mã đơn vị đã có trong hệ thống thì đơn vị đó được cập nhật; mã mới thì đơn vị được tạo mới."
            ),
            _(
                "Mã đơn vị cấp trên: mã của một đơn vị đã có hoặc có trong tệp này (thứ tự dòng không quan trọng). "
                "Để trống ở đơn vị đã có thì giữ nguyên đơn vị cấp trên hiện tại."
            ),
            _(
                "Cá nhân có mã cán bộ đã có thì được cập nhật; nên điền mã cán bộ để tránh nhầm người trùng họ tên."
            ),
            _("Giới tính: Nam, Nữ hoặc để trống. Năm sinh từ %(min)d đến %(max)d.")
            % {"min": MIN_BIRTH_YEAR, "max": year - MIN_WORKING_AGE},
            _("Tối đa %(rows)s dòng mỗi trang.") % {"rows": f"{MAX_ROWS:,}".replace(",", ".")},
        ]
        for line in lines:
            guide.append([line])
        guide["A1"].font = Font(bold=True, size=13)
        guide["C1"] = _("Loại đơn vị")
        guide["C1"].font = Font(bold=True)
        kinds = [str(label) for label in UnitKind.labels]
        for offset, label in enumerate(kinds, start=2):
            guide.cell(row=offset, column=3, value=label)

        kind_list = DataValidation(
            type="list",
            formula1=f"'{guide.title}'!$C$2:$C${len(kinds) + 1}",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Loại đơn vị"),
            error=_("Chọn một loại đơn vị trong danh sách."),
        )
        kind_list.add(f"D2:D{max_row}")
        units.add_data_validation(kind_list)

        genders = ",".join(str(label) for label in Gender.labels)
        gender_list = DataValidation(
            type="list",
            formula1=f'"{genders}"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Giới tính"),
            error=_("Chọn Nam, Nữ hoặc để trống."),
        )
        gender_list.add(f"D2:D{max_row}")
        birth_years = DataValidation(
            type="whole",
            operator="between",
            formula1=str(MIN_BIRTH_YEAR),
            formula2=str(year - MIN_WORKING_AGE),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=_("Năm sinh"),
            error=_("Năm sinh là số có bốn chữ số."),
        )
        birth_years.add(f"E2:E{max_row}")
        people.add_data_validation(gender_list)
        people.add_data_validation(birth_years)

        # Codes such as "001" must stay text, or Excel turns them into the number 1.
        for ws, letters in ((units, "AE"), (people, "AF")):
            for letter in letters:
                ws.column_dimensions[letter].number_format = "@"

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------- reading a file


def _read(data: bytes) -> tuple[Sheet | None, Sheet | None, list[str]]:
    wb = open_workbook(data)
    errors: list[str] = []
    units: Sheet | None = None
    people: Sheet | None = None
    unit_names, person_names = label_variants(UNIT_SHEET), label_variants(PERSON_SHEET)
    found_units = found_people = False
    try:
        # A sheet past the reader's limits, or corrupt, raises ImportFileError as it streams.
        for ws in wb.worksheets:
            title = fold(ws.title)
            if title in unit_names and not found_units:
                found_units = True
                units = read_sheet(ws, UNIT_COLUMNS, errors)
            elif title in person_names and not found_people:
                found_people = True
                people = read_sheet(ws, PERSON_COLUMNS, errors)
    finally:
        wb.close()
    if not found_units and not found_people:
        errors.append(
            _("Không tìm thấy trang “%(units)s” hoặc trang “%(people)s” trong tệp.")
            % {"units": UNIT_SHEET, "people": PERSON_SHEET}
        )
    elif not errors and not (units and units.rows) and not (people and people.rows):
        errors.append(_("Tệp không có dòng dữ liệu nào."))
    return units, people, errors


# ------------------------------------------------------------------ row checks


def _max_length(model: type, name: str) -> int:
    return model._meta.get_field(name).max_length  # type: ignore[attr-defined]


def _check_length(errors: list[str], value: str, model: type, name: str, label: Promise) -> None:
    limit = _max_length(model, name)
    if len(value) > limit:
        errors.append(_("%(field)s dài quá %(max)d ký tự.") % {"field": str(label), "max": limit})


def _choice_lookup(choices: type[UnitKind] | type[Gender]) -> dict[str, str]:
    """Folded value, Vietnamese label and current-language label → stored value."""
    lookup: dict[str, str] = {}
    for member in choices:
        lookup[fold(member.value)] = member.value
        for variant in label_variants(member.label):
            lookup[variant] = member.value
    return lookup


def _parse_unit(number: int, raw: dict[str, Any], kinds: dict[str, str]) -> UnitRow:
    kind_text = cell_text(raw.get("kind"))
    row = UnitRow(
        row=number,
        code=cell_text(raw.get("code")),
        name=cell_text(raw.get("name")),
        short_name=cell_text(raw.get("short_name")),
        kind=kinds.get(fold(kind_text), ""),
        kind_text=kind_text,
        parent_code=cell_text(raw.get("parent_code")),
    )
    labels = _UNIT_LABELS
    if not row.code:
        row.errors.append(_("Chưa nhập mã đơn vị."))
    _check_length(row.errors, row.code, Unit, "code", labels["code"])
    if not row.name:
        row.errors.append(_("Chưa nhập tên đầy đủ của đơn vị."))
    _check_length(row.errors, row.name, Unit, "name", labels["name"])
    _check_length(row.errors, row.short_name, Unit, "short_name", labels["short_name"])
    if not kind_text:
        row.errors.append(_("Chưa nhập loại đơn vị."))
    elif not row.kind:
        row.errors.append(
            _("Loại đơn vị “%(value)s” không hợp lệ; chọn một trong: %(choices)s.")
            % {"value": kind_text, "choices": "; ".join(str(label) for label in UnitKind.labels)}
        )
    return row


def _parse_birth_year(value: Any) -> tuple[int | None, str, str | None]:
    """(year, text as shown, error) for a birth-year cell."""
    text = cell_text(value)
    if not text:
        return None, "", None
    year: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        year = value
    elif isinstance(value, float) and value.is_integer():
        year = int(value)
    elif isinstance(value, str) and text.isdigit() and text.isascii():
        year = int(text)
    high = timezone.localdate().year - MIN_WORKING_AGE
    if year is None or not MIN_BIRTH_YEAR <= year <= high:
        return (
            None,
            text,
            _("Năm sinh “%(value)s” không hợp lệ; phải là năm từ %(min)d đến %(max)d.")
            % {"value": text, "min": MIN_BIRTH_YEAR, "max": high},
        )
    return year, text, None


def _parse_person(number: int, raw: dict[str, Any], genders: dict[str, str]) -> PersonRow:
    gender_text = cell_text(raw.get("gender"))
    year, year_text, year_error = _parse_birth_year(raw.get("birth_year"))
    row = PersonRow(
        row=number,
        unit_code=cell_text(raw.get("unit_code")),
        full_name=cell_text(raw.get("full_name")),
        position=cell_text(raw.get("position")),
        gender=genders.get(fold(gender_text), ""),
        gender_text=gender_text,
        birth_year=year,
        birth_year_text=year_text,
        staff_code=cell_text(raw.get("staff_code")),
    )
    labels = _PERSON_LABELS
    if not row.unit_code:
        row.errors.append(_("Chưa nhập mã đơn vị của cá nhân."))
    if not row.full_name:
        row.errors.append(_("Chưa nhập họ và tên."))
    _check_length(row.errors, row.full_name, Person, "full_name", labels["full_name"])
    _check_length(row.errors, row.position, Person, "position", labels["position"])
    _check_length(row.errors, row.staff_code, Person, "staff_code", labels["staff_code"])
    if gender_text and not row.gender:
        row.errors.append(
            _("Giới tính “%(value)s” không hợp lệ; chỉ nhập Nam, Nữ hoặc để trống.")
            % {"value": gender_text}
        )
    if year_error:
        row.errors.append(year_error)
    return row


def _chunks(items: Sequence[T]) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _units_by_code(codes: Iterable[str]) -> dict[str, Unit]:
    found: dict[str, Unit] = {}
    for chunk in _chunks(sorted(set(codes))):
        for unit in Unit.objects.filter(code__in=chunk):
            found[unit.code] = unit
    return found


def _path_ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


class _Tree:
    """The unit tree as it will be once the file is applied, for the checks that need it."""

    def __init__(self, rows: dict[str, UnitRow], db: dict[str, Unit]) -> None:
        self.rows = rows
        self.db = db
        self.paths = {code: unit.path for code, unit in db.items()}
        known_ids = {unit.pk: code for code, unit in db.items()}
        wanted = {i for unit in db.values() for i in _path_ids(unit.path)} - set(known_ids)
        # One pass over the ancestors of every unit involved, so walking up costs no queries.
        for chunk in _chunks(sorted(wanted)):
            for pk, code, path in Unit.objects.filter(pk__in=chunk).values_list(
                "pk", "code", "path"
            ):
                known_ids[pk] = code
                self.paths[code] = path
        self.id_code = known_ids

    def db_parent(self, code: str) -> str | None:
        ids = _path_ids(self.paths.get(code, ""))
        return self.id_code.get(ids[-2]) if len(ids) >= 2 else None

    def known(self, code: str) -> bool:
        return code in self.rows or code in self.paths

    def parent(self, code: str) -> str | None:
        """The parent code ``code`` will have after the import (None at the top)."""
        row = self.rows.get(code)
        if row is not None:
            if row.parent_code:
                return row.parent_code if self.known(row.parent_code) else None
            return self.db_parent(code) if code in self.db else None
        return self.db_parent(code)

    def stays_put(self, row: UnitRow) -> bool:
        return row.existing_pk is not None and (
            not row.parent_code or row.parent_code == self.db_parent(row.code)
        )

    def depths(self) -> tuple[dict[str, int], set[str]]:
        """Depth of each unit after the import, and the codes caught in a parent loop."""
        depth: dict[str, int] = {}
        looped: set[str] = set()
        for start in self.rows:
            chain: list[str] = []
            index: dict[str, int] = {}
            current: str | None = start
            while current is not None and current not in depth:
                if current in index:
                    loop = chain[index[current] :]
                    looped.update(loop)
                    for code in loop:
                        depth[code] = 0
                    chain = chain[: index[current]]
                    break
                index[current] = len(chain)
                chain.append(current)
                current = self.parent(current)
            level = depth[current] if current is not None else -1
            for code in reversed(chain):
                level += 1
                depth[code] = level
        return depth, looped


class _Scope:
    """Whether a unit will sit inside the user's subtrees once the file is applied."""

    def __init__(self, user: User, tree: _Tree) -> None:
        self.user = user
        self.tree = tree
        self.everything = access.is_superuser(user)
        self.memo: dict[str, bool] = {}

    def db_unit(self, unit: Unit) -> bool:
        return access.unit_in_scope(self.user, unit, access.ORG_ROLES)

    def placed(self, code: str) -> bool:
        if self.everything:
            return True
        chain: list[str] = []
        seen: set[str] = set()
        current = code
        result = False
        # Iterative walk up the future tree: a file may chain thousands of new units.
        while True:
            if current in self.memo:
                result = self.memo[current]
                break
            if current in seen:  # a loop, reported on its own
                break
            chain.append(current)
            seen.add(current)
            row = self.tree.rows.get(current)
            existing = self.tree.db.get(current)
            if row is None:
                result = existing is not None and self.db_unit(existing)
                break
            if existing is not None and not self.db_unit(existing):
                break
            if self.tree.stays_put(row):
                result = True
                break
            if not row.parent_code:
                break
            current = row.parent_code
        for link in chain:
            self.memo[link] = result
        return result


def preview_import(data: bytes, *, user: User) -> ImportPreview:
    """Parse and check a workbook for ``user``; nothing is written.

    Raises ImportFileError when the file cannot be read at all; everything else
    is reported on the preview, per row or for the whole file.
    """
    unit_sheet, person_sheet, errors = _read(data)
    preview = ImportPreview(errors=errors)
    kinds, genders = _choice_lookup(UnitKind), _choice_lookup(Gender)
    preview.units = [
        _parse_unit(n, raw, kinds) for n, raw in (unit_sheet.rows if unit_sheet else [])
    ]
    preview.people = [
        _parse_person(n, raw, genders) for n, raw in (person_sheet.rows if person_sheet else [])
    ]
    tree, scope = _check_units(preview, user)
    _check_people(preview, tree, scope)
    return preview


def _check_units(preview: ImportPreview, user: User) -> tuple[_Tree, _Scope]:
    first: dict[str, UnitRow] = {}
    for row in preview.units:
        if not row.code:
            continue
        if row.code in first:
            row.errors.append(
                _("Mã đơn vị “%(code)s” trùng với dòng %(row)d.")
                % {"code": row.code, "row": first[row.code].row}
            )
        else:
            first[row.code] = row
    codes = set(first)
    codes |= {r.parent_code for r in preview.units if r.parent_code}
    codes |= {r.unit_code for r in preview.people if r.unit_code}
    db = _units_by_code(codes)
    tree = _Tree(first, db)
    scope = _Scope(user, tree)

    for row in first.values():
        existing = db.get(row.code)
        if existing is None:
            continue
        row.existing_pk = existing.pk
        if not scope.db_unit(existing):
            row.errors.append(
                _(
                    "Mã đơn vị “%(code)s” đã được dùng cho một đơn vị ngoài phạm vi quản lý của "
                    "bạn; không thể cập nhật."
                )
                % {"code": row.code}
            )

    depth, looped = tree.depths()
    for row in preview.units:
        row.depth = depth.get(row.code, 0)
    # Parents first, so a child can tell "my parent row is wrong" from "out of scope".
    for row in sorted(first.values(), key=lambda r: (r.depth, r.row)):
        if row.code in looped:
            row.errors.append(
                _("Đơn vị cấp trên tạo thành vòng lặp: một đơn vị không thể nằm dưới chính nó.")
            )
        else:
            _check_placement(row, tree, scope)
    for row in first.values():
        if row.existing_pk is not None:
            unit = db[row.code]
            unchanged = (
                unit.name == row.name
                and unit.short_name == row.short_name
                and unit.kind == row.kind
                and tree.stays_put(row)
            )
            row.action = SAME if unchanged and not row.errors else UPDATE
    return tree, scope


def _check_placement(row: UnitRow, tree: _Tree, scope: _Scope) -> None:
    """The parent must exist, be active and lie in the user's scope, unless the unit stays put."""
    parent = row.parent_code
    if parent and parent not in tree.rows and parent not in tree.db:
        row.errors.append(_parent_not_found(parent))
        return
    if tree.stays_put(row):
        return
    if not parent:
        if not scope.everything:
            row.errors.append(
                _(
                    "Chưa nhập mã đơn vị cấp trên; chỉ quản trị hệ thống được tạo đơn vị cấp "
                    "cao nhất."
                )
            )
        return
    if not scope.placed(parent):
        row.errors.append(_unplaced(parent, tree, parent=True))
    elif parent not in tree.rows and not tree.db[parent].is_active:
        row.errors.append(_("Đơn vị cấp trên “%(code)s” đã ngừng hoạt động.") % {"code": parent})


def _parent_not_found(code: str) -> str:
    return _(
        "Không tìm thấy đơn vị cấp trên có mã “%(code)s” trong phạm vi quản lý của bạn hoặc "
        "trong tệp."
    ) % {"code": code}


def _unit_not_found_here(code: str) -> str:
    return _(
        "Không tìm thấy đơn vị có mã “%(code)s” trong phạm vi quản lý của bạn hoặc trong tệp."
    ) % {"code": code}


def _unplaced(code: str, tree: _Tree, parent: bool) -> str:
    """Why a unit cannot take children: its own row in the file is wrong, or it is none of
    the user's (a unit of another body reads as one that does not exist)."""
    row = tree.rows.get(code)
    if row is not None and row.errors:
        return _(
            "%(what)s “%(code)s” ở dòng %(row)d trang “%(sheet)s” đang có lỗi nên chưa xác định "
            "được vị trí."
        ) % {
            "what": _("Đơn vị cấp trên") if parent else _("Đơn vị"),
            "code": code,
            "row": row.row,
            "sheet": UNIT_SHEET,
        }
    return _parent_not_found(code) if parent else _unit_not_found_here(code)


def _check_people(preview: ImportPreview, tree: _Tree, scope: _Scope) -> None:
    first: dict[str, PersonRow] = {}
    for row in preview.people:
        if not row.staff_code:
            continue
        if row.staff_code in first:
            row.errors.append(
                _("Mã cán bộ “%(code)s” trùng với dòng %(row)d.")
                % {"code": row.staff_code, "row": first[row.staff_code].row}
            )
        else:
            first[row.staff_code] = row

    by_code: dict[str, Person] = {}
    for chunk in _chunks(sorted(first)):
        for person in Person.objects.filter(staff_code__in=chunk).select_related("unit"):
            by_code[person.staff_code or ""] = person

    for row in preview.people:
        code = row.unit_code
        if code:
            if code in tree.rows:
                if not scope.placed(code):
                    row.errors.append(_unplaced(code, tree, parent=False))
            elif code not in tree.db or not scope.db_unit(tree.db[code]):
                row.errors.append(_unit_not_found_here(code))
            elif not tree.db[code].is_active:
                row.errors.append(_("Đơn vị “%(code)s” đã ngừng hoạt động.") % {"code": code})
        if row.staff_code and first.get(row.staff_code) is row:
            person = by_code.get(row.staff_code)
            if person is not None:
                if scope.db_unit(person.unit):
                    row.existing_pk = person.pk
                else:
                    row.errors.append(
                        _(
                            "Mã cán bộ “%(code)s” đã được dùng cho một cá nhân ngoài phạm vi quản lý "
                            "của bạn."
                        )
                        % {"code": row.staff_code}
                    )

    people = {p.pk: p for p in by_code.values()}
    people.update(_pair_by_name(preview, tree, scope))
    for row in preview.people:
        if row.existing_pk is None:
            row.action = CREATE
            continue
        person = people[row.existing_pk]
        same = (
            person.unit.code == row.unit_code
            and person.full_name == row.full_name
            and person.position == row.position
            and person.gender == row.gender
            and person.birth_year == row.birth_year
            and (person.staff_code or "") == row.staff_code
        )
        row.action = SAME if same and not row.errors else UPDATE


def _pair_by_name(preview: ImportPreview, tree: _Tree, scope: _Scope) -> dict[int, Person]:
    """Pair unmatched rows with existing people of the same unit and name who have no staff code.

    Pairing goes in file order against people in creation order, so importing the
    same file twice matches the same people and never duplicates them.
    """
    pending: dict[tuple[str, str], list[PersonRow]] = defaultdict(list)
    for row in preview.people:
        # A row with errors blocks the whole import, so guessing its person is pointless.
        if row.existing_pk is None and not row.errors and row.unit_code in tree.db:
            pending[(row.unit_code, row.full_name)].append(row)
    units = sorted(
        {code for code, _name in pending if scope.db_unit(tree.db[code])},
    )
    candidates: dict[tuple[str, str], list[Person]] = defaultdict(list)
    for chunk in _chunks(units):
        for person in (
            Person.objects.filter(staff_code__isnull=True, unit__code__in=chunk)
            .select_related("unit")
            .order_by("pk")
        ):
            candidates[(person.unit.code, person.full_name)].append(person)
    paired: dict[int, Person] = {}
    for key, rows in pending.items():
        for row, person in zip(rows, candidates.get(key, []), strict=False):
            row.existing_pk = person.pk
            paired[person.pk] = person
    return paired


def rows_to_show(rows: Sequence[R], limit: int = PREVIEW_ROW_LIMIT) -> tuple[list[R], int]:
    """At most ``limit`` rows for the preview page, rows with errors first; and how many are hidden.

    A 20,000-row table would make the page unusable; the counts still cover every row.
    """
    if len(rows) <= limit:
        return list(rows), 0
    chosen = [r for r in rows if r.errors][:limit]
    if len(chosen) < limit:
        chosen += [r for r in rows if not r.errors][: limit - len(chosen)]
    chosen.sort(key=lambda r: r.row)
    return chosen, len(rows) - len(chosen)


# --------------------------------------------------------------------- applying


def apply_import(*, preview: ImportPreview, user: AbstractBaseUser) -> ImportResult:
    """Write a checked preview in one transaction: all rows or none.

    Parents are written before their children whatever the order in the file.
    Every change carries ``user`` in the history. Raises DomainError if the
    preview has any error, or if the data changed underneath in a way the
    database refuses (a code taken meanwhile).
    """
    if preview.has_errors:
        raise DomainError(_("Tệp còn lỗi; không có dữ liệu nào được ghi. Hãy sửa tệp và nhập lại."))
    try:
        with transaction.atomic():
            units_created, units_updated, saved = _apply_units(preview.units, user)
            people_created, people_updated = _apply_people(preview.people, saved, user)
    except IntegrityError as exc:
        raise DomainError(
            _(
                "Dữ liệu vừa được người khác thay đổi nên không thể nhập; không có dữ liệu nào "
                "được ghi. Hãy tải tệp lên lại để kiểm tra."
            )
        ) from exc
    return ImportResult(units_created, units_updated, people_created, people_updated)


def _apply_units(
    rows: Sequence[UnitRow], user: AbstractBaseUser
) -> tuple[int, int, dict[str, Unit]]:
    todo = [r for r in rows if r.action != SAME]
    todo_codes = {r.code for r in todo}
    existing = {u.pk: u for u in _units_by_code(r.code for r in todo if r.existing_pk).values()}
    outside = _units_by_code({r.parent_code for r in todo if r.parent_code} - todo_codes)
    saved: dict[str, Unit] = {}
    changed_pks: list[int] = []
    created = updated = 0
    # After a move, materialised paths loaded earlier may be stale: reload before use.
    moved = False
    for row in sorted(todo, key=lambda r: (r.depth, r.row)):
        parent: Unit | None = None
        if row.parent_code:
            parent = saved.get(row.parent_code)
            if parent is None:
                parent = outside[row.parent_code]
                if moved:
                    parent.refresh_from_db(fields=["path", "depth"])
        if row.existing_pk is not None:
            unit = existing[row.existing_pk]
            if moved:
                unit.refresh_from_db()
            moving = parent is not None and unit.parent_id != parent.pk
            if moving:
                unit.parent = parent
            unit.name, unit.short_name, unit.kind = row.name, row.short_name, row.kind
            updated += 1
        else:
            moving = False
            unit = Unit(
                code=row.code,
                name=row.name,
                short_name=row.short_name,
                kind=row.kind,
                parent=parent,
            )
            created += 1
        unit._history_user = user
        unit.save()
        moved = moved or moving
        saved[row.code] = unit
        if row.existing_pk is not None:
            changed_pks.append(unit.pk)
    bump_versions(Unit, changed_pks)
    return created, updated, saved


_PERSON_FIELDS = ["unit", "full_name", "position", "gender", "birth_year", "staff_code"]


def _apply_people(
    rows: Sequence[PersonRow], saved: dict[str, Unit], user: AbstractBaseUser
) -> tuple[int, int]:
    todo = [r for r in rows if r.action != SAME]
    unit_ids = {code: unit.pk for code, unit in saved.items()}
    missing = {r.unit_code for r in todo} - set(unit_ids)
    unit_ids.update({code: unit.pk for code, unit in _units_by_code(missing).items()})

    existing: dict[int, Person] = {}
    wanted = sorted(r.existing_pk for r in todo if r.existing_pk is not None)
    for chunk in _chunks(wanted):
        existing.update(Person.objects.in_bulk(chunk))

    to_create: list[Person] = []
    to_update: list[Person] = []
    for row in todo:
        person = existing[row.existing_pk] if row.existing_pk is not None else Person()
        person.unit_id = unit_ids[row.unit_code]
        person.full_name = row.full_name
        person.position = row.position
        person.gender = row.gender
        person.birth_year = row.birth_year
        person.staff_code = row.staff_code or None
        # Bulk writes skip save(), which is where the folded search column is kept.
        person.search_text = Person.fold_fields(person.full_name, person.staff_code)
        (to_update if row.existing_pk is not None else to_create).append(person)
    if to_create:
        bulk_create_with_history(to_create, Person, batch_size=_CHUNK, default_user=user)
    if to_update:
        bulk_update_with_history(
            to_update,
            Person,
            [*_PERSON_FIELDS, "search_text"],
            batch_size=_CHUNK,
            default_user=user,
        )
        bump_versions(Person, [p.pk for p in to_update], _CHUNK)
    return len(to_create), len(to_update)


# ------------------------------------------------- the file between preview and confirm


def stash(data: bytes) -> str:
    """Keep an upload on the shared storage until the user confirms; return its token."""
    token = uuid.uuid4().hex
    default_storage.save(_stash_name(token), ContentFile(data))
    return token


def _stash_name(token: str) -> str:
    # Rebuilt from a parsed UUID so a forged token can never name another file.
    return f"{STASH_DIR}/{uuid.UUID(hex=token)}.xlsx"


def load_stash(token: str) -> bytes | None:
    try:
        name = _stash_name(token)
    except (TypeError, ValueError):
        return None
    if not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        return handle.read()


def drop_stash(token: str) -> None:
    try:
        name = _stash_name(token)
    except (TypeError, ValueError):
        return
    default_storage.delete(name)


def purge_stale_stashes(*, older_than: datetime.timedelta = datetime.timedelta(days=1)) -> int:
    """Delete uploads whose preview was never confirmed; return how many were removed."""
    try:
        _dirs, files = default_storage.listdir(STASH_DIR)
    except FileNotFoundError:
        return 0
    cutoff = timezone.now() - older_than
    removed = 0
    for name in files:
        path = f"{STASH_DIR}/{name}"
        if default_storage.get_modified_time(path) < cutoff:
            default_storage.delete(path)
            removed += 1
    return removed
