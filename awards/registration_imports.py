"""Excel import of a registration's people list: staff code and title code per row.

Errors per row: a staff code of no one in the registering unit (the same answer
whether it names someone elsewhere or no one), a person no longer working, an
unknown title code or one that is not an individual emulation title, a name that
does not match the staff code, a pair listed twice in the file. A pair already on the registration is skipped, so importing the
same file twice changes nothing.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns import imports as org_imports
from campaigns.models import Person
from campaigns.spreadsheets import Column
from campaigns.text import fold

from . import excel, registration_services
from .models import AwardType, Category, Registration, Subject

SHEET = excel.Sheet(
    name=gettext_lazy("Đăng ký cá nhân"),
    columns=(
        Column("staff_code", gettext_lazy("Mã cán bộ"), True, 16),
        Column("full_name", gettext_lazy("Họ và tên"), False, 32),
        Column("title_code", gettext_lazy("Mã danh hiệu"), True, 16),
    ),
    example=("VD0001", "Nguyễn Văn An (ví dụ)", "LDTT"),
    text_columns=("staff_code", "title_code"),
)


class RegistrationEntryImport(excel.SheetImport):
    sheet = SHEET

    def __init__(self, *, user: AbstractBaseUser, registration: Registration) -> None:
        super().__init__(user=user)
        self.registration = registration

    def check(self, rows: list[excel.Row]) -> None:
        unit = self.registration.unit
        codes = sorted({r.cells["staff_code"] for r in rows if r.cells["staff_code"]})
        # Only the unit's own people exist here: a code of someone elsewhere, in this body or
        # another, gets the answer a code of no one gets (org_imports.person_not_found).
        in_unit = Person.objects.filter(unit__path__startswith=unit.path).select_related("unit")
        people: dict[str, Person] = {}
        for chunk in excel.chunks(codes):
            for person in in_unit.filter(staff_code__in=chunk):
                people[person.staff_code or ""] = person
        titles = {t.code.upper(): t for t in AwardType.objects.all()}
        listed = set(self.registration.entries.values_list("person_id", "award_type_id"))
        for row in rows:
            code, title_code = row.cells["staff_code"], row.cells["title_code"]
            person = people.get(code) if code else None
            title = titles.get(title_code.upper()) if title_code else None
            if not code:
                row.errors.append(_("Chưa nhập mã cán bộ."))
            elif person is None or not person.unit.path.startswith(unit.path):
                row.errors.append(org_imports.person_not_found(code, unit))
                person = None
            elif not person.is_active:
                row.errors.append(
                    _("%(person)s đã nghỉ công tác, không thể đăng ký.") % {"person": person}
                )
            name = row.cells["full_name"]
            if person is not None and name and fold(name) != fold(person.full_name):
                row.errors.append(
                    _("Họ và tên “%(name)s” không khớp với cán bộ mã “%(code)s” (%(person)s).")
                    % {"name": name, "code": code, "person": person.full_name}
                )
            if not title_code:
                row.errors.append(_("Chưa nhập mã danh hiệu."))
            elif title is None:
                row.errors.append(
                    _("Không tìm thấy danh hiệu có mã “%(code)s”.") % {"code": title_code}
                )
            elif (
                title.category != Category.EMULATION_TITLE
                or title.subject != Subject.INDIVIDUAL
                or not title.is_active
            ):
                row.errors.append(
                    _("“%(title)s” không phải danh hiệu thi đua cá nhân đang áp dụng.")
                    % {"title": title}
                )
                title = None
            if person is not None and title is not None:
                row.data = {"person_id": person.pk, "award_type_id": title.pk}
                if (person.pk, title.pk) in listed:
                    row.action = excel.SAME
        excel.mark_duplicates(
            rows,
            lambda r: (r.data["person_id"], r.data["award_type_id"]) if r.data else None,
            _("Cá nhân và danh hiệu này trùng với dòng %(row)d."),
        )

    def write(self, rows: list[excel.Row]) -> None:
        registration_services.registration_add_entries(
            registration=self.registration,
            by=self.user,
            entries=[registration_services.EntryRow(**r.data) for r in rows],
        )


def template_bytes() -> bytes:
    titles = registration_services.individual_titles().order_by("order", "name")
    return excel.build_template(
        SHEET,
        guide=[
            _("Hướng dẫn nhập danh sách cá nhân đăng ký thi đua"),
            _("Mỗi dòng: mã cán bộ của một người thuộc đơn vị và mã danh hiệu người đó đăng ký."),
            _("Cột “Họ và tên” để đối chiếu: nếu điền, phải khớp với mã cán bộ."),
            _("Không đổi tên các cột ở dòng tiêu đề; xóa dòng ví dụ trước khi nhập."),
            _("Các cặp cá nhân – danh hiệu đã có trong đăng ký được bỏ qua."),
        ],
        reference=(_("Mã danh hiệu"), [(t.code, t.name) for t in titles]),
    )
