#!/usr/bin/env bash
# The Celery worker: runs dispatches, imports and reminders off the request path.
set -euo pipefail
cd "$(dirname "$0")/.."
exec celery -A minzheng worker --loglevel "${CELERY_LOG_LEVEL:-INFO}" --concurrency "${CELERY_CONCURRENCY:-2}"
