"""Drill: PostgreSQL restarts under a running app; the app recovers without a restart of its own.

What it does, all on loopback and on a throwaway cluster of its own (the shared
PostgreSQL on 5432 is never touched):

1. ``initdb`` a cluster in /tmp/thidua-drill-pg (owned by the postgres user: initdb
   and pg_ctl refuse to run as root) and start it on port 55432;
2. migrate the app into it, create a superuser and a session for it;
3. start gunicorn (from the venv, 1 sync worker, CONN_MAX_AGE=60 and
   conn_health_checks=True as in config/settings.py) against it;
4. request /healthz and /campaigns/ (logged in) every 0.25 s; after 3 s run
   ``pg_ctl restart -m fast``; keep requesting for 12 s more;
5. print every request's time, status and duration, and a summary: how many failed,
   for how long, and whether the same gunicorn process served the requests after
   the restart.

Run as root (it switches to the postgres user for the cluster) from the project:

    .venv/bin/python benchmarks/drills/pg_restart.py

Everything it starts is stopped by PID at the end, and the cluster directory removed.
"""

# ruff: noqa: S603, S607  (a drill script: it runs fixed local programs)
from __future__ import annotations

import glob
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_PORT = 55432
CLUSTER = Path("/tmp/thidua-drill-pg")  # noqa: S108  (a throwaway cluster, removed at the end)
DATABASE_URL = f"postgres://postgres@127.0.0.1:{PG_PORT}/postgres"


def free_port(start: int) -> int:
    for port in range(start, start + 100):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise SystemExit("no free port")


def as_postgres(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["runuser", "-u", "postgres", "--", *command],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )


def pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if not found:
        raise SystemExit(f"{name} not found under /usr/lib/postgresql/*/bin")
    return found[-1]


def get(url: str, cookie: str | None = None) -> tuple[int, float]:
    request = urllib.request.Request(url)  # noqa: S310  (http://127.0.0.1 only)
    if cookie:
        request.add_header("Cookie", cookie)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, OSError):
        status = 0  # no answer at all
    return status, time.monotonic() - started


def main() -> int:
    env = {
        **os.environ,
        "DATABASE_URL": DATABASE_URL,
        "STATIC_MANIFEST": "false",
        "DEBUG": "false",
        "MEDIA_ROOT": tempfile.mkdtemp(prefix="thidua-drill-media-"),
    }
    env.pop("REDIS_URL", None)  # this drill is about the database
    python = str(ROOT / ".venv" / "bin" / "python")
    gunicorn = None
    if CLUSTER.exists():
        raise SystemExit(f"{CLUSTER} exists: a drill is running or was interrupted")
    CLUSTER.mkdir()
    shutil.chown(CLUSTER, "postgres", "postgres")
    try:
        as_postgres(pg_bin("initdb"), "-D", str(CLUSTER), "-U", "postgres", "--auth=trust")
        pg_options = f"-p {PG_PORT} -k /tmp -c listen_addresses=127.0.0.1"
        as_postgres(
            pg_bin("pg_ctl"),
            "-D",
            str(CLUSTER),
            "-o",
            pg_options,
            "-l",
            str(CLUSTER / "server.log"),
            "-w",
            "start",
        )
        subprocess.run(
            [python, "manage.py", "migrate", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=900,
        )
        session = (
            subprocess.run(
                [python, "manage.py", "shell", "-c", SESSION_SCRIPT],
                cwd=ROOT,
                env=env,
                check=True,
                capture_output=True,
                text=True,
                timeout=120,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        web_port = free_port(8391)
        gunicorn = subprocess.Popen(
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "config.wsgi",
                "--workers",
                "1",
                "--bind",
                f"127.0.0.1:{web_port}",
                "--timeout",
                "30",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        base = f"http://127.0.0.1:{web_port}"
        deadline = time.monotonic() + 60
        while get(f"{base}/healthz")[0] != 200:
            if time.monotonic() > deadline or gunicorn.poll() is not None:
                raise SystemExit("gunicorn did not come up")
            time.sleep(0.5)

        cookie = f"sessionid={session}"
        log: list[dict] = []
        restart: dict[str, float] = {}
        t0 = time.monotonic()

        def restart_cluster() -> None:
            time.sleep(3)
            restart["start"] = time.monotonic() - t0
            as_postgres(
                pg_bin("pg_ctl"),
                "-D",
                str(CLUSTER),
                "-o",
                pg_options,
                # The restarted server writes to its log, not to our pipe (run() would wait on it).
                "-l",
                str(CLUSTER / "server.log"),
                "-m",
                "fast",
                "-w",
                "restart",
            )
            restart["end"] = time.monotonic() - t0

        thread = threading.Thread(target=restart_cluster)
        thread.start()
        while time.monotonic() - t0 < 15:
            for path, use_cookie in (("/healthz", False), ("/campaigns/", True)):
                at = time.monotonic() - t0
                status, took = get(base + path, cookie if use_cookie else None)
                log.append({"t": round(at, 2), "path": path, "status": status, "s": round(took, 3)})
            time.sleep(0.25)
        thread.join(timeout=60)

        for row in log:
            print(f"{row['t']:6.2f}s  {row['path']:<12} {row['status']}  {row['s']:.3f}s")
        failed = [row for row in log if row["status"] != 200]
        after = [row for row in log if row["t"] > restart.get("end", 1e9)]
        summary = {
            "requests": len(log),
            "failed": len(failed),
            "failed_statuses": sorted({row["status"] for row in failed}),
            "failed_window_s": [failed[0]["t"], failed[-1]["t"]] if failed else None,
            "restart_s": [round(restart.get("start", 0), 2), round(restart.get("end", 0), 2)],
            "requests_after_restart": len(after),
            "failed_after_restart": sum(1 for row in after if row["status"] != 200),
            "gunicorn_restarted": gunicorn.poll() is not None,
        }
        print(json.dumps(summary))
        return 0 if summary["failed_after_restart"] == 0 and after else 1
    finally:
        if gunicorn is not None and gunicorn.poll() is None:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                pg_bin("pg_ctl"),
                "-D",
                str(CLUSTER),
                "-m",
                "immediate",
                "stop",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
        shutil.rmtree(CLUSTER, ignore_errors=True)
        shutil.rmtree(env["MEDIA_ROOT"], ignore_errors=True)


SESSION_SCRIPT = """
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
user, _ = User.objects.get_or_create(
    username="drill", defaults={"is_superuser": True, "is_staff": True}
)
session = SessionStore()
session["_auth_user_id"] = str(user.pk)
session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
session["_auth_user_hash"] = user.get_session_auth_hash()
session.create()
print(session.session_key)
"""

if __name__ == "__main__":
    sys.exit(main())
