"""Print locust's statistics CSV (and gunicorn's access log) as Markdown tables.

    .venv/bin/python benchmarks/load/summary.py <run>/locust_stats.csv [<run>/access.log]

First table: one row per page (locust's "Name"), slowest p95 first, then the
aggregated row; times as the load users saw them, waiting for a free gunicorn
thread included. Second table, from the access log written by run.sh (last field
``%(M)s`` = milliseconds gunicorn spent on the request): the same percentiles per
route and method, i.e. the server's own time.
"""

from __future__ import annotations

import csv
import math
import re
import statistics
import sys
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.load.routes import ROUTES

# The statistics row where the locustfile counts GETs answered by a reset (sent again).
RESET_ROW = "connection reset before any answer (GET sent again)"

LINE_RE = re.compile(
    r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) \S+ (?P<ms>\d+)ms$'
)


def _ms(value: str) -> str:
    return "–" if value in ("", "N/A") else f"{float(value):.0f}"


def table(stats_csv: Path) -> str:
    with stats_csv.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    pages = sorted(
        (r for r in rows if r["Name"] != "Aggregated"),
        key=lambda r: float(r["95%"] if r["95%"] not in ("", "N/A") else 0),
        reverse=True,
    )
    lines = [
        "| page | type | requests | failures | median ms | p95 ms | p99 ms | max ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in [*pages, total]:
        name = "**all**" if r is total else r["Name"]
        lines.append(
            f"| {name} | {r['Type']} | {r['Request Count']} | {r['Failure Count']} | "
            f"{_ms(r['50%'])} | {_ms(r['95%'])} | {_ms(r['99%'])} | "
            f"{_ms(r['Max Response Time'])} |"
        )
    lines.append("")
    lines.append(
        f"{total['Request Count']} requests, {total['Failure Count']} failures, "
        f"{float(total['Requests/s']):.1f} requests/s"
    )
    resets = next((r for r in rows if r["Name"] == RESET_ROW), None)
    if resets is not None:
        lines.append(
            f"({resets['Request Count']} of the requests are GETs that met a connection reset "
            "and were sent again, each counted once more under its page)"
        )
    return "\n".join(lines)


def _route_patterns() -> list[tuple[str, re.Pattern[str]]]:
    patterns = []
    for name, template in ROUTES.items():
        regex = "^" + re.escape(template).replace(re.escape("{}"), r"\d+")
        patterns.append((name, re.compile(regex + "$")))
    return patterns


def _p95(values: list[int]) -> int:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def server_table(access_log: Path) -> str:
    patterns = _route_patterns()
    times: dict[tuple[str, str], list[int]] = defaultdict(list)
    statuses: dict[str, int] = defaultdict(int)
    for line in access_log.read_text(encoding="utf-8").splitlines():
        found = LINE_RE.search(line)
        if not found or found["path"].startswith("/healthz"):  # run.sh's own probes
            continue
        url = found["path"].split("?")[0]
        name = next((n for n, p in patterns if p.match(url)), url)
        times[(name, found["method"])].append(int(found["ms"]))
        statuses[found["status"]] += 1
    lines = [
        "| route | method | requests | median ms | p95 ms | max ms |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for (name, method), values in sorted(times.items(), key=lambda kv: -_p95(kv[1])):
        lines.append(
            f"| {name} | {method} | {len(values)} | {statistics.median(values):.0f} | "
            f"{_p95(values)} | {max(values)} |"
        )
    every = [v for values in times.values() for v in values]
    if every:
        lines.append(
            f"| **all** | | {len(every)} | {statistics.median(every):.0f} | {_p95(every)} | "
            f"{max(every)} |"
        )
    lines.append("")
    lines.append("statuses: " + ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1])))
    if len(sys.argv) > 2:
        print()
        print("Server time per route (gunicorn access log):")
        print()
        print(server_table(Path(sys.argv[2])))
