"""Time and memory of the shared spreadsheet reader on hostile and legitimate workbooks.

Run from the project root (no database needed)::

    .venv/bin/python benchmarks/bench_spreadsheets.py [--quick] [--before]

Each hostile shape of tests/security/hostile_xlsx.py is built at the largest size that
fits under MAX_UPLOAD_BYTES, or at 250 MB inflated where it would inflate past that
first (a larger file is refused the same way). A file whose part inflates past the
reader's cap on one part (24 MB) is refused on the sizes the archive declares, before
inflating anything; such a shape is built once more at 23 MB inflated, the largest that
streams through the parser and its limits.
Then the legitimate files: the largest template-shaped workbooks, as Excel saves them
(text in the shared-string table) and as openpyxl saves them (inline strings).

Each file is read in a fresh process, the way every import reads an upload
(``check_workbook``, then ``read_sheet`` on each sheet): wall and CPU seconds, the
process's peak resident memory while reading (Django and the file included) and how far
it rose above what the process held before, and the peak that tracemalloc traced in a
second read. ``--before`` also reads a few files
with openpyxl's read-only reader, as the imports did before (up to 60 s each).
``--quick`` measures the test sizes only. Prints a Markdown table; exit status 1 when
a file takes more than 2 s of CPU or 200 MB.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")  # a development key is enough: nothing is served

TARGET_SECONDS = 2.0
TARGET_MB = 200.0
MAX_INFLATED = 250 * 1024 * 1024
PART_INFLATED = 23 * 1024 * 1024


def _status_mb(field: str) -> float:
    """VmRSS (now) or VmHWM (the peak) of this process, in MB. Not ru_maxrss: Linux
    carries it over from the parent across exec."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    raise LookupError(field)


# --------------------------------------------------------------------- the child


def child(path: str, with_openpyxl: bool) -> None:
    """Read the file at ``path`` and print one JSON line of figures."""
    import tracemalloc
    import warnings

    import django

    django.setup()
    from django.utils import translation

    from awards import records_imports
    from campaigns import imports, spreadsheets

    data = Path(path).read_bytes()
    translation.activate("vi")
    columns_of = {
        "Đơn vị": imports.UNIT_COLUMNS,
        "Cá nhân": imports.PERSON_COLUMNS,
        "Sáng kiến": records_imports.INITIATIVES_SHEET.columns,
    }

    def read() -> str:
        if with_openpyxl:
            from openpyxl import load_workbook

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
                for ws in wb.worksheets:
                    ws.reset_dimensions()
                    for _row in ws.iter_rows(values_only=True):
                        pass
                wb.close()
            return "read"
        try:
            spreadsheets.check_workbook(data)
            wb = spreadsheets.open_workbook(data)
            rows = 0
            try:
                for ws in wb.worksheets:
                    columns = columns_of.get(ws.title, imports.UNIT_COLUMNS)
                    sheet = spreadsheets.read_sheet(ws, columns, [])
                    rows += len(sheet.rows) if sheet else 0
            finally:
                wb.close()
            return f"read, {rows:,} rows"
        except spreadsheets.ImportFileError as error:
            return "refused: " + error.message

    before = _status_mb("VmRSS")
    with contextlib.suppress(OSError):  # the peak back to what is held now (Linux ≥ 4.0)
        Path("/proc/self/clear_refs").write_text("5")
    cpu, wall = time.process_time(), time.perf_counter()
    outcome = read()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    peak = _status_mb("VmHWM")
    traced = None
    if not with_openpyxl:
        tracemalloc.start()
        read()
        traced = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    print(
        json.dumps(
            {
                "outcome": outcome,
                "wall": wall,
                "cpu": cpu,
                "rss": max(0.0, peak - before),
                "peak": peak,
                "traced": traced,
            }
        )
    )


def measure(data: bytes, *, with_openpyxl: bool = False, timeout: float = 120) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
        file.write(data)
        file.flush()
        command = [sys.executable, __file__, "--child", file.name]
        if with_openpyxl:
            command.append("--openpyxl")
        try:
            done = subprocess.run(  # noqa: S603 (our own interpreter and script)
                command, capture_output=True, text=True, timeout=timeout, check=True
            )
        except subprocess.TimeoutExpired:
            return {"outcome": f"still reading after {timeout:.0f} s (stopped)", "wall": None}
        except subprocess.CalledProcessError as error:
            return {"outcome": "crashed: " + error.stderr.strip().splitlines()[-1], "wall": None}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------- sizes


