"""Each rule kind, passing, failing and "cannot tell yet", citing the article it checks.

Every test builds a title with exactly one rule, so the result read is that rule's.
"""

from __future__ import annotations

import datetime

import pytest

from awards import eligibility
from awards.models import (
    Choice,
    DisciplineForm,
    InitiativeKind,
    NominationStatus,
    Rating,
    RegistrationStatus,
    RuleKind,
    Scope,
    SecretCount,
    SessionStatus,
    Subject,
    Track,
)
from tests.awards.factories import (
    AgendaItemFactory,
    AwardRecordFactory,
    AwardRoundFactory,
    CouncilSessionFactory,
    DisciplineRecordFactory,
    InitiativeFactory,
    NominationFactory,
    RegistrationEntryFactory,
    RegistrationFactory,
    seeded,
)
from tests.awards.rules_setup import award, check_person, check_unit, only, rate, titled
from tests.factories import CampaignFactory, PersonFactory, UnitFactory, UserFactory
from tests.pledges.scoring_factories import AcclamationFactory

pytestmark = pytest.mark.django_db

PASS, FAIL, UNKNOWN = "pass", "fail", "unknown"


@pytest.fixture
def person(org):
    return PersonFactory(unit=org.x1, full_name="Nguyễn Thị Lan")


def pending(code, year, **nominee):
    """A nomination for ``code`` in ``year``, submitted and not yet decided."""
    return NominationFactory(
        award_type=seeded(code), year=year, status=NominationStatus.SUBMITTED, **nominee
    )


# SAME_YEAR_TITLE -------------------------------------------------------------------------------


class TestSameYearTitle:
    """Luật 06/2022 Điều 23: Chiến sĩ thi đua cơ sở requires Lao động tiên tiến that year."""

    @pytest.fixture
    def title(self):
        return titled(RuleKind.SAME_YEAR_TITLE, {"title": "LDTT"})

    def test_it_passes_with_the_title_that_year(self, title, person):
        award("LDTT", 2024, person=person)
        result = check_person(title, person)
        assert result.status == PASS
        assert result.message == "Đã đạt Lao động tiên tiến năm 2024."
        assert result.legal_basis == "Luật 06/2022/QH15 Điều 23"

    def test_it_fails_with_the_title_only_in_another_year(self, title, person):
        award("LDTT", 2023, person=person)
        result = check_person(title, person)
        assert result.status == FAIL
        assert result.message == "Chưa đạt Lao động tiên tiến năm 2024."

    def test_a_revoked_title_does_not_count_and_is_named(self, title, person):
        award("LDTT", 2024, person=person, revoked_on=datetime.date(2025, 3, 1))
        result = check_person(title, person)
        assert result.status == FAIL
        assert "2024 (đã bị thu hồi)" in result.message

    def test_a_thematic_award_does_not_count(self, title, person):
        """Decree 98/2023 Art. 4: thematic awards do not count toward merit-based ones."""
        award("LDTT", 2024, person=person, track=Track.THEMATIC)
        result = check_person(title, person)
        assert result.status == FAIL
        assert "loại hình chuyên đề" in result.message

    def test_it_cannot_tell_while_the_title_is_being_proposed(self, title, person):
        pending("LDTT", 2024, person=person)
        result = check_person(title, person)
        assert result.status == UNKNOWN
        assert "đề nghị đang được xét" in result.message


# CONSECUTIVE_YEARS -----------------------------------------------------------------------------


