#!/usr/bin/env bash
# Exactly one beat: the schedule lives in the database (django-celery-beat).
set -euo pipefail
cd "$(dirname "$0")/.."
exec celery -A minzheng beat --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
  --scheduler django_celery_beat.schedulers:DatabaseScheduler --pidfile=
