"""Property-based tests of the consecutive-years rule (Luật 06/2022 Điều 21, 22).

Random award histories — years, tracks, revocations — and random rule params; the
rule's verdict must equal a plain reference computation: the awards that count are
merit-track, not revoked; the run must end in the award year (``include_current``) or
the year before, with no two successive awards further apart than ``max_gap`` years.
"""

from __future__ import annotations

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from awards import eligibility, rules
from awards.models import RuleKind, Track
from tests.awards.factories import AwardRecordFactory, RuleFactory, RuleSetFactory, seeded
from tests.factories import PersonFactory

awards_strategy = st.lists(
    st.tuples(
        st.integers(min_value=2014, max_value=2026),  # year
        # merit most of the time, so that long runs occur and the other tracks break them
        st.one_of(st.just(Track.MERIT.value), st.sampled_from(Track.values)),  # track
        st.booleans(),  # revoked
    ),
    max_size=16,
)
params_strategy = st.fixed_dictionaries(
    {
        "title": st.just("CSTDCS"),
        "years": st.integers(min_value=1, max_value=5),
        "include_current": st.booleans(),
        "max_gap": st.integers(min_value=1, max_value=3),
    }
)
years_strategy = st.integers(min_value=2016, max_value=2027)


def reference(history: list[tuple[int, str, bool]], year: int, params: dict) -> bool:
    """The rule as the law reads, computed the simplest way."""
    end = year if params["include_current"] else year - 1
    counted = {y for y, track, revoked in history if track == Track.MERIT and not revoked}
    if params["max_gap"] == 1:
        return all(y in counted for y in range(end - params["years"] + 1, end + 1))
    run, last = 0, None
    for y in sorted((y for y in counted if y <= end), reverse=True):
        if last is None and y != end:
            return False
        if last is not None and last - y > params["max_gap"]:
            break
        run, last = run + 1, y
    return run >= params["years"]


@settings(max_examples=500)
@given(history=awards_strategy, year=years_strategy, params=params_strategy)
def test_the_verdict_equals_the_reference_computation(history, year, params):
    facts = rules.Facts(
        titles={"CSTDCS": "Chiến sĩ thi đua cơ sở"},
        awards={
            ("p", 1): [
                rules.AwardFact("CSTDCS", y, track, revoked) for y, track, revoked in history
            ]
        },
    )
    nominee = rules.Nominee(award_type_id=1, award_type_code="CSTD_BO", year=year, person_id=1)
    status, message = rules.evaluate(RuleKind.CONSECUTIVE_YEARS, params, nominee, facts)
    assert status == ("pass" if reference(history, year, params) else "fail"), message


@given(history=awards_strategy, year=years_strategy, params=params_strategy)
def test_other_titles_never_count(history, year, params):
    facts = rules.Facts(
        awards={("p", 1): [rules.AwardFact("LDTT", y, t, r) for y, t, r in history]},
    )
    nominee = rules.Nominee(award_type_id=1, award_type_code="CSTD_BO", year=year, person_id=1)
    status, _ = rules.evaluate(RuleKind.CONSECUTIVE_YEARS, params, nominee, facts)
    assert status == "fail"


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(history=awards_strategy, year=years_strategy, params=params_strategy)
def test_the_database_check_agrees_with_the_reference(db, history, year, params):
    """The same property through ``eligibility.check`` on stored award records."""
    with transaction.atomic():
        title = RuleSetFactory(award_type__code="PROP_TEST").award_type
        RuleFactory(
            rule_set=title.rule_sets.get(),
            kind=RuleKind.CONSECUTIVE_YEARS,
            params=params,
            legal_basis="Luật 06/2022/QH15 Điều 22",
        )
        person = PersonFactory()
        cstdcs = seeded("CSTDCS")
        for y, track, revoked in history:
            AwardRecordFactory(
                award_type=cstdcs,
                person=person,
                year=y,
                track=track,
                revoked_on=None if not revoked else title.rule_sets.get().effective_from,
            )
        report = eligibility.check(award_type=title, year=max(year, 2024), person=person)
        expected = reference(history, max(year, 2024), params)
        assert report.results[0].status == ("pass" if expected else "fail"), report.as_json()
        transaction.set_rollback(True)
