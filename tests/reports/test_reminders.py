"""Deadline reminders: what is due, the daily job that emails it once, the home page list."""

from __future__ import annotations

import datetime
import threading
import time

import pytest
from celery.schedules import crontab
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardRound, Registration, RegistrationStatus
from campaigns.models import CampaignStatus, Role
from config.celery import app
from pledges.models import BlocYear, PledgeStatus, ScoringStage, ScoringTable
from reports import reminder_services
from reports.models import ReminderSent, ReportDraft, ReportKind, ReportStatus, ReportVersion
from reports.reminder_services import send_reminders
from reports.reminder_tasks import send_reminders as send_reminders_task
from reports.reminders import DueState, ItemKind, due_items
from tests.factories import (
    BlocFactory,
    BlocMembershipFactory,
    CampaignFactory,
    MilestoneFactory,
    PhaseFactory,
    PledgeFactory,
    RoleFactory,
    SignatureFactory,
    UnitFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 10)
IN_14_DAYS = TODAY + datetime.timedelta(days=14)
IN_15_DAYS = TODAY + datetime.timedelta(days=15)
THREE_DAYS_AGO = TODAY - datetime.timedelta(days=3)


# Items of each kind, for unit X (body) and its department X1, bloc A (X is a member) ----------


def _campaign(org, **fields):
    return CampaignFactory(
        issuing_unit=org.x,
        status=CampaignStatus.LAUNCHED,
        participating_units=[org.x],
        **fields,
    )


def _bloc_year(org, bloc=None):
    return BlocYear.objects.get_or_create(bloc=bloc or org.bloc_a, year=2025)[0]


def make_milestone(org, due, **kw):
    return MilestoneFactory(
        campaign=_campaign(org), title="Ban hành kế hoạch", due_date=due, responsible_unit=org.x1
    )


def make_phase(org, due, **kw):
    return PhaseFactory(campaign=_campaign(org), name="Giai đoạn 1", review_due_date=due)


def make_pledge(org, due, bloc=None):
    return PledgeFactory(
        bloc_year=_bloc_year(org, bloc),
        title="Giao ước thi đua năm 2025",
        status=PledgeStatus.OPEN,
        ceremony_date=due,
    )


def make_registration(org, due, **kw):
    return Registration.objects.create(
        unit=org.x1, year=due.year, campaign=_campaign(org, registration_deadline=due)
    )


def make_scoring(org, due, bloc=None):
    return ScoringTable.objects.create(
        bloc_year=_bloc_year(org, bloc), stage=ScoringStage.SELF, self_deadline=due
    )


def make_round(org, due, **kw):
    return AwardRound.objects.create(
        body=org.x, name="Khen thưởng tổng kết năm 2025", year=2025, nomination_deadline=due
    )


def finish_milestone(obj, user):
    obj.done_date = TODAY
    obj.save()


def finish_phase(obj, user):
    draft = ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=obj.campaign,
        phase=obj,
        body=obj.campaign.issuing_unit,
        title="Sơ kết giai đoạn 1",
    )
    ReportVersion.objects.create(draft=draft, number=1, requested_by=user, status=ReportStatus.DONE)


def finish_pledge(obj, user):
    obj.status = PledgeStatus.SIGNED
    obj.save()


def finish_registration(obj, user):
    obj.status = RegistrationStatus.SUBMITTED
    obj.save()


def finish_scoring(obj, user):
    obj.stage = ScoringStage.MEETING
    obj.save()


def finish_round(obj, user):
    obj.is_open = False
    obj.save()


KINDS = {
    ItemKind.MILESTONE: (make_milestone, finish_milestone),
    ItemKind.PHASE_REVIEW: (make_phase, finish_phase),
    ItemKind.PLEDGE: (make_pledge, finish_pledge),
    ItemKind.REGISTRATION: (make_registration, finish_registration),
    ItemKind.SCORING: (make_scoring, finish_scoring),
    ItemKind.AWARD_ROUND: (make_round, finish_round),
}


def _with_email(user, email):
    user.email = email
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def focal_x(org):
    user = UserFactory(username="focal_x", first_name="Đầu mối X")
    RoleFactory(user=user, role=Role.FOCAL_POINT, unit=org.x)
    return _with_email(user, "focal_x@x.gov.vn")


