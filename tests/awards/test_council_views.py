"""Council pages: who sees (404 otherwise), who manages (HR of the body, 403 otherwise),
who votes (the session's members, 403 otherwise), bad input next to the field, the
minutes PDF, and query counts that do not grow with members or items."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import council_services as services
from awards.models import (
    AgendaItem,
    Ballot,
    Choice,
    CouncilSession,
    NominationStatus,
    SessionStatus,
    VoterReceipt,
)
from tests.awards.factories import AwardTypeFactory, council_rule
from tests.documents import pdf_fonts, pdf_text
from tests.versions import version_of

from .council_setup import (
    HELD_ON,
    accepted,
    council_members,
    full_name,
    item_of,
    open_session,
    round_of,
    vote_all,
)

pytestmark = pytest.mark.django_db


def detail(session) -> str:
    return reverse("awards:council_session_detail", args=[session.pk])


@pytest.fixture
def setup(org, hr, council):
    """A session of X with the council persona and two more members, one item."""
    others = council_members(org.x, 2)
    round_ = round_of(org.x)
    nomination = accepted(round_)[0]
    session = open_session(org.x, hr, [council, *others], [nomination])
    return session, item_of(session, nomination), others


# Reading -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["hr", "leader", "council"])
def test_it_shows_the_session_to_hr_leaders_and_members(setup, persona, request, client_for):
    session, _item, _others = setup
    user = request.getfixturevalue(persona)
    response = client_for(user).get(detail(session))
    assert response.status_code == 200
    assert session.title in response.content.decode()
    listing = client_for(user).get(reverse("awards:council_session_list"))
    assert session.title in listing.content.decode()


@pytest.mark.parametrize("persona", ["focal_y", "hr_y", "focal_x1"])
def test_a_user_who_cannot_see_the_session_gets_404(setup, persona, request, client_for):
    session, item, _others = setup
    client = client_for(request.getfixturevalue(persona))
    assert client.get(detail(session)).status_code == 404
    assert client.get(reverse("awards:council_minutes_pdf", args=[session.pk])).status_code == 404
    assert (
        client.post(reverse("awards:council_vote", args=[item.pk]), {"choice": "agree"}).status_code
        == 404
    )
    assert (
        client.post(reverse("awards:council_session_close", args=[session.pk])).status_code == 404
    )
    assert session.title not in client.get(reverse("awards:council_session_list")).content.decode()


def test_a_council_member_of_the_body_outside_the_session_does_not_see_it(setup, org, client_for):
    session, _item, _others = setup
    outsider = council_members(org.x, 1, tag="o")[0]
    assert client_for(outsider).get(detail(session)).status_code == 404


def test_anonymous_users_are_sent_to_log_in(setup, client):
    session, _item, _others = setup
    response = client.get(detail(session))
    assert response.status_code == 302 and "login" in response["Location"]


# Creating and editing ------------------------------------------------------------------------


def test_hr_opens_a_session(org, hr, council, client_for):
    round_ = round_of(org.x)
    others = council_members(org.x, 2)
    client = client_for(hr)
    page = client.get(reverse("awards:council_session_create"))
    assert page.status_code == 200
    html = page.content.decode()
    assert full_name(others[0]) in html and "focal" not in html
    response = client.post(
        reverse("awards:council_session_create"),
        {
            "body": org.x.pk,
            "title": "  Phiên họp xét danh hiệu năm 2025  ",
            "held_on": "2025-12-15",
            "chair": "Nguyễn Văn Chủ Tịch",
            "round": round_.pk,
            "members": [council.pk, others[0].pk],
        },
    )
    session = CouncilSession.objects.get()
    assert response.status_code == 302 and response["Location"] == detail(session)
    assert session.title == "Phiên họp xét danh hiệu năm 2025"
    assert session.round == round_ and session.body == org.x
    assert set(session.members.all()) == {council, others[0]}


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": "   "}, "title", "Hãy nhập tên phiên họp"),
        ({"title": ""}, "title", "Hãy nhập tên phiên họp"),
        ({"held_on": "31/02/2025"}, "held_on", "Ngày họp không hợp lệ"),
        ({"held_on": "1890-01-01"}, "held_on", "Ngày không hợp lệ"),
        ({"members": []}, "members", "Hãy chọn ít nhất một thành viên"),
        ({"members": ["abc"]}, "members", "Thành viên đã chọn không hợp lệ"),
        ({"round": "999999"}, "round", "Đợt khen thưởng đã chọn không hợp lệ"),
    ],
)
def test_bad_input_when_opening_a_session_is_explained(
    org, hr, council, focal_x1, client_for, data, field, message
):
    round_of(org.x)
    payload = {
        "body": org.x.pk,
        "title": "Phiên họp",
        "held_on": "2025-12-15",
        "members": [council.pk],
        **data,
    }
    response = client_for(hr).post(reverse("awards:council_session_create"), payload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert field in response.context["form"].errors
    assert not CouncilSession.objects.exists()


def test_a_user_without_the_council_role_cannot_be_made_a_member(
    org, hr, council, focal_x1, client_for
):
    round_of(org.x)
    response = client_for(hr).post(
        reverse("awards:council_session_create"),
        {
            "body": org.x.pk,
            "title": "P",
            "held_on": "2025-12-15",
            "members": [council.pk, focal_x1.pk],
        },
    )
    assert response.status_code == 400
    assert "không phải thành viên Hội đồng của cơ quan" in response.content.decode()


def test_a_body_not_reviewed_by_the_user_is_refused(org, hr, hr_y, client_for):
    round_of(org.x)
    round_of(org.y)
    response = client_for(hr).get(reverse("awards:council_session_create"), {"body": org.y.pk})
    assert response.status_code == 400
    assert "Cơ quan đã chọn không hợp lệ" in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "council", "focal_x1", "focal_y"])
def test_only_hr_opens_sessions(org, persona, request, client_for):
    round_of(org.x)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("awards:council_session_create")).status_code == 403
    assert (
        client.post(reverse("awards:council_session_create"), {"body": org.x.pk}).status_code == 403
    )


def test_hr_edits_a_session(setup, hr, council, client_for):
    session, _item, others = setup
    url = reverse("awards:council_session_edit", args=[session.pk])
    assert client_for(hr).get(url).status_code == 200
    response = client_for(hr).post(
        url,
        {
            "title": "Phiên họp (đã sửa)",
            "held_on": "2025-12-16",
            "members": [council.pk, others[0].pk],
            "version": version_of(session),
        },
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.title == "Phiên họp (đã sửa)" and session.members.count() == 2
    bad = client_for(hr).post(
        url, {"title": "", "held_on": "x", "members": [], "version": version_of(session)}
    )
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"title", "held_on", "members"}


def test_members_cannot_change_after_a_vote_and_the_page_says_why(setup, hr, council, client_for):
    session, item, _others = setup
    services.vote_cast(item=item, voter=council, choice=Choice.AGREE)
    response = client_for(hr).post(
        reverse("awards:council_session_edit", args=[session.pk]),
        {
            "title": session.title,
            "held_on": "2025-12-15",
            "members": [council.pk],
            "version": version_of(session),
        },
    )
    assert response.status_code == 400
    assert "không thể thay đổi thành phần Hội đồng" in response.content.decode()


@pytest.mark.parametrize("persona", ["leader", "council"])
def test_only_hr_edits_a_session(setup, persona, request, client_for):
    session, _item, _others = setup
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("awards:council_session_edit", args=[session.pk])).status_code == 403


# The agenda ----------------------------------------------------------------------------------


def test_hr_puts_accepted_nominations_on_the_agenda(org, hr, council, client_for):
    round_ = round_of(org.x)
    first, second = accepted(round_, count=2)
    draft = accepted(round_, status=NominationStatus.SUBMITTED)[0]
    session = open_session(org.x, hr, [council])
    url = reverse("awards:council_agenda_add", args=[session.pk])
    page = client_for(hr).get(url)
    assert page.status_code == 200
    choices = {n.pk for n in page.context["form"].fields["nominations"].queryset}
    assert choices == {first.pk, second.pk}
    assert draft.person.full_name not in page.content.decode()
    response = client_for(hr).post(url, {"nominations": [first.pk, second.pk]})
    assert response.status_code == 302
    assert set(session.agenda.values_list("nomination", flat=True)) == {first.pk, second.pk}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Hãy chọn ít nhất một đề nghị"),
        ({"nominations": ["x"]}, "Đề nghị đã chọn không hợp lệ"),
        ({"nominations": ["999999"]}, "Đề nghị đã chọn không còn chờ Hội đồng xét"),
    ],
)
def test_bad_input_on_the_agenda_form_is_explained(org, hr, council, client_for, data, message):
    accepted(round_of(org.x))
    session = open_session(org.x, hr, [council])
    response = client_for(hr).post(reverse("awards:council_agenda_add", args=[session.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AgendaItem.objects.exists()


def test_a_submitted_nomination_posted_anyway_is_refused(org, hr, council, client_for):
    submitted = accepted(round_of(org.x), status=NominationStatus.SUBMITTED)[0]
    session = open_session(org.x, hr, [council])
    response = client_for(hr).post(
        reverse("awards:council_agenda_add", args=[session.pk]), {"nominations": [submitted.pk]}
    )
    assert response.status_code == 400
    assert not AgendaItem.objects.exists()


@pytest.mark.parametrize("persona", ["leader", "council"])
def test_only_hr_changes_the_agenda(setup, persona, request, client_for):
    session, item, _others = setup
    client = client_for(request.getfixturevalue(persona))
    assert client.get(reverse("awards:council_agenda_add", args=[session.pk])).status_code == 403
    assert client.post(reverse("awards:council_agenda_remove", args=[item.pk])).status_code == 403
    assert AgendaItem.objects.filter(pk=item.pk).exists()


def test_hr_removes_an_item_before_votes(setup, hr, client_for):
    session, item, _others = setup
    response = client_for(hr).post(reverse("awards:council_agenda_remove", args=[item.pk]))
    assert response.status_code == 302
    assert not session.agenda.exists()


# Voting --------------------------------------------------------------------------------------


def test_a_member_votes_on_the_page(setup, council, client_for):
    session, item, _others = setup
    client = client_for(council)
    page = client.get(detail(session))
    assert f'action="{reverse("awards:council_vote", args=[item.pk])}"' in page.content.decode()
    response = client.post(
        reverse("awards:council_vote", args=[item.pk]), {"choice": "agree"}, follow=True
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Đã ghi nhận phiếu của bạn." in html
    assert "Bạn đã bỏ phiếu" in html and "Phiếu của bạn: Đồng ý" in html
    assert VoterReceipt.objects.filter(item=item, voter=council).count() == 1


def test_a_member_voting_twice_is_refused(setup, council, client_for):
    _session, item, _others = setup
    client = client_for(council)
    url = reverse("awards:council_vote", args=[item.pk])
    client.post(url, {"choice": "agree"})
    response = client.post(url, {"choice": "disagree"}, follow=True)
    assert "mỗi thành viên chỉ bỏ phiếu một lần" in response.content.decode()
    assert list(Ballot.objects.filter(item=item).values_list("choice", flat=True)) == ["agree"]


@pytest.mark.parametrize("persona", ["hr", "leader"])
def test_a_non_member_who_sees_the_session_gets_403_when_voting(
    setup, persona, request, client_for
):
    _session, item, _others = setup
    client = client_for(request.getfixturevalue(persona))
    response = client.post(reverse("awards:council_vote", args=[item.pk]), {"choice": "agree"})
    assert response.status_code == 403
    assert not Ballot.objects.exists()


def test_voting_is_post_only(setup, council, client_for):
    _session, item, _others = setup
    assert (
        client_for(council).get(reverse("awards:council_vote", args=[item.pk])).status_code == 405
    )


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Hãy chọn Đồng ý hoặc Không đồng ý"), ({"choice": "abstain"}, "Phiếu không hợp lệ")],
)
def test_bad_input_on_the_vote_form_is_explained(setup, council, client_for, data, message):
    _session, item, _others = setup
    response = client_for(council).post(reverse("awards:council_vote", args=[item.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f'id="vote-{item.pk}-error"' in html
    assert not Ballot.objects.exists()


def test_a_vote_after_closing_is_refused_with_a_message(setup, hr, council, client_for):
    session, item, _others = setup
    services.session_close(session=session, by=hr)
    response = client_for(council).post(
        reverse("awards:council_vote", args=[item.pk]), {"choice": "agree"}, follow=True
    )
    assert "đã kết thúc" in response.content.decode()
    assert not Ballot.objects.exists()


# Closing -------------------------------------------------------------------------------------


def test_hr_closes_the_session_and_the_results_show(org, hr, client_for):
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    members = council_members(org.x, 9)
    round_ = round_of(org.x)
    eight, nine = (accepted(round_, award_type=title)[0] for _ in range(2))
    session = open_session(org.x, hr, members, [eight, nine])
    vote_all(item_of(session, eight), members[:8], Choice.AGREE)
    vote_all(item_of(session, nine), members, Choice.AGREE)
    response = client_for(hr).post(
        reverse("awards:council_session_close", args=[session.pk]), follow=True
    )
    html = response.content.decode()
    assert "1 đề nghị được thông qua, 1 đề nghị không được thông qua" in html
    assert "8/9 (88,9%)" in html and "9/9 (100,0%)" in html
    session.refresh_from_db()
    assert session.status == SessionStatus.CLOSED
    eight.refresh_from_db()
    nine.refresh_from_db()
    assert (eight.status, nine.status) == (NominationStatus.REJECTED, NominationStatus.APPROVED)


@pytest.mark.parametrize("persona", ["leader", "council"])
def test_only_hr_closes(setup, persona, request, client_for):
    session, _item, _others = setup
    response = client_for(request.getfixturevalue(persona)).post(
        reverse("awards:council_session_close", args=[session.pk])
    )
    assert response.status_code == 403
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_closing_an_empty_session_is_explained(org, hr, council, client_for):
    round_of(org.x)
    session = open_session(org.x, hr, [council])
    response = client_for(hr).post(
        reverse("awards:council_session_close", args=[session.pk]), follow=True
    )
    assert "chưa có đề nghị nào trong chương trình" in response.content.decode()


# Minutes -------------------------------------------------------------------------------------


def test_the_minutes_hold_the_session_members_and_tallies(org, hr, council, client_for):
    title = AwardTypeFactory(name="Chiến sĩ thi đua cơ sở")
    council_rule(title, share=0.9, secret=True)
    members = council_members(org.x, 9)
    nomination = accepted(round_of(org.x), award_type=title)[0]
    session = open_session(org.x, hr, members, [nomination], chair="Nguyễn Văn Chủ Tịch")
    item = item_of(session, nomination)
    vote_all(item, members[:7], Choice.AGREE)
    vote_all(item, members[7:8], Choice.DISAGREE)  # one member absent
    services.session_close(session=session, by=hr)
    for user in (hr, members[0]):
        response = client_for(user).get(reverse("awards:council_minutes_pdf", args=[session.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        text = " ".join(pdf_text(response.content).split())
        assert "BIÊN BẢN" in text
        assert "Hội đồng có 9 thành viên; 8 thành viên tham gia bỏ phiếu" in text
        assert "7/9" in text and "77,8%" in text and "≥ 90,0%" in text
        assert "Không thông qua" in text
        assert "Bỏ phiếu kín" in text
        assert nomination.person.full_name in text
        assert HELD_ON.strftime("%d/%m/%Y") in text
        assert "Nguyễn Văn Chủ Tịch" in text
        fonts = pdf_fonts(response.content)
        assert fonts and all(name.startswith("DocSerif") for name in fonts), fonts


def test_the_minutes_of_an_open_session_hold_no_result_yet(setup, hr, council, client_for):
    """Attendance, the agenda and its rules; results only once voting is closed (of an
    open item too: the minutes record the outcome, the page shows an open vote live)."""
    session, item, _others = setup
    services.vote_cast(item=item, voter=council, choice=Choice.AGREE)
    response = client_for(hr).get(reverse("awards:council_minutes_pdf", args=[session.pk]))
    text = " ".join(pdf_text(response.content).split())
    assert "kết quả bỏ phiếu được ghi khi kết thúc bỏ phiếu" in text
    assert "Hội đồng có 3 thành viên; 1 thành viên tham gia bỏ phiếu" in text
    assert "1/3" not in text and "Thông qua" not in text and full_name(council) in text
    assert "Biểu quyết công khai" not in text


# Query counts --------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_session_page_reads_a_fixed_number_of_queries(
    org, hr, client_for, django_assert_max_num_queries
):
    title = AwardTypeFactory()
    council_rule(title, share=0.9, secret=True)
    round_ = round_of(org.x)
    small_members = council_members(org.x, 2, tag="s")
    big_members = council_members(org.x, 8, tag="b")
    small = open_session(
        org.x, hr, small_members, accepted(round_, count=1) + accepted(round_, award_type=title)
    )
    big = open_session(
        org.x,
        hr,
        big_members,
        accepted(round_, count=4) + accepted(round_, count=4, award_type=title),
    )
    for session, members in ((small, small_members), (big, big_members)):
        for item in session.agenda.all():
            vote_all(item, members[: len(members) // 2 + 1], Choice.AGREE)
    # HR sees both sessions; a member sees their own (2 members, 2 items vs 8 and 8).
    for small_viewer, big_viewer in ((hr, hr), (small_members[0], big_members[0])):
        client = client_for(small_viewer)
        client.get(detail(small))  # warm per-process caches
        few = _queries(client, detail(small))
        with django_assert_max_num_queries(16):
            client.get(detail(small))
        many = _queries(client_for(big_viewer), detail(big))
        assert few == many, f"{few} queries with 2 members and 2 items, {many} with 8 and 8"


def test_the_session_list_reads_a_fixed_number_of_queries(org, hr, council, client_for):
    round_ = round_of(org.x)
    open_session(org.x, hr, [council], accepted(round_))
    client = client_for(hr)
    url = reverse("awards:council_session_list")
    client.get(url)
    few = _queries(client, url)
    for _ in range(4):
        open_session(
            org.x, hr, [council, *council_members(org.x, 2, tag=f"l{_}")], accepted(round_, count=2)
        )
    assert _queries(client, url) == few
