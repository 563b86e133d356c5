"""The daily reminder job: email each due item's focal points once per item and stage.

Once means: the ``ReminderSent`` row with the item's key ("milestone:42:overdue")
is inserted in the same transaction as the send. A second run finds the key and
skips; a concurrent run blocks on the unique key until the first commits, then
gets an IntegrityError and skips. If sending fails the transaction rolls back,
the key is not kept, and the next run tries again. "due_soon" and "overdue" are
different keys, so an item is reminded when it comes near and again when it
passes its date.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from campaigns.models import Role, RoleAssignment
from pledges.models import BlocSecretariat

from .models import ReminderSent
from .reminders import HORIZON_DAYS, DueItem, due_items

logger = logging.getLogger(__name__)

_KEY_CHUNK = 500


@dataclass
class ReminderRun:
    """What one run did, returned by the task (and logged)."""

    items: int = 0
    reminders: int = 0  # items reminded this run (ReminderSent rows created)
    emails: int = 0
    already_sent: int = 0
    no_recipients: int = 0
    failed: int = 0
    users_without_email: set[int] = field(default_factory=set)

    def as_dict(self) -> dict[str, int]:
        return {
            "items": self.items,
            "reminders": self.reminders,
            "emails": self.emails,
            "already_sent": self.already_sent,
            "no_recipients": self.no_recipients,
            "failed": self.failed,
            "users_without_email": len(self.users_without_email),
        }


def _recipients(items: list[DueItem]) -> dict[str, list[tuple[int, str, str]]]:
    """Each item's would-be recipients (user id, name, email), in two queries.

    Focal points with a role on a responsible unit (for an award round, on any
    unit of the body), plus the bloc's secretariat for pledges and scoring.
    Inactive users and archived units are left out.
    """
    exact_units = {unit.pk for item in items if not item.reach_subtree for unit in item.units}
    subtree_paths = {unit.path for item in items if item.reach_subtree for unit in item.units}
    bloc_ids = {item.bloc_id for item in items if item.bloc_id is not None}

    by_unit: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    by_path: list[tuple[str, tuple[int, str, str]]] = []
    if exact_units or subtree_paths:
        wanted = Q(unit_id__in=exact_units)
        for path in sorted(subtree_paths):
            wanted |= Q(unit__path__startswith=path)
        rows = (
            RoleAssignment.objects.filter(
                wanted, role=Role.FOCAL_POINT, user__is_active=True, unit__is_active=True
            )
            .order_by("user_id")
            .values_list(
                "unit_id",
                "unit__path",
                "user_id",
                "user__first_name",
                "user__last_name",
                "user__username",
                "user__email",
            )
        )
        for unit_id, path, user_id, first, last, username, email in rows:
            person = (user_id, _display_name(first, last, username), email.strip())
            by_unit[unit_id].append(person)
            by_path.append((path, person))

    by_bloc: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    if bloc_ids:
        rows = (
            BlocSecretariat.objects.filter(bloc_id__in=bloc_ids, user__is_active=True)
            .order_by("user_id")
            .values_list(
                "bloc_id",
                "user_id",
                "user__first_name",
                "user__last_name",
                "user__username",
                "user__email",
            )
        )
        for bloc_id, user_id, first, last, username, email in rows:
            by_bloc[bloc_id].append((user_id, _display_name(first, last, username), email.strip()))

    result: dict[str, list[tuple[int, str, str]]] = {}
    for item in items:
        people: dict[int, tuple[int, str, str]] = {}
        for unit in item.units:
            if item.reach_subtree:
                found = [person for path, person in by_path if path.startswith(unit.path)]
            else:
                found = by_unit.get(unit.pk, [])
            for person in found:
                people.setdefault(person[0], person)
        if item.bloc_id is not None:
            for person in by_bloc.get(item.bloc_id, []):
                people.setdefault(person[0], person)
        result[item.key] = list(people.values())
    return result


def _display_name(first: str, last: str, username: str) -> str:
    # As User.get_full_name(); the app keeps a Vietnamese full name in first_name.
    return f"{first} {last}".strip() or username


def _already_sent(keys: list[str]) -> set[str]:
    sent: set[str] = set()
    for start in range(0, len(keys), _KEY_CHUNK):
        chunk = keys[start : start + _KEY_CHUNK]
        sent.update(ReminderSent.objects.filter(key__in=chunk).values_list("key", flat=True))
    return sent


def _subject(item: DueItem) -> str:
    if item.is_overdue:
        return _("[Thi đua] Quá hạn: %(title)s") % {"title": item.title}
    return _("[Thi đua] Sắp đến hạn %(date)s: %(title)s") % {
        "date": item.due_date.strftime("%d/%m/%Y"),
        "title": item.title,
    }


def _body(item: DueItem, name: str) -> str:
    link = settings.SITE_URL.rstrip("/") + item.url
    lines = [
        _("Kính gửi %(name)s,") % {"name": name},
        "",
        _("Hệ thống Thi đua – Khen thưởng nhắc việc sau (%(state)s):")
        % {"state": item.state_label.lower()},
        "",
        item.title,
        _("Loại việc: %(kind)s") % {"kind": item.kind_label},
        _("Thời hạn: %(date)s (%(when)s)")
        % {"date": item.due_date.strftime("%d/%m/%Y"), "when": item.when_label},
    ]
    if item.units:
        lines.append(
            _("Đơn vị chịu trách nhiệm: %(units)s")
            % {"units": ", ".join(unit.name for unit in item.units)}
        )
    lines += [
        "",
        _("Xem chi tiết: %(link)s") % {"link": link},
        "",
        _(
            "Đây là thư tự động. Mỗi việc chỉ được nhắc một lần khi sắp đến hạn "
            "và một lần khi quá hạn."
        ),
    ]
    return "\n".join(lines) + "\n"


def send_reminders(
    today: datetime.date | None = None, *, horizon_days: int = HORIZON_DAYS
) -> ReminderRun:
    """Email the focal points (and bloc secretariats) of every due item not yet reminded.

    Safe to run twice, and concurrently: see the module docstring. Users without
    an email are skipped and counted; an item none of whose people has an email
    is not marked as reminded, so it goes out once someone has one.
    """
    today = today or timezone.localdate()
    run = ReminderRun()
    # Emails are in Vietnamese whatever language the caller has active.
    with translation.override(settings.LANGUAGE_CODE):
        items = due_items(today, horizon_days)
        run.items = len(items)
        if not items:
            return run
        sent = _already_sent([item.key for item in items])
        pending = [item for item in items if item.key not in sent]
        run.already_sent = len(items) - len(pending)
        people = _recipients(pending)
        connection = get_connection()
        for item in pending:
            with_email = []
            for user_id, name, email in people[item.key]:
                if email:
                    with_email.append((name, email))
                else:
                    run.users_without_email.add(user_id)
            if not with_email:
                run.no_recipients += 1
                continue
            subject = _subject(item)
            messages = [
                EmailMessage(subject=subject, body=_body(item, name), to=[email])
                for name, email in with_email
            ]
            try:
                with transaction.atomic():
                    try:
                        with transaction.atomic():
                            ReminderSent.objects.create(
                                key=item.key,
                                subject=subject[:300],
                                recipients=", ".join(email for _name, email in with_email),
                            )
                    except IntegrityError:
                        # Another run reminded this item in the meantime.
                        run.already_sent += 1
                        continue
                    connection.send_messages(messages)
            except Exception:
                # The key was rolled back with the failed send: the next run retries it.
                logger.exception("Reminder %s could not be sent", item.key)
                run.failed += 1
                continue
            run.reminders += 1
            run.emails += len(messages)
    if run.users_without_email:
        logger.warning(
            "Reminders: %d recipient(s) without an email address were skipped",
            len(run.users_without_email),
        )
    return run