@pytest.fixture
def mailed(org, focal_x, focal_x1, focal_x2, focal_y, secretary, secretary_b):
    """Everyone who may be reminded, with an email address."""
    for user in (focal_x1, focal_x2, focal_y, secretary, secretary_b):
        _with_email(user, f"{user.username}@example.gov.vn")
    return {
        "focal_x": focal_x,
        "focal_x1": focal_x1,
        "focal_x2": focal_x2,
        "focal_y": focal_y,
        "secretary": secretary,
        "secretary_b": secretary_b,
    }


# Who each kind reminds: the responsible units' focal points, and the bloc's secretariat.
RECIPIENTS = {
    ItemKind.MILESTONE: {"focal_x1@example.gov.vn"},
    ItemKind.PHASE_REVIEW: {"focal_x@x.gov.vn"},
    ItemKind.PLEDGE: {"focal_x@x.gov.vn", "secretary@example.gov.vn"},
    ItemKind.REGISTRATION: {"focal_x1@example.gov.vn"},
    ItemKind.SCORING: {"focal_x@x.gov.vn", "secretary@example.gov.vn"},
    # Every unit of the body proposes nominations.
    ItemKind.AWARD_ROUND: {
        "focal_x@x.gov.vn",
        "focal_x1@example.gov.vn",
        "focal_x2@example.gov.vn",
    },
}


# The selector ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_lists_an_item_due_within_14_days(org, kind):
    make, _finish = KINDS[kind]
    obj = make(org, IN_14_DAYS)
    [item] = due_items(TODAY)
    assert (item.kind, item.obj, item.due_date) == (kind, obj, IN_14_DAYS)
    assert item.state == DueState.DUE_SOON
    assert item.days_left == 14
    assert item.key == (
        f"{kind}:{obj.pk}:self:due_soon"
        if kind == ItemKind.SCORING
        else f"{kind}:{obj.pk}:due_soon"
    )
    assert item.title
    assert item.url.startswith("/")
    assert item.units


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_lists_an_overdue_item(org, kind):
    make, _finish = KINDS[kind]
    obj = make(org, THREE_DAYS_AGO)
    [item] = due_items(TODAY)
    assert (item.obj, item.state, item.days_left) == (obj, DueState.OVERDUE, -3)
    assert item.key.endswith(":overdue")
    assert item.state_label == "Quá hạn"


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_leaves_out_an_item_due_later_than_14_days(org, kind):
    make, _finish = KINDS[kind]
    make(org, IN_15_DAYS)
    assert due_items(TODAY) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_it_leaves_out_an_item_that_is_done(org, hr, kind):
    make, finish = KINDS[kind]
    obj = make(org, THREE_DAYS_AGO)
    finish(obj, hr)
    assert due_items(TODAY) == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_item_links_to_a_page_that_exists(org, admin_user, client_for, kind):
    make, _finish = KINDS[kind]
    make(org, IN_14_DAYS)
    [item] = due_items(TODAY)
    response = client_for(admin_user).get(item.url)
    assert response.status_code == 200


def test_titles_are_vietnamese_and_name_the_object(org):
    make_milestone(org, IN_14_DAYS)
    make_phase(org, IN_14_DAYS)
    make_pledge(org, IN_14_DAYS)
    make_round(org, IN_14_DAYS)
    titles = {item.kind: item.title for item in due_items(TODAY)}
    assert "Ban hành kế hoạch" in titles[ItemKind.MILESTONE]
    assert titles[ItemKind.PHASE_REVIEW].startswith("Sơ kết Giai đoạn 1")
    assert "còn 1 đơn vị chưa ký" in titles[ItemKind.PLEDGE]
    assert (
        titles[ItemKind.AWARD_ROUND]
        == "Gửi hồ sơ đề nghị khen thưởng – Khen thưởng tổng kết năm 2025"
    )


def test_items_come_soonest_first(org):
    later = make_milestone(org, IN_14_DAYS)
    sooner = make_round(org, THREE_DAYS_AGO)
    assert [item.obj for item in due_items(TODAY)] == [sooner, later]


def test_milestones_and_reviews_of_campaigns_not_launched_are_left_out(org):
    for status in (CampaignStatus.DRAFT, CampaignStatus.CLOSED):
        campaign = CampaignFactory(issuing_unit=org.x, status=status)
        MilestoneFactory(campaign=campaign, due_date=TODAY)
        PhaseFactory(campaign=campaign, review_due_date=TODAY)
    assert due_items(TODAY) == []