def inflated(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(info.file_size for info in archive.infolist())


def fit(build, n0: int, max_bytes: int, max_inflated: int) -> tuple[int, bytes]:
    """The largest n (about) whose file fits both caps, found from the growth per unit."""
    small, double = build(n0), build(2 * n0)
    per_byte = (len(double) - len(small)) / n0
    per_inflated = (inflated(double) - inflated(small)) / n0
    if per_byte <= 0 and per_inflated <= 0:
        return n0, small  # a fixed shape: its size does not follow n
    candidates = []
    if per_byte > 0:
        candidates.append((max_bytes - len(small)) / per_byte + n0)
    if per_inflated > 0:
        candidates.append((max_inflated - inflated(small)) / per_inflated + n0)
    n = int(min(candidates) * 0.98)
    while True:
        data = build(n)
        if len(data) <= max_bytes and inflated(data) <= max_inflated:
            return n, data
        n = int(n * 0.95)


# --------------------------------------------------------------------- legitimate files


def legitimate(rows: int) -> list[tuple[str, bytes]]:
    import django

    django.setup()
    from django.utils import translation
    from openpyxl import Workbook

    from awards import records_imports
    from campaigns import imports
    from tests.security import hostile_xlsx

    with translation.override("vi"):
        initiatives = [str(c.label) for c in records_imports.INITIATIVES_SHEET.columns]
        units = [str(c.label) for c in imports.UNIT_COLUMNS]
        people = [str(c.label) for c in imports.PERSON_COLUMNS]
    initiative_rows = [
        [
            "Sáng kiến",
            f"Số hóa hồ sơ thi đua, khen thưởng của đơn vị, giai đoạn {i}",
            f"DV{i % 300:04d}",
            2024,
            "Cơ sở",
            f"CB{i:06d}; CB{i + 1:06d}",
            f"Quyết định số {i}/QĐ-HĐSK",
            "15/11/2024",
        ]
        for i in range(rows)
    ]
    half = rows * 9 // 10
    unit_rows = [
        [f"DV{i:06d}", f"Phòng Tổ chức cán bộ số {i}", f"P{i}", "Phòng, ban", f"DV{i // 10:06d}"]
        for i in range(half)
    ]
    person_rows = [
        [
            f"DV{i // 10:06d}",
            f"Nguyễn Thị Thanh Hương {i}",
            "Chuyên viên",
            "Nữ",
            1980 + i % 30,
            f"CB{i:07d}",
        ]
        for i in range(half)
    ]
    files = [
        (
            f"Excel-like initiatives, {rows:,} rows × 8 columns",
            hostile_xlsx.excel_like([("Sáng kiến", initiatives, initiative_rows)]),
        ),
        (
            f"Excel-like units and people, 2 × {half:,} rows × 5–6 columns",
            hostile_xlsx.excel_like(
                [("Đơn vị", units, unit_rows), ("Cá nhân", people, person_rows)]
            ),
        ),
        (
            f"Excel-like units and people, 2 × {rows:,} rows (past the cells)",
            hostile_xlsx.excel_like(
                [
                    ("Đơn vị", units, unit_rows + unit_rows[: rows - half]),
                    ("Cá nhân", people, person_rows + person_rows[: rows - half]),
                ]
            ),
        ),
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Sáng kiến"
    ws.append(initiatives)
    for row in initiative_rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    files.append((f"openpyxl initiatives (inline strings), {rows:,} rows", buffer.getvalue()))
    return files


# --------------------------------------------------------------------- the table


def _cell(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child")
    parser.add_argument("--openpyxl", action="store_true")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--before", action="store_true")
    parser.add_argument("--shapes", help="comma-separated keys: these shapes only")
    parser.add_argument("--legitimate", action="store_true", help="the legitimate files only")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.openpyxl)
        return 0

    import django

    django.setup()
    from django.conf import settings

    from campaigns import spreadsheets
    from tests.security import hostile_xlsx

    limit = settings.MAX_UPLOAD_BYTES
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    model = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line),
        platform.processor(),
    )
    print(
        f"Machine: {os.cpu_count()} CPUs ({model}), Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.1f} at the start; MAX_UPLOAD_BYTES {limit:,}"
    )
    print()
    print(
        "| shape | n | file | inflated | outcome | wall s | CPU s "
        "| peak RSS MB | RSS Δ MB | traced MB |"
    )
    print("|---|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    missed = []

    def row(label: str, n: object, data: bytes, figures: dict) -> None:
        outcome = figures["outcome"]
        short = outcome if len(outcome) < 70 else outcome[:67] + "…"
        print(
            f"| {label} | {n} | {len(data) / 1024:,.0f} KB | {inflated(data) / 2**20:,.1f} MB "
            f"| {short} | {_cell(figures.get('wall'))} | {_cell(figures.get('cpu'))} "
            f"| {_cell(figures.get('peak'), 0)} | {_cell(figures.get('rss'), 0)} "
            f"| {_cell(figures.get('traced'), 0)} |",
            flush=True,
        )
        memory = max(figures.get("peak") or 0, figures.get("traced") or 0)
        if figures.get("cpu") is None or figures["cpu"] > TARGET_SECONDS or memory > TARGET_MB:
            missed.append(label)

    chosen = set(args.shapes.split(",")) if args.shapes else None
    for shape in hostile_xlsx.SHAPES:
        if args.legitimate or (chosen is not None and shape.key not in chosen):
            continue
        sizes = []
        if args.quick:
            sizes.append((shape.test_size, shape.build(shape.test_size)))
        else:
            n, data = fit(shape.build, shape.test_size, limit, MAX_INFLATED)
            sizes.append((n, data))
            if inflated(data) > spreadsheets.limits().part_bytes:
                # Refused on its declared size alone: also the largest that streams.
                sizes.append(fit(shape.build, shape.test_size, limit, PART_INFLATED))
        for n, data in sizes:
            row(f"{shape.key}: {shape.what}", f"{n:,}", data, measure(data))

    rows = 2_000 if args.quick else spreadsheets.MAX_ROWS
    for label, data in [] if chosen else legitimate(rows):
        row(label, "", data, measure(data))
        if args.before:
            row(
                label + ", openpyxl (before)",
                "",
                data,
                measure(data, with_openpyxl=True, timeout=60),
            )
    if args.before and not chosen:
        for shape in hostile_xlsx.SHAPES[:4]:
            data = shape.build(shape.test_size)
            figures = measure(data, with_openpyxl=True, timeout=60)
            row(f"{shape.key}, openpyxl (before)", f"{shape.test_size:,}", data, figures)
    print()
    print(f"Load average {os.getloadavg()[0]:.1f} at the end.")
    if missed:
        print(f"Over {TARGET_SECONDS} s of CPU or {TARGET_MB} MB: {', '.join(missed)}")
    return 1 if any("before" not in label for label in missed) else 0


if __name__ == "__main__":
    sys.exit(main())
