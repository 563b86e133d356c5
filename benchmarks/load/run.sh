#!/usr/bin/env bash
# The year-end mix at 50 users: gunicorn + a Celery worker + locust, loopback only, bounded.
#
#   createdb -h 127.0.0.1 -U postgres thidua_load
#   export DATABASE_URL=postgres://postgres@127.0.0.1:5432/thidua_load
#   .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_scale \
#       && .venv/bin/python manage.py seed_scale_awards
#   .venv/bin/uv pip install --python .venv/bin/python locust==2.47.0   # or: --extra load
#   benchmarks/load/run.sh                  # 5 minutes, 50 users; RUN_TIME=1m USERS=10 to try
#
# It prepares the load users (benchmarks/load/prepare_users.py), starts gunicorn on a free
# port of 127.0.0.1 and a Celery worker over Redis (DB 13 unless REDIS_URL says otherwise),
# waits until /healthz answers 200 (database, broker and worker up), runs locust headless for
# RUN_TIME, then stops both processes by PID (also on Ctrl-C or an error) and prints the
# per-page table. Everything it writes goes under OUT (uploads and PDFs included).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
BIN=$ROOT/.venv/bin

export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/thidua_load}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/13}
RUN_TIME=${RUN_TIME:-5m}
USERS=${USERS:-50}
SPAWN_RATE=${SPAWN_RATE:-5}
# 2 cores: 3 processes x 2 threads (see docs/benchmarks.md, "Load: the year-end mix").
WORKERS=${WORKERS:-3}
THREADS=${THREADS:-2}
WORKER_CONCURRENCY=${WORKER_CONCURRENCY:-1}
OUT=${OUT:-/tmp/thidua-load/$(date -u +%Y%m%dT%H%M%SZ)}
PORT=${PORT:-$("$BIN/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}

# Production settings but for the host, the key and the files: a key made for this run, no
# TLS on loopback, uploads and reports in OUT. No collectstatic: locust fetches no assets.
export DEBUG=false
export SECRET_KEY=${SECRET_KEY:-$("$BIN/python" -c 'import secrets; print(secrets.token_urlsafe(50))')}
export ALLOWED_HOSTS=127.0.0.1
export MEDIA_ROOT=$OUT/media
export STATIC_MANIFEST=false
export LOG_LEVEL=${LOG_LEVEL:-WARNING}
mkdir -p "$OUT" "$MEDIA_ROOT"

pids=()
stop() {
    # Stop what this script started, by PID, newest first; wait so nothing outlives it.
    for ((i = ${#pids[@]} - 1; i >= 0; i--)); do
        kill -TERM "${pids[i]}" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}
trap stop EXIT INT TERM

echo "== $(date -u +%FT%TZ) output in $OUT, gunicorn on 127.0.0.1:$PORT"
uptime | tee "$OUT/uptime-before.txt"

"$BIN/python" benchmarks/load/prepare_users.py --reset --out "$OUT/plan.json"

"$BIN/celery" -A config worker --queues celery,reports --concurrency "$WORKER_CONCURRENCY" \
    --hostname "load-$PORT@%h" --loglevel WARNING >"$OUT/worker.log" 2>&1 &
pids+=($!)
# --keep-alive 30: here locust talks to gunicorn directly (in production nginx does, see
# deploy/nginx/thidua.conf). Its users think 2-6 s between pages on one connection; with
# gunicorn's default of 2 s, gunicorn closes idle connections just as users come back and
# the race ends in "connection reset by peer", which a browser retries unseen but locust
# counts. 30 s is longer than any pause of the mix. %(M)s logs the server time (ms).
"$BIN/gunicorn" config.wsgi:application --bind "127.0.0.1:$PORT" \
    --workers "$WORKERS" --worker-class gthread --threads "$THREADS" \
    --timeout 60 --max-requests 1000 --max-requests-jitter 100 --keep-alive 30 \
    --no-control-socket --access-logfile "$OUT/access.log" --error-logfile - \
    --access-logformat '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)sms' \
    >"$OUT/gunicorn.log" 2>&1 &
pids+=($!)

# /healthz pings the worker with a 0.5 s timeout: on a busy machine one answer may be late,
# so the first 200 within a minute is what counts.
healthy=
for _ in $(seq 60); do
    if curl -fsS "http://127.0.0.1:$PORT/healthz" >"$OUT/healthz.json" 2>/dev/null; then
        healthy=1
        break
    fi
    sleep 1
done
[ -n "$healthy" ] || { echo "gunicorn or the worker did not come up"; exit 1; }
cat "$OUT/healthz.json"
echo

# The machine's load average every 30 s during the run (others share the 2 cores).
(while sleep 30; do echo "$(date -u +%T) $(cut -d' ' -f1-3 /proc/loadavg)"; done) >"$OUT/loadavg.txt" &
pids+=($!)

PYTHONPATH=$ROOT LOAD_PLAN=$OUT/plan.json "$BIN/locust" -f benchmarks/load/locustfile.py \
    --headless --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$RUN_TIME" \
    --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" --csv-full-history \
    --stop-timeout 40 --only-summary >"$OUT/locust.log" 2>&1 || status=$?

uptime | tee "$OUT/uptime-after.txt"
stop
trap - EXIT INT TERM

echo "== load average during the run (1, 5, 15 min):"
cat "$OUT/loadavg.txt"
echo "== server errors in the gunicorn log: $(grep -c 'Traceback' "$OUT/gunicorn.log" || true)"
echo "== worker errors: $(grep -c -E 'ERROR|Traceback' "$OUT/worker.log" || true)"
tail -n 40 "$OUT/locust.log" | sed -n '/Error report/,$p'
"$BIN/python" benchmarks/load/summary.py "$OUT/locust_stats.csv" "$OUT/access.log"
exit "${status:-0}"