def test_a_milestone_without_a_responsible_unit_falls_to_the_issuing_unit(org):
    milestone = make_milestone(org, IN_14_DAYS)
    milestone.responsible_unit = None
    milestone.save()
    [item] = due_items(TODAY)
    assert item.units == (org.x,)


def test_a_failed_or_running_report_does_not_close_a_phase_review(org, hr):
    phase = make_phase(org, THREE_DAYS_AGO)
    draft = ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=phase.campaign,
        phase=phase,
        body=org.x,
        title="Sơ kết",
    )
    ReportVersion.objects.create(draft=draft, number=1, requested_by=hr, status=ReportStatus.FAILED)
    ReportVersion.objects.create(
        draft=draft, number=2, requested_by=hr, status=ReportStatus.RUNNING
    )
    assert [item.obj for item in due_items(TODAY)] == [phase]


def test_a_pledge_is_the_business_of_the_members_who_have_not_signed(org):
    BlocMembershipFactory(bloc=org.bloc_a, unit=org.x2)
    gone = UnitFactory(code="OLD", name="Đơn vị đã rời khối")
    BlocMembershipFactory(
        bloc=org.bloc_a,
        unit=gone,
        joined_on=datetime.date(2020, 1, 1),
        left_on=datetime.date(2024, 6, 1),
    )
    pledge = make_pledge(org, IN_14_DAYS)
    SignatureFactory(pledge=pledge, member=org.x)
    [item] = due_items(TODAY)
    assert item.units == (org.x2,)
    assert item.bloc_id == org.bloc_a.pk


def test_a_reopened_scoring_stage_is_due_on_the_day_it_was_reopened_until(org):
    table = make_scoring(org, THREE_DAYS_AGO)
    table.reopened_until = TODAY + datetime.timedelta(days=5)
    table.save()
    [item] = due_items(TODAY)
    assert (item.due_date, item.state) == (table.reopened_until, DueState.DUE_SOON)


def test_a_scoring_stage_reopened_beyond_the_horizon_is_not_due(org):
    table = make_scoring(org, THREE_DAYS_AGO)
    table.reopened_until = IN_15_DAYS
    table.save()
    assert due_items(TODAY) == []


def test_the_cross_scoring_stage_is_due_on_its_own_deadline(org):
    table = make_scoring(org, THREE_DAYS_AGO)
    table.stage = ScoringStage.CROSS
    table.cross_deadline = IN_14_DAYS
    table.save()
    [item] = due_items(TODAY)
    assert (item.due_date, item.key) == (IN_14_DAYS, f"scoring:{table.pk}:cross:due_soon")
    assert item.title.startswith("Chấm chéo")


def test_a_registration_without_a_campaign_deadline_is_not_due(org):
    Registration.objects.create(unit=org.x1, year=2025)
    Registration.objects.create(unit=org.x2, year=2025, campaign=_campaign(org))
    assert due_items(TODAY) == []


def _populate(org, n: int, start: int) -> None:
    """``n`` items of every kind, each pledge and scoring table in a bloc of its own."""
    for i in range(start, start + n):
        unit = UnitFactory(code=f"Q{i}", name=f"Vụ Q{i}", parent=org.x)
        bloc = BlocFactory(name=f"Khối Q{i}")
        BlocMembershipFactory(bloc=bloc, unit=unit)
        BlocMembershipFactory(bloc=bloc, unit=org.x2)
        other_bloc = BlocFactory(name=f"Khối R{i}")
        BlocMembershipFactory(bloc=other_bloc, unit=unit)
        RoleFactory(user=UserFactory(username=f"dm{i}"), role=Role.FOCAL_POINT, unit=unit)
        make_milestone(org, TODAY)
        make_phase(org, TODAY)
        make_pledge(org, TODAY, bloc=bloc)
        make_registration(org, TODAY)
        make_scoring(org, TODAY, bloc=other_bloc)
        make_round(org, TODAY)


def _queries(call) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured)


def test_due_items_takes_a_fixed_number_of_queries(org):
    _populate(org, 1, 0)
    few = _queries(lambda: due_items(TODAY))
    _populate(org, 6, 1)
    assert len(due_items(TODAY)) == 7 * 6
    many = _queries(lambda: due_items(TODAY))
    assert many == few
    assert few <= 10


