"""Eligibility checks and award pages on the national-scale data set.

Run from the project root after ``manage.py seed_scale`` and
``manage.py seed_scale_awards``::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_scale \\
        .venv/bin/python benchmarks/bench_awards.py [--runs 30] [--warmup 3] [--no-explain]

Same method as ``benchmarks/bench_pages.py`` (whose helpers it imports): in-process,
``bench.hr`` logged in with Django's test client, each page requested ``--runs``
times round-robin after a warm-up, compared with the layout-only page. It measures:

- the eligibility check of one nomination (``check_nomination``), once on each of
  ``--runs`` (≥ 30) different nominations of the 2025 rounds, every kind of title;
  target ≤ 20 ms median;
- a batch check (``check_batch``) of 10,000 nominations (target ≤ 15 s) and the
  number of queries of a batch of 1,000 and of 10,000 (must be equal);
- the nominations list and a person's history page (target: median ≤ 150 ms
  and ≤ 3× the layout page);

and prints EXPLAIN ANALYZE of the history query and of the award-history (consecutive
years) query of a batch. With ``--split`` it also parts each page's median into the
time spent in SQL (the driver's ``execute``: round trip, planning, execution),
in rendering templates, and in the rest (building and compiling the ORM's queries,
making model instances, the view, the middleware). Writes nothing: the checks run in a rolled-back transaction.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("STATIC_MANIFEST", "false")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, reset_queries, transaction  # noqa: E402
from django.db.backends.utils import CursorWrapper  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.template.backends.django import Template as DjangoTemplate  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, reverse  # noqa: E402

from awards import access, eligibility, history_selectors  # noqa: E402
from awards.models import AwardRecord, Nomination, NominationStatus  # noqa: E402
from benchmarks.bench_pages import (  # noqa: E402
    BENCH_USERNAME,
    TARGET_MS,
    TARGET_RATIO,
    Page,
    _measure,
)
from campaigns import access as unit_access  # noqa: E402

SINGLE_TARGET_MS = 20.0
BATCH_TARGET_S = 15.0
BATCH_SIZES = (1_000, 10_000)
CHECK_YEAR = 2025
# The mix of one-by-one checks: every kind of title the 2025 rounds hold.
SINGLE_MIX = {"LDTT": 12, "CSTDCS": 10, "CSTD_BO": 6, "TTLDTT": 6, "TTLDXS": 6}


def _ms(seconds: float) -> float:
    return seconds * 1000


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-95 * len(ordered) // 100) - 1)]


def _single_nominations(count: int) -> list[Nomination]:
    """``count`` different nominations of the 2025 rounds, spread over the kinds of title."""
    base = Nomination.objects.filter(year=CHECK_YEAR, round__name__startswith="SC-")
    chosen: list[int] = []
    total = sum(SINGLE_MIX.values())
    for code, weight in SINGLE_MIX.items():
        wanted = -(-count * weight // total) + 1
        chosen += list(
            base.filter(award_type__code=code)
            .order_by("pk")
            .values_list("pk", flat=True)[: wanted * 10 : 10]
        )
    return list(Nomination.objects.filter(pk__in=chosen).order_by("pk"))


def bench_single(runs: int, warmup: int) -> tuple[list[float], int]:
    nominations = _single_nominations(max(runs, 30))
    if len(nominations) < 30:
        sys.exit("Fewer than 30 nominations of 2025: run `manage.py seed_scale_awards` first.")
    times = []
    with transaction.atomic():
        for nomination in nominations[:warmup]:
            eligibility.check_nomination(nomination)
        for nomination in nominations:
            started = time.perf_counter()
            eligibility.check_nomination(nomination)
            times.append(_ms(time.perf_counter() - started))
        with CaptureQueriesContext(connection) as captured:
            eligibility.check_nomination(nominations[0])
        transaction.set_rollback(True)
    return times, len(captured)


def _batch(size: int) -> list[Nomination]:
    """``size`` nominations of the 2025 rounds still in play, the same mix at any size.

    Within each title, every ``n``-th by id (the first ids are all collectives), in
    proportion to the title's share of the round, and at least one of every title:
    batches of 1,000 and 10,000 then hold the same titles, people and collectives, so
    they apply the same kinds of rule and their query counts compare like with like (a
    batch of 1,000 taken every ``n``-th over all titles held no CSTĐ bộ nomination, and
    so read no council tallies).
    """
    by_type: dict[int, list[int]] = {}
    for pk, type_id in (
        Nomination.objects.filter(
            year=CHECK_YEAR,
            round__name__startswith="SC-",
            status__in=eligibility.LIVE_STATUSES,
        )
        .order_by("pk")
        .values_list("pk", "award_type_id")
    ):
        by_type.setdefault(type_id, []).append(pk)
    total = sum(len(ids) for ids in by_type.values())
    shares = {t: max(1, round(size * len(ids) / total)) for t, ids in by_type.items()}
    largest = max(by_type, key=lambda t: len(by_type[t]))
    shares[largest] += size - sum(shares.values())  # rounding: exactly ``size`` in all
    chosen: list[int] = []
    for type_id, ids in by_type.items():
        chosen += ids[:: max(1, len(ids) // shares[type_id])][: shares[type_id]]
    return list(Nomination.objects.filter(pk__in=chosen).order_by("pk"))


def bench_batch(repeat: int) -> dict[int, tuple[list[float], int, dict[str, int]]]:
    results = {}
    tables: dict[int, list[str]] = {}
    for size in BATCH_SIZES:
        nominations = _batch(size)
        if len(nominations) < size:
            sys.exit(f"Fewer than {size:,} nominations in play: run seed_scale_awards first.")
        with CaptureQueriesContext(connection) as captured:
            reports = eligibility.check_batch(nominations)
        overall: dict[str, int] = {}
        for report in reports.values():
            overall[report.overall] = overall.get(report.overall, 0) + 1
        times = []
        for _ in range(repeat if size == BATCH_SIZES[-1] else 1):
            started = time.perf_counter()
            eligibility.check_batch(nominations)
            times.append(time.perf_counter() - started)
        results[size] = (times, len(captured), overall)
        tables[size] = _tables(captured.captured_queries)
        slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
        print(f"\nbatch of {size:,}: {len(captured)} queries; slowest:")
        for query in slowest:
            print(f"  {float(query['time']) * 1000:8.1f} ms  {query['sql'][:160]}")
        reset_queries()
    # Which kinds of fact one batch read and the other did not (if the counts differ).
    small, large = (tables[size] for size in BATCH_SIZES)
    for table in sorted(set(small) | set(large)):
        if small.count(table) != large.count(table):
            print(
                f"  {table}: {small.count(table)} queries for {BATCH_SIZES[0]:,}, "
                f"{large.count(table)} for {BATCH_SIZES[-1]:,}"
            )
    return results


def _tables(queries: list[dict[str, str]]) -> list[str]:
    """The first table each query reads, to tell which kinds of fact a batch read."""
    return [q["sql"].split(" FROM ", 1)[-1].split()[0].strip('"') for q in queries]


def _split(pages: list[Page], runs: int) -> dict[str, tuple[float, float, float]]:
    """Per page, the medians of its time in SQL and in templates, and the rest.

    Times ``CursorWrapper._execute`` (the driver's execute: round trip, planning and
    execution, not the ORM's work before it) and ``Template.render`` of the Django
    backend (the page's template with what it extends and includes) during ``runs``
    more requests of each page.
    """
    spent = {"sql": 0.0, "templates": 0.0}

    def timed(function, key):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - started

        return wrapper

    execute, render = CursorWrapper._execute, DjangoTemplate.render
    CursorWrapper._execute = timed(execute, "sql")
    DjangoTemplate.render = timed(render, "templates")
    try:
        split = {}
        for page in pages:
            parts: dict[str, list[float]] = {"sql": [], "templates": [], "rest": []}
            for run in range(runs):
                spent.update(sql=0.0, templates=0.0)
                started = time.perf_counter()
                page.client.get(page.urls[run % len(page.urls)])
                total = time.perf_counter() - started
                parts["sql"].append(spent["sql"])
                parts["templates"].append(spent["templates"])
                parts["rest"].append(total - spent["sql"] - spent["templates"])
            split[page.name] = tuple(_ms(statistics.median(parts[key])) for key in parts)
        return split
    finally:
        CursorWrapper._execute, DjangoTemplate.render = execute, render


def _people_with_history(user, count: int) -> list[int]:
    """People of bench.hr's scope with the most awards (the heaviest history pages)."""
    people = unit_access.visible_people(user).values("pk")
    return list(
        AwardRecord.objects.filter(person_id__in=people)
        .values("person_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "person_id")
        .values_list("person_id", flat=True)[:count]
    )


def _explain(user, person_ids: list[int]) -> None:
    if connection.vendor != "postgresql":
        return
    person_id = person_ids[0]
    print("\n-- a person's history (award_records().filter(person=…)):")
    print(history_selectors.award_records().filter(person_id=person_id).explain(analyze=True))
    nominations = _batch(BATCH_SIZES[-1])
    people = {n.person_id for n in nominations if n.person_id}
    units = {n.unit_id for n in nominations if n.unit_id}
    query = (
        AwardRecord.objects.filter(
            eligibility._in("person_id", people) | eligibility._in("unit_id", units)
        )
        .order_by()
        .values_list("person_id", "unit_id", "award_type_id", "year", "track", "revoked_on")
    )
    print(
        f"\n-- award history of a batch of {len(nominations):,} "
        f"({len(people):,} people, {len(units):,} units), as the consecutive-year rule reads it:"
    )
    print(query.explain(analyze=True))
    one = AwardRecord.objects.filter(person_id=person_id).order_by()
    print("\n-- award history of one nominee (same query, one person):")
    print(
        one.values_list("person_id", "unit_id", "award_type_id", "year", "track").explain(
            analyze=True
        )
    )
    nominations_page = access.visible_nominations(user).order_by("-year", "-created_at", "-pk")[
        : settings.PAGE_SIZE
    ]
    print("\n-- nominations list, first page (bench.hr):")
    print(nominations_page.explain(analyze=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--batch-repeat", type=int, default=3)
    parser.add_argument("--no-explain", action="store_true")
    parser.add_argument("--no-batch", action="store_true")
    parser.add_argument("--split", action="store_true", help="SQL / templates / rest per page")
    args = parser.parse_args(argv)
    settings.ROOT_URLCONF = "benchmarks.bench_urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clear_url_caches()

    user = get_user_model().objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        sys.exit("No user bench.hr: run `manage.py seed_scale` first.")
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{AwardRecord.objects.count():,} award records, "
        f"{Nomination.objects.count():,} nominations; "
        f"bench.hr sees {access.visible_nominations(user).count():,} nominations"
    )
    ok = True

    single, single_queries = bench_single(args.runs, args.warmup)
    single_median = statistics.median(single)
    ok = ok and single_median <= SINGLE_TARGET_MS

    batch = {} if args.no_batch else bench_batch(args.batch_repeat)

    client = Client()
    client.force_login(user)
    person_ids = _people_with_history(user, max(args.runs, 30))
    pages = [
        Page("layout only (yardstick)", [reverse("bench_layout")], client),
        Page("nominations list", [reverse("awards:nomination_list")], client),
        Page(
            "nominations list, status=submitted",
            [f"{reverse('awards:nomination_list')}?status={NominationStatus.SUBMITTED}"],
            client,
        ),
        Page(
            "person's history",
            [reverse("awards:person_history", args=[pk]) for pk in person_ids],
            client,
        ),
    ]
    _measure(pages, args.runs, args.warmup)
    split = _split(pages, args.runs) if args.split else {}
    if not args.no_explain:
        _explain(user, person_ids)

    print(f"\n{'measure':44} {'median':>10} {'p95':>10} {'× layout':>9} {'queries':>8}  target")
    print(
        f"{'eligibility, one nomination':44} {single_median:7.1f} ms {_p95(single):7.1f} ms "
        f"{'':>9} {single_queries:8d}  "
        f"{'met' if single_median <= SINGLE_TARGET_MS else 'MISSED'} (≤ {SINGLE_TARGET_MS:.0f} ms)"
    )
    for size, (times, queries, overall) in batch.items():
        median = statistics.median(times)
        met = size != BATCH_SIZES[-1] or median <= BATCH_TARGET_S
        ok = ok and met
        print(
            f"{f'eligibility, batch of {size:,}':44} {median:8.2f} s {max(times):8.2f} s "
            f"{'':>9} {queries:8d}  {'met' if met else 'MISSED'}  {overall}"
        )
    if batch:
        counts = {queries for _times, queries, _overall in batch.values()}
        flat = len(counts) == 1
        ok = ok and flat
        print(f"{'  queries flat between batch sizes':44} {'yes' if flat else 'NO — MISSED'}")
    yardstick = pages[0].median
    for page in pages:
        ratio = page.median / yardstick
        met = page is pages[0] or (page.median <= TARGET_MS and ratio <= TARGET_RATIO)
        ok = ok and met
        print(
            f"{page.name:44} {page.median:7.1f} ms {page.p95:7.1f} ms {ratio:9.2f} "
            f"{page.queries:8d}  {'-' if page is pages[0] else 'met' if met else 'MISSED'}"
        )
    if split:
        print(f"\n{'where a page spends its median':44} {'SQL':>10} {'templates':>10} {'rest':>10}")
        for page in pages:
            sql, templates, rest = split[page.name]
            print(f"{page.name:44} {sql:7.2f} ms {templates:7.2f} ms {rest:7.2f} ms")
    print(
        f"\n{len(single)} single checks; batch of {BATCH_SIZES[-1]:,} timed {args.batch_repeat}×; "
        f"{args.runs} requests per page after {args.warmup} warm-up rounds. "
        f"Load average: {os.getloadavg()}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
