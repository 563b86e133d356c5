"""Users and objects for the load test, on a database seeded with ``manage.py seed_scale``.

Run from the project root against the seeded database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_load \
        .venv/bin/python benchmarks/load/prepare_users.py --out /tmp/thidua-load/plan.json

The seed has one user (``bench.hr``); the year-end mix needs people in every role.
On the first ten bodies (``SC-B01`` … ``SC-B10``) it creates, deterministically:

- per body an HR officer ``load.hr.NN``;
- ten leaders ``load.leader.NN``: four of ``SC-B01`` (the seed issues half of its 60
  campaigns inside that body), one each of the six other bodies whose subtree
  issues the most campaigns;
- per body two focal points ``load.focal.NNa`` / ``NNb``, each for one department
  (``-D1``, ``-D2``: 17 units and ~1,700 people each);
- per body the year-end award round "LOAD 2026" (open, deadline 15/01/2027),
  made through ``awards.nomination_services.round_create`` by the body's HR officer:
  the seeded 2025 rounds closed their deadline on 15/01/2026;
- for each leader's body, a phase-review draft for every phase of the first
  campaigns issued in its subtree (launched or closed; at most ``DRAFTS_PER_BODY``),
  made through ``reports.draft_services.draft_create``, for the leaders to request;
- twelve secretariats ``load.secretary.NN`` of the blocs ``SC-K002`` … ``SC-K013``.
  The seed leaves every bloc's 2025 scoring at the meeting stage, where no score
  can be recorded: this script moves the first six of those tables back to
  self-scoring and the other six to cross-scoring, deadlines cleared (a direct
  update of the stage, which the product only ever moves forward).

Every user gets the same password (``--password``; this is test data on a
benchmark database, never a production one). A second run changes nothing but
the plan it writes: each run lists only nominees not yet nominated in the round
and registrations (unit, year) not yet made, so the test can be run again.
``--reset`` first deletes the registrations the load users made and the report
versions still queued from an interrupted run (marked failed, as the sweep would).

The plan (JSON) names, per user, the objects the locustfile acts on.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import sys
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import transaction  # noqa: E402

from awards import nomination_services  # noqa: E402
from awards.models import AwardRound, AwardType, Nomination, Registration  # noqa: E402
from campaigns.models import (  # noqa: E402
    Campaign,
    CampaignStatus,
    Person,
    Role,
    RoleAssignment,
    Unit,
)
from pledges.models import Bloc, BlocSecretariat, BlocYear, ScoringStage, ScoringTable  # noqa: E402
from pledges.selectors import members_in  # noqa: E402
from reports import draft_services  # noqa: E402
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion  # noqa: E402

PREFIX = "load."
DEFAULT_PASSWORD = "Tai-thu-2026!"  # noqa: S105 - test data on a benchmark database
BODIES = 10
LEADERS, FIRST_BODY_LEADERS = 10, 4
DRAFTS_PER_BODY = 12
LOAD_YEAR = 2026
ROUND_NAME = "LOAD 2026: Khen thưởng công trạng năm 2026"  # not "SC-": seed resets spare it
ROUND_DEADLINE = datetime.date(2027, 1, 15)
SCORING_YEAR = 2025
SECRETARY_BLOCS = [f"SC-K{n:03d}" for n in range(2, 14)]
REGISTRATION_YEARS = (2026, 2027)
NOMINEES_PER_FOCAL = 300
INDIVIDUAL_AWARDS = ("LDTT", "CSTDCS")
SEARCHES = ["nguyen van", "tran thi", "le minh", "pham thu", "hoang", "thao", "bui quang"]


def _user(username: str, password: str, first_name: str) -> Any:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"first_name": first_name}
    )
    if created or not user.check_password(password):
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


def _role(user: Any, role: str, unit: Unit) -> None:
    RoleAssignment.objects.get_or_create(user=user, role=role, unit=unit)


def _bodies() -> list[Unit]:
    bodies = list(Unit.objects.filter(code__startswith="SC-B", depth=0).order_by("code")[:BODIES])
    if len(bodies) < BODIES:
        sys.exit("No seed_scale data (units SC-B01…): run `manage.py seed_scale` first.")
    return bodies


def _award_round(body: Unit, hr: Any) -> AwardRound:
    existing = AwardRound.objects.filter(body=body, name=ROUND_NAME).first()
    if existing is not None:
        return existing
    return nomination_services.round_create(
        by=hr, body=body, name=ROUND_NAME, year=LOAD_YEAR, nomination_deadline=ROUND_DEADLINE
    )


def _campaigns(body: Unit) -> list[int]:
    """Campaigns issued in the body's subtree that have started (launched or closed)."""
    return list(
        Campaign.objects.filter(issuing_unit__path__startswith=body.path)
        .exclude(status=CampaignStatus.DRAFT)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _leader_bodies() -> list[Unit]:
    counts = {
        body: len(_campaigns(body))
        for body in Unit.objects.filter(code__startswith="SC-B", depth=0).order_by("code")
    }
    ranked = sorted((b for b in counts if counts[b]), key=lambda b: (-counts[b], b.code))
    first = next(b for b in ranked if b.code == "SC-B01")
    others = [b for b in ranked if b != first][: LEADERS - FIRST_BODY_LEADERS]
    return [first] * FIRST_BODY_LEADERS + others


def _drafts(body: Unit, by: Any) -> list[int]:
    ids = []
    for campaign in Campaign.objects.filter(pk__in=_campaigns(body)).order_by("pk"):
        for phase in campaign.phases.order_by("number"):
            if len(ids) == DRAFTS_PER_BODY:
                return ids
            draft = ReportDraft.objects.filter(kind=ReportKind.PHASE_REVIEW, phase=phase).first()
            if draft is None:
                draft = draft_services.draft_create(by=by, campaign=campaign, phase=phase)
            ids.append(draft.pk)
    return ids


def _nominees(department: Unit, award_round: AwardRound) -> list[int]:
    taken = Nomination.objects.filter(round=award_round, person__isnull=False).values("person_id")
    return list(
        Person.objects.filter(unit__path__startswith=department.path, is_active=True)
        .exclude(pk__in=taken)
        .order_by("pk")
        .values_list("pk", flat=True)[:NOMINEES_PER_FOCAL]
    )


def _registrations(department: Unit) -> list[list[int]]:
    """(unit, year) pairs of the department's subtree without a registration, teams first."""
    units = list(
        Unit.objects.filter(path__startswith=department.path, is_active=True)
        .order_by("-depth", "path")
        .values_list("pk", flat=True)
    )
    made = set(
        Registration.objects.filter(
            unit_id__in=units, campaign__isnull=True, year__in=REGISTRATION_YEARS
        ).values_list("unit_id", "year")
    )
    return [
        [unit, year] for year in REGISTRATION_YEARS for unit in units if (unit, year) not in made
    ]


def _scoring(bloc: Bloc, stage: str) -> dict[str, Any]:
    bloc_year = BlocYear.objects.get(bloc=bloc, year=SCORING_YEAR)
    ScoringTable.objects.filter(bloc_year=bloc_year).update(
        stage=stage, self_deadline=None, cross_deadline=None, reopened_until=None
    )
    members = list(members_in(bloc, SCORING_YEAR).values_list("pk", flat=True))
    return {"bloc": bloc.pk, "bloc_year": bloc_year.pk, "stage": stage, "members": members}


def _reset() -> None:
    load_users = get_user_model().objects.filter(username__startswith=PREFIX)
    made = Registration.history.filter(history_type="+", history_user__in=load_users).values("id")
    deleted, _ = Registration.objects.filter(pk__in=made).delete()
    stuck = ReportVersion.objects.filter(
        requested_by__in=load_users, status__in=[ReportStatus.QUEUED, ReportStatus.RUNNING]
    ).update(status=ReportStatus.FAILED, error="Load test interrupted (prepare_users --reset).")
    print(f"reset: {deleted} registration rows deleted, {stuck} queued versions marked failed")


@transaction.atomic
def prepare(password: str) -> dict[str, Any]:
    bodies = _bodies()
    award_types = list(
        AwardType.objects.filter(code__in=INDIVIDUAL_AWARDS).values_list("pk", flat=True)
    )
    plan: dict[str, Any] = {
        "password": password,
        "focal": [],
        "leader": [],
        "hr": [],
        "secretary": [],
    }
    for n, body in enumerate(bodies, start=1):
        hr = _user(f"{PREFIX}hr.{n:02d}", password, f"Cán bộ TĐKT {n:02d}")
        _role(hr, Role.HR_STAFF, body)
        award_round = _award_round(body, hr)
        plan["hr"].append({"username": hr.username, "body": body.pk, "q": SEARCHES})
        for letter, code in (("a", "D1"), ("b", "D2")):
            department = Unit.objects.get(code=f"{body.code}-{code}")
            focal = _user(f"{PREFIX}focal.{n:02d}{letter}", password, f"Đầu mối {n:02d}{letter}")
            _role(focal, Role.FOCAL_POINT, department)
            plan["focal"].append(
                {
                    "username": focal.username,
                    "unit": department.pk,
                    "round": award_round.pk,
                    "award_types": award_types,
                    "nominees": _nominees(department, award_round),
                    "registrations": _registrations(department),
                }
            )
    for n, body in enumerate(_leader_bodies(), start=1):
        leader = _user(f"{PREFIX}leader.{n:02d}", password, f"Lãnh đạo {n:02d}")
        _role(leader, Role.LEADER, body)
        plan["leader"].append(
            {
                "username": leader.username,
                "body": body.pk,
                "campaigns": _campaigns(body),
                # In the app HR staff start drafts; here the service (which checks no
                # role) records the leader as creator, since most of these bodies have
                # no load HR user. The leaders only ask for versions of them.
                "drafts": _drafts(body, leader),
            }
        )
    for n, short_name in enumerate(SECRETARY_BLOCS, start=1):
        bloc = Bloc.objects.get(short_name=short_name)
        secretary = _user(f"{PREFIX}secretary.{n:02d}", password, f"Thư ký khối {n:02d}")
        BlocSecretariat.objects.get_or_create(user=secretary, bloc=bloc)
        stage = ScoringStage.SELF if n <= len(SECRETARY_BLOCS) // 2 else ScoringStage.CROSS
        plan["secretary"].append({"username": secretary.username, **_scoring(bloc, stage)})
    return plan


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="where to write the plan (JSON)")
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--reset", action="store_true")
    args = parser.parse_args(argv)
    if args.reset:
        _reset()
    plan = prepare(args.password)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(plan, indent=1))
    counts = ", ".join(
        f"{len(plan[role])} {role}" for role in ("focal", "secretary", "leader", "hr")
    )
    nominees = sum(len(f["nominees"]) for f in plan["focal"])
    registrations = sum(len(f["registrations"]) for f in plan["focal"])
    print(
        f"plan in {args.out}: {counts}; {nominees} nominees and {registrations} registrations "
        f"still open; {sum(len(u['drafts']) for u in plan['leader'])} report drafts"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