def test_due_items_for_a_user_takes_a_fixed_number_of_queries(org, hr):
    from django.contrib.auth.models import User

    _populate(org, 1, 0)
    few = _queries(lambda: due_items(TODAY, user=User.objects.get(pk=hr.pk)))
    _populate(org, 6, 1)
    assert len(due_items(TODAY, user=User.objects.get(pk=hr.pk))) == 7 * 6
    many = _queries(lambda: due_items(TODAY, user=User.objects.get(pk=hr.pk)))
    assert many == few


# The job --------------------------------------------------------------------------------------


def _one_of_each(org, due):
    return {kind: make(org, due) for kind, (make, _finish) in KINDS.items()}


def _sent() -> set[tuple[str, str]]:
    return {(message.to[0], message.subject) for message in mail.outbox}


def test_the_job_sends_each_item_once_to_each_recipient(org, mailed):
    _one_of_each(org, IN_14_DAYS)
    run = send_reminders(TODAY)
    expected = sum(len(people) for people in RECIPIENTS.values())
    assert run.reminders == 6
    assert run.emails == expected == len(mail.outbox)
    assert all(len(message.to) == 1 for message in mail.outbox)
    assert len(_sent()) == expected  # nobody gets the same reminder twice
    assert ReminderSent.objects.count() == 6

    again = send_reminders(TODAY)
    assert (again.reminders, again.emails, again.already_sent) == (0, 0, 6)
    assert len(mail.outbox) == expected
    assert ReminderSent.objects.count() == 6


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_reminds_its_units_focal_points(org, mailed, kind):
    make, _finish = KINDS[kind]
    make(org, IN_14_DAYS)
    send_reminders(TODAY)
    assert {message.to[0] for message in mail.outbox} == RECIPIENTS[kind]


def test_other_bodies_focal_points_and_blocs_are_not_reminded(org, mailed):
    _one_of_each(org, IN_14_DAYS)
    send_reminders(TODAY)
    addresses = {message.to[0] for message in mail.outbox}
    assert "focal_y@example.gov.vn" not in addresses
    assert "secretary_b@example.gov.vn" not in addresses


def test_overdue_is_a_new_stage_and_is_sent_again(org, mailed):
    milestone = make_milestone(org, TODAY + datetime.timedelta(days=3))
    assert send_reminders(TODAY).emails == 1
    assert send_reminders(TODAY + datetime.timedelta(days=1)).emails == 0
    assert send_reminders(TODAY + datetime.timedelta(days=4)).emails == 1
    assert send_reminders(TODAY + datetime.timedelta(days=5)).emails == 0
    assert set(ReminderSent.objects.values_list("key", flat=True)) == {
        f"milestone:{milestone.pk}:due_soon",
        f"milestone:{milestone.pk}:overdue",
    }
    soon, late = mail.outbox
    assert soon.subject.startswith("[Thi đua] Sắp đến hạn 13/06/2025:")
    assert late.subject.startswith("[Thi đua] Quá hạn:")


def test_the_email_is_plain_vietnamese_text_with_the_due_date_and_a_link(org, mailed, settings):
    settings.SITE_URL = "https://thidua.example.gov.vn/"
    milestone = make_milestone(org, IN_14_DAYS)
    send_reminders(TODAY)
    [message] = mail.outbox
    assert message.to == ["focal_x1@example.gov.vn"]
    assert message.content_subtype == "plain"
    assert "Ban hành kế hoạch" in message.subject
    assert "Kính gửi focal_x1," in message.body
    assert "Thời hạn: 24/06/2025 (còn 14 ngày)" in message.body
    assert "Đơn vị chịu trách nhiệm: Vụ X1" in message.body
    link = f"https://thidua.example.gov.vn/campaigns/{milestone.campaign_id}/#ms-h"
    assert f"Xem chi tiết: {link}" in message.body
    [row] = ReminderSent.objects.all()
    assert row.recipients == "focal_x1@example.gov.vn"
    assert row.subject == message.subject


def test_emails_are_vietnamese_even_when_english_is_active(org, mailed):
    from django.utils import translation

    make_milestone(org, IN_14_DAYS)
    with translation.override("en"):
        send_reminders(TODAY)
    [message] = mail.outbox
    assert "Kính gửi" in message.body