class TestConsecutiveYears:
    """Luật 06/2022 Điều 22: three consecutive years of Chiến sĩ thi đua cơ sở, the third
    being the year considered; Điều 21: two consecutive times Chiến sĩ thi đua bộ, the
    year after the second."""

    @pytest.fixture
    def ministry_fighter(self):
        return titled(
            RuleKind.CONSECUTIVE_YEARS,
            {"title": "CSTDCS", "years": 3, "include_current": True},
            basis="Luật 06/2022/QH15 Điều 22",
        )

    @pytest.fixture
    def national_fighter(self):
        return titled(
            RuleKind.CONSECUTIVE_YEARS,
            {"title": "CSTD_BO", "years": 2, "include_current": False, "max_gap": 3},
            basis="Luật 06/2022/QH15 Điều 21",
        )

    def test_it_passes_with_three_consecutive_years_ending_this_year(
        self, ministry_fighter, person
    ):
        for year in (2022, 2023, 2024):
            award("CSTDCS", year, person=person)
        result = check_person(ministry_fighter, person)
        assert result.status == PASS
        assert result.message == "Đạt Chiến sĩ thi đua cơ sở 3 năm liên tục: 2022, 2023, 2024."
        assert result.legal_basis == "Luật 06/2022/QH15 Điều 22"

    def test_it_fails_with_a_gap_naming_the_years_it_has(self, ministry_fighter, person):
        award("CSTDCS", 2022, person=person)
        award("CSTDCS", 2024, person=person)
        result = check_person(ministry_fighter, person)
        assert result.status == FAIL
        assert result.message == (
            "Chưa đủ 3 năm liên tục đạt Chiến sĩ thi đua cơ sở: chỉ có 2022, 2024."
        )

    def test_a_revoked_year_breaks_the_run(self, ministry_fighter, person):
        award("CSTDCS", 2022, person=person)
        award("CSTDCS", 2023, person=person, revoked_on=datetime.date(2024, 6, 1))
        award("CSTDCS", 2024, person=person)
        result = check_person(ministry_fighter, person)
        assert result.status == FAIL
        assert "Không tính: 2023 (đã bị thu hồi)." in result.message

    def test_an_adhoc_award_does_not_fill_the_gap(self, ministry_fighter, person):
        award("CSTDCS", 2022, person=person)
        award("CSTDCS", 2023, person=person, track=Track.ADHOC)
        award("CSTDCS", 2024, person=person)
        assert check_person(ministry_fighter, person).status == FAIL

    def test_it_cannot_tell_when_this_years_title_is_being_proposed(self, ministry_fighter, person):
        award("CSTDCS", 2022, person=person)
        award("CSTDCS", 2023, person=person)
        pending("CSTDCS", 2024, person=person)
        result = check_person(ministry_fighter, person)
        assert result.status == UNKNOWN
        assert "đã có 2022, 2023" in result.message

    def test_a_longer_run_in_the_past_does_not_count_without_this_year(
        self, ministry_fighter, person
    ):
        for year in (2019, 2020, 2021, 2022, 2023):
            award("CSTDCS", year, person=person)
        result = check_person(ministry_fighter, person)
        assert result.status == FAIL
        assert "chỉ có 2022, 2023" in result.message

    def test_article_21_two_times_three_years_apart_ending_last_year_pass(
        self, national_fighter, person
    ):
        award("CSTD_BO", 2020, person=person)
        award("CSTD_BO", 2023, person=person)
        result = check_person(national_fighter, person)
        assert result.status == PASS
        assert result.message == (
            "Đạt Chiến sĩ thi đua bộ, ban, ngành, tỉnh 2 lần liên tục: 2020, 2023."
        )

    def test_article_21_times_four_years_apart_are_not_consecutive(self, national_fighter, person):
        award("CSTD_BO", 2019, person=person)
        award("CSTD_BO", 2023, person=person)
        result = check_person(national_fighter, person)
        assert result.status == FAIL
        assert result.message == (
            "Chưa đủ 2 lần liên tục đạt Chiến sĩ thi đua bộ, ban, ngành, tỉnh tính đến năm "
            "2023: chỉ có 2023."
        )

    def test_article_21_is_considered_the_year_after_not_the_same_year(
        self, national_fighter, person
    ):
        award("CSTD_BO", 2021, person=person)
        award("CSTD_BO", 2024, person=person)
        assert check_person(national_fighter, person).status == FAIL
        assert check_person(national_fighter, person, year=2025).status == PASS

    def test_it_counts_a_collectives_own_history(self, org):
        flag = titled(
            RuleKind.CONSECUTIVE_YEARS,
            {"title": "LDTT", "years": 2},
            subject=Subject.COLLECTIVE,
        )
        award("LDTT", 2022, unit=org.x1)
        award("LDTT", 2023, unit=org.x1)
        assert check_unit(flag, org.x1).status == PASS
        assert check_unit(flag, org.x2).status == FAIL


# ACHIEVEMENT -----------------------------------------------------------------------------------


