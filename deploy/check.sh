#!/usr/bin/env bash
# Check the files under deploy/ on this machine, without installing anything for good:
#
#   deploy/check.sh
#
# 1. `systemd-analyze verify` of the three units, with /srv/thidua/app replaced by this
#    checkout (verify insists that the commands exist);
# 2. `nginx -t` of deploy/nginx/thidua.conf inside a throw-away prefix with a self-signed
#    certificate (skipped when nginx is not installed; nothing is started);
# 3. the very gunicorn command line of thidua-web.service, on a free port of 127.0.0.1
#    instead of 8001: it must answer GET /healthz with 200, then it is stopped by PID.
# Settings come from the environment as for `make run` (DATABASE_URL, REDIS_URL...).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TMP=$(mktemp -d)
gunicorn_pid=
cleanup() {
    if [ -n "$gunicorn_pid" ]; then kill -TERM "$gunicorn_pid" 2>/dev/null || true; wait "$gunicorn_pid" 2>/dev/null || true; fi
    rm -rf "$TMP"
}
trap cleanup EXIT

echo "== systemd units"
mkdir -p "$TMP/units"
for unit in deploy/systemd/*.service; do
    sed "s#/srv/thidua/app#$ROOT#g" "$unit" >"$TMP/units/$(basename "$unit")"
done
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify "$TMP"/units/*.service
    echo "systemd-analyze verify: ok"
else
    echo "systemd-analyze not installed: skipped"
fi

echo "== nginx"
if command -v nginx >/dev/null; then
    mkdir -p "$TMP/nginx/logs" "$TMP/nginx/ssl"
    openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=thidua.example.gov.vn \
        -keyout "$TMP/nginx/ssl/privkey.pem" -out "$TMP/nginx/ssl/fullchain.pem" 2>/dev/null
    sed -e "s#/etc/ssl/thidua#$TMP/nginx/ssl#" -e "s#/var/log/nginx#$TMP/nginx/logs#" \
        deploy/nginx/thidua.conf >"$TMP/nginx/thidua.conf"
    cat >"$TMP/nginx/nginx.conf" <<EOF
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/logs/error.log;
events {}
http {
    include /etc/nginx/mime.types;
    client_body_temp_path $TMP/nginx/body;
    include $TMP/nginx/thidua.conf;
}
EOF
    nginx -t -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf"
else
    echo "nginx not installed: skipped (apt-get install nginx-light)"
fi

echo "== gunicorn command line of thidua-web.service"
port=$("$ROOT/.venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# ExecStart with its continuation lines, as systemd joins them.
command=$(sed -n '/^ExecStart=/,/[^\\]$/p' "$TMP/units/thidua-web.service" | sed 's/\\$//' | tr '\n' ' ')
command=${command#ExecStart=}
command=${command/127.0.0.1:8001/127.0.0.1:$port}
command=${command/\/run\/thidua\/gunicorn.ctl/$TMP/gunicorn.ctl}
echo "$command"
# shellcheck disable=SC2086 # the command line is split into words as systemd does
$command >"$TMP/gunicorn.log" 2>&1 &
gunicorn_pid=$!
for _ in $(seq 30); do
    if curl -fsS "http://127.0.0.1:$port/healthz" 2>/dev/null; then
        echo
        echo "gunicorn answered /healthz with 200 on 127.0.0.1:$port"
        exit 0
    fi
    sleep 1
done
echo "no 200 from /healthz; gunicorn said:"
tail -n 30 "$TMP/gunicorn.log"
curl -sS "http://127.0.0.1:$port/healthz" || true
exit 1
