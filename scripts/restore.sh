#!/usr/bin/env bash
# 恢复：scripts/restore.sh backups/dalei-YYYYmmdd-HHMMSS.dump（或 .sqlite3）
# Replaces the database DATABASE_URL names (and MEDIA_ROOT, from the -media.tar.gz of the same
# time stamp). Asks before it starts unless FORCE=1. Stop the web, worker and beat first.
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's venv (make install), or the image's Python in the container.
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
PY=$PYTHON
file=${1:-${FILE:-}}
if [ -z "$file" ]; then
  echo "请指定备份文件：make restore FILE=backups/dalei-YYYYmmdd-HHMMSS.dump（或 .sqlite3）" >&2
  exit 2
fi
args=("$file")
if [ "${FORCE:-0}" = "1" ]; then args+=(--noinput); fi
exec "$PY" manage.py restore "${args[@]}"
