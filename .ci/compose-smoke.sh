#!/usr/bin/env bash
# Run docker-compose.yml's services as plain processes (no Docker engine here): the same
# deploy/*.sh entry points, production settings, the local PostgreSQL and Redis.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV_BIN="$(pwd)/.venv/bin"
export PATH="$VENV_BIN:$PATH" PYTHON="$VENV_BIN/python"
DB=minzheng_smoke
PORT=${SMOKE_PORT:-8765}
export DJANGO_SETTINGS_MODULE=minzheng.settings.production
export DJANGO_SECRET_KEY="smoke-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_SECURE_SSL_REDIRECT=false   # plain HTTP on loopback; a proxy terminates TLS in production
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/15"
export DJANGO_STATIC_ROOT="$(mktemp -d)"
export BIND="127.0.0.1:$PORT" WEB_CONCURRENCY=2
logs=$(mktemp -d)

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true
            psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1 || true; }
trap cleanup EXIT

deploy/web.sh >"$logs/web.log" 2>&1 & pids+=($!)
for _ in $(seq 90); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/login/" && break
  kill -0 "${pids[0]}" 2>/dev/null || break   # the web process died: its log says why
  sleep 1
done
code=$(curl -s -o "$logs/login.html" -w '%{http_code}' "http://127.0.0.1:$PORT/login/" || true)
[ "$code" = 200 ] || { cat "$logs/web.log"; echo "web: /login/ answered $code"; exit 1; }
grep -q "打擂攻坚" "$logs/login.html" || { echo "web: login page lacks its title"; exit 1; }
static=$(grep -o '/static/vendor/tabler/tabler\.[^"]*\.css' "$logs/login.html" | head -1)
curl -sf -o /dev/null "http://127.0.0.1:$PORT$static" || { echo "web: $static not served"; exit 1; }
echo "web: gunicorn serves the login page and hashed static files"

deploy/worker.sh >"$logs/worker.log" 2>&1 & pids+=($!)
deploy/beat.sh >"$logs/beat.log" 2>&1 & pids+=($!)
ok=""
for _ in $(seq 30); do
  if celery -A minzheng inspect ping --timeout 2 >"$logs/ping.log" 2>&1; then ok=1; break; fi
  sleep 1
done
[ -n "$ok" ] || { cat "$logs/worker.log" "$logs/ping.log"; echo "worker: no pong"; exit 1; }
echo "worker: answers ping over Redis"
for _ in $(seq 30); do grep -q "beat: Starting" "$logs/beat.log" && break; sleep 1; done
grep -q "beat: Starting" "$logs/beat.log" || { cat "$logs/beat.log"; echo "beat: did not start"; exit 1; }
grep -q "DatabaseScheduler" "$logs/beat.log" || { cat "$logs/beat.log"; echo "beat: not on the database scheduler"; exit 1; }
echo "beat: started on the database scheduler"
echo "compose smoke: 3 passed, 0 failed"
