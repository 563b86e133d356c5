"""Scoring pages: who sees and does what, bad input on every form, PDFs, query counts."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pledges.models import (
    Acclamation,
    Criterion,
    CriterionGroup,
    CrossScore,
    FinalScore,
    ScoreEvidence,
    ScoringStage,
    ScoringTable,
    SelfScore,
    StageReopening,
)
from tests.documents import pdf_text, tiny_pdf
from tests.pledges.scoring_factories import (
    AcclamationFactory,
    CrossScoreFactory,
    ScoringBlocYearFactory,
    SelfScoreFactory,
    add_members,
    focal_point_of,
    make_round,
    table_with_criteria,
)
from tests.versions import version_of

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
NEXT_WEEK = TODAY + datetime.timedelta(days=7)


def url(name: str, r, *args) -> str:
    return reverse(f"pledges:{name}", args=[r.bloc_year.pk, *args])


def page_urls(r) -> list[str]:
    return [
        url("scoring_table", r),
        url("scoring_groups", r),
        url("scoring_criteria", r, r.criteria[0].group_id),
        url("scoring_self", r, r.x.pk),
        url("scoring_cross", r, r.x.pk),
        url("scoring_results", r),
        url("scoring_final", r, r.x.pk),
        url("scoring_ranking_pdf", r),
    ]


# Access ----------------------------------------------------------------------------------------


def test_a_secretariat_of_another_bloc_gets_404_everywhere(client_for, secretary_b, org):
    r = make_round(org, stage=ScoringStage.MEETING)
    client = client_for(secretary_b)
    for address in page_urls(r):
        assert client.get(address).status_code == 404, address
    for name in ("scoring_advance", "scoring_reopen", "scoring_deadlines", "scoring_acclaim"):
        assert client.post(url(name, r), {}).status_code == 404, name


def test_a_member_of_another_bloc_gets_404(client_for, focal_y, org):
    r = make_round(org, stage=ScoringStage.CROSS)
    assert client_for(focal_y).get(url("scoring_table", r)).status_code == 404
    assert client_for(focal_y).get(url("scoring_results", r)).status_code == 404


def test_the_secretariat_sees_and_runs_every_page(client_for, secretary, org):
    r = make_round(org, stage=ScoringStage.MEETING)
    client = client_for(secretary)
    for address in page_urls(r):
        assert client.get(address).status_code == 200, address


def test_a_members_focal_point_cannot_run_the_round(client_for, org):
    r = make_round(org, stage=ScoringStage.SETUP)
    client = client_for(focal_point_of(r.x))
    assert client.get(url("scoring_table", r)).status_code == 200
    assert client.get(url("scoring_results", r)).status_code == 200
    assert client.post(url("scoring_advance", r), {"stage": "setup"}).status_code == 403
    assert client.post(url("scoring_deadlines", r), {}).status_code == 403
    assert client.post(url("scoring_reopen", r), {}).status_code == 403
    assert client.get(url("scoring_groups", r)).status_code == 403
    assert client.get(url("scoring_final", r, r.x.pk)).status_code == 403
    assert client.post(url("scoring_acclaim", r), {}).status_code == 403
    r.table.refresh_from_db()
    assert r.table.stage == ScoringStage.SETUP


def test_a_members_focal_point_scores_only_for_its_own_unit(client_for, org):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    client = client_for(focal_point_of(r.x))
    c1 = r.criteria[0]
    # Another member's self-assessment can be read, not written.
    assert client.get(url("scoring_self", r, r.m2.pk)).status_code == 200
    assert client.post(url("scoring_self", r, r.m2.pk), {f"points_{c1.pk}": "5"}).status_code == 403
    assert client.get(url("scoring_cross", r, r.m2.pk)).status_code == 403
    response = client.post(url("scoring_self", r, r.x.pk), {f"points_{c1.pk}": "5"})
    assert response.status_code == 302
    assert list(SelfScore.objects.values_list("member", "points")) == [(r.x.pk, 5)]


def test_a_unit_outside_the_bloc_is_not_a_scoring_page(client_for, secretary, org):
    r = make_round(org, stage=ScoringStage.SELF)
    assert client_for(secretary).get(url("scoring_self", r, org.y.pk)).status_code == 404


def test_the_table_page_offers_to_create_a_table_copying_last_years(client_for, secretary, org):
    last = make_round(org, maxima=[40, 60])
    this_year = ScoringBlocYearFactory(bloc=org.bloc_a, year=2024, leader=last.m3)
    client = client_for(secretary)
    page = client.get(reverse("pledges:scoring_table", args=[this_year.pk]))
    assert "Sao chép nhóm và tiêu chí từ bảng điểm năm 2023" in page.text
    response = client.post(
        reverse("pledges:scoring_table_create", args=[this_year.pk]), {"copy_previous": "on"}
    )
    assert response.status_code == 302
    assert Criterion.objects.filter(group__table__bloc_year=this_year).count() == 2
    again = client.post(reverse("pledges:scoring_table_create", args=[this_year.pk]), follow=True)
    assert "đã có bảng chấm điểm" in again.text


# The table -------------------------------------------------------------------------------------


def test_the_table_shows_the_total_and_warns_when_it_is_not_100(client_for, secretary, org):
    r = make_round(org, maxima=[40, "55.5"])
    page = client_for(secretary).get(url("scoring_table", r))
    assert "95,5" in page.text
    assert "không phải 100" in page.text
    Criterion.objects.filter(pk=r.criteria[1].pk).update(max_points=60)
    page = client_for(secretary).get(url("scoring_table", r))
    assert "không phải 100" not in page.text


def _formset_data(prefix: str, rows: list[dict], initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for n, row in enumerate(rows):
        data.update({f"{prefix}-{n}-{key}": value for key, value in row.items()})
    return data


def test_the_secretariat_edits_groups_and_criteria(client_for, secretary, org):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    table = ScoringTable.objects.create(bloc_year=bloc_year)
    client = client_for(secretary)
    groups_url = reverse("pledges:scoring_groups", args=[bloc_year.pk])
    response = client.post(
        groups_url,
        _formset_data(
            "groups",
            [
                {"number": "", "title": "  Công tác  thi đua "},
                {"number": "1", "title": "Thực hiện nhiệm vụ chính trị"},
            ],
        )
        | {"version": version_of(table)},
    )
    assert response.status_code == 302
    groups = list(CriterionGroup.objects.filter(table=table).order_by("number"))
    assert [(g.number, g.title) for g in groups] == [
        (1, "Thực hiện nhiệm vụ chính trị"),
        (2, "Công tác thi đua"),
    ]
    criteria_url = reverse("pledges:scoring_criteria", args=[bloc_year.pk, groups[0].pk])
    response = client.post(
        criteria_url,
        _formset_data(
            "criteria",
            [
                {"number": "", "text": "Hoàn thành kế hoạch công tác năm", "max_points": "30"},
                {"number": "", "text": "Cải cách hành chính", "max_points": "12.5"},
            ],
        )
        | {"version": version_of(table)},
    )
    assert response.status_code == 302
    assert [(c.number, c.max_points) for c in groups[0].criteria.order_by("number")] == [
        (1, Decimal(30)),
        (2, Decimal("12.5")),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"number": "", "text": "Tiêu chí", "max_points": "0"}, "Điểm tối đa phải lớn hơn 0."),
        ({"number": "", "text": "Tiêu chí", "max_points": "-5"}, "Điểm tối đa phải lớn hơn 0."),
        ({"number": "", "text": "Tiêu chí", "max_points": "mười"}, "Điểm tối đa phải là một số."),
        ({"number": "", "text": "Tiêu chí", "max_points": "5000"}, "không vượt quá 1000"),
        ({"number": "", "text": "   ", "max_points": "10"}, "Trường này là bắt buộc."),
        ({"number": "0", "text": "Tiêu chí", "max_points": "10"}, "Số thứ tự từ 1 đến 99."),
    ],
)
def test_bad_criteria_are_refused_next_to_the_field(client_for, secretary, org, row, message):
    r = make_round(org)
    response = client_for(secretary).post(
        url("scoring_criteria", r, r.criteria[0].group_id), _formset_data("criteria", [row])
    )
    assert response.status_code == 400
    assert message in response.text
    assert Criterion.objects.count() == 2


def test_a_blank_group_title_is_refused(client_for, secretary, org):
    r = make_round(org)
    response = client_for(secretary).post(
        url("scoring_groups", r), _formset_data("groups", [{"number": "2", "title": " "}])
    )
    assert response.status_code == 400
    assert "Trường này là bắt buộc." in response.text


def test_the_table_cannot_change_once_self_scoring_started(client_for, secretary, org):
    r = make_round(org, stage=ScoringStage.SELF)
    response = client_for(secretary).post(
        url("scoring_criteria", r, r.criteria[0].group_id),
        _formset_data("criteria", [{"number": "", "text": "Mới", "max_points": "5"}]),
        follow=True,
    )
    assert "Chỉ sửa bảng điểm ở giai đoạn “Xây dựng bảng điểm”" in response.text
    assert Criterion.objects.count() == 2


def test_the_secretariat_advances_the_stage(client_for, secretary, org):
    r = make_round(org)
    client = client_for(secretary)
    response = client.post(url("scoring_advance", r), {"stage": "setup"}, follow=True)
    assert "Đã chuyển sang giai đoạn “Tự chấm”" in response.text
    response = client.post(url("scoring_advance", r), {"stage": "setup"}, follow=True)
    assert "vừa được chuyển sang giai đoạn “Tự chấm”" in response.text
    r.table.refresh_from_db()
    assert r.table.stage == ScoringStage.SELF


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"self_deadline": "2030-03-10", "cross_deadline": "2030-03-01"},
            "Hạn chấm chéo không được trước hạn tự chấm.",
        ),
        ({"self_deadline": "31/02/2030", "cross_deadline": ""}, "Nhập một ngày hợp lệ."),
        ({"self_deadline": "1900-01-01", "cross_deadline": ""}, "Ngày không hợp lệ."),
        ({"self_deadline": YESTERDAY.isoformat(), "cross_deadline": ""}, "trước ngày hôm nay"),
    ],
)
def test_bad_deadlines_are_refused(client_for, secretary, org, data, message):
    r = make_round(org)
    data = data | {"version": version_of(r.table)}
    response = client_for(secretary).post(url("scoring_deadlines", r), data)
    assert response.status_code == 400
    assert message in response.text
    r.table.refresh_from_db()
    assert r.table.self_deadline is None


def test_deadlines_are_saved(client_for, secretary, org):
    r = make_round(org)
    data = {
        "self_deadline": NEXT_WEEK.isoformat(),
        "cross_deadline": NEXT_WEEK.isoformat(),
        "version": version_of(r.table),
    }
    assert client_for(secretary).post(url("scoring_deadlines", r), data).status_code == 302
    r.table.refresh_from_db()
    assert r.table.cross_deadline == NEXT_WEEK


def test_a_locked_stage_is_reopened_with_a_reason_in_the_browser(client_for, secretary, hr, org):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10], self_deadline=YESTERDAY)
    c1 = r.criteria[0]
    page = client_for(hr).get(url("scoring_self", r, r.x.pk))
    assert "đã hết hạn ngày" in page.text
    assert f'name="points_{c1.pk}"' not in page.text  # read-only
    refused = client_for(hr).post(url("scoring_self", r, r.x.pk), {f"points_{c1.pk}": "5"})
    assert refused.status_code == 400
    assert "nên bị khóa" in refused.text

    client = client_for(secretary)
    table_page = client.get(url("scoring_table", r))
    assert "Mở lại giai đoạn “Tự chấm”" in table_page.text
    for data, message in [
        ({"until": NEXT_WEEK.isoformat(), "reason": "  "}, "Trường này là bắt buộc."),
        ({"until": YESTERDAY.isoformat(), "reason": "Gia hạn"}, "từ hôm nay trở đi"),
        ({"until": "", "reason": "Gia hạn"}, "Trường này là bắt buộc"),
    ]:
        response = client.post(url("scoring_reopen", r), data)
        assert response.status_code == 400
        assert message in response.text
    assert not StageReopening.objects.exists()
    response = client.post(
        url("scoring_reopen", r),
        {"until": NEXT_WEEK.isoformat(), "reason": "Hai đơn vị xin bổ sung minh chứng"},
        follow=True,
    )
    assert "Đã mở lại giai đoạn “Tự chấm”" in response.text
    assert "Hai đơn vị xin bổ sung minh chứng" in response.text
    ok = client_for(hr).post(url("scoring_self", r, r.x.pk), {f"points_{c1.pk}": "5"})
    assert ok.status_code == 302


# Self-scoring ----------------------------------------------------------------------------------


def test_self_scoring_with_an_evidence_file(client_for, hr, org):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10, 20])
    c1, c2 = r.criteria
    client = client_for(hr)
    response = client.post(
        url("scoring_self", r, r.x.pk),
        {
            f"points_{c1.pk}": "9.5",
            f"note_{c1.pk}": " Hoàn thành  100% kế hoạch ",
            f"files_{c1.pk}": [SimpleUploadedFile("bao-cao.pdf", tiny_pdf(), "application/pdf")],
            f"points_{c2.pk}": "18",
        },
    )
    assert response.status_code == 302
    score = SelfScore.objects.get(criterion=c1)
    assert (score.points, score.note) == (Decimal("9.5"), "Hoàn thành 100% kế hoạch")
    evidence = ScoreEvidence.objects.get()
    page = client.get(url("scoring_self", r, r.x.pk))
    assert "bao-cao.pdf" in page.text
    download = client.get(reverse("pledges:scoring_evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == tiny_pdf()
    # The app's name, not "bao-cao.pdf"; scoped, so no cache keeps it.
    assert download["Content-Disposition"] == (
        f'attachment; filename="minh-chung-{r.bloc_year.year}-{score.pk}-{evidence.pk}.pdf"'
    )
    assert download["Cache-Control"] == "private, no-store"
    assert download["X-Content-Type-Options"] == "nosniff"


def test_evidence_is_hidden_from_another_bloc(client_for, secretary_b, org):
    r = make_round(org, stage=ScoringStage.SELF)
    score = SelfScoreFactory(criterion=r.criteria[0], member=r.x)
    evidence = ScoreEvidence.objects.create(
        self_score=score,
        file="scoring/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        extension=".pdf",
        size=10,
        sha256="0" * 64,
    )
    address = reverse("pledges:scoring_evidence", args=[evidence.pk])
    assert client_for(secretary_b).get(address).status_code == 404


@pytest.mark.parametrize(
    ("points", "extra", "message"),
    [
        ("11", {}, "Điểm không được vượt quá điểm tối đa 10."),
        ("-1", {}, "Điểm không được âm."),
        ("", {}, "Hãy nhập điểm."),
        ("tám", {}, "Điểm phải là một số."),
        ("8.555", {}, "Điểm có tối đa hai chữ số thập phân."),
        (
            "8",
            {"files": [SimpleUploadedFile("minh-chung.pdf", b"MZ\x90\x00 not a pdf")]},
            "không phải là PDF, JPEG, PNG",
        ),
    ],
)
def test_bad_self_scores_are_refused_next_to_the_field(client_for, hr, org, points, extra, message):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10, 20])
    c1, c2 = r.criteria
    data = {f"points_{c1.pk}": points, f"points_{c2.pk}": "15"}
    if "files" in extra:
        data[f"files_{c1.pk}"] = extra["files"]
    response = client_for(hr).post(url("scoring_self", r, r.x.pk), data)
    assert response.status_code == 400
    assert message in response.text
    assert not SelfScore.objects.exists()
    assert not ScoreEvidence.objects.exists()


def test_a_renamed_executable_leaves_saved_scores_untouched(client_for, hr, org):
    r = make_round(org, stage=ScoringStage.SELF, maxima=[10])
    c1 = r.criteria[0]
    SelfScoreFactory(criterion=c1, member=r.x, points=Decimal(7))
    response = client_for(hr).post(
        url("scoring_self", r, r.x.pk),
        {f"points_{c1.pk}": "9", f"files_{c1.pk}": [SimpleUploadedFile("scan.png", b"MZ\x90")]},
    )
    assert response.status_code == 400
    assert SelfScore.objects.get().points == 7


# Cross-scoring ---------------------------------------------------------------------------------


def test_the_cross_sheet_is_one_table_of_criteria_by_other_members(client_for, hr, org):
    r = make_round(org, stage=ScoringStage.CROSS, maxima=[10, 20])
    c1, c2 = r.criteria
    SelfScoreFactory(criterion=c1, member=r.m2, points=Decimal(9))
    client = client_for(hr)
    page = client.get(url("scoring_cross", r, r.x.pk))
    assert page.status_code == 200
    names = set(re.findall(r'name="(s_\d+_\d+)"', page.text))
    assert names == {f"s_{c.pk}_{m.pk}" for c in (c1, c2) for m in (r.m2, r.m3)}
    assert "tự chấm: 9" in page.text
    response = client.post(
        url("scoring_cross", r, r.x.pk),
        {f"s_{c1.pk}_{r.m2.pk}": "8", f"s_{c2.pk}_{r.m3.pk}": "19.5"},
    )
    assert response.status_code == 302
    assert set(CrossScore.objects.values_list("scored", "points")) == {
        (r.m2.pk, Decimal(8)),
        (r.m3.pk, Decimal("19.5")),
    }


@pytest.mark.parametrize(
    ("cell", "value", "message"),
    [
        ("other", "10.01", "Điểm không được vượt quá điểm tối đa 10."),
        ("other", "-0.5", "Điểm không được âm."),
        ("other", "abc", "Điểm phải là một số."),
        ("own", "5", "Đơn vị không được tự chấm chéo cho chính mình"),
    ],
)
def test_bad_cross_scores_are_refused(client_for, hr, org, cell, value, message):
    r = make_round(org, stage=ScoringStage.CROSS, maxima=[10])
    c1 = r.criteria[0]
    target = r.m2 if cell == "other" else r.x
    response = client_for(hr).post(
        url("scoring_cross", r, r.x.pk),
        {f"s_{c1.pk}_{target.pk}": value, f"s_{c1.pk}_{r.m3.pk}": "7"},
    )
    assert response.status_code == 400
    assert message in response.text
    assert not CrossScore.objects.exists()


def test_a_given_cross_score_cannot_be_blanked(client_for, hr, org):
    r = make_round(org, stage=ScoringStage.CROSS, maxima=[10])
    c1 = r.criteria[0]
    CrossScoreFactory(criterion=c1, scorer=r.x, scored=r.m2, points=Decimal(6))
    response = client_for(hr).post(url("scoring_cross", r, r.x.pk), {f"s_{c1.pk}_{r.m2.pk}": ""})
    assert response.status_code == 400
    assert "không để trống" in response.text
    assert CrossScore.objects.get().points == 6


# Results, final scores, acclamation ------------------------------------------------------------


def _scored_round(org, stage=ScoringStage.MEETING):
    r = make_round(org, stage=stage, maxima=[40, 60])
    c1, c2 = r.criteria
    points = {r.x: (30, 50), r.m2: (35, 55), r.m3: (35, 55)}
    for scored, (p1, p2) in points.items():
        for scorer in r.members:
            if scorer != scored:
                CrossScoreFactory(criterion=c1, scorer=scorer, scored=scored, points=Decimal(p1))
                CrossScoreFactory(criterion=c2, scorer=scorer, scored=scored, points=Decimal(p2))
    return r


def test_the_results_show_the_ranking_with_ties(client_for, secretary, org):
    r = _scored_round(org)
    page = client_for(secretary).get(url("scoring_results", r))
    ranks = [(u.name, u.rank) for u in page.context["ranking"]]
    assert ranks == [(r.m2.name, 1), (r.m3.name, 1), (r.x.name, 3)]
    assert "90,00" in page.text and "80,00" in page.text


def test_the_meeting_sets_a_final_score_in_the_browser(client_for, secretary, org):
    r = _scored_round(org)
    c1 = r.criteria[0]
    client = client_for(secretary)
    address = url("scoring_final", r, r.x.pk)
    missing_reason = client.post(address, {f"points_{c1.pk}": "39"})
    assert missing_reason.status_code == 400
    assert "Hãy ghi lý do hội nghị quyết định điểm này." in missing_reason.text
    too_high = client.post(address, {f"points_{c1.pk}": "41", f"reason_{c1.pk}": "x"})
    assert too_high.status_code == 400
    assert "Điểm không được vượt quá điểm tối đa 40." in too_high.text
    assert not FinalScore.objects.exists()
    response = client.post(
        address, {f"points_{c1.pk}": "40", f"reason_{c1.pk}": "Bổ sung minh chứng tại hội nghị"}
    )
    assert response.status_code == 302
    ranking = client.get(url("scoring_results", r)).context["ranking"]
    top = ranking[0]
    assert (top.name, top.total, top.rank) == (r.x.name, Decimal(90), 1)


def test_acclamation_is_recorded_and_listed(client_for, secretary, org):
    r = _scored_round(org)
    client = client_for(secretary)
    response = client.post(
        url("scoring_acclaim", r),
        {
            "member": r.m2.pk,
            "votes_for": "3",
            "votes_total": "3",
            "meeting_date": "2024-04-10",
            "proposed_for_flag": "on",
            "minutes": "Hội nghị thống nhất 100% suy tôn.",
        },
        follow=True,
    )
    assert "Đã ghi kết quả suy tôn" in response.text
    acclamation = Acclamation.objects.get()
    assert (acclamation.member, acclamation.votes_for, acclamation.recorded_by) == (
        r.m2,
        3,
        secretary,
    )
    # An acclaimed member is not offered again.
    assert r.m2 not in response.context["form"].fields["member"].queryset


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"votes_for": "4", "votes_total": "3"}, "không được lớn hơn tổng số phiếu"),
        ({"votes_total": "4"}, "không được vượt quá số thành viên của khối (3)"),
        ({"votes_total": "0"}, "Tổng số phiếu phải lớn hơn 0."),
        ({"votes_for": "ba"}, "Số phiếu phải là số nguyên."),
        ({"meeting_date": "2026-01-01"}, "Ngày hội nghị phải trong năm 2023 hoặc năm 2024."),
        ({"member": ""}, "Trường này là bắt buộc"),
    ],
)
def test_bad_acclamations_are_refused(client_for, secretary, org, changes, message):
    r = _scored_round(org)
    data = {
        "member": r.m2.pk,
        "votes_for": "3",
        "votes_total": "3",
        "meeting_date": "2024-04-10",
        "minutes": "",
    }
    data.update(changes)
    response = client_for(secretary).post(url("scoring_acclaim", r), data)
    assert response.status_code == 400
    assert message in response.text
    assert not Acclamation.objects.exists()


def test_a_unit_outside_the_bloc_cannot_be_acclaimed(client_for, secretary, org):
    r = _scored_round(org)
    data = {"member": org.y.pk, "votes_for": "3", "votes_total": "3", "meeting_date": "2024-04-10"}
    response = client_for(secretary).post(url("scoring_acclaim", r), data)
    assert response.status_code == 400
    assert not Acclamation.objects.exists()


def test_acclamation_waits_for_the_meeting(client_for, secretary, org):
    r = _scored_round(org, stage=ScoringStage.CROSS)
    page = client_for(secretary).get(url("scoring_results", r))
    assert page.context["form"] is None
    assert "Kết quả tạm tính" in page.text


# PDFs ------------------------------------------------------------------------------------------


def test_the_ranking_pdf_names_every_member(client_for, hr, org):
    r = _scored_round(org)
    AcclamationFactory(bloc_year=r.bloc_year, member=r.m2, votes_for=3, votes_total=3)
    response = client_for(hr).get(url("scoring_ranking_pdf", r))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(pdf_text(response.content).split())
    for member in r.members:
        assert member.name in text
    assert "BẢNG TỔNG HỢP" in text
    assert "90,00" in text


def test_the_minutes_pdf_records_the_acclaimed_members_and_the_vote(client_for, secretary, org):
    r = _scored_round(org)
    client = client_for(secretary)
    no_minutes = client.get(url("scoring_minutes_pdf", r), follow=True)
    assert "Chưa có kết quả suy tôn" in no_minutes.text
    AcclamationFactory(
        bloc_year=r.bloc_year,
        member=r.m2,
        votes_for=3,
        votes_total=3,
        minutes="Hội nghị thống nhất suy tôn Thành viên 01 dẫn đầu.",
    )
    response = client.get(url("scoring_minutes_pdf", r))
    assert response["Content-Disposition"].startswith("attachment;")
    text = " ".join(pdf_text(response.content).split())
    assert "BIÊN BẢN" in text
    assert r.m2.name in text
    assert "Hội nghị thống nhất suy tôn" in text
    assert "100%" in text


# Query counts ----------------------------------------------------------------------------------


def _bloc_of(org, members: int):
    bloc_year = ScoringBlocYearFactory(bloc=org.bloc_a)
    units = add_members(org.bloc_a, members - 1)
    _table, criteria = table_with_criteria(bloc_year, [10] * 5, stage=ScoringStage.MEETING)
    for scored in units:
        for criterion in criteria:
            CrossScoreFactory(criterion=criterion, scorer=org.x, scored=scored, points=Decimal(7))
        SelfScoreFactory(criterion=criteria[0], member=scored)
    return bloc_year


@pytest.mark.parametrize(
    "name", ["scoring_table", "scoring_results", "scoring_cross", "scoring_self", "scoring_final"]
)
def test_page_queries_do_not_grow_with_the_members(
    client_for, secretary, org, django_assert_max_num_queries, name
):
    small = _bloc_of(org, 5)
    args = [small.pk] if name in ("scoring_table", "scoring_results") else [small.pk, org.x.pk]
    address = reverse(f"pledges:{name}", args=args)
    client = client_for(secretary)
    client.get(address)  # warm the session
    with CaptureQueriesContext(connection) as five:
        client.get(address)
    add_members(org.bloc_a, 35)  # the same bloc year now has 40 members
    with django_assert_max_num_queries(len(five)):
        response = client.get(address)
    assert response.status_code == 200
