"""Settings come from the environment: safe local defaults, PostgreSQL and Redis when named,
and production refusing to start without its secrets."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROBE = (
    "import django; django.setup(); from django.conf import settings; "
    "from minzheng.celery import app; "
    "print(settings.DATABASES['default']['ENGINE'], app.conf.broker_url or '-', "
    "app.conf.task_always_eager, settings.LANGUAGE_CODE, settings.TIME_ZONE)"
)


def probe(settings_module: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_URL", "CELERY_"))
    }
    clean.update(env, DJANGO_SETTINGS_MODULE=settings_module)
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_defaults_to_sqlite_and_in_process_tasks():
    result = probe("minzheng.settings.local")
    assert result.stdout.split() == [
        "django.db.backends.sqlite3",
        "-",
        "True",
        "zh-hans",
        "Asia/Shanghai",
    ], result.stderr


def test_it_selects_postgresql_and_redis_from_the_environment():
    result = probe(
        "minzheng.settings.local",
        DATABASE_URL="postgres://app:secret@db.internal:5432/minzheng",
        CELERY_BROKER_URL="redis://redis.internal:6379/0",
    )
    engine, broker, eager, *_ = result.stdout.split()
    assert engine == "django.db.backends.postgresql", result.stderr
    assert broker == "redis://redis.internal:6379/0"
    assert eager == "False"


def test_it_refuses_production_without_a_secret_key():
    result = probe("minzheng.settings.production", DJANGO_ALLOWED_HOSTS="dalei.example.gov.cn")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_it_passes_the_deployment_checklist_in_production():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="minzheng.settings.production",
        DJANGO_SECRET_KEY="a-long-random-production-key-0123456789-abcdefghijklmnop-XYZ",
        DJANGO_ALLOWED_HOSTS="dalei.example.gov.cn",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout
