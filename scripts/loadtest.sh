#!/usr/bin/env bash
# make loadtest: the production processes as local processes on 127.0.0.1, and locust against
# them. PostgreSQL (the local server) holds a seed_scale --districts 10 database (made the first
# time: copied from bench's dalei_bench_n10 when that exists, else seeded; its open month is put
# back before each run); Redis is the local one on 6379, on a database number of its own;
# gunicorn runs deploy/web.sh with docker-compose's worker count; a Celery worker and beat run
# deploy/worker.sh and deploy/beat.sh. Locust runs headless: 50 users for 2 minutes. At the end:
# requests per second, p50, p95, p99 and errors as "name value unit" lines, and everything it
# started is stopped.
#
#   LOADTEST_USERS=50 LOADTEST_DURATION=120 LOADTEST_DB=dalei_loadtest make loadtest
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV_BIN="$ROOT/.venv/bin"
export PATH="$VENV_BIN:$PATH" PYTHON="$VENV_BIN/python"

PG=${LOADTEST_PG:-postgres://postgres@127.0.0.1:5432}
DB=${LOADTEST_DB:-dalei_loadtest}
TEMPLATE=${LOADTEST_TEMPLATE:-dalei_bench_n10}
PORT=${LOADTEST_PORT:-8766}
REDIS_DB=${LOADTEST_REDIS_DB:-12}
USERS=${LOADTEST_USERS:-50}
SPAWN_RATE=${LOADTEST_SPAWN_RATE:-2}
DURATION=${LOADTEST_DURATION:-120}  # seconds measured once every user is in
RAMP=$(( (USERS + SPAWN_RATE - 1) / SPAWN_RATE + 5 ))
# docker-compose.yml runs deploy/web.sh, whose gunicorn has ${WEB_CONCURRENCY:-N} workers.
WORKERS=$(sed -n 's/.*WEB_CONCURRENCY:-\([0-9]*\).*/\1/p' deploy/web.sh | head -1)
export WEB_CONCURRENCY=${WEB_CONCURRENCY:-${WORKERS:-3}}

export DJANGO_SETTINGS_MODULE=minzheng.settings.loadtest
export DJANGO_SECRET_KEY="loadtest-$(head -c 32 /dev/urandom | base64 | tr -d '/+=')"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export DJANGO_LOG_LEVEL=WARNING
export DATABASE_URL="$PG/$DB"
export CELERY_BROKER_URL="redis://127.0.0.1:6379/$REDIS_DB"
export BIND="127.0.0.1:$PORT"
OUT=$(mktemp -d -t dalei-loadtest-XXXXXX)
export DJANGO_STATIC_ROOT="$OUT/static"

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

step() { printf '== %s\n' "$1" >&2; }

pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL is not answering on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis is not answering on 127.0.0.1:6379" >&2; exit 1; }

exists() { psql "$PG/postgres" -tAc "SELECT 1 FROM pg_database WHERE datname = '$1'" | grep -q 1; }
if ! exists "$DB"; then
  if exists "$TEMPLATE"; then
    step "database $DB: a copy of $TEMPLATE"
    psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\" TEMPLATE \"$TEMPLATE\""
  else
    step "database $DB: new (seed_scale --districts 10 takes about 10 minutes)"
    psql "$PG/postgres" -qc "CREATE DATABASE \"$DB\""
  fi
fi
step "migrate, seed_scale --districts 10 (skips what is there), the open month put back"
"$PYTHON" manage.py migrate --noinput -v 0
"$PYTHON" manage.py seed_scale --districts 10 >"$OUT/seed.log"
"$PYTHON" manage.py seed_scale --districts 10 --reset-open >>"$OUT/seed.log"
redis-cli -h 127.0.0.1 -n "$REDIS_DB" flushdb >/dev/null

step "web (deploy/web.sh, $WEB_CONCURRENCY gunicorn workers), worker, beat on 127.0.0.1:$PORT"
deploy/web.sh >"$OUT/web.log" 2>&1 & pids+=($!)
deploy/worker.sh >"$OUT/worker.log" 2>&1 & pids+=($!)
deploy/beat.sh >"$OUT/beat.log" 2>&1 & pids+=($!)
for _ in $(seq 120); do
  curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break
  kill -0 "${pids[0]}" 2>/dev/null || { cat "$OUT/web.log" >&2; exit 1; }
  sleep 1
done
curl -sf "http://127.0.0.1:$PORT/healthz" >"$OUT/healthz.json" || { cat "$OUT/web.log" >&2; exit 1; }
grep -q '"redis": {"status": "ok"' "$OUT/healthz.json" || { cat "$OUT/healthz.json" >&2; exit 1; }

# Beat runs as in production; a daily job (campaigns.schedule.DAILY: 00:30, 07:00, 09:00 Beijing
# time) firing inside the measured window would be measured too: start after it instead.
WINDOW=$((RAMP + DURATION + 30))
WAIT=$("$PYTHON" - "$WINDOW" <<'EOF'
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import django

django.setup()
from campaigns.schedule import DAILY, TZ

now = datetime.now(ZoneInfo(TZ))
window = timedelta(seconds=int(sys.argv[1]))
wait = 0
for _name, _task, hour, minute in DAILY:
    fires = now.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if fires < now:
        fires += timedelta(days=1)
    if fires - now < window:
        wait = max(wait, int((fires - now).total_seconds()) + 90)
print(wait)
EOF
)
if [ "$WAIT" -gt 0 ]; then
  step "a daily beat job fires within the run: starting in ${WAIT}s, after it"
  sleep "$WAIT"
fi

# The users log in while they arrive (argon2 makes each login cost a fraction of a second of
# CPU); the figures are those of the 2 minutes after the last has arrived (--reset-stats).
step "locust: $USERS users (arriving $SPAWN_RATE/s, ${RAMP}s), then ${DURATION}s measured"
locust -f loadtest/locustfile.py --headless --host "http://127.0.0.1:$PORT" \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$((RAMP + DURATION))s" --reset-stats \
  --csv "$OUT/locust" --only-summary --loglevel WARNING >"$OUT/locust.log" 2>&1 || true

"$PYTHON" - "$OUT/locust_stats.csv" "$USERS" "$DURATION" <<'EOF'
import csv
import re
import sys

path, users, duration = sys.argv[1], sys.argv[2], sys.argv[3]
rows = list(csv.DictReader(open(path, encoding="utf-8")))
total = next(r for r in rows if r["Name"] == "Aggregated")
print(f"loadtest_users {users} users")
print(f"loadtest_duration {duration} s")
print(f"loadtest_requests {total['Request Count']} requests")
print(f"loadtest_errors {total['Failure Count']} requests")
print(f"loadtest_requests_per_second {float(total['Requests/s']):.1f} req/s")
for label, column in (("p50", "50%"), ("p95", "95%"), ("p99", "99%")):
    print(f"loadtest_{label} {total[column]} ms")
for row in rows:
    if row["Name"] == "Aggregated":
        continue
    name = re.sub(r"\W+", "_", row["Name"]).strip("_")
    print(f"loadtest_p95_{name} {row['95%']} ms")
EOF
errors=$(grep -c " 500 " "$OUT/web.log" || true)
echo "loadtest_server_errors_500 $errors responses"
echo "loadtest logs: $OUT" >&2
