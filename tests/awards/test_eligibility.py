"""The eligibility engine: rule sets by date, the seeded catalogue end to end, stored
results, and batch checks whose number of queries does not grow with the batch."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awards import eligibility
from awards.models import (
    Ballot,
    Choice,
    NominationStatus,
    Rating,
    RegistrationStatus,
    Rule,
    RuleKind,
    Scope,
    Subject,
)
from tests.awards.factories import (
    AgendaItemFactory,
    AwardRoundFactory,
    CouncilSessionFactory,
    InitiativeFactory,
    NominationFactory,
    RegistrationEntryFactory,
    RegistrationFactory,
    RuleFactory,
    RuleSetFactory,
    seeded,
)
from tests.awards.rules_setup import award, rate, titled
from tests.factories import PersonFactory, UnitFactory, UserFactory
from tests.pledges.scoring_factories import AcclamationFactory

pytestmark = pytest.mark.django_db


def kinds(report):
    return {r.kind: r for r in report.results}


# Rule sets by the year they take effect ---------------------------------------------------------


def test_a_changed_rule_set_applies_from_its_year_and_not_before(org):
    """A rule set taking effect on 1 January 2026 applies to 2026, not to 2025."""
    title = titled(RuleKind.RATING, {"min": "done"}, effective=datetime.date(2018, 1, 1))
    stricter = RuleSetFactory(
        award_type=title, effective_from=datetime.date(2026, 1, 1), legal_basis="Luật sửa đổi"
    )
    RuleFactory(rule_set=stricter, kind=RuleKind.RATING, params={"min": "good"}, legal_basis="")
    person = PersonFactory(unit=org.x1)
    rate(Rating.DONE, 2025, person=person)
    rate(Rating.DONE, 2026, person=person)
    before = eligibility.check(award_type=title, year=2025, person=person)
    after = eligibility.check(award_type=title, year=2026, person=person)
    assert before.rule_set.effective_from == datetime.date(2018, 1, 1)
    assert before.overall == "pass"
    assert after.rule_set == stricter
    assert after.overall == "fail"
    assert after.results[0].legal_basis == "Luật sửa đổi"  # the set's basis when the rule has none


def test_luat_06_2022_dieu_23_replaced_the_old_rules_for_cstdcs_from_2024(org):
    """Luật 06/2022 Điều 23 (from 2024) accepts excellent task completion instead of an
    initiative and has no cap by default; the Law of 2003 (amended 2013) did not, and capped
    Chiến sĩ thi đua cơ sở at 15 % of Lao động tiên tiến."""
    cstdcs = seeded("CSTDCS")
    person = PersonFactory(unit=org.x1)
    for year in (2023, 2024):
        award("LDTT", year, person=person)
        rate(Rating.EXCELLENT, year, person=person)
        RegistrationEntryFactory(
            registration=RegistrationFactory(unit=org.x1, year=year),
            person=person,
            award_type=cstdcs,
        )
    new = eligibility.check(award_type=cstdcs, year=2024, person=person)
    old = eligibility.check(award_type=cstdcs, year=2023, person=person)
    assert new.rule_set.effective_from == datetime.date(2024, 1, 1)
    assert old.rule_set.effective_from == datetime.date(2018, 1, 1)
    assert new.overall == "pass", new.as_json()
    assert "cap_share" not in kinds(new)
    assert kinds(old)["achievement"].status == "fail"
    assert kinds(old)["achievement"].legal_basis == (
        "Luật Thi đua, khen thưởng 2003 (sửa đổi 2013) Điều 23"
    )
    assert "cap_share" in kinds(old)


def test_with_no_rule_set_in_force_there_is_one_unknown_result_saying_so(org):
    report = eligibility.check(award_type=seeded("CSTD_BO"), year=2020, person=PersonFactory())
    assert report.rule_set is None
    assert report.overall == "unknown"
    assert [r.kind for r in report.results] == ["rule_set"]
    assert "có hiệu lực cho năm 2020" in report.results[0].message


def test_a_form_without_automatic_rules_says_the_council_decides(org):
    report = eligibility.check(award_type=seeded("KNC"), year=2024, person=PersonFactory())
    assert report.overall == "unknown"
    assert "Hội đồng xét theo hồ sơ" in report.results[0].message


# The seeded catalogue, end to end -------------------------------------------------------------


def test_luat_06_2022_dieu_27_an_excellent_collective_passes_every_rule(org):
    ttldxs = seeded("TTLDXS")
    rate(Rating.EXCELLENT, unit=org.x1)
    people = [PersonFactory(unit=org.x1a if n % 2 else org.x1) for n in range(10)]
    for n, person in enumerate(people):
        rate(Rating.GOOD, person=person)
        if n < 7:
            award("LDTT", 2024, person=person)
    award("CSTDCS", 2024, person=people[0])
    RegistrationFactory(unit=org.x1, collective_title=ttldxs)
    report = eligibility.check(award_type=ttldxs, year=2024, unit=org.x1)
    assert report.overall == "pass", report.as_json()
    assert list(kinds(report)) == [
        "rating",
        "members_complete",
        "member_share",
        "member_count",
        "no_discipline",
        "prior_registration",
    ]
    assert {r.legal_basis for r in report.results} >= {"Luật 06/2022/QH15 Điều 27"}


def test_luat_06_2022_dieu_22_ministry_fighter_waits_only_for_the_council(org):
    person = PersonFactory(unit=org.x1)
    for year in (2022, 2023, 2024):
        award("CSTDCS", year, person=person)
    InitiativeFactory(year=2023, scope=Scope.MINISTRY, authors=[person])
    report = eligibility.check(award_type=seeded("CSTD_BO"), year=2024, person=person)
    assert report.overall == "unknown"
    assert report.overall_before_vote == "pass", report.as_json()
    assert kinds(report)["council_approval"].status == "unknown"


def test_luat_06_2022_dieu_26_flag_for_a_leading_unit(org):
    AcclamationFactory(member=org.x, bloc_year__bloc=org.bloc_a, bloc_year__year=2024)
    RegistrationFactory(unit=org.x, collective_title=seeded("CO_BO"))
    report = eligibility.check(award_type=seeded("CO_BO"), year=2024, unit=org.x)
    assert report.overall == "pass", report.as_json()


# Stored results ----------------------------------------------------------------------------------


def test_check_nomination_stores_the_result_with_the_time(org):
    person = PersonFactory(unit=org.x1)
    rate(Rating.GOOD, person=person)
    nomination = NominationFactory(
        round=AwardRoundFactory(body=org.x, year=2024),
        award_type=seeded("LDTT"),
        person=person,
        status=NominationStatus.SUBMITTED,
    )
    report = eligibility.check_nomination(nomination)
    nomination.refresh_from_db()
    assert nomination.eligibility == report.as_json()
    assert nomination.eligibility["overall"] == "fail"  # not registered
    assert nomination.eligibility["rule_set"]["legal_basis"].startswith("Luật 06/2022/QH15 Điều 24")
    assert nomination.eligibility_checked_at is not None


def test_the_round_campaign_decides_whether_registration_is_needed(org):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(issuing_unit=org.x, requires_registration=False)
    person = PersonFactory(unit=org.x1)
    rate(Rating.GOOD, person=person)
    nomination = NominationFactory(
        round=AwardRoundFactory(body=org.x, year=2024, campaign=campaign),
        award_type=seeded("LDTT"),
        person=person,
    )
    assert eligibility.check_nomination(nomination).overall == "pass"


# Batches: the number of queries does not grow with the batch ------------------------------------


def make_batch(org, size):
    """``size`` nominations of every kind of title, each nominee with some history."""
    body_round = AwardRoundFactory(body=org.x, year=2024)
    cap = Rule.objects.get(
        rule_set__award_type__code="CSTDCS",
        kind=RuleKind.CAP_SHARE,
        rule_set__effective_from=datetime.date(2024, 1, 1),
    )
    cap.is_enabled = True  # every kind of fact is read
    cap.save()
    session = CouncilSessionFactory(body=org.x, members=[UserFactory() for _ in range(3)])
    registration = RegistrationFactory(unit=org.x1)
    codes = ["LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ", "TTLDTT", "TTLDXS", "CO_BO", "BK_TTG"]
    nominations = []
    for n in range(size):
        code = codes[n % len(codes)]
        award_type = seeded(code)
        if award_type.subject == Subject.COLLECTIVE:
            unit = UnitFactory(parent=org.x1)
            people = [PersonFactory(unit=unit) for _ in range(2)]
            award("LDTT", 2024, person=people[0])
            rate(Rating.GOOD, person=people[1])
            rate(Rating.EXCELLENT, unit=unit)
            RegistrationFactory(unit=unit, collective_title=award_type)
            AcclamationFactory(member=unit, bloc_year__year=2024)
            nominee = {"unit": unit, "person": None}
        else:
            person = PersonFactory(unit=org.x1)
            award("CSTDCS", 2023, person=person)
            award("CSTD_BO", 2021, person=person)
            rate(Rating.EXCELLENT, person=person)
            InitiativeFactory(year=2024, authors=[person], scope=Scope.MINISTRY)
            RegistrationEntryFactory(
                registration=registration, person=person, award_type=award_type
            )
            nominee = {"person": person}
        status = NominationStatus.VOTED if code == "CSTD_TQ" else NominationStatus.SUBMITTED
        nomination = NominationFactory(
            round=body_round, award_type=award_type, status=status, **nominee
        )
        if status == NominationStatus.VOTED:
            item = AgendaItemFactory(session=session, nomination=nomination)
            Ballot.objects.create(item=item, voter=session.members.first(), choice=Choice.AGREE)
        nominations.append(nomination)
    return nominations


def count_queries(nominations):
    """The queries of a batch check, once the catalogue is read (it is kept between checks)."""
    eligibility.check_batch(nominations[:1])
    with CaptureQueriesContext(connection) as captured:
        reports = eligibility.check_batch(nominations)
    assert len(reports) == len(nominations)
    return len(captured), reports


def test_a_batch_of_100_costs_no_more_queries_than_a_batch_of_10(
    org, django_assert_max_num_queries
):
    nominations = make_batch(org, 100)
    small, _ = count_queries(nominations[:10])
    large, reports = count_queries(nominations)
    assert large == small
    with django_assert_max_num_queries(20):
        eligibility.check_batch(nominations)
    checked = {r.kind for report in reports.values() for r in report.results}
    assert checked >= set(RuleKind.values)  # every kind of rule was evaluated


def test_a_small_and_a_ten_times_larger_batch_of_the_same_mix_cost_the_same(
    org, django_assert_num_queries
):
    nominations = make_batch(org, 80)
    small, _ = count_queries(nominations[:8])  # one of each title: the same mix
    with django_assert_num_queries(small):
        eligibility.check_batch(nominations)


def three_titles():
    """Titles whose one rule reads a fact kept in two tables (people's, collectives')."""
    return [
        titled(RuleKind.PRIOR_REGISTRATION, {}),
        titled(RuleKind.ACHIEVEMENT, {"any_of": [{"initiative_scope": "grassroots"}]}),
        titled(RuleKind.COUNCIL_APPROVAL, {"share": 0.5, "secret": False}),
    ]


def nominate_for(titles, body_round, *, person=None, unit=None, status=NominationStatus.VOTED):
    return [
        NominationFactory(
            round=body_round, award_type=title, person=person, unit=unit, status=status
        )
        for title in titles
    ]


def test_the_queries_do_not_depend_on_which_facts_the_nominees_hold(org):
    """A batch of people with no registration, initiative or council vote (not voted on
    yet) costs the same queries as one of people and collectives that have all three:
    each kind of rule reads its facts in one query, people's and collectives' together,
    and the council's tallies are read whether a nomination was voted on or not (a
    benchmark's batch of 1,000 had no voted nomination, its 10,000 had some)."""
    titles = three_titles()
    body_round = AwardRoundFactory(body=org.x, year=2024)
    bare = nominate_for(
        titles, body_round, person=PersonFactory(unit=org.x1), status=NominationStatus.SUBMITTED
    )

    session = CouncilSessionFactory(body=org.x, members=[UserFactory() for _ in range(2)])
    registration = RegistrationFactory(unit=org.x1)
    full = []
    for _ in range(3):
        person, unit = PersonFactory(unit=org.x1), UnitFactory(parent=org.x1)
        RegistrationEntryFactory(registration=registration, person=person, award_type=titles[0])
        RegistrationFactory(unit=unit, collective_title=titles[0])
        InitiativeFactory(year=2024, authors=[person], scope=Scope.GRASSROOTS)
        InitiativeFactory(year=2024, unit=unit, scope=Scope.GRASSROOTS)
        for nomination in nominate_for(titles, body_round, person=person) + nominate_for(
            titles, body_round, unit=unit
        ):
            item = AgendaItemFactory(session=session, nomination=nomination)
            Ballot.objects.create(item=item, voter=session.members.first(), choice=Choice.AGREE)
            full.append(nomination)

    few, bare_reports = count_queries(bare)
    many, full_reports = count_queries(full)
    assert many == few
    # The facts were read: with them every rule passes, without them none does.
    assert not [r for report in bare_reports.values() for r in report.results if r.status == "pass"]
    for nomination in full:
        report = full_reports[nomination.pk]
        assert [r.status for r in report.results if r.kind != "subject"] == ["pass"]


