"""The demo blocs, years and pledges from seeds 001 and 004; loading twice changes nothing."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command

from pledges import pledge_selectors
from pledges.demo import INSPECTORATE_SERVICES, INTERNAL_AFFAIRS
from pledges.models import BlocYear, Commitment, Pledge, PledgeStatus, Signature

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (BlocYear, Pledge, Commitment, Signature))


def test_the_demo_rotation_and_pledges():
    call_command("load_demo", "--allow-without-debug", stdout=io.StringIO())
    first = counts()
    call_command("load_demo", "--allow-without-debug", stdout=io.StringIO())
    assert counts() == first

    year_2024 = BlocYear.objects.get(bloc__name=INTERNAL_AFFAIRS, year=2024)
    assert year_2024.leader.code == "TANDTC"
    assert pledge_selectors.previous_leader(year_2024).code == "KTNN"
    assert year_2024.flag_handover_date == datetime.date(2024, 4, 10)
    assert year_2024.flag_handover_occasion == "Hội nghị tổng kết công tác TĐKT năm 2023"
    assert year_2024.deputies.count() >= 1

    pledge = Pledge.objects.get(bloc_year=year_2024)
    assert pledge.status == PledgeStatus.SIGNED and pledge.signed_at is not None
    assert pledge.signatures.count() == 8
    assert not pledge_selectors.unsigned_members(pledge).exists()
    positions = set(pledge.signatures.values_list("signatory_position", flat=True))
    assert "Phó Chánh án Tòa án nhân dân tối cao" in positions

    inspectorate = Pledge.objects.get(bloc_year__bloc__name=INSPECTORATE_SERVICES)
    assert inspectorate.bloc_year.year == 2023
    assert "Siết chặt kỷ cương, tăng cường hiệu quả" in inspectorate.title
    assert inspectorate.commitments.count() >= 5
    assert [c.number for c in inspectorate.commitments.order_by("number")] == list(
        range(1, inspectorate.commitments.count() + 1)
    )
    assert inspectorate.campaigns.filter(name__startswith="Siết chặt kỷ cương").exists()