class TestAchievement:
    """Luật 06/2022 Điều 23: an initiative recognised at grassroots level, or excellent task
    completion, or an accepted science topic."""

    @pytest.fixture
    def title(self):
        return titled(
            RuleKind.ACHIEVEMENT,
            {
                "any_of": [
                    {"initiative_scope": "grassroots"},
                    {"rating": "excellent"},
                    {"science_topic": True},
                ]
            },
        )

    def test_a_grassroots_initiative_that_year_is_enough(self, title, person):
        rate(Rating.GOOD, person=person)
        InitiativeFactory(title="Số hoá hồ sơ thi đua", year=2024, authors=[person])
        result = check_person(title, person)
        assert result.status == PASS
        assert result.message == (
            "Có sáng kiến “Số hoá hồ sơ thi đua” được công nhận năm 2024, phạm vi cơ sở."
        )

    def test_excellent_task_completion_is_enough(self, title, person):
        rate(Rating.EXCELLENT, person=person)
        result = check_person(title, person)
        assert result.status == PASS
        assert result.message == "Năm 2024 được xếp loại “Hoàn thành xuất sắc nhiệm vụ”."

    def test_an_accepted_science_topic_is_enough(self, title, person):
        rate(Rating.GOOD, person=person)
        InitiativeFactory(
            kind=InitiativeKind.SCIENCE_TOPIC, title="Đề tài A", year=2024, authors=[person]
        )
        assert check_person(title, person).status == PASS

    def test_it_fails_with_a_good_rating_and_only_an_older_initiative(self, title, person):
        rate(Rating.GOOD, person=person)
        InitiativeFactory(title="Sáng kiến cũ", year=2022, authors=[person])
        result = check_person(title, person)
        assert result.status == FAIL
        assert result.message.startswith("Không có thành tích nào năm 2024 trong số:")

    def test_someone_elses_initiative_does_not_count(self, title, person):
        rate(Rating.GOOD, person=person)
        InitiativeFactory(year=2024, authors=[PersonFactory()], unit=person.unit)
        assert check_person(title, person).status == FAIL

    def test_it_cannot_tell_without_a_rating_and_without_an_initiative(self, title, person):
        result = check_person(title, person)
        assert result.status == UNKNOWN
        assert "Chưa có kết quả xếp loại năm 2024" in result.message

    def test_article_22_wants_a_ministry_scope_within_three_years(self, person):
        title = titled(
            RuleKind.ACHIEVEMENT,
            {
                "any_of": [{"initiative_scope": "ministry"}, {"science_topic": "ministry"}],
                "within_years": 3,
            },
            basis="Luật 06/2022/QH15 Điều 22",
        )
        InitiativeFactory(year=2024, scope=Scope.GRASSROOTS, authors=[person])
        assert check_person(title, person).status == FAIL
        InitiativeFactory(
            title="Sáng kiến cấp bộ", year=2022, scope=Scope.MINISTRY, authors=[person]
        )
        result = check_person(title, person)
        assert result.status == PASS
        assert "“Sáng kiến cấp bộ” được công nhận năm 2022, phạm vi cấp bộ, ngành, tỉnh" in (
            result.message
        )
        # 2022 is outside the three years 2023–2025.
        assert check_person(title, person, year=2025).status == FAIL

    def test_a_collectives_initiatives_are_the_units(self, org):
        title = titled(
            RuleKind.ACHIEVEMENT,
            {"any_of": [{"initiative_scope": "grassroots"}]},
            subject=Subject.COLLECTIVE,
        )
        InitiativeFactory(unit=org.x1, year=2024)
        assert check_unit(title, org.x1).status == PASS
        assert check_unit(title, org.x2).status == FAIL


# RATING ----------------------------------------------------------------------------------------


