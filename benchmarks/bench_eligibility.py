"""Time of the eligibility checks (awards.eligibility) on a body with ten years of history.

Run from the project root against a scratch PostgreSQL database (it adds its own data,
a body coded ``BENCH-ELIG``, the first time)::

    createdb -h 127.0.0.1 -U postgres thidua_bench_elig
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench_elig \
        .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_bench_elig \
        .venv/bin/python benchmarks/bench_eligibility.py [--people 40000] [--runs 200]

The data: one body with 200 units, ``--people`` people, ten years (2015–2024) of
Lao động tiên tiến (60 % a year) and Chiến sĩ thi đua cơ sở (20 %), a 2024 rating for
everyone, and a 2024 round of 10,000 nominations (LĐTT, CSTĐCS, CSTĐ bộ, CSTĐ toàn
quốc for people; Tập thể LĐTT and LĐXS for the 200 units), checked against the seeded
catalogue. It prints the batch time and queries, and the median and p90 of checking
one nomination (a person, a collective). Exit status 1 when a target is missed: one
nomination ≤ 20 ms median, 10,000 ≤ 15 s with a number of queries that does not grow.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from awards import eligibility  # noqa: E402
from awards.models import (  # noqa: E402
    AwardRecord,
    AwardRound,
    AwardType,
    Nomination,
    NominationStatus,
    TaskRating,
)
from campaigns.models import Person, Unit, UnitKind  # noqa: E402

BODY_CODE = "BENCH-ELIG"
ROUND_NAME = "Đợt đo kiểm tra điều kiện 2024"
SINGLE_TARGET_MS = 20.0
BATCH_TARGET_S = 15.0


@transaction.atomic
def seed(people_count: int) -> None:
    rng = random.Random(1)
    body = Unit.objects.create(
        code=BODY_CODE, name="Cơ quan đo kiểm tra điều kiện", kind=UnitKind.BODY
    )
    units = [
        Unit.objects.create(code=f"{BODY_CODE}-{n}", name=f"Vụ đo {n}", parent=body)
        for n in range(200)
    ]
    Person.objects.bulk_create(
        (Person(unit=units[n % 200], full_name=f"Cán bộ đo {n}") for n in range(people_count)),
        batch_size=5000,
    )
    people = list(
        Person.objects.filter(unit__path__startswith=body.path).values_list("pk", flat=True)
    )
    titles = {t.code: t for t in AwardType.objects.all()}
    records = []
    for person in people:
        for year in range(2015, 2025):
            if rng.random() < 0.6:
                records.append(AwardRecord(award_type=titles["LDTT"], person_id=person, year=year))
            if rng.random() < 0.2:
                records.append(
                    AwardRecord(award_type=titles["CSTDCS"], person_id=person, year=year)
                )
    AwardRecord.objects.bulk_create(records, batch_size=10000)
    TaskRating.objects.bulk_create(
        (
            TaskRating(person_id=p, year=2024, rating=rng.choice(["excellent", "good", "done"]))
            for p in people
        ),
        batch_size=10000,
    )
    award_round = AwardRound.objects.create(body=body, name=ROUND_NAME, year=2024)
    codes = ["LDTT", "CSTDCS", "CSTD_BO", "CSTD_TQ"]
    nominations = [
        Nomination(
            round=award_round,
            proposing_unit=body,
            award_type=titles[codes[n % 4]],
            person_id=person,
            year=2024,
            achievement_summary="Hoàn thành xuất sắc nhiệm vụ.",
            status=NominationStatus.SUBMITTED,
        )
        for n, person in enumerate(people[: 10000 - len(units)])
    ] + [
        Nomination(
            round=award_round,
            proposing_unit=body,
            award_type=titles["TTLDTT" if n % 2 else "TTLDXS"],
            unit=unit,
            year=2024,
            achievement_summary="Tập thể hoàn thành xuất sắc nhiệm vụ.",
            status=NominationStatus.SUBMITTED,
        )
        for n, unit in enumerate(units)
    ]
    Nomination.objects.bulk_create(nominations, batch_size=5000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded: {len(people)} people, {len(records)} award records, {len(nominations)} nominations"
    )


def timed(nominations: list[Nomination]) -> float:
    start = time.perf_counter()
    eligibility.check_batch(nominations)
    return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=40000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        print("Run against PostgreSQL (DATABASE_URL).")
        return 2
    if not Unit.objects.filter(code=BODY_CODE).exists():
        seed(args.people)
    award_round = AwardRound.objects.get(name=ROUND_NAME, body__code=BODY_CODE)
    nominations = list(award_round.nominations.order_by("pk"))
    failed = False

    # 100 nominations of every kind of title, like the whole batch.
    people = [n for n in nominations if n.person_id]
    sample = random.Random(3).sample(people, 96) + [n for n in nominations if n.unit_id][:4]
    timed(sample)  # warm up
    with CaptureQueriesContext(connection) as small:
        eligibility.check_batch(sample)
    start = time.perf_counter()
    with CaptureQueriesContext(connection) as large:
        reports = eligibility.check_batch(nominations)
    seconds = time.perf_counter() - start
    print(
        f"batch of {len(reports)}: {seconds:.2f} s, {len(large)} queries "
        f"(batch of {len(sample)}: {len(small)} queries)"
    )
    failed |= seconds > BATCH_TARGET_S or len(large) > len(small)

    rng = random.Random(2)
    for label, pool in (
        ("one person", [n for n in nominations if n.person_id]),
        ("one collective", [n for n in nominations if n.unit_id]),
    ):
        times = sorted(timed([n]) for n in rng.choices(pool, k=args.runs))
        median = statistics.median(times)
        print(f"{label}: median {median:.1f} ms, p90 {times[int(len(times) * 0.9)]:.1f} ms")
        failed |= median > SINGLE_TARGET_MS
    print("targets missed" if failed else "targets met")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
