#!/usr/bin/env bash
# 备份：数据库（PostgreSQL: pg_dump -Fc；SQLite: 在线备份）和上传的文件，放进 BACKUP_DIR。
# The database is the one the settings name (DATABASE_URL); run it with the same environment
# as the site (DJANGO_SETTINGS_MODULE, DATABASE_URL, DJANGO_MEDIA_ROOT), e.g. from cron.
#   BACKUP_DIR   where the files go (default: backups/ in the project)
#   KEEP_DAYS    delete this folder's backups older than this many days (default 0: keep all)
set -euo pipefail
cd "$(dirname "$0")/.."
# The project's venv (make install), or the image's Python in the container.
if [ -z "${PYTHON:-}" ]; then
  if [ -x .venv/bin/python ]; then PYTHON=.venv/bin/python; else PYTHON=python3; fi
fi
PY=$PYTHON
umask 077  # the backups hold personal data: readable by this account only
exec "$PY" manage.py backup --dir "${BACKUP_DIR:-backups}" --keep-days "${KEEP_DAYS:-0}"
