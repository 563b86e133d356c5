"""Phase reviews at national scale (issue 5's "Scale" bar) on the ``seed_scale`` data set.

Run from the project root against the seeded database (after ``manage.py migrate``)::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_scale \
        .venv/bin/python benchmarks/bench_reports.py [--requests 30] [--figure-runs 5]

Everything it writes (content areas, targets, participating units, progress
entries and figures, drafts, versions) is written inside a transaction that is
rolled back, so the seeded data is left as it was; the files a render saves are
deleted. Four measurements:

1. The report request: ``bench.hr`` (HR staff of the body that issued the
   campaign) POSTs to ``reports:version_request`` through Django's test client,
   in-process; ``render_report.delay`` is replaced by a no-op, so nothing is
   rendered or sent; the after-commit enqueue runs inside the timing. Median and
   p95 over ``--requests`` requests; target ≤ 200 ms.
2. ``gather_phase_figures`` for a campaign that names bodies covering ~300 units,
   then all 25 bodies (all 3,000 units), every unit reporting on every content
   area with a value for every target: time (target ≤ 5 s) and queries (must not
   grow).
3. ``render_pdf`` of a phase review of that campaign whose narrative and figures
   fill about 30 pages: time (target ≤ 15 s) and page count.
4. The worker's peak memory: a child process (this script with ``--child``)
   builds the same data in its own rolled-back transaction and calls
   ``services.render_version`` (figures, PDF, Word, files) as the Celery task
   does; the parent reads the child's peak RSS (``RUSAGE_CHILDREN``); target
   ≤ 600 MB.

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import time
import warnings
from contextlib import nullcontext
from pathlib import Path
from types import SimpleNamespace
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("STATIC_MANIFEST", "false")
warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.storage import default_storage  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, TestCase  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from campaigns import access  # noqa: E402
from campaigns.models import Campaign, ContentArea, Phase, Target, Unit  # noqa: E402
from reports import services  # noqa: E402
from reports.builders import PhaseReviewBuilder  # noqa: E402
from reports.figures import gather_phase_figures  # noqa: E402
from reports.models import ReportDraft, ReportKind, ReportStatus, ReportVersion  # noqa: E402

BENCH_USERNAME = "bench.hr"
TARGET_REQUEST_MS = 200.0
TARGET_FIGURES_S = 5.0
TARGET_PDF_S = 15.0
TARGET_PAGES = 30
TARGET_MEMORY_MB = 600.0

AREAS = 10  # content areas of the benchmark campaign (seeded ones kept, more added)
TARGETS_PER_AREA = 3

SENTENCES = [
    "Các cơ quan, đơn vị đã quán triệt sâu rộng mục đích, ý nghĩa của phong trào thi đua "
    "tới toàn thể cán bộ, công chức, viên chức và người lao động.",
    "Công tác tuyên truyền được đổi mới về hình thức, gắn với nhiệm vụ chính trị của từng "
    "đơn vị, tạo được sự lan tỏa rộng rãi trong toàn ngành.",
    "Nhiều đơn vị đã cụ thể hóa nội dung thi đua thành các chỉ tiêu đo đếm được, giao đến "
    "từng phòng, ban và từng cá nhân, có kiểm tra, đôn đốc định kỳ hằng quý.",
    "Việc phát hiện, bồi dưỡng và nhân rộng điển hình tiên tiến được chú trọng; nhiều tập "
    "thể, cá nhân có thành tích xuất sắc đã được khen thưởng kịp thời, đúng người, đúng việc.",
    "Bên cạnh kết quả đạt được, một số đơn vị còn triển khai hình thức, chưa bám sát chỉ "
    "tiêu đã đăng ký; việc báo cáo kết quả còn chậm so với thời hạn quy định.",
    "Nguyên nhân chủ yếu là nhận thức của một bộ phận cán bộ về công tác thi đua, khen "
    "thưởng chưa đầy đủ; sự phối hợp giữa các đơn vị có lúc chưa chặt chẽ, thường xuyên.",
    "Trong giai đoạn tới, cần tiếp tục đẩy mạnh chuyển đổi số trong quản lý phong trào, "
    "rút ngắn thời gian xét duyệt hồ sơ khen thưởng và công khai kết quả trên cổng thông tin.",
    "Đề nghị cấp trên quan tâm bố trí kinh phí cho công tác tổng kết, biểu dương các điển "
    "hình tiên tiến và tổ chức trao đổi kinh nghiệm giữa các khối thi đua.",
]


def _text(paragraphs: int, salt: int) -> str:
    """Paragraphs of five sentences each (~650 characters), deterministic."""
    lines = []
    for p in range(paragraphs):
        lines.append(" ".join(SENTENCES[(salt + p * 3 + s) % len(SENTENCES)] for s in range(5)))
    return "\n".join(lines)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def _bench_user():
    user = get_user_model().objects.filter(username=BENCH_USERNAME).first()
    if user is None:
        sys.exit("No user bench.hr: run `manage.py seed_scale` first.")
    return user


def _campaign(user) -> tuple[Campaign, Phase]:
    """The first campaign issued by bench.hr's body, and its first phase."""
    body = Unit.objects.get(pk=access.grants(user)[0].unit_id)
    campaign = (
        Campaign.objects.filter(issuing_unit=body).select_related("issuing_unit").order_by("pk")
    ).first()
    if campaign is None:
        sys.exit("No campaign issued by bench.hr's body: run `manage.py seed_scale` first.")
    return campaign, campaign.phases.order_by("number").first()


