#!/usr/bin/env bash
# The web process: migrate, collect static files, serve with gunicorn.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python}
$PY manage.py migrate --noinput
$PY manage.py collectstatic --noinput --verbosity 0
$PY manage.py sync_schedule
# The access log names the path without its query string: a clerk's search for an ID number
# (?q=...) never reaches a log.
exec gunicorn minzheng.wsgi:application \
  --bind "${BIND:-0.0.0.0:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-120}" \
  --access-logfile - --error-logfile - \
  --access-logformat '%(h)s %(t)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
