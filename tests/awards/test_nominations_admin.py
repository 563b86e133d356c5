"""The admin shows rounds and nominations with their dossier and events; a nomination's
workflow fields are read-only there, and nothing is added or deleted."""

from __future__ import annotations

import pytest
from django.urls import reverse

from awards.models import AwardRound, Nomination
from tests.awards.factories import complete_dossier

from .nomination_setup import draft, make_round, person_of

pytestmark = pytest.mark.django_db


def test_the_admin_lists_and_shows_rounds_and_nominations(client_for, admin_user, focal_x1, org):
    award_round = make_round(org)
    nomination = draft(focal_x1, award_round, person=person_of(org.x1, "Nguyễn Thị Hằng"))
    complete_dossier(nomination)
    client = client_for(admin_user)
    assert client.get(reverse("admin:awards_awardround_changelist")).status_code == 200
    assert (
        client.get(reverse("admin:awards_awardround_change", args=[award_round.pk])).status_code
        == 200
    )
    listing = client.get(reverse("admin:awards_nomination_changelist"), {"q": "Hằng"})
    assert listing.status_code == 200
    assert "Nguyễn Thị Hằng" in listing.content.decode()
    page = client.get(reverse("admin:awards_nomination_change", args=[nomination.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "awards.nomination.created" in html
    assert "Tờ trình đề nghị khen thưởng.pdf" in html
    history = client.get(reverse("admin:awards_nomination_history", args=[nomination.pk]))
    assert history.status_code == 200


def test_the_admin_neither_adds_nor_deletes_and_keeps_the_status(
    client_for, admin_user, focal_x1, org
):
    award_round = make_round(org)
    nomination = draft(focal_x1, award_round, person=person_of(org.x1))
    client = client_for(admin_user)
    assert client.get(reverse("admin:awards_nomination_add")).status_code == 403
    assert (
        client.get(reverse("admin:awards_nomination_delete", args=[nomination.pk])).status_code
        == 403
    )
    assert (
        client.get(reverse("admin:awards_awardround_delete", args=[award_round.pk])).status_code
        == 403
    )
    response = client.post(
        reverse("admin:awards_nomination_change", args=[nomination.pk]),
        {
            "track": nomination.track,
            "achievement_summary": "Sửa câu chữ",
            "status": "accepted",
            "files-TOTAL_FORMS": "0",
            "files-INITIAL_FORMS": "0",
            "events-TOTAL_FORMS": "1",
            "events-INITIAL_FORMS": "1",
        },
    )
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.achievement_summary == "Sửa câu chữ"  # wording may be corrected
    assert nomination.status == "draft"
    assert Nomination.objects.count() == 1 and AwardRound.objects.count() == 1