class TestRating:
    """Luật 06/2022 Điều 24: Lao động tiên tiến needs task completion rated good or better;
    Điều 28: a collective likewise."""

    @pytest.fixture
    def title(self):
        return titled(RuleKind.RATING, {"min": "good"}, basis="Luật 06/2022/QH15 Điều 24")

    @pytest.mark.parametrize("rating", [Rating.GOOD, Rating.EXCELLENT])
    def test_good_or_better_passes(self, title, person, rating):
        rate(rating, person=person)
        assert check_person(title, person).status == PASS

    @pytest.mark.parametrize("rating", [Rating.DONE, Rating.NOT_DONE])
    def test_below_good_fails_naming_the_rating(self, title, person, rating):
        rate(rating, person=person)
        result = check_person(title, person)
        assert result.status == FAIL
        assert f"chỉ được xếp loại “{Rating(rating).label}”" in result.message

    def test_no_rating_yet_cannot_tell(self, title, person):
        rate(Rating.EXCELLENT, year=2023, person=person)
        result = check_person(title, person)
        assert result.status == UNKNOWN
        assert result.message == (
            "Chưa có kết quả xếp loại năm 2024 (cần từ “Hoàn thành tốt nhiệm vụ” trở lên)."
        )

    def test_a_collective_is_judged_on_the_units_rating(self, org):
        title = titled(RuleKind.RATING, {"min": "excellent"}, subject=Subject.COLLECTIVE)
        rate(Rating.EXCELLENT, unit=org.x1)
        rate(Rating.GOOD, unit=org.x2)
        assert check_unit(title, org.x1).status == PASS
        assert check_unit(title, org.x2).status == FAIL


# MEMBER_SHARE, MEMBER_COUNT, MEMBERS_COMPLETE --------------------------------------------------


def staff(unit, count, **kw):
    return [PersonFactory(unit=unit, **kw) for _ in range(count)]


class TestMemberShare:
    """Luật 06/2022 Điều 28: more than 50 % of members Lao động tiên tiến;
    Điều 27: at least 70 %."""

    @pytest.fixture
    def advanced(self):
        return titled(
            RuleKind.MEMBER_SHARE,
            {"title": "LDTT", "share": 0.5, "strict": True},
            subject=Subject.COLLECTIVE,
            basis="Luật 06/2022/QH15 Điều 28",
        )

    @pytest.fixture
    def excellent(self):
        return titled(
            RuleKind.MEMBER_SHARE,
            {"title": "LDTT", "share": 0.7},
            subject=Subject.COLLECTIVE,
            basis="Luật 06/2022/QH15 Điều 27",
        )

    def test_article_28_exactly_half_is_not_more_than_half(self, advanced, org):
        people = staff(org.x1, 6)
        for p in people[:3]:
            award("LDTT", 2024, person=p)
        result = check_unit(advanced, org.x1)
        assert result.status == FAIL
        assert result.message == (
            "Chỉ 3/6 cá nhân (50%) đạt Lao động tiên tiến năm 2024; cần trên 50%."
        )

    def test_article_28_more_than_half_passes(self, advanced, org):
        people = staff(org.x1, 6)
        for p in people[:4]:
            award("LDTT", 2024, person=p)
        result = check_unit(advanced, org.x1)
        assert result.status == PASS
        assert result.message == (
            "4/6 cá nhân (66,7%) đạt Lao động tiên tiến năm 2024; cần trên 50%."
        )

    def test_article_27_seventy_percent_exactly_passes(self, excellent, org):
        people = staff(org.x1, 10)
        for p in people[:7]:
            award("LDTT", 2024, person=p)
        assert check_unit(excellent, org.x1).status == PASS

    def test_article_27_sixty_percent_fails_and_pending_makes_it_unknown(self, excellent, org):
        people = staff(org.x1, 10)
        for p in people[:6]:
            award("LDTT", 2024, person=p)
        assert check_unit(excellent, org.x1).status == FAIL
        pending("LDTT", 2024, person=people[6])
        result = check_unit(excellent, org.x1)
        assert result.status == UNKNOWN
        assert "1 người đang được đề nghị" in result.message

    def test_members_are_the_active_people_of_the_whole_subtree(self, advanced, org):
        top = staff(org.x1, 1)
        below = staff(org.x1a, 1)
        staff(org.x1, 3, is_active=False)  # left the unit: not counted
        award("LDTT", 2024, person=below[0])
        result = check_unit(advanced, org.x1)
        assert "1/2 cá nhân" in result.message
        award("LDTT", 2024, person=top[0])
        assert check_unit(advanced, org.x1).status == PASS

    def test_a_collective_without_people_cannot_tell(self, advanced, org):
        assert check_unit(advanced, org.x2).status == UNKNOWN

    def test_it_does_not_apply_to_a_person(self, person):
        title = titled(RuleKind.MEMBER_SHARE, {"title": "LDTT", "share": 0.5})
        assert check_person(title, person).status == UNKNOWN


