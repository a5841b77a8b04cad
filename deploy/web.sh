#!/usr/bin/env bash
# The web process: migrate, collect static files, serve with gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py sync_schedule
exec gunicorn minzheng.wsgi:application \
  --bind "${BIND:-0.0.0.0:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-120}" \
  --access-logfile - --error-logfile -
