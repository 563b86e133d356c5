"""Celery tasks of the awards app. Each loads its row by id and calls a service."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="awards.check_round")
def check_round(round_id: int) -> int:
    """Check the eligibility of a round's nominations (``nomination_services``)."""
    from .models import AwardRound
    from .nomination_services import round_check_eligibility

    award_round = AwardRound.objects.filter(pk=round_id).first()
    if award_round is None:  # removed since it was queued: nothing to check
        return 0
    return round_check_eligibility(award_round=award_round)
