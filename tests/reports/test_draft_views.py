"""Report draft pages: the reports area, starting a draft, writing and autosaving it, its figures.

Roles: hr (HR of X) writes; leader (of X) reads and requests; focal_x1 reads only
(403 on writes); focal_y, hr_y and leader_y (body Y) get 404.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaigns.models import CampaignStatus, ProgressEntry
from reports.figures import phase_fingerprint, phase_fingerprints
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion
from tests.factories import CampaignFactory, ContentAreaFactory, PhaseFactory
from tests.reports.page_setup import CAMPAIGN_NAME, finished_version

pytestmark = pytest.mark.django_db


def _form_data(draft: ReportDraft, **changes: str) -> dict[str, str]:
    data = {
        "version": str(draft.version),
        "title": draft.title,
        "number": "12/BC-X",
        "place": "Hà Nội",
        "document_date": "2025-03-05",
        "context": draft.context,
        "direction": "",
        "exemplars": "",
        "strengths": "",
        "shortcomings": "",
        "causes": "",
        "lessons": "",
        "next_direction": "",
        "proposals": "",
        "recipients": "Ban TĐKT Trung ương\nLưu: VT",
        "signer_position": "Thủ trưởng cơ quan",
        "signer_name": "Nguyễn Văn Ký",
    }
    data.update(changes)
    return data


# --- the reports area ---------------------------------------------------------------


def test_it_lists_visible_drafts_with_the_create_action_for_planners(client_for, hr, phase_review):
    response = client_for(hr).get(reverse("reports:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert phase_review.draft.title in body
    assert "Tạo báo cáo sơ kết/tổng kết" in body
    assert "Chưa tạo" in body
    assert 'aria-current="page" href="/reports/">Báo cáo</a>' in body


def test_it_lists_drafts_to_readers_without_the_create_action(
    client_for, focal_x1, leader, phase_review
):
    for user in (focal_x1, leader):
        body = client_for(user).get(reverse("reports:index")).content.decode()
        assert phase_review.draft.title in body
        assert "Tạo báo cáo sơ kết/tổng kết" not in body


def test_it_hides_drafts_from_another_body(client_for, focal_y, hr_y, phase_review):
    for user in (focal_y, hr_y):
        body = client_for(user).get(reverse("reports:index")).content.decode()
        assert phase_review.draft.title not in body
        assert "Chưa có dự thảo báo cáo nào." in body


def test_the_index_needs_a_login(client, phase_review):
    response = client.get(reverse("reports:index"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_index_shows_the_latest_status_and_a_stale_marker_after_data_changes(
    client_for, hr, org, phase_review
):
    finished_version(phase_review.draft, hr, number=1)
    ReportVersion.objects.create(
        draft=phase_review.draft, number=2, requested_by=hr, status=ReportStatus.FAILED, error="x"
    )
    body = client_for(hr).get(reverse("reports:index")).content.decode()
    assert "Phiên bản 2" in body and "Lỗi" in body

    ReportVersion.objects.filter(number=2).delete()
    body = client_for(hr).get(reverse("reports:index")).content.decode()
    assert "Phiên bản 1" in body and "Hoàn thành" in body
    assert "Số liệu đã thay đổi" not in body

    ProgressEntry.objects.create(
        phase=phase_review.phase, content_area=phase_review.area, unit=org.x1, summary="Kết quả mới"
    )
    body = client_for(hr).get(reverse("reports:index")).content.decode()
    assert "Số liệu đã thay đổi" in body


def test_the_index_runs_a_fixed_number_of_queries(client_for, hr, org, phase_review):
    def drafts(n: int) -> None:
        for _ in range(n):
            campaign = CampaignFactory(issuing_unit=org.x, status=CampaignStatus.LAUNCHED)
            phase = PhaseFactory(campaign=campaign)
            draft = ReportDraft.objects.create(
                kind=ReportKind.PHASE_REVIEW,
                campaign=campaign,
                phase=phase,
                body=org.x,
                title=f"Báo cáo số {ReportDraft.objects.count()}",
            )
            finished_version(draft, hr)

    client = client_for(hr)
    drafts(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("reports:index")).status_code == 200
    drafts(6)
    with CaptureQueriesContext(connection) as many:
        body = client.get(reverse("reports:index")).content.decode()
    assert "Báo cáo số 8" in body
    assert len(many) == len(few), [q["sql"] for q in many]


def test_batch_fingerprints_equal_the_single_ones(hr, org, phase_review):
    other = CampaignFactory(issuing_unit=org.x)
    other_phase = PhaseFactory(campaign=other)
    ContentAreaFactory(campaign=other, number=1)
    pairs = [
        (phase_review.campaign.pk, phase_review.phase.pk),
        (phase_review.campaign.pk, phase_review.final_phase.pk),
        (other.pk, other_phase.pk),
    ]
    batch = phase_fingerprints(pairs)
    assert batch[pairs[0]] == phase_fingerprint(phase_review.campaign, phase_review.phase)
    assert batch[pairs[1]] == phase_fingerprint(phase_review.campaign, phase_review.final_phase)
    assert batch[pairs[2]] == phase_fingerprint(other, other_phase)
    assert batch[pairs[0]] != batch[pairs[2]]


# --- starting a draft -----------------------------------------------------------------


def test_hr_starts_a_draft_with_the_default_title(client_for, hr, org, phase_review):
    phase_review.draft.delete()
    response = client_for(hr).post(
        reverse("reports:draft_create"),
        {"campaign": phase_review.campaign.pk, "phase": phase_review.phase.pk, "title": ""},
    )
    draft = ReportDraft.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("reports:draft_detail", args=[draft.pk])
    assert draft.kind == ReportKind.PHASE_REVIEW
    assert draft.body == org.x and draft.campaign == phase_review.campaign
    assert draft.title == f"Báo cáo sơ kết giai đoạn 1 (2023-2025) phong trào “{CAMPAIGN_NAME}”"
    assert draft.signer_name == "Nguyễn Văn Ký"
    assert draft.history.get().history_user == hr


def test_the_final_phase_gets_a_final_review_title(client_for, hr, phase_review):
    client_for(hr).post(
        reverse("reports:draft_create"),
        {"campaign": phase_review.campaign.pk, "phase": phase_review.final_phase.pk},
    )
    draft = ReportDraft.objects.get(phase=phase_review.final_phase)
    assert draft.title.startswith("Báo cáo tổng kết giai đoạn 2 (2026-2030) phong trào “")


def test_the_create_page_lists_plannable_campaigns_only(client_for, hr, org, phase_review):
    CampaignFactory(name="Phong trào của cơ quan Y", issuing_unit=org.y)
    CampaignFactory(name="Phong trào đã lưu trữ", issuing_unit=org.x, status="archived")
    body = client_for(hr).get(reverse("reports:draft_create")).content.decode()
    assert CAMPAIGN_NAME in body
    assert "Phong trào của cơ quan Y" not in body
    assert "Phong trào đã lưu trữ" not in body
    assert f'hx-get="{reverse("reports:draft_phases")}"' in body


def test_the_phase_list_narrows_to_the_chosen_campaign(client_for, hr, org, phase_review):
    other = CampaignFactory(issuing_unit=org.x)
    PhaseFactory(campaign=other, name="Giai đoạn riêng")
    client = client_for(hr)
    body = client.get(
        reverse("reports:draft_phases"), {"campaign": phase_review.campaign.pk}
    ).content
    body = body.decode()
    assert "Giai đoạn 1 (2023-2025) – sơ kết" in body
    assert "Giai đoạn 2 (2026-2030) – tổng kết" in body
    assert "Giai đoạn riêng" not in body
    body = client.get(reverse("reports:draft_phases"), {"campaign": ""}).content.decode()
    assert "Giai đoạn riêng" in body and CAMPAIGN_NAME in body


@pytest.mark.parametrize("persona", ["focal_x1", "leader", "hr_y"])
def test_who_plans_no_campaign_may_not_start_a_draft(client_for, request, persona, phase_review):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    assert client.get(reverse("reports:draft_create")).status_code == 403
    response = client.post(
        reverse("reports:draft_create"),
        {"campaign": phase_review.campaign.pk, "phase": phase_review.final_phase.pk},
    )
    assert response.status_code == 403
    assert not ReportDraft.objects.filter(phase=phase_review.final_phase).exists()


def test_a_phase_of_another_campaign_posted_by_id_is_refused(client_for, hr, org, phase_review):
    other = CampaignFactory(issuing_unit=org.x)
    foreign = PhaseFactory(campaign=other)
    response = client_for(hr).post(
        reverse("reports:draft_create"), {"campaign": phase_review.campaign.pk, "phase": foreign.pk}
    )
    assert response.status_code == 400
    assert "Giai đoạn đã chọn không thuộc phong trào này." in response.content.decode()
    assert not ReportDraft.objects.filter(phase=foreign).exists()


def test_a_campaign_or_phase_out_of_scope_is_refused(client_for, hr, org, phase_review):
    theirs = CampaignFactory(issuing_unit=org.y)
    their_phase = PhaseFactory(campaign=theirs)
    client = client_for(hr)
    response = client.post(
        reverse("reports:draft_create"), {"campaign": theirs.pk, "phase": their_phase.pk}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Phong trào đã chọn không hợp lệ hoặc bạn không phụ trách." in body
    assert "Giai đoạn đã chọn không hợp lệ." in body
    response = client.post(reverse("reports:draft_create"), {"campaign": "abc", "phase": "1;--"})
    assert response.status_code == 400
    assert ReportDraft.objects.count() == 1


def test_a_second_draft_of_the_same_phase_is_refused(client_for, hr, phase_review):
    response = client_for(hr).post(
        reverse("reports:draft_create"),
        {"campaign": phase_review.campaign.pk, "phase": phase_review.phase.pk},
    )
    assert response.status_code == 400
    assert "Giai đoạn này đã có dự thảo báo cáo" in response.content.decode()
    assert ReportDraft.objects.count() == 1


def test_a_title_with_control_characters_is_cleaned(client_for, hr, phase_review):
    phase_review.draft.delete()
    client_for(hr).post(
        reverse("reports:draft_create"),
        {
            "campaign": phase_review.campaign.pk,
            "phase": phase_review.phase.pk,
            "title": "  Báo cáo\x07 sơ kết\tgiai đoạn 1 ",
        },
    )
    assert ReportDraft.objects.get().title == "Báo cáo sơ kết giai đoạn 1"


# --- the draft page -----------------------------------------------------------------------


def test_a_writer_gets_the_autosaving_form(client_for, hr, phase_review):
    response = client_for(hr).get(reverse("reports:draft_detail", args=[phase_review.draft.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'hx-post="{reverse("reports:draft_autosave", args=[phase_review.draft.pk])}"' in body
    assert 'hx-trigger="keyup changed delay:2s, change"' in body
    assert (
        f'name="area_{phase_review.area.pk}"' in body
        and f'name="area_{phase_review.other_area.pk}"' in body
    )
    assert "Nội dung 1. Học tập suốt đời" in body
    assert "Lưu và tạo báo cáo" in body
    assert f'hx-get="{reverse("reports:draft_figures", args=[phase_review.draft.pk])}"' in body


def test_a_leader_reads_the_draft_and_may_request_it(client_for, leader, phase_review):
    body = (
        client_for(leader)
        .get(reverse("reports:draft_detail", args=[phase_review.draft.pk]))
        .content.decode()
    )
    assert "Bối cảnh ban đầu." in body
    assert "hx-post" not in body and 'name="context"' not in body
    assert reverse("reports:version_request", args=[phase_review.draft.pk]) in body
    assert "Tạo báo cáo" in body


def test_a_focal_point_reads_the_draft_without_actions(client_for, focal_x1, phase_review):
    body = (
        client_for(focal_x1)
        .get(reverse("reports:draft_detail", args=[phase_review.draft.pk]))
        .content.decode()
    )
    assert "Bối cảnh ban đầu." in body
    assert reverse("reports:version_request", args=[phase_review.draft.pk]) not in body


@pytest.mark.parametrize("persona", ["focal_y", "hr_y", "leader_y"])
def test_another_body_gets_404_on_every_draft_page(client_for, request, persona, phase_review):
    client = client_for(request.getfixturevalue(persona))
    pk = phase_review.draft.pk
    assert client.get(reverse("reports:draft_detail", args=[pk])).status_code == 404
    assert client.get(reverse("reports:draft_figures", args=[pk])).status_code == 404
    assert client.post(reverse("reports:draft_detail", args=[pk]), {}).status_code == 404
    assert client.post(reverse("reports:draft_autosave", args=[pk]), {}).status_code == 404


@pytest.mark.parametrize("persona", ["focal_x1", "leader"])
def test_readers_get_403_on_writes(client_for, request, persona, phase_review):
    client = client_for(request.getfixturevalue(persona))
    data = _form_data(phase_review.draft, context="Sửa trái phép")
    pk = phase_review.draft.pk
    assert client.post(reverse("reports:draft_detail", args=[pk]), data).status_code == 403
    assert client.post(reverse("reports:draft_autosave", args=[pk]), data).status_code == 403
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.context == "Bối cảnh ban đầu."


def test_hr_saves_the_narrative_and_the_area_texts(client_for, hr, phase_review):
    data = _form_data(
        phase_review.draft,
        context="Bối cảnh:\r\nnăm 2023 phát động.",
        strengths="Các đơn vị hưởng ứng tích cực.",
        **{f"area_{phase_review.area.pk}": "Đã tổ chức 12 lớp bồi dưỡng."},
    )
    response = client_for(hr).post(
        reverse("reports:draft_detail", args=[phase_review.draft.pk]), data
    )
    assert response.status_code == 302
    draft = ReportDraft.objects.get()
    assert draft.context == "Bối cảnh:\nnăm 2023 phát động."
    assert draft.area_results == {str(phase_review.area.pk): "Đã tổ chức 12 lớp bồi dưỡng."}
    assert draft.document_date == datetime.date(2025, 3, 5)
    assert draft.version == 2
    assert draft.history.latest().history_user == hr


def test_area_texts_of_another_campaign_are_ignored(client_for, hr, org, phase_review):
    foreign = ContentAreaFactory(campaign=CampaignFactory(issuing_unit=org.x), number=1)
    data = _form_data(phase_review.draft, **{f"area_{foreign.pk}": "Không thuộc phong trào"})
    client_for(hr).post(reverse("reports:draft_detail", args=[phase_review.draft.pk]), data)
    phase_review.draft.refresh_from_db()
    assert str(foreign.pk) not in phase_review.draft.area_results


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2025-02-30", "Ngày ban hành không hợp lệ."),
        ("05/03/2025 xyz", "Ngày ban hành không hợp lệ."),
        ("1800-01-01", "Ngày không hợp lệ (từ năm 1945 đến 2100)."),
    ],
)
def test_a_bad_date_is_refused_next_to_the_field(client_for, hr, phase_review, value, message):
    data = _form_data(phase_review.draft, document_date=value, context="Không được lưu")
    response = client_for(hr).post(
        reverse("reports:draft_detail", args=[phase_review.draft.pk]), data
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    assert 'id="id_document_date_error"' in body
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.context == "Bối cảnh ban đầu."


def test_control_characters_are_cleaned_and_a_nul_is_refused(client_for, hr, phase_review):
    client = client_for(hr)
    url = reverse("reports:draft_detail", args=[phase_review.draft.pk])
    data = _form_data(
        phase_review.draft, context="Dòng 1\x1b[31m\nDòng\x08 2", number="12/BC\x07-X"
    )
    assert client.post(url, data).status_code == 302
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.context == "Dòng 1 [31m\nDòng 2"
    assert phase_review.draft.number == "12/BC -X"

    data = _form_data(phase_review.draft, proposals="Đề xuất\x00 khen thưởng")
    assert client.post(url, data).status_code == 400
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.proposals == ""


def test_an_empty_title_or_an_overlong_text_is_refused(client_for, hr, phase_review):
    client = client_for(hr)
    url = reverse("reports:draft_detail", args=[phase_review.draft.pk])
    response = client.post(url, _form_data(phase_review.draft, title=" \t "))
    assert response.status_code == 400
    assert "Hãy nhập trích yếu của báo cáo." in response.content.decode()
    response = client.post(url, _form_data(phase_review.draft, lessons="x" * 20_001))
    assert response.status_code == 400
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.lessons == ""


def test_a_full_save_from_an_old_page_is_a_conflict(client_for, hr, phase_review):
    client = client_for(hr)
    url = reverse("reports:draft_detail", args=[phase_review.draft.pk])
    old = _form_data(phase_review.draft, context="Bản A")
    assert client.post(url, old).status_code == 302
    response = client.post(url, {**old, "context": "Bản B"})
    assert response.status_code == 409
    assert "vừa được người khác" in response.content.decode()
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.context == "Bản A"


# --- autosave -------------------------------------------------------------------------------


def test_autosave_saves_and_says_when(client_for, hr, phase_review):
    url = reverse("reports:draft_autosave", args=[phase_review.draft.pk])
    response = client_for(hr).post(url, _form_data(phase_review.draft, lessons="Bài học 1"))
    body = response.content.decode()
    assert response.status_code == 200
    assert re.search(r"Đã lưu lúc \d\d:\d\d", body)
    # The page's hidden version moves on with the save (out-of-band swap).
    assert 'name="version" value="2" id="id_version" hx-swap-oob="true"' in body
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.lessons == "Bài học 1" and phase_review.draft.version == 2


def test_autosave_from_an_old_page_is_a_conflict_not_an_overwrite(client_for, hr, phase_review):
    client = client_for(hr)
    url = reverse("reports:draft_autosave", args=[phase_review.draft.pk])
    stale_page = _form_data(phase_review.draft)
    assert client.post(url, {**stale_page, "lessons": "Của người thứ nhất"}).status_code == 200
    response = client.post(url, {**stale_page, "lessons": "Của người thứ hai"})
    body = response.content.decode()
    assert response.status_code == 409
    assert "vừa được người khác" in body and "chưa được lưu" in body
    assert "hx-swap-oob" not in body
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.lessons == "Của người thứ nhất"


def test_autosave_without_a_version_is_a_conflict(client_for, hr, phase_review):
    data = _form_data(phase_review.draft, lessons="?")
    del data["version"]
    response = client_for(hr).post(
        reverse("reports:draft_autosave", args=[phase_review.draft.pk]), data
    )
    assert response.status_code == 409


def test_autosave_of_bad_input_says_what_is_wrong(client_for, hr, phase_review):
    data = _form_data(phase_review.draft, document_date="2025-13-01")
    response = client_for(hr).post(
        reverse("reports:draft_autosave", args=[phase_review.draft.pk]), data
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Chưa lưu được" in body and "Ngày ban hành: Ngày ban hành không hợp lệ." in body


def test_autosave_of_an_unchanged_page_writes_nothing(client_for, hr, phase_review):
    client = client_for(hr)
    url = reverse("reports:draft_autosave", args=[phase_review.draft.pk])
    data = _form_data(phase_review.draft)
    assert client.post(url, data).status_code == 200
    phase_review.draft.refresh_from_db()
    rows = phase_review.draft.history.count()
    data["version"] = str(phase_review.draft.version)
    response = client.post(url, data)
    assert response.status_code == 200 and "Đã lưu lúc" in response.content.decode()
    phase_review.draft.refresh_from_db()
    assert phase_review.draft.history.count() == rows and phase_review.draft.version == 2


def test_autosave_answers_only_posts(client_for, hr, phase_review):
    response = client_for(hr).get(reverse("reports:draft_autosave", args=[phase_review.draft.pk]))
    assert response.status_code == 405


# --- figures ------------------------------------------------------------------------------------


def test_the_figures_are_shown_read_only_with_inline_charts(client_for, leader, org, phase_review):
    ProgressEntry.objects.create(
        phase=phase_review.phase, content_area=phase_review.area, unit=org.x1, summary="Đã báo cáo"
    )
    client = client_for(leader)
    url = reverse("reports:draft_figures", args=[phase_review.draft.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert "Đơn vị tham gia" in body and '<dd class="col-sm-6 col-lg-8">4</dd>' in body
    assert "1. Học tập suốt đời — 1 đơn vị báo cáo" in body
    assert body.count("<svg") == 3
    ids = re.findall(r' id="([^"]+)"', body)
    assert len(ids) == len(set(ids)), ids
    assert "<input" not in body and "<textarea" not in body
    full = client.get(url).content.decode()
    assert "<html" in full and "Số liệu do hệ thống tổng hợp" in full


def test_the_draft_page_runs_a_fixed_number_of_queries(client_for, hr, phase_review):
    client = client_for(hr)
    url = reverse("reports:draft_detail", args=[phase_review.draft.pk])
    finished_version(phase_review.draft, hr, number=1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(2, 7):
        finished_version(phase_review.draft, hr, number=n)
    with CaptureQueriesContext(connection) as many:
        assert "Phiên bản 6" in client.get(url).content.decode()
    assert len(many) == len(few)


# --- other kinds of draft on the same page ------------------------------------------------------


def test_a_bloc_year_draft_is_written_per_commitment(client_for, secretary, focal_y, org):
    from tests.factories import BlocYearFactory, CommitmentFactory, PledgeFactory

    bloc_year = BlocYearFactory(bloc=org.bloc_a, year=2024)
    pledge = PledgeFactory(bloc_year=bloc_year)
    first = CommitmentFactory(pledge=pledge, number=1, text="Hoàn thành kế hoạch kiểm toán")
    second = CommitmentFactory(pledge=pledge, number=2, text="Chuyển đổi số")
    draft = ReportDraft.objects.create(
        kind=ReportKind.BLOC_YEAR,
        bloc_year=bloc_year,
        body=org.x,
        title="Báo cáo tổng kết năm 2024 của Khối A",
        area_results={str(first.pk): "Đạt 100%", "999999": "không còn cam kết này"},
    )
    client = client_for(secretary)
    url = reverse("reports:draft_detail", args=[draft.pk])
    body = client.get(url).content.decode()
    assert "3. Kết quả thực hiện giao ước thi đua" in body
    assert "Cam kết 1. Hoàn thành kế hoạch kiểm toán" in body and "Đạt 100%" in body
    data = _form_data(draft, **{f"area_{second.pk}": "Số hóa hồ sơ"})
    data[f"area_{first.pk}"] = "Đạt 100%"
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.area_results == {str(first.pk): "Đạt 100%", str(second.pk): "Số hóa hồ sơ"}
    assert client_for(focal_y).get(url).status_code == 404


def test_a_draft_without_items_keeps_its_area_texts(client_for, hr, org):
    draft = ReportDraft.objects.create(
        kind=ReportKind.AWARD_STATISTICS,
        year=2024,
        body=org.x,
        title="Thống kê khen thưởng năm 2024",
        area_results={"note": "giữ nguyên"},
    )
    client = client_for(hr)
    url = reverse("reports:draft_detail", args=[draft.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, _form_data(draft, lessons="Bài học")).status_code == 302
    draft.refresh_from_db()
    assert draft.lessons == "Bài học" and draft.area_results == {"note": "giữ nguyên"}
