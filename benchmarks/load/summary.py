"""Print locust's statistics CSV as the Markdown table of docs/benchmarks.md.

    .venv/bin/python benchmarks/load/summary.py /tmp/thidua-load/<run>/locust_stats.csv

One row per page (locust's "Name"), slowest p95 first, then the aggregated row.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path


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
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(Path(sys.argv[1])))
