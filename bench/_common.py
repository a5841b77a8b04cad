"""What the benchmarks share: the PostgreSQL databases seeded by seed_scale, Django set-up, and
the one output format, a `name value unit` line per figure on stdout (progress goes to stderr).

The databases are `dalei_bench_n1` and `dalei_bench_n10` on the local PostgreSQL (BENCH_PG, by
default postgres://postgres@127.0.0.1:5432): created, migrated and seeded the first time, reused
afterwards (seed_scale skips the districts already there).
"""

from __future__ import annotations

import math
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432").rstrip("/")


def database_url(districts: int) -> str:
    return f"{SERVER}/dalei_bench_n{districts}"


def emit(name: str, value: float | int | str, unit: str) -> None:
    if isinstance(value, float):
        value = f"{value:.3g}" if abs(value) < 100 else f"{value:.0f}"
    print(f"{name} {value} {unit}", flush=True)


def note(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def median(values: list[float]) -> float:
    return statistics.median(values)


def cpu_line() -> str:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"cpu {model} ({os.cpu_count()} cores)"


def _create_database(name: str) -> bool:
    import psycopg2

    connection = psycopg2.connect(f"{SERVER}/postgres")
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(f'CREATE DATABASE "{name}"')
            return True
    finally:
        connection.close()


def manage(*args: str, districts: int, quiet: bool = False) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(districts),
        "DJANGO_SETTINGS_MODULE": "minzheng.settings.local",
        "DJANGO_DEBUG": "false",  # no query log kept while seeding
    }
    subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL if quiet else sys.stderr,
        stderr=sys.stderr,
    )


def ensure_database(districts: int) -> None:
    """Create, migrate and seed `dalei_bench_n<districts>`; print the seeding time if it ran."""
    created = _create_database(f"dalei_bench_n{districts}")
    manage("migrate", "--noinput", "-v", "0", districts=districts)
    started = time.perf_counter()
    manage("seed_scale", "--districts", str(districts), districts=districts)
    if created:
        emit(f"seed_scale_n{districts}", time.perf_counter() - started, "s")


def setup_django(districts: int) -> None:
    """Django on the bench database, with the test settings (no secrets, DEBUG off)."""
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database_url(districts)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "minzheng.settings.test")
    import django

    django.setup()


def run_script(script: str, *args: str) -> tuple[int, list[str]]:
    """Run another bench script: its figures go on to our stdout, and come back as lines."""
    process = subprocess.Popen(
        [PYTHON, str(ROOT / "bench" / script), *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    lines = []
    for line in process.stdout:
        print(line, end="", flush=True)
        lines.append(line.strip())
    return process.wait(), lines
