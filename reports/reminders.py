"""What is due: the read side of the deadline reminders.

``due_items(today)`` lists everything due within the horizon (14 days) or already
overdue, across the apps: campaign milestones, phase reviews, pledges still being
signed, unit registrations not yet sent, bloc scoring stages and award rounds'
nomination deadlines. The daily job (``reminder_services.send_reminders``) emails
them; each user's home page lists those in their scope.

Every kind is one query with its relations joined, plus one query for bloc
memberships and one for signatures, so the number of queries does not grow with
the number of items.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardRound, Registration, RegistrationStatus
from campaigns import access
from campaigns.models import CampaignStatus, Milestone, Phase, ReviewKind, Unit
from pledges.models import (
    BlocMembership,
    BlocSecretariat,
    Pledge,
    PledgeStatus,
    ScoringStage,
    ScoringTable,
    Signature,
)
from pledges.scoring_selectors import open_until

from .models import ReportKind, ReportStatus, ReportVersion

User = AbstractBaseUser | AnonymousUser

HORIZON_DAYS = 14


class ItemKind(models.TextChoices):
    MILESTONE = "milestone", gettext_lazy("Mốc công việc của phong trào")
    PHASE_REVIEW = "phase_review", gettext_lazy("Sơ kết, tổng kết giai đoạn")
    PLEDGE = "pledge", gettext_lazy("Ký giao ước thi đua")
    REGISTRATION = "registration", gettext_lazy("Đăng ký thi đua")
    SCORING = "scoring", gettext_lazy("Chấm điểm thi đua của khối")
    AWARD_ROUND = "award_round", gettext_lazy("Hạn gửi hồ sơ đề nghị khen thưởng")


class DueState(models.TextChoices):
    DUE_SOON = "due_soon", gettext_lazy("Sắp đến hạn")
    OVERDUE = "overdue", gettext_lazy("Quá hạn")


@dataclass(frozen=True)
class DueItem:
    """One thing someone must do by ``due_date``.

    ``units`` are the units responsible; their focal points are reminded and
    whoever holds a role over them sees the item. ``reach_subtree`` widens that
    to every unit below (an award round concerns each unit of the body that may
    propose). ``bloc_id`` brings the bloc's secretariat in (pledges, scoring).
    """

    kind: str
    obj: models.Model
    due_date: datetime.date
    state: str
    units: tuple[Unit, ...]
    title: str
    url: str
    days_left: int
    bloc_id: int | None = None
    reach_subtree: bool = False
    step: str = ""  # a sub-stage of the object (the scoring stage), part of the key

    @property
    def key(self) -> str:
        """The reminder's unique key, e.g. ``milestone:42:overdue``: one email per item and stage."""
        step = f"{self.step}:" if self.step else ""
        return f"{self.kind}:{self.obj.pk}:{step}{self.state}"

    @property
    def kind_label(self) -> str:
        return str(ItemKind(self.kind).label)

    @property
    def state_label(self) -> str:
        return str(DueState(self.state).label)

    @property
    def is_overdue(self) -> bool:
        return self.state == DueState.OVERDUE

    @property
    def when_label(self) -> str:
        if self.days_left < 0:
            return _("đã quá hạn %(days)s ngày") % {"days": -self.days_left}
        if self.days_left == 0:
            return _("hạn là hôm nay")
        return _("còn %(days)s ngày") % {"days": self.days_left}

    @property
    def units_label(self) -> str:
        names = [unit.name for unit in self.units[:3]]
        more = len(self.units) - len(names)
        if more > 0:
            names.append(_("và %(count)s đơn vị khác") % {"count": more})
        return ", ".join(names)


def _pk_url(viewname: str, anchor: str = "") -> Callable[[int], str]:
    """The URL of ``viewname`` for any primary key, at the cost of one ``reverse``."""
    marker = 2147483647
    prefix, suffix = reverse(viewname, args=[marker]).split(str(marker))
    return lambda pk: f"{prefix}{pk}{suffix}{anchor}"