class TestMemberCount:
    """Luật 06/2022 Điều 27: at least one member Chiến sĩ thi đua cơ sở."""

    @pytest.fixture
    def title(self):
        return titled(
            RuleKind.MEMBER_COUNT,
            {"title": "CSTDCS", "min": 1},
            subject=Subject.COLLECTIVE,
            basis="Luật 06/2022/QH15 Điều 27",
        )

    def test_one_fighter_passes(self, title, org):
        people = staff(org.x1, 3)
        award("CSTDCS", 2024, person=people[0])
        result = check_unit(title, org.x1)
        assert result.status == PASS
        assert result.message == ("1 cá nhân đạt Chiến sĩ thi đua cơ sở năm 2024 (cần ít nhất 1).")

    def test_none_fails(self, title, org):
        people = staff(org.x1, 3)
        award("CSTDCS", 2023, person=people[0])
        result = check_unit(title, org.x1)
        assert result.status == FAIL
        assert result.message == (
            "Không có cá nhân nào đạt Chiến sĩ thi đua cơ sở năm 2024; cần ít nhất 1."
        )

    def test_a_pending_proposal_cannot_tell(self, title, org):
        people = staff(org.x1, 3)
        pending("CSTDCS", 2024, person=people[1])
        assert check_unit(title, org.x1).status == UNKNOWN


class TestMembersComplete:
    """Luật 06/2022 Điều 27: 100 % of members complete their tasks."""

    @pytest.fixture
    def title(self):
        return titled(
            RuleKind.MEMBERS_COMPLETE,
            {"share": 1.0},
            subject=Subject.COLLECTIVE,
            basis="Luật 06/2022/QH15 Điều 27",
        )

    def test_everyone_done_or_better_passes(self, title, org):
        for p, rating in zip(
            staff(org.x1, 3), [Rating.DONE, Rating.GOOD, Rating.EXCELLENT], strict=True
        ):
            rate(rating, person=p)
        assert check_unit(title, org.x1).status == PASS

    def test_one_not_done_fails(self, title, org):
        people = staff(org.x1, 3)
        for p in people[:2]:
            rate(Rating.GOOD, person=p)
        rate(Rating.NOT_DONE, person=people[2])
        result = check_unit(title, org.x1)
        assert result.status == FAIL
        assert "Chỉ 2/3 cá nhân (66,7%)" in result.message

    def test_one_not_rated_yet_cannot_tell(self, title, org):
        people = staff(org.x1, 3)
        for p in people[:2]:
            rate(Rating.GOOD, person=p)
        result = check_unit(title, org.x1)
        assert result.status == UNKNOWN
        assert "1 người chưa có kết quả xếp loại" in result.message


# NO_DISCIPLINE ---------------------------------------------------------------------------------


