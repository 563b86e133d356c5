"""Server time of the main pages on the national-scale data set (``manage.py seed_scale``).

Run from the project root against the seeded database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_scale \
        .venv/bin/python benchmarks/bench_pages.py [--runs 30] [--warmup 3]

It logs ``bench.hr`` in with Django's test client (no network, no browser), times
each ``client.get`` in-process, and compares every page with a page that renders
only the layout (session, authentication, middleware, navigation; no content).
With the blocs seeded (``seed_scale``'s blocs stage) it also measures the page,
the pledges and the scoring results (ranking) of the 40-member bloc ``SC-K001``,
which bench.hr manages, and counts the ranking's queries.
It prints median and p95 per page, the ratio to the layout page, the queries per
page, and EXPLAIN ANALYZE of the people search. Exit status 1 when a page misses
a target (median ≤ 150 ms and ≤ 3x the layout page).
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# Measure the views, not a missing collectstatic: the manifest storage would fail
# on every {% static %} without one, and its lookup is a dict access anyway.
os.environ.setdefault("STATIC_MANIFEST", "false")

# WhiteNoise warns once that there is no collected static directory; irrelevant here.
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import clear_url_caches, reverse  # noqa: E402

from campaigns import access, selectors  # noqa: E402
from campaigns.models import Campaign, Person, Unit  # noqa: E402
from campaigns.org_views import CappedPaginator  # noqa: E402

BENCH_USERNAME = "bench.hr"
TARGET_MS = 150.0
TARGET_RATIO = 3.0

# Folded name fragments, as a user types them (no diacritics). Two sets: words of
# three letters or more, which the trigram index serves, and queries holding a
# one- or two-letter word ("le", "vu", "an"), which it cannot serve on its own.
NAME_QUERIES = [
    "nguyen van hung",
    "tran thi",
    "thao",
    "le minh",
    "pham thu trang",
    "hoang",
    "dang duc",
    "huynh ngoc anh",
    "sc-012345",
    "bui quang",
    "phuong",
    "duong hai",
    "vo thi mai",
    "nguyen thanh",
    "quynh",
]
SHORT_QUERIES = ["le an", "vu ha", "ho thi ly", "ly", "le", "an", "ngo vy", "do van an"]


@dataclass
class Page:
    name: str
    urls: list[str]
    client: Client
    times_ms: list[float] = field(default_factory=list)
    queries: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def _search_urls(queries: list[str]) -> list[str]:
    return [f"{reverse('org:people')}?q={q.replace(' ', '+')}" for q in queries]


BENCH_BLOC = "SC-K001"  # seed_scale_blocs: 40 members inside bench.hr's body, 10 years


def _bloc_pages(client: Client) -> list[Page]:
    """The bloc, its pledges and the latest year's results (ranking) of the 40-member bloc."""
    from pledges.models import Bloc, Pledge, ScoringTable

    bloc = Bloc.objects.filter(short_name=BENCH_BLOC).first()
    if bloc is None:
        print("No seeded blocs (seed_scale --blocs): bloc pages not measured.")
        return []
    pledges = list(
        Pledge.objects.filter(bloc_year__bloc=bloc)
        .order_by("-bloc_year__year")
        .values_list("pk", flat=True)
    )
    table = ScoringTable.objects.filter(bloc_year__bloc=bloc).order_by("-bloc_year__year").first()
    pages = [
        Page(
            "bloc page (40 members, 10 years)",
            [reverse("pledges:bloc_detail", args=[bloc.pk])],
            client,
        ),
        Page(
            "pledge page (40 signatures)",
            [reverse("pledges:pledge_detail", args=[pk]) for pk in pledges],
            client,
        ),
    ]
    if table is not None:
        pages.append(
            Page(
                "scoring results: ranking, 40 members × 12 criteria",
                [reverse("pledges:scoring_results", args=[table.bloc_year_id])],
                client,
            )
        )
    return pages


