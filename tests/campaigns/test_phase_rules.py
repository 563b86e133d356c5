import datetime

from campaigns.models import ReviewKind
from campaigns.rules import PhaseInput, check_phases

D = datetime.date
INTERIM, F = ReviewKind.INTERIM, ReviewKind.FINAL


def test_it_accepts_the_state_audit_office_plan():
    phases = [
        PhaseInput("Giai đoạn 1", D(2023, 1, 1), D(2025, 12, 31), INTERIM, D(2025, 12, 31)),
        PhaseInput("Giai đoạn 2", D(2026, 1, 1), D(2030, 12, 31), F, D(2030, 12, 31)),
    ]
    assert check_phases(2023, 2030, phases) == {}


def test_it_refuses_the_seed_003_phase_that_starts_before_the_campaign():
    phases = [
        PhaseInput("Giai đoạn 1", D(2022, 1, 1), D(2025, 12, 31), INTERIM),
        PhaseInput("Giai đoạn 2", D(2026, 1, 1), D(2030, 12, 31), F),
    ]
    errors = check_phases(2023, 2030, phases)
    assert list(errors) == [0]
    assert "2022" in errors[0]["start_date"][0]
    assert "2023–2030" in errors[0]["start_date"][0]


def test_it_refuses_a_phase_ending_after_the_campaign():
    errors = check_phases(2023, 2030, [PhaseInput("GĐ", D(2023, 1, 1), D(2031, 1, 1), F)])
    assert "end_date" in errors[0]


def test_it_refuses_overlapping_phases():
    phases = [
        PhaseInput("Giai đoạn 1", D(2023, 1, 1), D(2025, 12, 31), INTERIM),
        PhaseInput("Giai đoạn 2", D(2025, 6, 1), D(2030, 12, 31), F),
    ]
    errors = check_phases(2023, 2030, phases)
    assert "chồng lấn" in errors[1]["start_date"][0]


def test_it_refuses_phases_out_of_order():
    phases = [
        PhaseInput("Giai đoạn 2", D(2026, 1, 1), D(2030, 12, 31), INTERIM),
        PhaseInput("Giai đoạn 1", D(2023, 1, 1), D(2025, 12, 31), F),
    ]
    assert "start_date" in check_phases(2023, 2030, phases)[1]


def test_only_the_last_phase_is_final():
    phases = [
        PhaseInput("Giai đoạn 1", D(2023, 1, 1), D(2025, 12, 31), F),
        PhaseInput("Giai đoạn 2", D(2026, 1, 1), D(2030, 12, 31), INTERIM),
    ]
    errors = check_phases(2023, 2030, phases)
    assert "review_kind" in errors[0]
    assert "review_kind" in errors[1]


def test_it_refuses_an_end_before_the_start():
    errors = check_phases(2023, 2030, [PhaseInput("GĐ", D(2025, 1, 1), D(2024, 1, 1), F)])
    assert "end_date" in errors[0]


def test_review_due_before_phase_start_is_refused():
    errors = check_phases(
        2023, 2030, [PhaseInput("GĐ", D(2023, 1, 1), D(2030, 12, 31), F, D(2022, 12, 1))]
    )
    assert "review_due_date" in errors[0]