class TestNoDiscipline:
    """Luật 06/2022 Điều 28: no member disciplined with a warning or above; Điều 27: no one
    disciplined at all (reprimand or above)."""

    @pytest.fixture
    def advanced(self):
        return titled(
            RuleKind.NO_DISCIPLINE,
            {"min_form": "warning"},
            subject=Subject.COLLECTIVE,
            basis="Luật 06/2022/QH15 Điều 28",
        )

    def test_a_member_warned_that_year_fails_naming_them(self, advanced, org):
        member = PersonFactory(unit=org.x1a, full_name="Trần Văn Bình")
        DisciplineRecordFactory(
            person=member,
            form=DisciplineForm.WARNING,
            start_date=datetime.date(2023, 11, 1),
            end_date=datetime.date(2024, 10, 31),
        )
        result = check_unit(advanced, org.x1)
        assert result.status == FAIL
        assert result.message == (
            "Có cá nhân bị kỷ luật từ hình thức “Cảnh cáo” trở lên trong năm 2024: "
            "Trần Văn Bình (Cảnh cáo từ 01/11/2023 đến 31/10/2024)."
        )

    def test_a_reprimand_is_below_a_warning(self, advanced, org):
        DisciplineRecordFactory(person=PersonFactory(unit=org.x1), form=DisciplineForm.REPRIMAND)
        assert check_unit(advanced, org.x1).status == PASS

    def test_article_27_no_one_disciplined_at_all(self, org):
        excellent = titled(
            RuleKind.NO_DISCIPLINE, {"min_form": "reprimand"}, subject=Subject.COLLECTIVE
        )
        DisciplineRecordFactory(person=PersonFactory(unit=org.x1), form=DisciplineForm.REPRIMAND)
        assert check_unit(excellent, org.x1).status == FAIL

    def test_discipline_ended_the_year_before_does_not_count(self, advanced, org):
        DisciplineRecordFactory(
            person=PersonFactory(unit=org.x1),
            start_date=datetime.date(2022, 6, 1),
            end_date=datetime.date(2023, 12, 31),
        )
        assert check_unit(advanced, org.x1).status == PASS

    def test_someone_dismissed_that_year_still_counts(self, advanced, org):
        DisciplineRecordFactory(
            person=PersonFactory(unit=org.x1, is_active=False),
            form=DisciplineForm.DISMISSAL,
            start_date=datetime.date(2024, 5, 1),
            end_date=None,
        )
        assert check_unit(advanced, org.x1).status == FAIL

    def test_another_units_discipline_does_not_count(self, advanced, org):
        DisciplineRecordFactory(person=PersonFactory(unit=org.x2))
        assert check_unit(advanced, org.x1).status == PASS

    def test_a_person_under_discipline_that_year_fails(self, person):
        """Nghị định 98/2023 Điều 4: no award while under discipline."""
        title = titled(
            RuleKind.NO_DISCIPLINE,
            {"min_form": "reprimand"},
            basis="Nghị định 98/2023/NĐ-CP Điều 4",
        )
        assert check_person(title, person).status == PASS
        DisciplineRecordFactory(
            person=person,
            form=DisciplineForm.REPRIMAND,
            start_date=datetime.date(2024, 2, 1),
            end_date=None,
        )
        result = check_person(title, person)
        assert result.status == FAIL
        assert result.message == "Bị kỷ luật trong năm 2024: Khiển trách từ 01/02/2024."


# CAP_SHARE -------------------------------------------------------------------------------------


class TestCapShare:
    """Per-body cap of Chiến sĩ thi đua cơ sở as a share of Lao động tiên tiến (formerly
    15 %, Luật Thi đua, khen thưởng 2003 (sửa đổi 2013) and Nghị định 91/2017)."""

    @pytest.fixture
    def title(self):
        return titled(RuleKind.CAP_SHARE, {"of_title": "LDTT", "share": 0.15})

    @pytest.fixture
    def advanced_people(self, org):
        people = staff(org.x1, 10) + staff(org.x2, 10)
        for p in people:
            award("LDTT", 2024, person=p)  # 20 in body X: the cap is 3
        return people

    def test_within_the_cap_passes(self, title, org, advanced_people):
        result = check_person(title, advanced_people[1])
        assert result.status == PASS
        assert "tối đa 3, đã công nhận 0, đang đề nghị 1" in result.message

    def test_it_fails_once_the_cap_is_reached(self, title, org, advanced_people):
        for p in advanced_people[:3]:
            AwardRecordFactory(award_type=title, person=p, year=2024)
        result = check_person(title, advanced_people[5])
        assert result.status == FAIL
        assert result.message == (
            "Đã hết chỉ tiêu: tối đa 15% số Lao động tiên tiến năm 2024 (20 người) là 3, "
            "đã công nhận 3."
        )

    def test_another_bodys_awards_do_not_use_the_cap(self, title, org, advanced_people):
        for p in staff(org.y, 3):
            AwardRecordFactory(award_type=title, person=p, year=2024)
        assert check_person(title, advanced_people[0]).status == PASS

    def test_more_proposals_than_places_cannot_tell(self, title, org, advanced_people):
        award_round = AwardRoundFactory(body=org.x, year=2024)
        for p in advanced_people[:4]:
            NominationFactory(
                round=award_round, award_type=title, person=p, status=NominationStatus.SUBMITTED
            )
        nomination = NominationFactory(
            round=award_round,
            award_type=title,
            person=advanced_people[4],
            status=NominationStatus.SUBMITTED,
        )
        result = only(eligibility.check_nomination(nomination))
        assert result.status == UNKNOWN
        assert "đang đề nghị 5; Hội đồng cần lựa chọn" in result.message

    def test_before_any_advanced_worker_is_known_it_cannot_tell(self, title, person):
        assert check_person(title, person).status == UNKNOWN