def test_a_rule_edited_in_the_catalogue_applies_at_the_next_check(org):
    """The catalogue is kept between checks, but any write to it is seen at the next one,
    even one that sends no signal (a queryset update, as a data migration does)."""
    title = titled(RuleKind.RATING, {"min": "good"})
    person = PersonFactory(unit=org.x1)
    rate(Rating.DONE, person=person)
    assert eligibility.check(award_type=title, year=2024, person=person).overall == "fail"
    Rule.objects.filter(rule_set__award_type=title).update(params={"min": "done"})
    assert eligibility.check(award_type=title, year=2024, person=person).overall == "pass"
    Rule.objects.filter(rule_set__award_type=title).update(is_enabled=False)
    report = eligibility.check(award_type=title, year=2024, person=person)
    assert [r.kind for r in report.results] == ["rule_set"]  # no rule left to check
    later = RuleSetFactory(award_type=title, effective_from=datetime.date(2024, 6, 1))
    RuleFactory(rule_set=later, kind=RuleKind.RATING, params={"min": "excellent"})
    assert eligibility.check(award_type=title, year=2024, person=person).overall == "fail"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the catalogue is kept on PostgreSQL")
def test_checking_again_does_not_read_the_catalogue_again(org):
    title = titled(RuleKind.RATING, {"min": "good"})
    nomination = NominationFactory(
        round=AwardRoundFactory(body=org.x, year=2024),
        award_type=title,
        person=PersonFactory(unit=org.x1),
    )
    rate(Rating.GOOD, person=nomination.person)
    with CaptureQueriesContext(connection) as first:
        eligibility.check_nomination(nomination)
    with CaptureQueriesContext(connection) as second:
        eligibility.check_nomination(nomination)
    tables = [q["sql"].split(" FROM ")[1].split()[0] for q in second if " FROM " in q["sql"]]
    assert '"awards_rule"' not in tables and '"awards_ruleset"' not in tables
    # The nomination with the catalogue's token, the ratings, and the stored result.
    assert len(second) == 3 < len(first)