def test_users_without_an_email_are_skipped_and_counted(org, mailed):
    _with_email(mailed["focal_x2"], "")
    make_round(org, IN_14_DAYS)
    run = send_reminders(TODAY)
    assert {message.to[0] for message in mail.outbox} == {
        "focal_x@x.gov.vn",
        "focal_x1@example.gov.vn",
    }
    assert run.as_dict()["users_without_email"] == 1


def test_inactive_users_are_not_reminded(org, mailed):
    user = mailed["focal_x1"]
    user.is_active = False
    user.save()
    make_milestone(org, IN_14_DAYS)
    run = send_reminders(TODAY)
    assert (run.emails, run.no_recipients) == (0, 1)


def test_an_item_nobody_can_receive_is_sent_once_someone_has_an_email(org, focal_x1):
    make_milestone(org, IN_14_DAYS)
    run = send_reminders(TODAY)
    assert (run.emails, run.no_recipients, run.as_dict()["users_without_email"]) == (0, 1, 1)
    assert not ReminderSent.objects.exists()
    _with_email(focal_x1, "focal_x1@example.gov.vn")
    assert send_reminders(TODAY).emails == 1


class BrokenBackend(EmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_failed_send_keeps_no_key_and_the_next_run_sends_it(org, mailed, settings, caplog):
    make_milestone(org, IN_14_DAYS)
    make_round(org, IN_14_DAYS)
    settings.EMAIL_BACKEND = "tests.reports.test_reminders.BrokenBackend"
    run = send_reminders(TODAY)
    assert (run.failed, run.reminders) == (2, 0)
    assert not ReminderSent.objects.exists()
    assert "could not be sent" in caplog.text
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run = send_reminders(TODAY)
    assert (run.failed, run.reminders) == (0, 2)


def test_a_key_written_by_another_run_after_the_check_is_skipped(org, mailed, monkeypatch):
    """The unique key, not the first look-up, decides: the IntegrityError path."""
    milestone = make_milestone(org, IN_14_DAYS)
    ReminderSent.objects.create(key=f"milestone:{milestone.pk}:due_soon", subject="", recipients="")
    monkeypatch.setattr(reminder_services, "_already_sent", lambda keys: set())
    run = send_reminders(TODAY)
    assert (run.emails, run.already_sent, run.reminders) == (0, 1, 0)
    assert mail.outbox == []


class SlowBackend(EmailBackend):
    """Holds the first sender inside its transaction while a second run starts."""

    sending = threading.Event()

    def send_messages(self, messages):
        SlowBackend.sending.set()
        time.sleep(0.5)
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_once(org, mailed, settings):
    if connection.vendor != "postgresql":
        pytest.skip("needs concurrent writers: run with DATABASE_URL (PostgreSQL)")
    make_milestone(org, IN_14_DAYS)
    make_round(org, IN_14_DAYS)
    settings.EMAIL_BACKEND = "tests.reports.test_reminders.SlowBackend"
    SlowBackend.sending.clear()
    runs: list[dict[str, int]] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            runs.append(send_reminders(TODAY).as_dict())
        except BaseException as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    first = threading.Thread(target=run)
    first.start()
    assert SlowBackend.sending.wait(10)
    second = threading.Thread(target=run)  # starts while the first holds an uncommitted key
    second.start()
    first.join(30)
    second.join(30)
    assert errors == []
    # The second run skipped both: found the committed key, or waited on it and got the clash.
    assert sorted((r["reminders"], r["already_sent"]) for r in runs) == [(0, 2), (2, 0)]
    assert len(mail.outbox) == len(RECIPIENTS[ItemKind.MILESTONE]) + len(
        RECIPIENTS[ItemKind.AWARD_ROUND]
    )
    assert len(_sent()) == len(mail.outbox)
    assert ReminderSent.objects.count() == 2


# The task and its schedule --------------------------------------------------------------------


def test_the_task_runs_eagerly(org, mailed):
    make_milestone(org, timezone.localdate() + datetime.timedelta(days=2))
    result = send_reminders_task.delay().get(timeout=10)
    assert result["reminders"] == 1
    assert result["emails"] == 1
    assert send_reminders_task.delay().get(timeout=10)["emails"] == 0
    assert len(mail.outbox) == 1


def test_the_task_takes_a_day(org, mailed):
    make_milestone(org, IN_14_DAYS)
    assert send_reminders_task.delay(TODAY.isoformat()).get(timeout=10)["emails"] == 1


def test_beat_runs_the_task_every_morning_at_seven_in_vietnam(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-reminders"]
    assert entry["task"] == "reports.send_reminders"
    assert entry["schedule"] == crontab(hour=7, minute=0)
    assert app.conf.timezone == "Asia/Ho_Chi_Minh"
    assert "reports.send_reminders" in app.tasks


# The home page list ---------------------------------------------------------------------------


HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def due_now(org):
    """One item of each kind of body X and bloc A, due in two days (the view uses today)."""
    return _one_of_each(org, timezone.localdate() + datetime.timedelta(days=2))


def _listed(response) -> set[str]:
    return {item.kind for item in response.context["items"]}


def test_the_list_requires_login(client):
    url = reverse("reports:due")
    response = client.get(url, **HX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_home_page_loads_the_list(hr, client_for):
    response = client_for(hr).get(reverse("home"))
    assert f'hx-get="{reverse("reports:due")}"' in response.content.decode()
    assert 'hx-trigger="load"' in response.content.decode()
    assert "Việc sắp đến hạn và quá hạn" in response.content.decode()


def test_hr_staff_of_the_body_see_its_items(hr, client_for, due_now):
    response = client_for(hr).get(reverse("reports:due"), **HX)
    assert response.status_code == 200
    # HR of X reach X's subtree; X is bloc A's member, so its pledge and scoring too.
    assert _listed(response) == set(KINDS)
    assert "<html" not in response.content.decode()


def test_a_focal_point_sees_their_units_items_and_the_bodys_award_round(
    focal_x1, client_for, due_now
):
    response = client_for(focal_x1).get(reverse("reports:due"), **HX)
    assert _listed(response) == {ItemKind.MILESTONE, ItemKind.REGISTRATION, ItemKind.AWARD_ROUND}
    content = response.content.decode()
    assert due_now[ItemKind.MILESTONE].title in content
    assert (
        reverse("awards:registration_detail", args=[due_now[ItemKind.REGISTRATION].pk]) in content
    )


def test_another_bodys_focal_point_sees_none_of_x(focal_y, client_for, due_now):
    response = client_for(focal_y).get(reverse("reports:due"), **HX)
    assert list(response.context["items"]) == []
    assert "Không có việc nào" in response.content.decode()


def test_the_secretariat_sees_its_blocs_items(secretary, secretary_b, client_for, due_now):
    response = client_for(secretary).get(reverse("reports:due"), **HX)
    assert _listed(response) == {ItemKind.PLEDGE, ItemKind.SCORING}
    response = client_for(secretary_b).get(reverse("reports:due"), **HX)
    assert list(response.context["items"]) == []


def test_a_user_without_roles_sees_nothing(org, client_for, due_now):
    response = client_for(UserFactory(username="nobody")).get(reverse("reports:due"), **HX)
    assert list(response.context["items"]) == []


def test_opened_directly_it_is_a_page(hr, client_for, due_now):
    response = client_for(hr).get(reverse("reports:due"))
    content = response.content.decode()
    assert "<html" in content
    assert "<h1" in content and "Việc sắp đến hạn và quá hạn" in content
    assert len(response.context["items"]) == 6


def test_the_home_list_shows_ten_and_links_to_the_rest(org, hr, client_for):
    due = timezone.localdate() + datetime.timedelta(days=1)
    for _ in range(12):
        make_milestone(org, due)
    response = client_for(hr).get(reverse("reports:due"), **HX)
    assert len(response.context["items"]) == 10
    assert "Xem tất cả 12 việc" in response.content.decode()


def test_overdue_items_are_marked(org, focal_x1, client_for):
    make_milestone(org, timezone.localdate() - datetime.timedelta(days=1))
    response = client_for(focal_x1).get(reverse("reports:due"), **HX)
    content = response.content.decode()
    assert "text-bg-danger" in content and "Quá hạn" in content


def test_the_list_takes_a_fixed_number_of_queries(org, hr, client_for):
    client = client_for(hr)
    url = reverse("reports:due")
    _populate(org, 1, 0)
    few = _queries(lambda: client.get(url, **HX))
    _populate(org, 6, 1)
    many = _queries(lambda: client.get(url, **HX))
    assert many == few
