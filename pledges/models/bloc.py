"""Emulation blocs (khối / cụm thi đua), their members and secretariats."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from campaigns.models import Unit
from campaigns.text import fold
from campaigns.versioning import VersionedModel


class BlocLevel(models.TextChoices):
    CENTRAL = "central", _("Khối các bộ, ngành, cơ quan")
    INTERNAL = "internal", _("Khối các đơn vị trong một cơ quan")


class Bloc(VersionedModel):
    name = models.CharField(_("tên khối thi đua"), max_length=300)
    short_name = models.CharField(_("tên gọi tắt"), max_length=100, blank=True)
    level = models.CharField(_("cấp"), max_length=16, choices=BlocLevel.choices)
    organiser = models.ForeignKey(
        Unit,
        verbose_name=_("cơ quan tổ chức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_blocs",
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    search_text = models.CharField(max_length=500, editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text", "version"])

    class Meta:
        verbose_name = _("khối thi đua")
        verbose_name_plural = _("khối thi đua")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(f"{self.name} {self.short_name}")
        super().save(*args, **kwargs)


class BlocMembership(models.Model):
    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("đơn vị thành viên"),
        on_delete=models.PROTECT,
        related_name="bloc_memberships",
    )
    joined_on = models.DateField(_("ngày tham gia"))
    left_on = models.DateField(_("ngày rời khối"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành viên khối")
        verbose_name_plural = _("thành viên khối")
        ordering = ["bloc", "unit__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bloc", "unit", "joined_on"], name="unique_bloc_membership"
            )
        ]

    def __str__(self) -> str:
        return f"{self.bloc} – {self.unit}"


class BlocSecretariat(models.Model):
    """The secretariat role, held for a bloc rather than for a unit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dùng"),
        on_delete=models.CASCADE,
        related_name="bloc_secretariats",
    )
    bloc = models.ForeignKey(
        Bloc, verbose_name=_("khối thi đua"), on_delete=models.CASCADE, related_name="secretariat"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thư ký khối thi đua")
        verbose_name_plural = _("thư ký khối thi đua")
        constraints = [
            models.UniqueConstraint(fields=["user", "bloc"], name="unique_bloc_secretariat")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.bloc}"


class BlocYear(VersionedModel):
    """One year of a bloc: its leader (khối trưởng), deputies and the rotating flag.

    The rotating flag (cờ luân lưu) is handed from last year's leader to this
    year's at a ceremony; the giver is derived from last year's row.
    """

    bloc = models.ForeignKey(Bloc, on_delete=models.CASCADE, related_name="years")
    year = models.PositiveSmallIntegerField(_("năm"))
    leader = models.ForeignKey(
        Unit,
        verbose_name=_("khối trưởng"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bloc_years_led",
    )
    deputies = models.ManyToManyField(
        Unit, verbose_name=_("khối phó"), blank=True, related_name="bloc_years_deputy"
    )
    flag_handover_date = models.DateField(_("ngày trao cờ luân lưu"), null=True, blank=True)
    flag_handover_occasion = models.CharField(_("dịp trao cờ"), max_length=300, blank=True)
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("năm thi đua của khối")
        verbose_name_plural = _("năm thi đua của khối")
        ordering = ["bloc", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["bloc", "year"], name="one_bloc_year"),
        ]

    def __str__(self) -> str:
        return f"{self.bloc} – {self.year}"
