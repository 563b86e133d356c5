"""User text holding markup shows as text: escaped on every page that shows it, and as
the same literal characters in the generated PDFs.

Already covered elsewhere: a campaign name on its page
(tests/campaigns/test_campaign_views.py) and a pledge title in the printable pledge
(tests/pledges/test_pledge_pdf.py). These cover the rest of the issue's list.
"""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from awards.models import Nomination
from campaigns.models import Campaign, Person, Unit
from pledges import documents as pledge_documents
from pledges.models import Commitment
from reports.builders import builder_for
from reports.models import ReportDraft, ReportVersion
from reports.services import narrative_of
from tests.documents import pdf_text

from .fuzz_world import build_world_from_scratch

HOSTILE = '<script>alert("x")</script> & "Ký"'
RAW = '<script>alert("x")</script>'


def flat(text: str) -> str:
    return " ".join(text.split())


def assert_escaped(html: str) -> None:
    assert RAW not in html
    assert "<script>alert" not in html
    # Django escapes <, >, & and quotes; the text itself is all there.
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Ký&quot;" in html


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            yield build_world_from_scratch()
        finally:
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_a_unit_name_is_escaped_on_its_page(client, world, db):
    Unit.objects.filter(pk=world.org.x1.pk).update(name=HOSTILE)
    client.force_login(world.hr)
    assert_escaped(client.get(reverse("org:unit_detail", args=[world.org.x1.pk])).text)
    assert_escaped(client.get(reverse("org:unit_detail", args=[world.org.x.pk])).text)


@pytest.mark.django_db
def test_a_person_name_is_escaped_in_the_people_list_and_history(client, world, db):
    person = Person.objects.get(pk=world.person.pk)
    person.full_name = HOSTILE
    person.save()  # through save(), so the folded search copy follows
    client.force_login(world.hr)
    assert_escaped(client.get(reverse("org:people"), {"q": "alert"}).text)
    assert_escaped(client.get(reverse("awards:person_history", args=[world.person.pk])).text)


@pytest.mark.django_db
def test_a_pledge_commitment_is_escaped_on_its_page_and_literal_in_the_pdf(client, world, db):
    Commitment.objects.filter(pledge=world.pledge, number=1).update(text=HOSTILE)
    client.force_login(world.secretary)
    assert_escaped(client.get(reverse("pledges:pledge_detail", args=[world.pledge.pk])).text)
    text = flat(pdf_text(pledge_documents.pledge_pdf(world.pledge)))
    assert HOSTILE in text


@pytest.mark.django_db
def test_a_nomination_summary_is_escaped_on_its_page(client, world, db):
    Nomination.objects.filter(pk=world.nomination.pk).update(achievement_summary=HOSTILE)
    client.force_login(world.focal_x1)
    page = client.get(reverse("awards:nomination_detail", args=[world.nomination.pk])).text
    assert_escaped(page)


@pytest.mark.django_db
def test_a_report_narrative_is_escaped_on_its_page_and_literal_in_the_pdf(client, world, db):
    Campaign.objects.filter(pk=world.campaign.pk).update(name=f"Phong trào {HOSTILE}")
    ReportDraft.objects.filter(pk=world.draft.pk).update(
        context=HOSTILE, shortcomings=f"Dòng một\n{HOSTILE}"
    )
    draft = ReportDraft.objects.get(pk=world.draft.pk)
    client.force_login(world.hr)
    page = client.get(reverse("reports:draft_detail", args=[draft.pk])).text
    assert RAW not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    version = ReportVersion(
        draft=draft, number=1, requested_by=world.hr, narrative=narrative_of(draft)
    )
    builder = builder_for(draft)
    context = builder.context(version, on_stage=lambda *_: None)
    text = flat(pdf_text(builder.pdf(context)))
    assert text.count(HOSTILE) >= 2  # the context and the shortcomings
    assert f"Phong trào {HOSTILE}" in text