def _areas(campaign: Campaign) -> list[ContentArea]:
    """Give the campaign AREAS content areas of TARGETS_PER_AREA targets each (inside the transaction)."""
    areas = list(campaign.content_areas.order_by("number"))
    for number in range(len(areas) + 1, AREAS + 1):
        areas.append(
            ContentArea.objects.create(
                campaign=campaign,
                number=number,
                title=f"Nội dung thi đua số {number}: đẩy mạnh cải cách hành chính, "
                f"chuyển đổi số và nâng cao chất lượng phục vụ người dân",
            )
        )
    for area in areas:
        have = area.targets.count()
        for number in range(have + 1, TARGETS_PER_AREA + 1):
            Target.objects.create(
                content_area=area,
                number=number,
                text=f"Tỷ lệ hồ sơ xử lý đúng hạn, chỉ tiêu {area.number}.{number}",
                goal=95,
                unit_of_measure="%",
            )
    return areas


def _participate(campaign: Campaign, phase: Phase, bodies: list[Unit]) -> int:
    """Name ``bodies`` as participants; every unit under them reports on every area.

    Rows are generated in the database (INSERT … SELECT), so that building them
    costs the child process no memory: its peak is the render's.
    """
    campaign.participating_units.set(bodies)
    paths = [b.path for b in bodies]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM campaigns_unit u WHERE u.is_active AND u.path LIKE ANY(%s)",
            [[p + "%" for p in paths]],
        )
        units = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            """
            INSERT INTO campaigns_progressentry
                (phase_id, content_area_id, unit_id, summary, reported_by_id, updated_at)
            SELECT %s, a.id, u.id, 'Đơn vị đã hoàn thành các chỉ tiêu đăng ký.', NULL, now()
            FROM campaigns_unit u CROSS JOIN campaigns_contentarea a
            WHERE a.campaign_id = %s AND u.id = ANY(%s)
            ON CONFLICT DO NOTHING
            """,
            [phase.pk, campaign.pk, units],
        )
        cursor.execute(
            """
            INSERT INTO campaigns_progressfigure (entry_id, target_id, value)
            SELECT e.id, t.id, ((e.unit_id * 7 + t.id * 13) %% 100)::numeric(14, 2)
            FROM campaigns_progressentry e
            JOIN campaigns_target t ON t.content_area_id = e.content_area_id
            WHERE e.phase_id = %s AND e.unit_id = ANY(%s)
            ON CONFLICT DO NOTHING
            """,
            [phase.pk, units],
        )
    return len(units)


def _bodies_for(units: int) -> list[Unit]:
    """The fewest bodies, in path order, whose subtrees hold at least ``units`` units."""
    chosen, total = [], 0
    for body in Unit.objects.filter(parent__isnull=True).order_by("path"):
        if total >= units:
            break
        chosen.append(body)
        total += Unit.objects.filter(path__startswith=body.path, is_active=True).count()
    return chosen


