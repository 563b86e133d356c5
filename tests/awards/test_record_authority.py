"""Authority over award records (awards.access.can_change_record): revoking, annulling or
correcting a record belongs to the body that issued it, or a body above it.

Not to the recipient's unit: a department's HR staff or focal point see their
people's awards and change none of what their body granted; the HR staff of
another body, to which a recipient has since moved, see the person's history and
change none of it either. Every case is tried on the page (404 out of scope, 403 in
sight but not allowed) and on the service, and the record is left as it was.
"""

from __future__ import annotations

import datetime
import importlib

import pytest
from django.apps import apps
from django.urls import reverse
from simple_history.utils import bulk_create_with_history

from awards import access
from awards import decision_services as services
from awards.models import AwardRecord
from awards.records_services import issuing_body_for, past_awards_import
from campaigns.errors import DomainError
from campaigns.models import Role
from tests.awards.factories import AwardTypeFactory
from tests.factories import PersonFactory, RoleFactory, UserFactory

from .council_setup import approved, draft

pytestmark = pytest.mark.django_db

REVOCATION = {
    "revocation_decision": "Quyết định số 45/QĐ-X ngày 02/03/2026",
    "revoked_on": "2026-03-02",
    "reason": "Kê khai thành tích không trung thực.",
}


@pytest.fixture
def hr_x1(org):
    """HR staff of department X1, inside body X."""
    user = UserFactory(username="hr_x1")
    RoleFactory(user=user, role=Role.HR_STAFF, unit=org.x1)
    return user


def imported(by, unit, **fields) -> AwardRecord:
    """A past award entered through the import's service by ``by``."""
    record = AwardRecord(
        award_type=AwardTypeFactory(),
        person=PersonFactory(unit=unit),
        year=2019,
        decision_number="7/QĐ-X",
        decision_date=datetime.date(2019, 12, 1),
        **fields,
    )
    past_awards_import(by=by, records=[record])
    return AwardRecord.objects.get(pk=record.pk)


def revoke_service(record, by):
    return services.award_revoke(
        record=record,
        by=by,
        revocation_decision=REVOCATION["revocation_decision"],
        reason=REVOCATION["reason"],
        revoked_on=datetime.date(2026, 3, 2),
    )


def revoke_url(record) -> str:
    return reverse("awards:award_revoke", args=[record.pk])


def assert_refused(client_for, record, user, status):
    """The page answers ``status`` to a GET and a full POST; the service refuses; no change."""
    client = client_for(user)
    assert client.get(revoke_url(record)).status_code == status
    assert client.post(revoke_url(record), REVOCATION).status_code == status
    with pytest.raises(DomainError, match=r"Chỉ cán bộ thi đua – khen thưởng của|chưa rõ"):
        revoke_service(record, user)
    record.refresh_from_db()
    assert not record.is_revoked
    assert not access.can_change_record(user, record)


def assert_allowed(client_for, record, user):
    client = client_for(user)
    assert client.get(revoke_url(record)).status_code == 200
    response = client.post(revoke_url(record), REVOCATION)
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.is_revoked and record.revocation_reason == REVOCATION["reason"]


# Who issued it -------------------------------------------------------------------------------


def test_an_imported_record_is_issued_by_the_importers_body(org, hr, hr_x1):
    assert imported(hr, org.x1a).issuing_body == org.x
    # A department's HR staff enter history for their body, not for their department.
    assert imported(hr_x1, org.x1).issuing_body == org.x
    assert issuing_body_for(hr_x1, org.x1a) == org.x


def test_a_decision_issues_its_records_for_its_body(org, hr):
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    record = services.decision_issue(decision=decision, by=hr)[0]
    record.refresh_from_db()
    assert record.issuing_body == org.x == access.record_issuer(record)


# A department's HR staff and focal point ------------------------------------------------------


def test_a_departments_hr_staff_do_not_revoke_what_their_body_granted(
    org, hr, hr_x1, focal_x1, client_for
):
    record = imported(hr, org.x1)
    # They see it (their department's person) but may not change it: 403.
    assert_refused(client_for, record, hr_x1, 403)
    assert_refused(client_for, record, focal_x1, 403)
    assert_allowed(client_for, record, hr)


def test_a_departments_hr_staff_do_not_revoke_even_what_they_entered(org, hr, hr_x1, client_for):
    record = imported(hr_x1, org.x1)
    assert_refused(client_for, record, hr_x1, 403)
    assert_allowed(client_for, record, hr)


def test_a_departments_hr_staff_do_not_see_a_decisions_record(org, hr, hr_x1, client_for):
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    record = services.decision_issue(decision=decision, by=hr)[0]
    assert_refused(client_for, record, hr_x1, 404)
    assert_allowed(client_for, record, hr)


# Another body --------------------------------------------------------------------------------


def test_another_bodys_hr_staff_do_not_revoke(org, hr, hr_y, client_for):
    record = imported(hr, org.x1)
    assert_refused(client_for, record, hr_y, 404)
    assert_allowed(client_for, record, hr)


def test_a_recipient_who_moved_keeps_the_issuing_bodys_authority(org, hr, hr_y, client_for):
    """The recipient now works in body Y: Y's HR staff see the award in the person's
    history (403 on its revocation); X's HR staff, who granted it, still revoke it."""
    record = imported(hr, org.x1)
    person = record.person
    person.unit = org.y
    person.save()
    assert_refused(client_for, record, hr_y, 403)
    assert_allowed(client_for, record, hr)


def test_the_body_above_the_issuer_may_revoke(org, hr, client_for):
    # X1 treated as a body of its own: X's HR staff, above it, keep the authority.
    record = imported(hr, org.x1)
    record.issuing_body = org.x1
    record.save()
    assert_allowed(client_for, record, hr)


def test_a_record_without_a_known_issuer_is_changed_by_a_superuser_only(
    org, hr, admin_user, client_for
):
    record = AwardRecord.objects.create(
        award_type=AwardTypeFactory(), person=PersonFactory(unit=org.x1), year=2018
    )
    assert_refused(client_for, record, hr, 403)
    assert_allowed(client_for, record, admin_user)


# The migration that attributes the existing rows ----------------------------------------------


def test_the_migration_attributes_existing_records(org, hr, hr_x1, admin_user):
    fill = importlib.import_module(
        "awards.migrations.0005_award_record_issuing_body"
    ).fill_issuing_body
    decision = draft(org.x, hr, approved(org.x, hr, count=1))
    by_decision = services.decision_issue(decision=decision, by=hr)[0]
    award = AwardTypeFactory()
    by_dept_hr, by_superuser = (
        AwardRecord(award_type=award, person=PersonFactory(unit=org.x1a), year=2019),
        AwardRecord(award_type=award, person=PersonFactory(unit=org.x1a), year=2019),
    )
    bulk_create_with_history([by_dept_hr], AwardRecord, default_user=hr_x1)
    bulk_create_with_history([by_superuser], AwardRecord, default_user=admin_user)
    no_history = AwardRecord.objects.create(award_type=award, unit=org.x2, year=2020)
    AwardRecord.objects.update(issuing_body=None)

    fill(apps, None)

    issuers = dict(AwardRecord.objects.values_list("pk", "issuing_body"))
    assert issuers[by_decision.pk] == org.x.pk
    assert issuers[no_history.pk] == org.x.pk  # X2's body, not X2
    assert {issuers[r.pk] for r in AwardRecord.objects.filter(year=2019)} == {org.x.pk}
