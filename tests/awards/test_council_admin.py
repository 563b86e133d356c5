"""Admin pages for council sessions and decisions: wording only, nothing deleted, no ballots."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import NoReverseMatch, reverse

from awards import decision_services
from awards.models import Ballot, SecretCount, VoterReceipt

from .council_setup import accepted, approved, draft, open_session, round_of

pytestmark = pytest.mark.django_db


def test_session_and_decision_admin_pages_open_and_nothing_is_deleted(
    org, hr, council, admin_user, client_for
):
    session = open_session(org.x, hr, [council], accepted(round_of(org.x)))
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    client = client_for(admin_user)
    for name, pk in (("councilsession", session.pk), ("awarddecision", decision.pk)):
        assert client.get(reverse(f"admin:awards_{name}_changelist")).status_code == 200
        assert client.get(reverse(f"admin:awards_{name}_change", args=[pk])).status_code == 200
        assert client.get(reverse(f"admin:awards_{name}_delete", args=[pk])).status_code == 403
        assert client.get(reverse(f"admin:awards_{name}_add")).status_code == 403
    page = client.get(reverse("admin:awards_councilsession_change", args=[session.pk])).text
    assert 'name="title"' in page and 'name="status"' not in page and 'name="members"' not in page
    draft_page = client.get(reverse("admin:awards_awarddecision_change", args=[decision.pk])).text
    assert 'name="signer_name"' in draft_page and 'name="nominations"' not in draft_page


def test_an_issued_decision_is_read_only_in_the_admin(org, hr, admin_user, client_for):
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    decision_services.decision_issue(decision=decision, by=hr)
    page = client_for(admin_user).get(
        reverse("admin:awards_awarddecision_change", args=[decision.pk])
    )
    assert page.status_code == 200
    assert 'name="number"' not in page.text and 'name="signer_name"' not in page.text


def test_ballots_counts_and_receipts_are_not_in_the_admin():
    """Not as pages, not as inlines of another page: a secret item's counts are shown once
    voting is closed, on the council pages only."""
    for model in (Ballot, SecretCount, VoterReceipt):
        assert model not in admin.site._registry
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:awards_{model._meta.model_name}_changelist")
    for model_admin in admin.site._registry.values():
        inlines = {inline.model for inline in model_admin.inlines}
        assert not inlines & {Ballot, SecretCount, VoterReceipt}, model_admin
