"""Admin pages for bloc years and pledges: no delete, a signed pledge is read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pledges.models import PledgeStatus
from tests.factories import SignatureFactory

from .pledge_setup import build, pledge_for

pytestmark = pytest.mark.django_db


def test_admin_pages_open_and_nothing_is_deleted(org, admin_user, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.SIGNED)
    SignatureFactory(pledge=pledge, member=org.x)
    client = client_for(admin_user)
    for name, pk in (("blocyear", setup.year_a.pk), ("pledge", pledge.pk)):
        assert client.get(reverse(f"admin:pledges_{name}_changelist")).status_code == 200
        page = client.get(reverse(f"admin:pledges_{name}_change", args=[pk]))
        assert page.status_code == 200
        assert client.get(reverse(f"admin:pledges_{name}_delete", args=[pk])).status_code == 403
    page = client.get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    assert 'name="title"' not in page.text  # read-only once signed
    assert "Cam kết số 1" in page.text


def test_an_unsigned_pledge_is_editable_in_the_admin(org, admin_user, client_for):
    setup = build(org)
    pledge = pledge_for(setup.year_a, status=PledgeStatus.DRAFT)
    page = client_for(admin_user).get(reverse("admin:pledges_pledge_change", args=[pledge.pk]))
    assert 'name="title"' in page.text
    assert 'name="status"' not in page.text  # transitions only through the services
