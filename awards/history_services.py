"""Use cases of the history pages that change state: recording exemplars."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _

from campaigns.errors import DomainError
from campaigns.models import Campaign, Role
from campaigns.versioning import claim_version

from . import access
from .models import Exemplar

EXEMPLAR_ROLES = frozenset({Role.HR_STAFF})


def can_record_exemplar_for(user: AbstractBaseUser, exemplar: Exemplar) -> bool:
    subject_unit = exemplar.person.unit if exemplar.person_id else exemplar.unit
    return subject_unit is not None and access.in_scope(user, [subject_unit], EXEMPLAR_ROLES)


@transaction.atomic
def exemplar_save(
    *,
    exemplar: Exemplar,
    campaigns: Iterable[Campaign],
    by: AbstractBaseUser,
    expected_version: int | None = None,
) -> Exemplar:
    """Create or update an exemplar (điển hình tiên tiến) of a person or a collective.

    Only HR staff whose scope holds the person's unit (or the collective) record one;
    the change is kept in the exemplar's history (who, when) by simple_history. A change
    claims the version its form was built from (campaigns.versioning).
    """
    if bool(exemplar.person_id) == bool(exemplar.unit_id):
        raise DomainError(_("Điển hình phải là một cá nhân hoặc một tập thể."))
    if not can_record_exemplar_for(by, exemplar):
        raise DomainError(_("Bạn không có quyền ghi nhận điển hình cho cá nhân, tập thể này."))
    if exemplar.pk is None:
        exemplar.created_by = by
    else:
        claim_version(exemplar, expected_version)
    exemplar._change_reason = "awards.exemplar.saved"
    exemplar.save()
    exemplar.campaigns.set(list(campaigns))
    return exemplar
