"""Rules of the scoring round, checked on the services (the views only call them)."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaigns.errors import DomainError
from campaigns.uploads import inspect_upload
from pledges import scoring_services as services
from pledges.models import (
    Acclamation,
    Criterion,
    CrossScore,
    FinalScore,
    ScoreEvidence,
    ScoringStage,
    ScoringTable,
    SelfScore,
    StageReopening,
)
from pledges.scoring_services import FinalScoreInput, SelfScoreInput
from tests.documents import tiny_pdf
from tests.pledges.scoring_factories import (
    CriterionFactory,
    CriterionGroupFactory,
    CrossScoreFactory,
    ScoringBlocYearFactory,
    focal_point_of,
    make_round,
)

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


def D(value) -> Decimal:
    return Decimal(str(value))


# Cross-scoring ---------------------------------------------------------------------------------


def test_it_refuses_self_cross_scoring(org, secretary):
    r = make_round(org, stage=ScoringStage.CROSS)
    c1 = r.criteria[0]
    with pytest.raises(DomainError, match="không được tự chấm chéo"):
        services.cross_scores_save(
            table=r.table, scorer=r.x, by=secretary, scores={(c1.pk, r.x.pk): D(5)}
        )
    assert not CrossScore.objects.exists()


def test_it_refuses_cross_scores_above_the_maximum_or_negative(org, secretary):
    r = make_round(org, stage=ScoringStage.CROSS, maxima=[10])
    c1 = r.criteria[0]
    with pytest.raises(DomainError, match="vượt quá điểm tối đa 10"):
        services.cross_scores_save(
            table=r.table, scorer=r.x, by=secretary, scores={(c1.pk, r.m2.pk): D("10.5")}
        )
    with pytest.raises(DomainError, match="không được âm"):
        services.cross_scores_save(
            table=r.table, scorer=r.x, by=secretary, scores={(c1.pk, r.m2.pk): D(-1)}
        )
    assert not CrossScore.objects.exists()


def test_a_member_scores_every_other_member_and_revises_its_scores(org, hr):
    # HR staff of body X act for X, a member of the bloc.
    r = make_round(org, stage=ScoringStage.CROSS, maxima=[10, 20])
    c1, c2 = r.criteria
    scores = {(c1.pk, r.m2.pk): D(8), (c2.pk, r.m2.pk): D(15), (c1.pk, r.m3.pk): D("9.5")}
    assert services.cross_scores_save(table=r.table, scorer=r.x, by=hr, scores=scores) == 3
    changed = services.cross_scores_save(
        table=r.table, scorer=r.x, by=hr, scores={**scores, (c1.pk, r.m2.pk): D(7)}
    )
    assert changed == 1
    assert CrossScore.objects.get(criterion=c1, scored=r.m2).points == 7
    assert CrossScore.objects.get(criterion=c1, scored=r.m2).history.count() == 2


def test_it_refuses_cross_scores_of_a_unit_outside_the_bloc(org, secretary):
    r = make_round(org, stage=ScoringStage.CROSS)
    with pytest.raises(DomainError, match="thành viên"):
        services.cross_scores_save(
            table=r.table, scorer=r.x, by=secretary, scores={(r.criteria[0].pk, org.y.pk): D(5)}
        )
    with pytest.raises(DomainError, match="không phải thành viên"):
        services.cross_scores_save(
            table=r.table, scorer=org.y, by=secretary, scores={(r.criteria[0].pk, r.x.pk): D(5)}
        )


def test_cross_scores_are_refused_outside_the_cross_stage(org, secretary):
    r = make_round(org, stage=ScoringStage.SELF)
    with pytest.raises(DomainError, match="Chấm chéo"):
        services.cross_scores_save(
            table=r.table, scorer=r.x, by=secretary, scores={(r.criteria[0].pk, r.m2.pk): D(5)}
        )


def test_a_focal_point_cannot_score_for_another_member(org):
    r = make_round(org, stage=ScoringStage.CROSS)
    focal = focal_point_of(r.x)
    with pytest.raises(DomainError, match="không được chấm điểm thay"):
        services.cross_scores_save(
            table=r.table, scorer=r.m2, by=focal, scores={(r.criteria[0].pk, r.x.pk): D(5)}
        )
    # ...but scores for its own unit.
    services.cross_scores_save(
        table=r.table, scorer=r.x, by=focal, scores={(r.criteria[0].pk, r.m2.pk): D(5)}
    )


# Self-scoring ----------------------------------------------------------------------------------


def test_self_scores_with_notes_and_evidence(org, hr):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10, 20])
    c1, c2 = r.criteria
    upload = inspect_upload(SimpleUploadedFile("bao-cao.pdf", tiny_pdf()))
    services.self_scores_save(
        table=r.table,
        member=r.x,
        by=hr,
        entries={
            c1.pk: SelfScoreInput(D(9), "Hoàn thành 100% kế hoạch", [upload, upload]),
            c2.pk: SelfScoreInput(D(18)),
        },
    )
    score = SelfScore.objects.get(criterion=c1, member=r.x)
    assert (score.points, score.note, score.recorded_by) == (9, "Hoàn thành 100% kế hoạch", hr)
    evidence = ScoreEvidence.objects.get()  # the same file twice is stored once
    assert evidence.sha256 == upload.sha256
    with evidence.file.open("rb") as stored:
        assert stored.read() == tiny_pdf()


def test_an_evidence_file_whose_row_cannot_be_saved_is_not_left_on_disk(org, hr, monkeypatch):
    from pathlib import Path

    from django.conf import settings

    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    upload = inspect_upload(SimpleUploadedFile("minh-chung.pdf", tiny_pdf()))

    def refuse(*args, **kwargs):
        raise RuntimeError("the database refused the row")

    monkeypatch.setattr(ScoreEvidence, "save", refuse)
    with pytest.raises(RuntimeError):
        services.self_scores_save(
            table=r.table,
            member=r.x,
            by=hr,
            entries={r.criteria[0].pk: SelfScoreInput(D(9), "", [upload])},
        )
    root = Path(settings.MEDIA_ROOT) / "scoring"
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_evidence_stored_for_an_earlier_criterion_is_removed_when_a_later_one_is_refused(org, hr):
    from pathlib import Path

    from django.conf import settings

    r = make_round(org, stage=ScoringStage.SELF, maxima=[10, 20])
    c1, c2 = r.criteria
    upload = inspect_upload(SimpleUploadedFile("minh-chung.pdf", tiny_pdf()))
    with pytest.raises(DomainError, match="vượt quá"):
        services.self_scores_save(
            table=r.table,
            member=r.x,
            by=hr,
            entries={c1.pk: SelfScoreInput(D(9), "", [upload]), c2.pk: SelfScoreInput(D(25))},
        )
    assert not ScoreEvidence.objects.exists() and not SelfScore.objects.exists()
    root = Path(settings.MEDIA_ROOT) / "scoring"
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]


def test_self_scores_above_the_maximum_or_negative_are_refused(org, hr):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    c1 = r.criteria[0]
    for points, message in ((D(11), "vượt quá"), (D(-2), "không được âm")):
        with pytest.raises(DomainError, match=message):
            services.self_scores_save(
                table=r.table, member=r.x, by=hr, entries={c1.pk: SelfScoreInput(points)}
            )
    assert not SelfScore.objects.exists()


def test_a_focal_point_cannot_self_score_for_another_member(org):
    r = make_round(org, stage=ScoringStage.SELF)
    focal = focal_point_of(r.x)
    with pytest.raises(DomainError, match="không được chấm điểm thay"):
        services.self_scores_save(
            table=r.table, member=r.m2, by=focal, entries={r.criteria[0].pk: SelfScoreInput(D(5))}
        )


def test_criteria_of_another_table_are_refused(org, secretary):
    r = make_round(org, stage=ScoringStage.SELF)
    stranger = CriterionFactory()
    with pytest.raises(DomainError, match="không thuộc bảng điểm"):
        services.self_scores_save(
            table=r.table, member=r.x, by=secretary, entries={stranger.pk: SelfScoreInput(D(1))}
        )


# Deadlines and reopening -----------------------------------------------------------------------


def test_a_stage_is_locked_after_its_deadline_and_open_again_after_a_reopen(org, secretary, hr):
    r = make_round(org, stage=ScoringStage.SELF, self_deadline=YESTERDAY)
    entries = {r.criteria[0].pk: SelfScoreInput(D(5))}
    with pytest.raises(DomainError, match=r"đã hết hạn ngày .* nên bị khóa"):
        services.self_scores_save(table=r.table, member=r.x, by=hr, entries=entries)

    with pytest.raises(DomainError, match="lý do"):
        services.scoring_stage_reopen(table=r.table, by=secretary, until=NEXT_WEEK, reason="  ")
    with pytest.raises(DomainError, match="Chỉ thư ký"):
        services.scoring_stage_reopen(table=r.table, by=hr, until=NEXT_WEEK, reason="Xin gia hạn")

    reopening = services.scoring_stage_reopen(
        table=r.table, by=secretary, until=NEXT_WEEK, reason="Bộ Tư pháp xin gia hạn 1 tuần"
    )
    assert (reopening.stage, reopening.until, reopening.by) == (
        ScoringStage.SELF,
        NEXT_WEEK,
        secretary,
    )
    r.table.refresh_from_db()
    assert r.table.reopened_until == NEXT_WEEK
    services.self_scores_save(table=r.table, member=r.x, by=hr, entries=entries)
    assert SelfScore.objects.filter(member=r.x).count() == 1


def test_a_reopening_ends_with_its_stage(org, secretary):
    r = make_round(org, stage=ScoringStage.SELF, self_deadline=YESTERDAY)
    services.scoring_stage_reopen(table=r.table, by=secretary, until=NEXT_WEEK, reason="Gia hạn")
    table = services.scoring_stage_advance(
        table=r.table, by=secretary, expected_stage=ScoringStage.SELF
    )
    assert (table.stage, table.reopened_until) == (ScoringStage.CROSS, None)


def test_a_stage_within_its_deadline_needs_no_reopening(org, secretary):
    r = make_round(org, stage=ScoringStage.SELF, self_deadline=TODAY)
    with pytest.raises(DomainError, match="chưa quá hạn"):
        services.scoring_stage_reopen(table=r.table, by=secretary, until=NEXT_WEEK, reason="x")
    r.table.stage = ScoringStage.MEETING
    r.table.save()
    with pytest.raises(DomainError, match="không có hạn"):
        services.scoring_stage_reopen(table=r.table, by=secretary, until=NEXT_WEEK, reason="x")
    assert not StageReopening.objects.exists()


def test_deadlines_are_set_ahead_and_a_passed_one_is_not_moved(org, secretary):
    r = make_round(org)
    services.scoring_deadlines_set(
        table=r.table,
        by=secretary,
        self_deadline=TODAY,
        cross_deadline=NEXT_WEEK,
        expected_version=r.table.version,
    )
    with pytest.raises(DomainError, match="không được trước hạn tự chấm"):
        services.scoring_deadlines_set(
            table=r.table, by=secretary, self_deadline=NEXT_WEEK, cross_deadline=TODAY
        )
    with pytest.raises(DomainError, match="không được trước ngày hôm nay"):
        services.scoring_deadlines_set(
            table=r.table, by=secretary, self_deadline=YESTERDAY, cross_deadline=NEXT_WEEK
        )
    ScoringTable.objects.filter(pk=r.table.pk).update(
        stage=ScoringStage.SELF, self_deadline=YESTERDAY
    )
    r.table.refresh_from_db()
    with pytest.raises(DomainError, match="mở lại giai đoạn"):
        services.scoring_deadlines_set(
            table=r.table, by=secretary, self_deadline=NEXT_WEEK, cross_deadline=NEXT_WEEK
        )


# Stages ----------------------------------------------------------------------------------------


def test_stages_advance_in_order_only_by_the_secretariat(org, secretary, hr):
    r = make_round(org)
    with pytest.raises(DomainError, match="Chỉ thư ký"):
        services.scoring_stage_advance(table=r.table, by=hr, expected_stage=ScoringStage.SETUP)
    seen = []
    for _step in range(4):
        table = services.scoring_stage_advance(
            table=r.table, by=secretary, expected_stage=r.table.stage
        )
        r.table.refresh_from_db()
        seen.append(table.stage)
    assert seen == ["self", "cross", "meeting", "closed"]
    with pytest.raises(DomainError, match="đã kết thúc"):
        services.scoring_stage_advance(table=r.table, by=secretary, expected_stage="closed")


def test_a_stale_advance_does_not_skip_a_stage(org, secretary):
    r = make_round(org)
    services.scoring_stage_advance(table=r.table, by=secretary, expected_stage="setup")
    with pytest.raises(DomainError, match="vừa được chuyển"):
        services.scoring_stage_advance(table=r.table, by=secretary, expected_stage="setup")
    r.table.refresh_from_db()
    assert r.table.stage == ScoringStage.SELF


def test_self_scoring_needs_criteria_and_a_future_deadline(org, secretary):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    table = services.scoring_table_create(bloc_year=bloc_year, by=secretary)
    with pytest.raises(DomainError, match="chưa có tiêu chí"):
        services.scoring_stage_advance(table=table, by=secretary, expected_stage="setup")
    CriterionFactory(group=CriterionGroupFactory(table=table))
    ScoringTable.objects.filter(pk=table.pk).update(self_deadline=YESTERDAY)
    with pytest.raises(DomainError, match="đã qua"):
        services.scoring_stage_advance(table=table, by=secretary, expected_stage="setup")


# The table -------------------------------------------------------------------------------------


def test_a_table_is_copied_from_last_year(org, secretary):
    last = make_round(org, maxima=[40, 60])
    this_year = ScoringBlocYearFactory(bloc=org.bloc_a, year=2024)
    table = services.scoring_table_create(bloc_year=this_year, by=secretary, copy_previous=True)
    copied = Criterion.objects.filter(group__table=table).order_by("number")
    assert [(c.text, c.max_points) for c in copied] == [
        (c.text, c.max_points) for c in last.criteria
    ]
    assert table.stage == ScoringStage.SETUP
    with pytest.raises(DomainError, match="đã có bảng chấm điểm"):
        services.scoring_table_create(bloc_year=this_year, by=secretary)


def test_copying_without_an_earlier_table_is_refused(org, secretary):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    with pytest.raises(DomainError, match="chưa có bảng chấm điểm để sao chép"):
        services.scoring_table_create(bloc_year=bloc_year, by=secretary, copy_previous=True)
    assert not ScoringTable.objects.exists()


# Meeting ---------------------------------------------------------------------------------------


def test_the_meeting_sets_a_final_score_with_a_reason_and_can_withdraw_it(org, secretary):
    r = make_round(org, stage=ScoringStage.MEETING, maxima=[10])
    c1 = r.criteria[0]
    with pytest.raises(DomainError, match="lý do"):
        services.final_scores_save(
            table=r.table, member=r.x, by=secretary, entries={c1.pk: FinalScoreInput(D(9))}
        )
    with pytest.raises(DomainError, match="vượt quá"):
        services.final_scores_save(
            table=r.table, member=r.x, by=secretary, entries={c1.pk: FinalScoreInput(D(12), "x")}
        )
    services.final_scores_save(
        table=r.table,
        member=r.x,
        by=secretary,
        entries={c1.pk: FinalScoreInput(D(9), "Bổ sung minh chứng tại hội nghị")},
    )
    assert FinalScore.objects.get().set_by == secretary
    services.final_scores_save(
        table=r.table, member=r.x, by=secretary, entries={c1.pk: FinalScoreInput(None)}
    )
    assert not FinalScore.objects.exists()
    assert FinalScore.history.count() == 2  # set, then withdrawn: both kept


def test_acclamation_records_the_vote_within_the_members(org, secretary, hr):
    r = make_round(org, stage=ScoringStage.MEETING)
    day = datetime.date(2024, 4, 10)

    def acclaim(member, votes_for, votes_total, by=secretary):
        return services.acclamation_record(
            table=r.table,
            member=member,
            by=by,
            votes_for=votes_for,
            votes_total=votes_total,
            meeting_date=day,
            minutes="Hội nghị thống nhất suy tôn.",
        )

    with pytest.raises(DomainError, match="vượt quá số thành viên"):
        acclaim(r.m2, 3, 4)
    with pytest.raises(DomainError, match="phiếu đồng ý"):
        acclaim(r.m2, 3, 2)
    with pytest.raises(DomainError, match="Chỉ thư ký"):
        acclaim(r.m2, 3, 3, by=hr)
    with pytest.raises(DomainError, match="không phải thành viên"):
        acclaim(org.y, 3, 3)
    acclamation = acclaim(r.m2, 3, 3)
    assert (acclamation.votes_for, acclamation.proposed_for_flag) == (3, True)
    with pytest.raises(DomainError, match="đã được suy tôn"):
        acclaim(r.m2, 2, 3)
    assert Acclamation.objects.count() == 1


def test_acclamation_only_at_the_meeting(org, secretary):
    r = make_round(org, stage=ScoringStage.CROSS)
    with pytest.raises(DomainError, match="Họp khối"):
        services.acclamation_record(
            table=r.table,
            member=r.x,
            by=secretary,
            votes_for=3,
            votes_total=3,
            meeting_date=datetime.date(2024, 4, 10),
        )


def test_cross_scores_keep_history_of_who_changed_them(org, secretary):
    r = make_round(org, stage=ScoringStage.CROSS)
    score = CrossScoreFactory(criterion=r.criteria[0], scorer=r.x, scored=r.m2, points=D(4))
    services.cross_scores_save(
        table=r.table, scorer=r.x, by=secretary, scores={(r.criteria[0].pk, r.m2.pk): D(6)}
    )
    assert score.history.first().history_user == secretary