def _draft(campaign: Campaign, phase: Phase, user, paragraphs: int) -> ReportDraft:
    """A draft whose narrative fills about 30 pages with the figures (``paragraphs`` per field)."""
    areas = campaign.content_areas.order_by("number")
    return ReportDraft.objects.create(
        kind=ReportKind.PHASE_REVIEW,
        campaign=campaign,
        phase=phase,
        body=campaign.issuing_unit,
        title=f"Báo cáo sơ kết {phase.name} phong trào “{campaign.name}”",
        context=_text(paragraphs, 0),
        direction=_text(paragraphs, 1),
        area_results={str(a.pk): _text(max(1, paragraphs // 2), a.number) for a in areas},
        exemplars=_text(paragraphs, 2),
        strengths=_text(paragraphs, 3),
        shortcomings=_text(paragraphs, 4),
        causes=_text(paragraphs, 5),
        lessons=_text(paragraphs, 6),
        next_direction=_text(paragraphs, 7),
        proposals=_text(paragraphs, 0),
        number="123/BC-BNV",
        signer_name="Nguyễn Văn An",
        signer_position="Thứ trưởng",
        recipients="Thủ tướng Chính phủ\nBan Thi đua - Khen thưởng Trung ương\nLưu: VT, TĐKT",
        created_by=user,
    )


def _vm(field: str) -> float:
    """VmHWM / VmRSS of this process in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def child(paragraphs: int) -> int:
    """The worker's job on the 3,000-unit, ~30-page report; prints one JSON line."""
    user = _bench_user()
    campaign, phase = _campaign(user)
    result: dict = {}
    with transaction.atomic():
        _areas(campaign)
        result["units"] = _participate(
            campaign, phase, list(Unit.objects.filter(parent__isnull=True))
        )
        draft = _draft(campaign, phase, user, paragraphs)
        version = ReportVersion.objects.create(
            draft=draft, number=1, requested_by=user, narrative=services.narrative_of(draft)
        )
        result["rss_before_mb"] = _vm("VmRSS")
        result["hwm_before_mb"] = _vm("VmHWM")
        stages: list[tuple[float, int, str]] = []
        started = time.perf_counter()
        services.render_version(
            version.pk, on_stage=lambda p, t: stages.append((time.perf_counter(), p, t))
        )
        finished = time.perf_counter()
        version.refresh_from_db()
        result.update(
            status=version.status,
            error=version.error,
            pages=version.page_count,
            total_s=finished - started,
            stages=[
                (text, round(at - started, 2))
                for at, _p, text in [*stages, (finished, 100, "done")]
            ],
            hwm_mb=_vm("VmHWM"),
        )
        for name in (version.pdf.name, version.docx.name):
            if name:
                default_storage.delete(name)
        transaction.set_rollback(True)
    print("CHILD " + json.dumps(result, ensure_ascii=False))
    return 0


def bench_request(user, campaign: Campaign, phase: Phase, runs: int, warmup: int) -> dict:
    from reports import tasks

    draft = _draft(campaign, phase, user, 2)
    client = Client()
    client.force_login(user)
    url = reverse("reports:version_request", args=[draft.pk])
    times: list[float] = []
    queries = 0
    no_broker = SimpleNamespace(id="bench-no-broker")
    with mock.patch.object(tasks.render_report, "delay", return_value=no_broker) as delay:
        for run in range(-warmup, runs + 1):
            # The after-commit enqueue (the no-op delay and its UPDATE) is inside the timing.
            capture = CaptureQueriesContext(connection) if run == runs else nullcontext()
            started = time.perf_counter()
            with capture, TestCase.captureOnCommitCallbacks(execute=True):
                response = client.post(url)
            elapsed = (time.perf_counter() - started) * 1000
            if response.status_code != 302 or "/versions/" not in response["Location"]:
                sys.exit(f"request answered {response.status_code} {response.get('Location')}")
            if run >= 0 and run < runs:
                times.append(elapsed)
            if run == runs:
                queries = len(capture)
            # Not timed: the queued version would block the next request (one job at a time).
            ReportVersion.objects.filter(draft=draft, status=ReportStatus.QUEUED).update(
                status=ReportStatus.FAILED
            )
        enqueued = delay.call_count
    return {
        "median_ms": statistics.median(times),
        "p95_ms": _percentile(times, 0.95),
        "min_ms": min(times),
        "max_ms": max(times),
        "runs": runs,
        "queries": queries,
        "enqueued": enqueued,
    }


def bench_figures(campaign: Campaign, phase: Phase, runs: int) -> dict:
    gather_phase_figures(campaign, phase)  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        figures = gather_phase_figures(campaign, phase)
        times.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as captured:
        gather_phase_figures(campaign, phase)
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:3]
    return {
        "median_s": statistics.median(times),
        "max_s": max(times),
        "queries": len(captured),
        "units_taking_part": figures.units_taking_part,
        "units_reporting": figures.units_reporting,
        "awards_total": figures.awards_total,
        "slowest": [(float(q["time"]), q["sql"][:160]) for q in slowest],
    }


def bench_pdf(user, campaign: Campaign, phase: Phase, paragraphs: int, runs: int) -> dict:
    import io

    from pypdf import PdfReader

    draft = _draft(campaign, phase, user, paragraphs)
    version = ReportVersion.objects.create(
        draft=draft, number=1, requested_by=user, narrative=services.narrative_of(draft)
    )
    builder = PhaseReviewBuilder()
    context = builder.context(version, on_stage=lambda p, t: None)
    times, pdf = [], b""
    for _ in range(runs):
        started = time.perf_counter()
        pdf = builder.pdf(context)
        times.append(time.perf_counter() - started)
    started = time.perf_counter()
    builder.docx(context)
    docx_s = time.perf_counter() - started
    return {
        "median_s": statistics.median(times),
        "max_s": max(times),
        "runs": runs,
        "pages": len(PdfReader(io.BytesIO(pdf)).pages),
        "pdf_kb": len(pdf) // 1024,
        "docx_s": docx_s,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--figure-runs", type=int, default=5)
    parser.add_argument("--pdf-runs", type=int, default=3)
    parser.add_argument("--paragraphs", type=int, default=7, help="per narrative field")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    if args.child:
        return child(args.paragraphs)

    user = _bench_user()
    campaign, phase = _campaign(user)
    print(
        f"database: {connection.vendor} {connection.settings_dict['NAME']}; "
        f"{Unit.objects.count():,} units; campaign {campaign.pk} “{campaign.name}”, "
        f"{phase.name} ({phase.start_date}–{phase.end_date}); load {os.getloadavg()}"
    )
    ok = True
    with transaction.atomic():
        _areas(campaign)
        targets = Target.objects.filter(content_area__campaign=campaign).count()

        small = _bodies_for(300)
        n_small = _participate(campaign, phase, small)
        few = bench_figures(campaign, phase, args.figure_runs)
        print(
            f"\n2. figures, {len(small)} bodies = {n_small} units × {AREAS} areas "
            f"({targets} targets): median {few['median_s']:.2f} s (max {few['max_s']:.2f}), "
            f"{few['queries']} queries; reporting {few['units_reporting']}, "
            f"awards {few['awards_total']:,}"
        )
        bodies = list(Unit.objects.filter(parent__isnull=True))
        n_all = _participate(campaign, phase, bodies)
        many = bench_figures(campaign, phase, args.figure_runs)
        print(
            f"   figures, {len(bodies)} bodies = {n_all} units × {AREAS} areas: "
            f"median {many['median_s']:.2f} s (max {many['max_s']:.2f}), {many['queries']} queries; "
            f"taking part {many['units_taking_part']}, reporting {many['units_reporting']}, "
            f"awards {many['awards_total']:,}"
        )
        for seconds, sql in many["slowest"]:
            print(f"     {seconds * 1000:7.0f} ms  {sql}")
        met = many["median_s"] <= TARGET_FIGURES_S and many["queries"] <= few["queries"]
        ok = ok and met
        print(f"   target ≤ {TARGET_FIGURES_S:.0f} s, queries flat: {'met' if met else 'MISSED'}")

        req = bench_request(user, campaign, phase, args.requests, args.warmup)
        met = req["median_ms"] <= TARGET_REQUEST_MS and req["p95_ms"] <= TARGET_REQUEST_MS
        ok = ok and met
        print(
            f"\n1. request (POST {BENCH_USERNAME}, no broker): median {req['median_ms']:.1f} ms, "
            f"p95 {req['p95_ms']:.1f} ms (min {req['min_ms']:.1f}, max {req['max_ms']:.1f}) "
            f"over {req['runs']}; {req['queries']} queries; {req['enqueued']} jobs handed to "
            f"the no-op broker; target ≤ {TARGET_REQUEST_MS:.0f} ms: {'met' if met else 'MISSED'}"
        )

        pdf = bench_pdf(user, campaign, phase, args.paragraphs, args.pdf_runs)
        met = pdf["median_s"] <= TARGET_PDF_S
        ok = ok and met
        print(
            f"\n3. render_pdf, {pdf['pages']} pages ({pdf['pdf_kb']} KB): median "
            f"{pdf['median_s']:.2f} s (max {pdf['max_s']:.2f}) over {pdf['runs']}; "
            f"Word copy {pdf['docx_s']:.2f} s; target ≤ {TARGET_PDF_S:.0f} s: "
            f"{'met' if met else 'MISSED'}"
        )
        transaction.set_rollback(True)

    command = [sys.executable, __file__, "--child", "--paragraphs", str(args.paragraphs)]
    run = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
    line = next((x for x in run.stdout.splitlines() if x.startswith("CHILD ")), None)
    if run.returncode or line is None:
        print(run.stdout, run.stderr)
        sys.exit("the child render failed")
    result = json.loads(line[len("CHILD ") :])
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    met = peak_mb <= TARGET_MEMORY_MB and result["status"] == ReportStatus.DONE
    ok = ok and met
    print(
        f"\n4. worker (render_version in a child, {result['units']} units, "
        f"{result['pages']} pages): {result['status']} in {result['total_s']:.2f} s; "
        f"peak RSS {peak_mb:.0f} MB (VmHWM {result['hwm_mb']:.0f} MB; "
        f"{result['rss_before_mb']:.0f} MB before the render); target ≤ "
        f"{TARGET_MEMORY_MB:.0f} MB: {'met' if met else 'MISSED'}"
    )
    print("   stages (s since start): " + "; ".join(f"{t} {s}" for t, s in result["stages"]))
    print(f"\nload average at the end: {os.getloadavg()}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