def _ranking_queries(explain: bool) -> None:
    """The ranking of the 40-member bloc: queries for table, ranking and statistics; EXPLAIN."""
    from pledges import scoring_selectors
    from pledges.models import ScoringTable

    table = (
        ScoringTable.objects.filter(bloc_year__bloc__short_name=BENCH_BLOC)
        .select_related("bloc_year", "bloc_year__bloc")
        .order_by("-bloc_year__year")
        .first()
    )
    if table is None:
        return
    with CaptureQueriesContext(connection) as captured:
        groups = scoring_selectors.table_groups(table)
        ranking = scoring_selectors.ranking(table)
        stats = scoring_selectors.criterion_stats(table, scoring_selectors.criteria_of(groups))
    print(
        f"\nRanking of {BENCH_BLOC} ({table.bloc_year.year}): {len(ranking)} members, "
        f"{len(stats)} scored cells, {len(captured)} queries (groups, criteria, ranking, "
        f"statistics, final scores)"
    )
    if explain and connection.vendor == "postgresql":
        ranking_sql = next(q["sql"] for q in captured.captured_queries if "RANK()" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN ANALYZE {ranking_sql}")
            plan = [row[0] for row in cursor.fetchall()]
        print("-- ranking: " + "; ".join(line for line in plan if "Time:" in line))


def _pages(user: Any, client: Client) -> list[Page]:
    body = Unit.objects.get(pk=access.grants(user)[0].unit_id)
    campaigns = list(
        access.visible_campaigns(user).order_by("pk").values_list("pk", flat=True)[:10]
    )
    if not campaigns:
        sys.exit("bench.hr sees no campaign: run `manage.py seed_scale` first.")
    return [
        Page("layout only (yardstick)", [reverse("bench_layout")], client),
        Page("campaign list", [reverse("campaigns:list")], client),
        Page(
            "campaign page",
            [reverse("campaigns:detail", args=[pk]) for pk in campaigns],
            client,
        ),
        Page("unit tree", [reverse("org:unit_tree")], client),
        Page("unit detail (body)", [reverse("org:unit_detail", args=[body.pk])], client),
        Page("people search", _search_urls(NAME_QUERIES), client),
        Page("people search, 1–2 letter words", _search_urls(SHORT_QUERIES), client),
        *_bloc_pages(client),
    ]


def _measure(pages: list[Page], runs: int, warmup: int) -> None:
    # Round-robin over the pages so a slow patch of the machine hits them all alike.
    for run in range(-warmup, runs):
        for page in pages:
            url = page.urls[run % len(page.urls)]
            started = time.perf_counter()
            response = page.client.get(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 200:
                sys.exit(f"{url} answered {response.status_code}")
            if run >= 0:
                page.times_ms.append(elapsed)
    for page in pages:
        with CaptureQueriesContext(connection) as captured:
            page.client.get(page.urls[0])
        page.queries = len(captured)


def _plan_summary(plan: str) -> str:
    used = [
        name
        for name, marker in [
            ("trigram index", "campaigns_person_search_trgm"),
            ("person.unit_id index", "campaigns_person_unit_id"),
            ("sequential scan of people", "Seq Scan on campaigns_person"),
        ]
        if marker in plan
    ]
    return ", ".join(used) or "other"


def _explain_people_search(user: Any, queries: list[str]) -> None:
    """Print the plans of the people search."""
    if connection.vendor != "postgresql":
        return
    for q in queries:
        people = selectors.people_search(
            access.visible_people(user), q, units=access.visible_units(user)
        )
        # The one search the page runs (CappedPaginator): the keys of the first
        # 1,000 matches in display order; the page's 25 rows are then read by key.
        for label, query in [
            ("matching keys, capped", people.values_list("pk", flat=True)[: CappedPaginator.cap]),
        ]:
            plan = query.explain(analyze=True)
            print(f"\n-- {user.username}: q={q!r}, {label}: {_plan_summary(plan)}")
            print(plan)


def _report(pages: list[Page], runs: int) -> bool:
    yardstick = pages[0].median
    print(f"\n{'page':44} {'median ms':>10} {'p95 ms':>8} {'× layout':>9} {'queries':>8}  target")
    ok = True
    for page in pages:
        ratio = page.median / yardstick
        met = page is pages[0] or (page.median <= TARGET_MS and ratio <= TARGET_RATIO)
        ok = ok and met
        print(
            f"{page.name:44} {page.median:10.1f} {page.p95:8.1f} {ratio:9.2f} {page.queries:8d}"
            f"  {'-' if page is pages[0] else 'met' if met else 'MISSED'}"
        )
    print(f"\n{runs} timed requests per page after warm-up; targets: median ≤ {TARGET_MS:.0f} ms")
    print(f"and ≤ {TARGET_RATIO:.0f}× the layout-only page. Load average: {os.getloadavg()}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-explain", action="store_true")
    args = parser.parse_args(argv)

    settings.ROOT_URLCONF = "benchmarks.bench_urls"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    clear_url_caches()

    user = get_user_model().objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        sys.exit("No user bench.hr: run `manage.py seed_scale` first.")
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{Unit.objects.count():,} units, {Person.objects.count():,} people, "
        f"{Campaign.objects.count():,} campaigns; "
        f"bench.hr reaches {access.visible_people(user).count():,} people"
    )
    client = Client()
    client.force_login(user)
    pages = _pages(user, client)
    _measure(pages, args.runs, args.warmup)

    # The same search for someone whose scope is the whole country (all 300,000
    # people). The seed has no such user, so one is created here and rolled back.
    with transaction.atomic():
        national = get_user_model().objects.create_superuser("bench.national-tmp")
        national_client = Client()
        national_client.force_login(national)
        national_pages = [
            Page(
                "people search, whole country (superuser)",
                _search_urls(NAME_QUERIES),
                national_client,
            ),
            Page("  same, 1–2 letter words", _search_urls(SHORT_QUERIES), national_client),
        ]
        _measure(national_pages, args.runs, args.warmup)
        if not args.no_explain:
            _explain_people_search(user, ["nguyen van hung", "nguyen", "thao", "le an"])
            _explain_people_search(national, ["nguyen van hung", "nguyen", "le an"])
        transaction.set_rollback(True)
    _ranking_queries(explain=not args.no_explain)
    return 0 if _report(pages + national_pages, args.runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