# PRIOR_REGISTRATION ----------------------------------------------------------------------------


class TestPriorRegistration:
    """Luật 06/2022 (đăng ký thi đua): titles go to those who registered for them, when the
    campaign requires prior registration."""

    @pytest.fixture
    def title(self):
        return titled(RuleKind.PRIOR_REGISTRATION, {})

    def test_a_submitted_registration_passes(self, title, person):
        RegistrationEntryFactory(
            registration=RegistrationFactory(unit=person.unit), person=person, award_type=title
        )
        result = check_person(title, person)
        assert result.status == PASS
        assert result.message == f"Đã đăng ký {title.name} năm 2024."

    def test_a_draft_registration_fails_saying_so(self, title, person):
        RegistrationEntryFactory(
            registration=RegistrationFactory(unit=person.unit, status=RegistrationStatus.DRAFT),
            person=person,
            award_type=title,
        )
        result = check_person(title, person)
        assert result.status == FAIL
        assert "chưa được gửi hoặc bị trả lại (Dự thảo)" in result.message

    def test_no_registration_or_another_title_fails(self, title, person):
        RegistrationEntryFactory(
            registration=RegistrationFactory(unit=person.unit),
            person=person,
            award_type=seeded("LDTT"),
        )
        assert check_person(title, person).status == FAIL

    def test_a_campaign_that_does_not_require_registration_passes(self, title, person, org):
        campaign = CampaignFactory(issuing_unit=org.x, requires_registration=False)
        assert check_person(title, person, campaign=campaign).status == PASS

    def test_the_registration_must_be_for_the_campaign(self, title, person, org):
        campaign = CampaignFactory(issuing_unit=org.x, requires_registration=True)
        RegistrationEntryFactory(
            registration=RegistrationFactory(unit=person.unit), person=person, award_type=title
        )
        result = check_person(title, person, campaign=campaign)
        assert result.status == FAIL
        assert f"trong phong trào “{campaign}”" in result.message
        RegistrationEntryFactory(
            registration=RegistrationFactory(unit=person.unit, campaign=campaign),
            person=person,
            award_type=title,
        )
        assert check_person(title, person, campaign=campaign).status == PASS

    def test_a_collective_registers_its_own_title(self, org):
        title = titled(RuleKind.PRIOR_REGISTRATION, {}, subject=Subject.COLLECTIVE)
        RegistrationFactory(unit=org.x1, collective_title=title, status=RegistrationStatus.APPROVED)
        assert check_unit(title, org.x1).status == PASS
        assert check_unit(title, org.x2).status == FAIL


# BLOC_LEADING ----------------------------------------------------------------------------------


class TestBlocLeading:
    """Luật 06/2022 Điều 26: the emulation flag of a ministry goes to a leading unit of a bloc."""

    @pytest.fixture
    def flag(self):
        return titled(
            RuleKind.BLOC_LEADING,
            {},
            subject=Subject.COLLECTIVE,
            basis="Luật 06/2022/QH15 Điều 26",
        )

    def test_an_acclaimed_leader_passes_naming_the_bloc(self, flag, org):
        AcclamationFactory(member=org.x, bloc_year__bloc=org.bloc_a, bloc_year__year=2024)
        result = check_unit(flag, org.x)
        assert result.status == PASS
        assert result.message == "Được suy tôn dẫn đầu Khối A năm 2024."

    def test_acclaimed_another_year_fails(self, flag, org):
        AcclamationFactory(member=org.x, bloc_year__bloc=org.bloc_a, bloc_year__year=2023)
        result = check_unit(flag, org.x)
        assert result.status == FAIL
        assert result.message == "Không được suy tôn dẫn đầu khối thi đua nào năm 2024."


