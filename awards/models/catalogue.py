"""The catalogue of titles and forms of commendation, and their versioned rules.

Every criterion, cap and vote threshold is data (Rule rows with JSON params),
grouped in RuleSets that take effect on a date and cite their legal basis; the
set in force on 1 January of the award year (or the latest set before it) is
the one applied. The code that interprets each rule kind is in awards/rules.py.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Category(models.TextChoices):
    EMULATION_TITLE = "title", _("Danh hiệu thi đua")
    AWARD_FORM = "form", _("Hình thức khen thưởng")


class Subject(models.TextChoices):
    INDIVIDUAL = "individual", _("Cá nhân")
    COLLECTIVE = "collective", _("Tập thể")


class Level(models.TextChoices):
    GRASSROOTS = "grassroots", _("Cơ sở")
    MINISTRY = "ministry", _("Bộ, ngành, tỉnh")
    GOVERNMENT = "government", _("Chính phủ, Thủ tướng Chính phủ")
    STATE = "state", _("Nhà nước")


class AwardType(models.Model):
    """A title (danh hiệu thi đua) or a form of commendation (hình thức khen thưởng)."""

    code = models.CharField(_("mã"), max_length=32, unique=True)
    name = models.CharField(_("tên"), max_length=300)
    category = models.CharField(_("loại"), max_length=8, choices=Category.choices)
    subject = models.CharField(_("đối tượng"), max_length=12, choices=Subject.choices)
    level = models.CharField(_("cấp"), max_length=12, choices=Level.choices)
    authority = models.CharField(_("thẩm quyền quyết định"), max_length=300, blank=True)
    cash_multiple = models.DecimalField(
        _("tiền thưởng (lần mức lương cơ sở)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    order = models.PositiveSmallIntegerField(_("thứ tự hiển thị"), default=100)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("danh hiệu, hình thức khen thưởng")
        verbose_name_plural = _("danh hiệu, hình thức khen thưởng")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class RuleSet(models.Model):
    award_type = models.ForeignKey(AwardType, on_delete=models.PROTECT, related_name="rule_sets")
    effective_from = models.DateField(_("có hiệu lực từ"))
    legal_basis = models.CharField(_("căn cứ pháp lý"), max_length=500)
    note = models.TextField(_("ghi chú"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ tiêu chuẩn")
        verbose_name_plural = _("bộ tiêu chuẩn")
        ordering = ["award_type", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["award_type", "effective_from"], name="one_rule_set_per_date"
            )
        ]

    def __str__(self) -> str:
        return f"{self.award_type} – {self.effective_from:%d/%m/%Y}"

    @classmethod
    def in_force(cls, award_type: AwardType, year: int) -> RuleSet | None:
        """The set applied to an award year: the latest that took effect by the year's end."""
        return (
            cls.objects.filter(
                award_type=award_type, effective_from__lte=datetime.date(year, 12, 31)
            )
            .order_by("-effective_from")
            .first()
        )


class RuleKind(models.TextChoices):
    SAME_YEAR_TITLE = "same_year_title", _("Đạt danh hiệu khác trong cùng năm")
    CONSECUTIVE_YEARS = "consecutive_years", _("Số năm liên tục đạt danh hiệu")
    ACHIEVEMENT = "achievement", _("Sáng kiến, đề tài hoặc mức hoàn thành nhiệm vụ")
    RATING = "rating", _("Mức hoàn thành nhiệm vụ tối thiểu")
    MEMBER_SHARE = "member_share", _("Tỷ lệ thành viên đạt danh hiệu")
    MEMBER_COUNT = "member_count", _("Số thành viên tối thiểu đạt danh hiệu")
    MEMBERS_COMPLETE = "members_complete", _("Tỷ lệ thành viên hoàn thành nhiệm vụ")
    NO_DISCIPLINE = "no_discipline", _("Không có người bị kỷ luật")
    CAP_SHARE = "cap_share", _("Giới hạn tỷ lệ so với danh hiệu khác")
    PRIOR_REGISTRATION = "prior_registration", _("Đã đăng ký thi đua")
    BLOC_LEADING = "bloc_leading", _("Được suy tôn dẫn đầu khối")
    COUNCIL_APPROVAL = "council_approval", _("Tỷ lệ đồng ý của Hội đồng")


class Rule(models.Model):
    """One condition of a rule set. ``params`` depend on ``kind`` (see awards/rules.py)."""

    rule_set = models.ForeignKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    kind = models.CharField(_("loại điều kiện"), max_length=24, choices=RuleKind.choices)
    params = models.JSONField(_("tham số"), default=dict, blank=True)
    legal_basis = models.CharField(_("điều khoản"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    is_enabled = models.BooleanField(_("đang áp dụng"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điều kiện")
        verbose_name_plural = _("điều kiện")
        ordering = ["rule_set", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.params}"
