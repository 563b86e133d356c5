"""Figures of a phase review: gathered with aggregates, equal to what the database holds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from campaigns.models import ProgressEntry, ProgressFigure
from reports.charts import bar_chart
from reports.figures import gather_phase_figures, phase_fingerprint
from tests.factories import (
    CampaignFactory,
    ContentAreaFactory,
    MilestoneFactory,
    PhaseFactory,
    TargetFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(org):
    campaign = CampaignFactory(issuing_unit=org.x, start_year=2023, end_year=2030)
    phase = PhaseFactory(campaign=campaign)
    area = ContentAreaFactory(campaign=campaign, number=1)
    target = TargetFactory(content_area=area, goal=100)
    MilestoneFactory(
        campaign=campaign, due_date=datetime.date(2024, 3, 31), done_date=datetime.date(2024, 2, 1)
    )
    MilestoneFactory(campaign=campaign, due_date=datetime.date(2024, 6, 30))
    return campaign, phase, area, target


def report(unit, phase, area, target, value):
    entry = ProgressEntry.objects.create(
        phase=phase, content_area=area, unit=unit, summary="Đã làm"
    )
    ProgressFigure.objects.create(entry=entry, target=target, value=value)


def test_progress_figures_are_aggregated_per_target(org, plan):
    campaign, phase, area, target = plan
    report(org.x1, phase, area, target, Decimal("80"))
    report(org.x2, phase, area, target, Decimal("90"))
    figures = gather_phase_figures(campaign, phase)
    assert figures.units_taking_part == 4  # X and its three sub-units
    assert figures.units_reporting == 2
    [area_figure] = figures.areas
    assert area_figure.units_reporting == 2
    [target_figure] = area_figure.targets
    assert (target_figure.total, target_figure.average) == (Decimal("170"), Decimal("85.00"))
    assert target_figure.share_of_goal == Decimal("85.0")
    assert [m.title for m in figures.milestones_met] == ["Ban hành hướng dẫn khen thưởng"]
    assert len(figures.milestones_missed) == 1


def test_the_number_of_queries_does_not_grow_with_units(org, plan, django_assert_max_num_queries):
    campaign, phase, area, target = plan
    for n in range(30):
        unit = UnitFactory(parent=org.x1)
        report(unit, phase, area, target, Decimal(n))
    with django_assert_max_num_queries(20):
        figures = gather_phase_figures(campaign, phase)
    assert figures.units_reporting == 30


def test_the_fingerprint_changes_when_data_changes(org, plan):
    campaign, phase, area, target = plan
    before = phase_fingerprint(campaign, phase)
    assert phase_fingerprint(campaign, phase) == before
    report(org.x1, phase, area, target, Decimal("5"))
    assert phase_fingerprint(campaign, phase) != before


def test_charts_escape_labels_and_describe_themselves():
    svg = bar_chart(
        [("<b>Lao động tiên tiến</b>", 35), ("Chiến sĩ thi đua cơ sở", 7)], title="Khen thưởng"
    )
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert "<title" in svg and "Chiến sĩ thi đua cơ sở: 7" in svg