@dataclass
class _Scope:
    """The user's reach, for the home page: unit subtrees, their ancestors, secretariat blocs."""

    user: User
    paths: list[str]
    ancestors: list[str]
    bloc_ids: set[int]
    member_blocs: Any = field(default=None)  # a subquery of the blocs with a member in scope

    @classmethod
    def of(cls, user: User) -> _Scope | None:
        """None for a superuser (everything is in scope)."""
        if access.is_superuser(user):
            return None
        paths = sorted({grant.path for grant in access.grants(user)})
        ancestors: set[str] = set()
        for path in paths:
            ids = [part for part in path.strip("/").split("/") if part]
            ancestors.update("/" + "/".join(ids[: n + 1]) + "/" for n in range(len(ids)))
        bloc_ids = set(BlocSecretariat.objects.filter(user=user).values_list("bloc_id", flat=True))
        member_blocs = BlocMembership.objects.filter(access.subtree_q(user, field="unit")).values(
            "bloc_id"
        )
        return cls(user, paths, sorted(ancestors), bloc_ids, member_blocs)

    @property
    def empty(self) -> bool:
        return not self.paths and not self.bloc_ids

    def units(self, field: str) -> Q:
        return access.subtree_q(self.user, field=field)

    def blocs(self, field: str) -> Q:
        return Q(**{f"{field}__in": self.bloc_ids}) | Q(**{f"{field}__in": self.member_blocs})

    def sees(self, item: DueItem) -> bool:
        """Exact check: a responsible unit in the user's subtrees, or their bloc."""
        if item.bloc_id is not None and item.bloc_id in self.bloc_ids:
            return True
        for unit in item.units:
            if any(unit.path.startswith(path) for path in self.paths):
                return True
            if item.reach_subtree and any(path.startswith(unit.path) for path in self.paths):
                return True
        return False


def _state(due: datetime.date, today: datetime.date) -> str:
    return DueState.OVERDUE if due < today else DueState.DUE_SOON


def _milestones(limit: datetime.date, scope: _Scope | None) -> Iterable[Milestone]:
    rows = Milestone.objects.filter(
        done_date__isnull=True, due_date__lte=limit, campaign__status=CampaignStatus.LAUNCHED
    ).select_related("campaign", "campaign__issuing_unit", "responsible_unit")
    if scope is not None:
        rows = rows.filter(
            scope.units("responsible_unit")
            | (Q(responsible_unit__isnull=True) & scope.units("campaign__issuing_unit"))
        )
    return rows.order_by()


def _phases(limit: datetime.date, scope: _Scope | None) -> Iterable[Phase]:
    # A review is done once a version of its report has been generated.
    reviewed = ReportVersion.objects.filter(
        draft__kind=ReportKind.PHASE_REVIEW,
        draft__phase=OuterRef("pk"),
        status=ReportStatus.DONE,
    )
    rows = (
        Phase.objects.filter(review_due_date__lte=limit, campaign__status=CampaignStatus.LAUNCHED)
        .filter(~Exists(reviewed))
        .select_related("campaign", "campaign__issuing_unit")
    )
    if scope is not None:
        rows = rows.filter(scope.units("campaign__issuing_unit"))
    return rows.order_by()


def _pledges(limit: datetime.date, scope: _Scope | None) -> list[Pledge]:
    rows = Pledge.objects.filter(
        status=PledgeStatus.OPEN, ceremony_date__lte=limit, bloc_year__bloc__is_active=True
    ).select_related("bloc_year", "bloc_year__bloc")
    if scope is not None:
        rows = rows.filter(scope.blocs("bloc_year__bloc_id"))
    return list(rows.order_by())


def _scoring_tables(limit: datetime.date, scope: _Scope | None) -> list[ScoringTable]:
    # The stage's deadline, or the later day it was reopened until (scoring_selectors.open_until).
    not_reopened_later = Q(reopened_until__isnull=True) | Q(reopened_until__lte=limit)
    rows = ScoringTable.objects.filter(
        Q(stage=ScoringStage.SELF, self_deadline__lte=limit)
        | Q(stage=ScoringStage.CROSS, cross_deadline__lte=limit),
        not_reopened_later,
        bloc_year__bloc__is_active=True,
    ).select_related("bloc_year", "bloc_year__bloc")
    if scope is not None:
        rows = rows.filter(scope.blocs("bloc_year__bloc_id"))
    return list(rows.order_by())


def _registrations(limit: datetime.date, scope: _Scope | None) -> Iterable[Registration]:
    rows = Registration.objects.filter(
        status__in=[RegistrationStatus.DRAFT, RegistrationStatus.RETURNED],
        campaign__registration_deadline__lte=limit,
        campaign__status=CampaignStatus.LAUNCHED,
    ).select_related("unit", "campaign")
    if scope is not None:
        rows = rows.filter(scope.units("unit"))
    return rows.order_by()


def _award_rounds(limit: datetime.date, scope: _Scope | None) -> Iterable[AwardRound]:
    rows = AwardRound.objects.filter(is_open=True, nomination_deadline__lte=limit).select_related(
        "body"
    )
    if scope is not None:
        rows = rows.filter(scope.units("body") | Q(body__path__in=scope.ancestors))
    return rows.order_by()


def _members_by_year(
    bloc_years: Iterable[tuple[int, int]],
) -> dict[tuple[int, int], list[Unit]]:
    """Members of each (bloc, year), as ``pledges.selectors.members_in``, in one query."""
    years_by_bloc: dict[int, set[int]] = defaultdict(set)
    for bloc_id, year in bloc_years:
        years_by_bloc[bloc_id].add(year)
    if not years_by_bloc:
        return {}
    members: dict[tuple[int, int], list[Unit]] = defaultdict(list)
    seen: set[tuple[int, int, int]] = set()
    stints = BlocMembership.objects.filter(bloc_id__in=years_by_bloc).select_related("unit")
    for stint in stints.order_by("unit__name", "pk"):
        for year in years_by_bloc[stint.bloc_id]:
            in_year = stint.joined_on <= datetime.date(year, 12, 31) and (
                stint.left_on is None or stint.left_on >= datetime.date(year, 1, 1)
            )
            if in_year and (stint.bloc_id, year, stint.unit_id) not in seen:
                seen.add((stint.bloc_id, year, stint.unit_id))
                members[(stint.bloc_id, year)].append(stint.unit)
    return members


def due_items(
    today: datetime.date,
    horizon_days: int = HORIZON_DAYS,
    *,
    user: User | None = None,
) -> list[DueItem]:
    """Everything due by ``today + horizon_days`` and not done, overdue first.

    With ``user``, only the items in their scope: a responsible unit inside the
    subtree of one of their roles (for an award round, also a unit above one of
    theirs: each unit of the body proposes), or a bloc whose secretariat they are.
    """
    limit = today + datetime.timedelta(days=horizon_days)
    scope: _Scope | None = None
    if user is not None:
        if not user.is_authenticated:
            return []
        scope = _Scope.of(user)
        if scope is not None and scope.empty:
            return []
    items: list[DueItem] = []

    def add(kind: str, obj: models.Model, due: datetime.date, **kwargs: Any) -> None:
        items.append(
            DueItem(
                kind=kind,
                obj=obj,
                due_date=due,
                state=_state(due, today),
                days_left=(due - today).days,
                **kwargs,
            )
        )

    campaign_url = _pk_url("campaigns:detail")
    for milestone in _milestones(limit, scope):
        campaign = milestone.campaign
        add(
            ItemKind.MILESTONE,
            milestone,
            milestone.due_date,
            units=(milestone.responsible_unit or campaign.issuing_unit,),
            title=_("Mốc “%(title)s” của phong trào “%(campaign)s”")
            % {"title": milestone.title, "campaign": campaign},
            url=campaign_url(campaign.pk) + "#ms-h",
        )

    for phase in _phases(limit, scope):
        campaign = phase.campaign
        review = _("Tổng kết") if phase.review_kind == ReviewKind.FINAL else _("Sơ kết")
        add(
            ItemKind.PHASE_REVIEW,
            phase,
            phase.review_due_date,
            units=(campaign.issuing_unit,),
            title=_("%(review)s %(phase)s của phong trào “%(campaign)s”")
            % {"review": review, "phase": phase.name, "campaign": campaign},
            url=campaign_url(campaign.pk) + "#phases-h",
        )

    pledges = _pledges(limit, scope)
    tables = _scoring_tables(limit, scope)
    members = _members_by_year(
        [(p.bloc_year.bloc_id, p.bloc_year.year) for p in pledges]
        + [(t.bloc_year.bloc_id, t.bloc_year.year) for t in tables]
    )
    signed: set[tuple[int, int]] = set()
    if pledges:
        signed = set(
            Signature.objects.filter(pledge__in=pledges)
            .order_by()
            .values_list("pledge_id", "member_id")
        )
    pledge_url = _pk_url("pledges:pledge_detail")
    for pledge in pledges:
        bloc_year = pledge.bloc_year
        unsigned = tuple(
            unit
            for unit in members.get((bloc_year.bloc_id, bloc_year.year), [])
            if (pledge.pk, unit.pk) not in signed
        )
        add(
            ItemKind.PLEDGE,
            pledge,
            pledge.ceremony_date,
            units=unsigned,
            title=_(
                "Ký giao ước “%(title)s” của %(bloc)s năm %(year)s: còn %(count)s đơn vị chưa ký"
            )
            % {
                "title": pledge.title,
                "bloc": bloc_year.bloc,
                "year": bloc_year.year,
                "count": len(unsigned),
            },
            url=pledge_url(pledge.pk),
            bloc_id=bloc_year.bloc_id,
        )

    scoring_url = _pk_url("pledges:scoring_table")
    for table in tables:
        bloc_year = table.bloc_year
        title = (
            _("Tự chấm điểm thi đua của %(bloc)s năm %(year)s")
            if table.stage == ScoringStage.SELF
            else _("Chấm chéo điểm thi đua của %(bloc)s năm %(year)s")
        )
        add(
            ItemKind.SCORING,
            table,
            open_until(table),
            units=tuple(members.get((bloc_year.bloc_id, bloc_year.year), [])),
            title=title % {"bloc": bloc_year.bloc, "year": bloc_year.year},
            url=scoring_url(bloc_year.pk),
            bloc_id=bloc_year.bloc_id,
            step=table.stage,
        )

    registration_url = _pk_url("awards:registration_detail")
    for registration in _registrations(limit, scope):
        add(
            ItemKind.REGISTRATION,
            registration,
            registration.campaign.registration_deadline,
            units=(registration.unit,),
            title=_("Gửi đăng ký thi đua năm %(year)s của %(unit)s – phong trào “%(campaign)s”")
            % {
                "year": registration.year,
                "unit": registration.unit.name,
                "campaign": registration.campaign,
            },
            url=registration_url(registration.pk),
        )

    round_url = _pk_url("awards:round_detail")
    for award_round in _award_rounds(limit, scope):
        add(
            ItemKind.AWARD_ROUND,
            award_round,
            award_round.nomination_deadline,
            units=(award_round.body,),
            title=_("Gửi hồ sơ đề nghị khen thưởng – %(round)s") % {"round": award_round.name},
            url=round_url(award_round.pk),
            reach_subtree=True,
        )

    if scope is not None:
        items = [item for item in items if scope.sees(item)]
    items.sort(key=lambda item: (item.due_date, item.kind, item.obj.pk))
    return items