def test_a_batch_gives_the_same_results_as_one_by_one(org):
    nominations = make_batch(org, 16)
    batch = eligibility.check_batch(nominations)
    for nomination in nominations:
        single = eligibility.check_nomination(nomination)
        assert batch[nomination.pk].as_json() == single.as_json()


def test_a_stored_batch_writes_every_nomination(org):
    nominations = make_batch(org, 8)
    eligibility.check_batch(nominations, store=True)
    for nomination in nominations:
        nomination.refresh_from_db()
        assert nomination.eligibility["results"]
        assert nomination.eligibility_checked_at is not None


def test_registration_status_values_are_those_of_the_model():
    from awards import rules

    assert set(rules.REGISTERED_STATUSES) == {
        RegistrationStatus.SUBMITTED,
        RegistrationStatus.APPROVED,
    }


def test_a_nomination_changed_in_memory_is_checked_as_it_is_now(org):
    """The nominee's unit and the round are read from the nomination's fields, not the row."""
    first, second = PersonFactory(unit=org.x1), PersonFactory(unit=org.x2)
    rate(Rating.NOT_DONE, person=first)
    rate(Rating.GOOD, person=second)
    title = titled(RuleKind.RATING, {"min": "good"})
    nomination = NominationFactory(
        round=AwardRoundFactory(body=org.x, year=2024), award_type=title, person=first
    )
    assert eligibility.check_batch([nomination])[nomination.pk].overall == "fail"
    nomination.person = second  # not saved yet
    assert eligibility.check_batch([nomination])[nomination.pk].overall == "pass"


def test_every_seeded_rule_reads_in_words():
    from awards import rules
    from awards.models import AwardType

    titles = dict(AwardType.objects.values_list("code", "name"))
    for rule in Rule.objects.all():
        words = rules.describe(rule.kind, rule.params, titles)
        assert words and "không hợp lệ" not in words
