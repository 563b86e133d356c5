"""Organisational units, people and the roles users hold for a unit."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.text import fold
from campaigns.versioning import VersionedModel


class UnitKind(models.TextChoices):
    BODY = "body", _("Cơ quan")
    DEPARTMENT = "department", _("Vụ, cục, đơn vị trực thuộc")
    DIVISION = "division", _("Phòng, ban")
    TEAM = "team", _("Tổ, đội")
    SERVICE = "service", _("Đơn vị sự nghiệp")


class Unit(VersionedModel):
    """A node of the organisational tree (body → departments → sub-units).

    ``path`` is a materialised path of primary keys ("/3/17/42/") so a subtree is
    one indexed prefix match and an ancestor list is derived without queries.
    Units are archived (``is_active=False``), never deleted.
    """

    code = models.CharField(_("mã đơn vị"), max_length=32, unique=True)
    name = models.CharField(_("tên đầy đủ"), max_length=255)
    short_name = models.CharField(_("tên viết tắt"), max_length=64, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["path", "depth", "search_text", "version"])

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        indexes = [models.Index(fields=["parent", "name"])]

    def __str__(self) -> str:
        return self.short_name or self.name

    @staticmethod
    def fold_fields(code: str, name: str, short_name: str) -> str:
        return fold(f"{code} {name} {short_name}")

    def clean(self) -> None:
        if (
            self.parent_id
            and self.pk
            and (self.parent_id == self.pk or self.parent.path.startswith(self.path or "\0"))
        ):
            raise ValidationError(
                {
                    "parent": _(
                        "Không thể đặt một đơn vị làm cấp trên của chính nó hoặc của đơn vị cấp trên nó."
                    )
                }
            )

    def _computed_path(self) -> str:
        return f"{self.parent.path if self.parent_id else '/'}{self.pk}/"

    def save(self, *args, **kwargs) -> None:
        self.search_text = self.fold_fields(self.code, self.name, self.short_name)
        if self.pk is None:
            super().save(*args, **kwargs)
            self.path = self._computed_path()
            self.depth = self.path.count("/") - 2
            # path is derived from the new primary key, so it is written after the insert.
            Unit.objects.filter(pk=self.pk).update(path=self.path, depth=self.depth)
            return
        old_path, old_depth = self.path, self.depth
        self.path = self._computed_path()
        self.depth = self.path.count("/") - 2
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moved: re-root every descendant in one statement.
            Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Concat(Value(self.path), Substr("path", len(old_path) + 1)),
                depth=F("depth") + (self.depth - old_depth),
            )

    @property
    def ancestor_ids(self) -> list[int]:
        """Primary keys from the root down to and including this unit."""
        return [int(part) for part in self.path.strip("/").split("/") if part]

    @property
    def ancestor_paths(self) -> list[str]:
        ids = self.ancestor_ids
        return ["/" + "/".join(str(i) for i in ids[: n + 1]) + "/" for n in range(len(ids))]


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class TargetGroup(models.TextChoices):
    """The group a person is counted in on form 0602.N/BNV-TĐKT (Circular 02/2023/TT-BNV)."""

    LEADER_CENTRAL = "leader_central", _("Lãnh đạo cấp Trung ương, bộ, ngành")
    LEADER_DEPARTMENT = "leader_department", _("Lãnh đạo cấp vụ, cục và tương đương")
    MANAGER = "manager", _("Quản lý từ phó trưởng phòng trở lên")
    BUSINESS = "business", _("Doanh nhân")
    DIRECT_WORKER = "direct_worker", _("Người trực tiếp lao động, công tác")
    OTHER = "other", _("Đối tượng khác")


class Person(VersionedModel):
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="people"
    )
    full_name = models.CharField(_("họ và tên"), max_length=255)
    position = models.CharField(_("chức vụ"), max_length=255, blank=True)
    gender = models.CharField(_("giới tính"), max_length=8, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    staff_code = models.CharField(_("mã cán bộ"), max_length=32, null=True, blank=True, unique=True)
    target_group = models.CharField(
        _("đối tượng"),
        max_length=24,
        choices=TargetGroup.choices,
        default=TargetGroup.DIRECT_WORKER,
    )
    is_active = models.BooleanField(_("đang công tác"), default=True)
    search_text = models.CharField(max_length=400, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text", "version"])

    class Meta:
        verbose_name = _("cá nhân")
        verbose_name_plural = _("cá nhân")
        ordering = ["full_name", "pk"]
        indexes = [models.Index(fields=["unit", "full_name"])]

    def __str__(self) -> str:
        return self.full_name

    @staticmethod
    def fold_fields(full_name: str, staff_code: str | None) -> str:
        return fold(f"{full_name} {staff_code or ''}")

    def save(self, *args, **kwargs) -> None:
        self.staff_code = self.staff_code or None
        self.search_text = self.fold_fields(self.full_name, self.staff_code)
        super().save(*args, **kwargs)


class Role(models.TextChoices):
    HR_STAFF = "hr_staff", _("Cán bộ thi đua – khen thưởng")
    FOCAL_POINT = "focal_point", _("Cán bộ đầu mối đơn vị")
    LEADER = "leader", _("Lãnh đạo")
    COUNCIL_MEMBER = "council_member", _("Thành viên Hội đồng TĐKT")
    ADMINISTRATOR = "administrator", _("Quản trị")


class RoleAssignment(models.Model):
    """A role a user holds for a unit; it reaches that unit's whole subtree."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân quyền theo đơn vị")
        verbose_name_plural = _("phân quyền theo đơn vị")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="unique_role_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"
