"""Council sessions, agenda, votes and closing (Law 06/2022; Decree 98/2023 Art. 52:
the council votes, by secret ballot for the higher titles, and approval is a share of
ALL its members)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from awards import council_services as services
from awards.models import (
    AgendaItem,
    Ballot,
    Choice,
    CouncilSession,
    NominationEvent,
    NominationStatus,
    SessionStatus,
    VoterReceipt,
)
from campaigns.errors import DomainError
from tests.awards.factories import AwardTypeFactory, RuleFactory, RuleSetFactory, council_rule
from tests.versions import version_of

from .council_setup import (
    NINETY,
    accepted,
    council_members,
    item_of,
    open_session,
    round_of,
    vote_all,
)

pytestmark = pytest.mark.django_db


# Sessions ------------------------------------------------------------------------------------


def test_it_opens_a_session_with_the_bodys_council_members(org, hr, council):
    members = [council, *council_members(org.x1, 2)]  # a council member of a department counts
    session = open_session(org.x, hr, members)
    assert session.status == SessionStatus.OPEN
    assert set(session.members.all()) == set(members)
    assert session.history.first().history_user == hr


def test_it_refuses_a_member_without_the_council_role_in_the_body(org, hr, council, focal_x1):
    with pytest.raises(DomainError, match="không phải thành viên Hội đồng"):
        open_session(org.x, hr, [council, focal_x1])
    outsider = council_members(org.y, 1)[0]
    with pytest.raises(DomainError, match="không phải thành viên Hội đồng"):
        open_session(org.x, hr, [council, outsider])
    assert not CouncilSession.objects.exists()


def test_it_refuses_a_session_without_members(org, hr):
    with pytest.raises(DomainError, match="ít nhất một thành viên"):
        open_session(org.x, hr, [])


@pytest.mark.parametrize("persona", ["leader", "council", "focal_x1", "hr_y"])
def test_only_hr_of_the_body_opens_a_session(org, council, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
        open_session(org.x, user, [council])


def test_it_refuses_a_round_of_another_body(org, hr, council):
    with pytest.raises(DomainError, match="không thuộc"):
        open_session(org.x, hr, [council], round=round_of(org.y))


def test_members_are_fixed_once_someone_has_voted(org, hr, council):
    others = council_members(org.x, 2)
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council, *others], [nomination])
    services.session_update(
        session=session,
        expected_version=int(version_of(session)),
        by=hr,
        title="Phiên họp (sửa)",
        held_on=session.held_on,
        members=[council, others[0]],
    )
    assert session.members.count() == 2
    services.vote_cast(item=item_of(session, nomination), voter=council, choice=Choice.AGREE)
    with pytest.raises(DomainError, match="không thể thay đổi thành phần"):
        services.session_update(
            session=session,
            expected_version=int(version_of(session)),
            by=hr,
            title="X",
            held_on=session.held_on,
            members=[council],
        )
    # The wording may still change.
    services.session_update(
        session=session,
        expected_version=int(version_of(session)),
        by=hr,
        title="Phiên họp cuối năm",
        held_on=session.held_on,
        members=[council, others[0]],
    )
    session.refresh_from_db()
    assert session.title == "Phiên họp cuối năm"


# The agenda ----------------------------------------------------------------------------------


def test_an_item_takes_the_council_rule_in_force_for_the_award_type_and_year(org, hr, council):
    """Decree 98/2023: the higher titles by secret ballot with ≥ 90 % of all members."""
    title = AwardTypeFactory(name="Chiến sĩ thi đua bộ, ban, ngành, tỉnh")
    council_rule(title, share=0.9, secret=True, year=2024)
    nomination = accepted(round_of(org.x), award_type=title)[0]
    session = open_session(org.x, hr, [council], [nomination])
    item = item_of(session, nomination)
    assert item.secret is True
    assert item.required_share == NINETY
    event = NominationEvent.objects.get(nomination=nomination, action="awards.council.item_added")
    assert "bỏ phiếu kín" in event.reason and "90,0%" in event.reason
    assert event.by == hr


def test_without_a_rule_an_item_is_open_with_a_simple_majority(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    assert item.secret is False
    assert item.required_share is None


def test_a_rule_set_taking_effect_later_does_not_apply_to_an_earlier_year(org, hr, council):
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True, year=2024)
    council_rule(title, share=0.75, secret=False, year=2026)  # a later change in the law
    early = accepted(round_of(org.x, 2025), award_type=title)[0]
    late = accepted(round_of(org.x, 2026), award_type=title)[0]
    session = open_session(org.x, hr, [council], [early, late])
    assert (item_of(session, early).secret, item_of(session, early).required_share) == (
        True,
        NINETY,
    )
    assert (item_of(session, late).secret, item_of(session, late).required_share) == (
        False,
        Decimal("0.7500"),
    )


def test_a_rule_that_does_not_say_secret_means_a_secret_ballot(org, hr, council):
    """As awards/rules.py documents the COUNCIL_APPROVAL params: "secret" defaults to true."""
    title = AwardTypeFactory()
    RuleFactory(rule_set=RuleSetFactory(award_type=title), params={"share": 0.75})
    nomination = accepted(round_of(org.x), award_type=title)[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    assert (item.secret, item.required_share) == (True, Decimal("0.7500"))


def test_a_disabled_rule_is_ignored(org, hr, council):
    title = AwardTypeFactory()
    rule = council_rule(title, share=0.9, secret=True)
    rule.is_enabled = False
    rule.save()
    nomination = accepted(round_of(org.x), award_type=title)[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    assert (item.secret, item.required_share) == (False, None)


@pytest.mark.parametrize("share", [1.5, 0, -0.2, "chín mươi"])
def test_a_broken_share_in_the_rule_is_explained(org, hr, council, share):
    title = AwardTypeFactory()
    RuleFactory(rule_set=RuleSetFactory(award_type=title), params={"share": share})
    nomination = accepted(round_of(org.x), award_type=title)[0]
    session = open_session(org.x, hr, [council])
    with pytest.raises(DomainError, match="không hợp lệ"):
        services.agenda_add(session=session, by=hr, nominations=[nomination])
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize(
    "status",
    [
        NominationStatus.DRAFT,
        NominationStatus.SUBMITTED,
        NominationStatus.RETURNED,
        NominationStatus.APPROVED,
        NominationStatus.DECIDED,
    ],
)
def test_only_accepted_nominations_go_on_the_agenda(org, hr, council, status):
    nomination = accepted(round_of(org.x), status=status)[0]
    session = open_session(org.x, hr, [council])
    with pytest.raises(DomainError, match="chỉ đề nghị đã được đưa ra Hội đồng"):
        services.agenda_add(session=session, by=hr, nominations=[nomination])


def test_a_nomination_of_another_body_or_round_is_refused(org, hr, council):
    theirs = accepted(round_of(org.y))[0]
    session = open_session(org.x, hr, [council])
    with pytest.raises(DomainError, match="không thuộc đợt khen thưởng"):
        services.agenda_add(session=session, by=hr, nominations=[theirs])
    ours_2025, ours_2024 = round_of(org.x, 2025), round_of(org.x, 2024)
    bound = open_session(org.x, hr, [council], round=ours_2025)
    with pytest.raises(DomainError, match="không thuộc đợt khen thưởng"):
        services.agenda_add(session=bound, by=hr, nominations=accepted(ours_2024))


def test_a_nomination_sits_on_one_open_session_at_a_time(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    open_session(org.x, hr, [council], [nomination])
    other = open_session(org.x, hr, [council])
    with pytest.raises(DomainError, match="phiên họp khác"):
        services.agenda_add(session=other, by=hr, nominations=[nomination])


def test_an_item_is_removed_before_votes_only(org, hr, council):
    first, second = accepted(round_of(org.x), count=2)
    session = open_session(org.x, hr, [council], [first, second])
    services.agenda_remove(item=item_of(session, first), by=hr)
    assert list(session.agenda.values_list("nomination", flat=True)) == [second.pk]
    assert NominationEvent.objects.filter(
        nomination=first, action="awards.council.item_removed", by=hr
    ).exists()
    services.vote_cast(item=item_of(session, second), voter=council, choice=Choice.AGREE)
    with pytest.raises(DomainError, match="không thể rút"):
        services.agenda_remove(item=item_of(session, second), by=hr)


def test_only_hr_changes_the_agenda(org, hr, council, leader):
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council])
    for user in (leader, council):
        with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
            services.agenda_add(session=session, by=user, nominations=[nomination])


# Votes ---------------------------------------------------------------------------------------


def test_a_member_votes_once_per_item(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council], [nomination])
    item = item_of(session, nomination)
    services.vote_cast(item=item, voter=council, choice=Choice.AGREE)
    with pytest.raises(DomainError, match="đã bỏ phiếu"):
        services.vote_cast(item=item, voter=council, choice=Choice.DISAGREE)
    assert VoterReceipt.objects.filter(item=item).count() == 1
    assert list(Ballot.objects.filter(item=item).values_list("choice", flat=True)) == ["agree"]


def test_the_database_refuses_a_second_receipt_past_the_check(org, hr, council, monkeypatch):
    """If two requests both passed the check, the unique receipt still lets one through."""
    nomination = accepted(round_of(org.x))[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    services.vote_cast(item=item, voter=council, choice=Choice.AGREE)
    real_filter = VoterReceipt.objects.filter

    class _Nothing:
        def exists(self) -> bool:
            return False

    monkeypatch.setattr(
        VoterReceipt.objects,
        "filter",
        lambda *a, **kw: _Nothing() if "voter" in kw else real_filter(*a, **kw),
    )
    with pytest.raises(DomainError, match="đã bỏ phiếu"):
        services.vote_cast(item=item, voter=council, choice=Choice.AGREE)
    monkeypatch.undo()
    assert Ballot.objects.filter(item=item).count() == 1


def test_a_non_member_cannot_vote(org, hr, council, leader):
    other_member = council_members(org.x, 1)[0]  # a council member of X, not in this session
    nomination = accepted(round_of(org.x))[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    for user in (hr, leader, other_member):
        with pytest.raises(DomainError, match="không phải thành viên Hội đồng của phiên họp"):
            services.vote_cast(item=item, voter=user, choice=Choice.AGREE)
    assert not Ballot.objects.exists() and not VoterReceipt.objects.exists()


def test_a_vote_must_be_agree_or_disagree(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    with pytest.raises(DomainError, match="Phiếu không hợp lệ"):
        services.vote_cast(item=item, voter=council, choice="abstain")


def test_the_first_vote_moves_the_nomination_to_voted_without_naming_the_voter(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    item = item_of(open_session(org.x, hr, [council], [nomination]), nomination)
    services.vote_cast(item=item, voter=council, choice=Choice.AGREE)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.VOTED
    event = NominationEvent.objects.get(nomination=nomination, action="awards.nomination.voted")
    assert (event.from_status, event.to_status, event.by) == ("accepted", "voted", None)
    assert nomination.history.first().history_user is None


def test_no_vote_after_the_session_is_closed(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council], [nomination])
    services.session_close(session=session, by=hr)
    with pytest.raises(DomainError, match="đã kết thúc"):
        services.vote_cast(item=item_of(session, nomination), voter=council, choice="agree")


# Closing: the approval share over ALL members ------------------------------------------------


def _ninety_percent_session(org, hr, agreeing: int):
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    members = council_members(org.x, 9)
    nomination = accepted(round_of(org.x), award_type=title)[0]
    session = open_session(org.x, hr, members, [nomination])
    item = item_of(session, nomination)
    vote_all(item, members[:agreeing], Choice.AGREE)
    vote_all(item, members[agreeing:], Choice.DISAGREE)
    return session, nomination


def test_a_share_just_below_the_threshold_is_rejected(org, hr):
    """Decree 98/2023 Art. 52 (old rule ≥ 90 %): 8 of 9 members is 88.9 %, rejected."""
    session, nomination = _ninety_percent_session(org, hr, agreeing=8)
    [result] = services.session_close(session=session, by=hr)
    nomination.refresh_from_db()
    assert (result.agree, result.member_count, result.approved) == (8, 9, False)
    assert nomination.status == NominationStatus.REJECTED
    event = NominationEvent.objects.get(nomination=nomination, action="awards.nomination.rejected")
    assert "8/9" in event.reason and "88,9%" in event.reason and "90,0%" in event.reason
    assert event.by == hr


def test_a_share_at_the_threshold_is_approved(org, hr):
    session, nomination = _ninety_percent_session(org, hr, agreeing=9)
    [result] = services.session_close(session=session, by=hr)
    nomination.refresh_from_db()
    assert result.approved and nomination.status == NominationStatus.APPROVED
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    assert session.history.first().history_user == hr


def test_absent_members_count_as_not_agreeing(org, hr):
    """9 of 10 members vote and all agree: 90 % of ALL members, approved; with one more
    member absent, 9 of 11 (81.8 %) is rejected."""
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    members = council_members(org.x, 11)
    round_ = round_of(org.x)
    ten, eleven = (accepted(round_, award_type=title)[0] for _ in range(2))
    s10 = open_session(org.x, hr, members[:10], [ten])
    s11 = open_session(org.x, hr, members, [eleven])
    vote_all(item_of(s10, ten), members[:9], Choice.AGREE)
    vote_all(item_of(s11, eleven), members[:9], Choice.AGREE)
    services.session_close(session=s10, by=hr)
    services.session_close(session=s11, by=hr)
    ten.refresh_from_db()
    eleven.refresh_from_db()
    assert ten.status == NominationStatus.APPROVED
    assert eleven.status == NominationStatus.REJECTED


def test_without_a_rule_more_than_half_of_all_members_must_agree(org, hr):
    members = council_members(org.x, 4)
    half, more = accepted(round_of(org.x), count=2)
    session = open_session(org.x, hr, members, [half, more])
    vote_all(item_of(session, half), members[:2], Choice.AGREE)  # 2 of 4: not a majority
    vote_all(item_of(session, more), members[:3], Choice.AGREE)
    services.session_close(session=session, by=hr)
    half.refresh_from_db()
    more.refresh_from_db()
    assert half.status == NominationStatus.REJECTED
    assert more.status == NominationStatus.APPROVED


def test_a_fifty_percent_rule_is_reached_at_half(org, hr):
    title = AwardTypeFactory()
    council_rule(title, share=0.5, secret=False)
    members = council_members(org.x, 4)
    nomination = accepted(round_of(org.x), award_type=title)[0]
    session = open_session(org.x, hr, members, [nomination])
    vote_all(item_of(session, nomination), members[:2], Choice.AGREE)
    services.session_close(session=session, by=hr)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED


def test_an_item_nobody_voted_on_is_rejected(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council], [nomination])
    services.session_close(session=session, by=hr)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REJECTED
    event = NominationEvent.objects.get(nomination=nomination, action="awards.nomination.rejected")
    assert event.from_status == NominationStatus.ACCEPTED


def test_closing_twice_or_empty_or_by_others_is_refused(org, hr, council, leader):
    empty = open_session(org.x, hr, [council])
    with pytest.raises(DomainError, match="chưa có đề nghị"):
        services.session_close(session=empty, by=hr)
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council], [nomination])
    for user in (leader, council):
        with pytest.raises(DomainError, match="Chỉ cán bộ thi đua"):
            services.session_close(session=session, by=user)
    services.session_close(session=session, by=hr)
    with pytest.raises(DomainError, match="đã kết thúc"):
        services.session_close(session=session, by=hr)


def test_a_nomination_moved_elsewhere_meanwhile_is_left_as_it_is(org, hr, council):
    nomination = accepted(round_of(org.x))[0]
    session = open_session(org.x, hr, [council], [nomination])
    nomination.status = NominationStatus.RETURNED  # e.g. returned by another page
    nomination.save()
    [result] = services.session_close(session=session, by=hr)
    nomination.refresh_from_db()
    assert result.changed is False
    assert nomination.status == NominationStatus.RETURNED