# COUNCIL_APPROVAL ------------------------------------------------------------------------------


class TestCouncilApproval:
    """Council approval by ≥ 90 % of all members, secret ballot (Chiến sĩ thi đua toàn quốc
    and bộ; Nghị định 98/2023/NĐ-CP)."""

    @pytest.fixture
    def title(self):
        return titled(
            RuleKind.COUNCIL_APPROVAL,
            {"share": 0.9, "secret": True},
            basis="Nghị định 98/2023/NĐ-CP",
        )

    def vote(self, org, title, person, agree, members, status=SessionStatus.CLOSED):
        users = [UserFactory() for _ in range(members)]
        session = CouncilSessionFactory(body=org.x, members=users, status=status)
        nomination = NominationFactory(
            round=AwardRoundFactory(body=org.x, year=2024),
            award_type=title,
            person=person,
            status=NominationStatus.VOTED,
        )
        item = AgendaItemFactory(session=session, nomination=nomination, secret=True)
        # A secret item is only counted; one member absent: counts as not agreeing.
        SecretCount.objects.create(item=item, choice=Choice.AGREE, count=agree)
        SecretCount.objects.create(item=item, choice=Choice.DISAGREE, count=members - 1 - agree)
        return nomination

    def test_before_the_vote_it_cannot_tell(self, title, person):
        result = check_person(title, person)
        assert result.status == UNKNOWN
        assert result.message == (
            "Cần ít nhất 90% tổng số thành viên Hội đồng Thi đua – Khen thưởng đồng ý "
            "(bỏ phiếu kín); Hội đồng chưa bỏ phiếu."
        )
        report = eligibility.check(award_type=title, year=2024, person=person)
        assert report.overall == UNKNOWN
        assert report.overall_before_vote == PASS

    def test_nine_of_ten_members_pass(self, title, person, org):
        nomination = self.vote(org, title, person, agree=9, members=10)
        result = only(eligibility.check_nomination(nomination))
        assert result.status == PASS
        assert "9/10 thành viên đồng ý (90%)" in result.message

    def test_while_the_secret_vote_is_open_it_cannot_tell(self, title, person, org):
        nomination = self.vote(org, title, person, agree=9, members=10, status=SessionStatus.OPEN)
        result = only(eligibility.check_nomination(nomination))
        assert result.status == UNKNOWN
        assert "Hội đồng đang bỏ phiếu kín" in result.message and "9/10" not in result.message

    def test_just_below_the_share_of_all_members_fails(self, title, person, org):
        nomination = self.vote(org, title, person, agree=8, members=9)  # 88,9 %
        result = only(eligibility.check_nomination(nomination))
        assert result.status == FAIL
        assert "chỉ 8/9 thành viên đồng ý (88,9%); cần từ 90%" in result.message


# Other units, other years ----------------------------------------------------------------------


def test_it_refuses_to_check_nobody_or_both():
    from campaigns.errors import DomainError

    title = titled(RuleKind.RATING, {"min": "good"})
    with pytest.raises(DomainError):
        eligibility.check(award_type=title, year=2024)
    with pytest.raises(DomainError):
        eligibility.check(award_type=title, year=2024, person=PersonFactory(), unit=UnitFactory())


def test_a_title_for_individuals_fails_for_a_collective(org):
    title = titled(RuleKind.RATING, {"min": "good"})
    rate(Rating.GOOD, unit=org.x1)
    report = eligibility.check(award_type=title, year=2024, unit=org.x1)
    assert report.overall == FAIL
    assert report.results[0].kind == "subject"


def test_badly_configured_params_cannot_tell_instead_of_crashing(person):
    title = titled(RuleKind.MEMBER_SHARE, {"title": "LDTT", "share": "half"})
    result = check_person(title, person)
    assert result.status == UNKNOWN
    assert result.message.startswith("Điều kiện được cấu hình sai")


def test_a_disabled_rule_is_not_checked(person):
    title = titled(RuleKind.RATING, {"min": "good"})
    title.rule_sets.get().rules.update(is_enabled=False)
    report = eligibility.check(award_type=title, year=2024, person=person)
    assert [r.kind for r in report.results] == ["rule_set"]
    assert report.overall == UNKNOWN
