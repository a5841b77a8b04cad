# The two promises of README.md: `make run` and `make test`, on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install browser-deps run test test-fast lint format vendor demo check-deploy backup restore bench loadtest screenshots

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium and the CJK fonts for the browser tests (never a downloaded browser), and
# LibreOffice for plan files in .doc / .wps (and the PDFs the plan-import tests print).
browser-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -q "Noto Sans CJK"; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
		else \
			echo "需要 Debian 的 chromium 与 fonts-noto-cjk：sudo apt-get install -y chromium fonts-noto-cjk" >&2; exit 1; \
		fi; \
	fi
	@if ! command -v soffice >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils >/dev/null; \
		else \
			echo "需要 LibreOffice（转换 .doc / .wps 方案）：sudo apt-get install -y libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils" >&2; exit 1; \
		fi; \
	fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo --if-empty
	@echo "打擂攻坚：http://$(HOST):$(PORT)/  演示账号见 README.md"
	$(PY) manage.py runserver $(HOST):$(PORT)

demo: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

test: install browser-deps
	$(VENV)/bin/pytest -n 2 --dist loadfile

test-fast: install
	$(VENV)/bin/pytest -n 2 --dist loadfile -m "not browser"

# The README's pictures: each role's first page on the demo at 1366x768 and 390x844, written to
# docs/screenshots/ by the browser test (which, in `make test`, writes to artifacts/ only).
screenshots: install browser-deps
	UPDATE_SCREENSHOTS=1 $(VENV)/bin/pytest -p no:xdist -q tests/browser/test_first_pages.py

# A model change without its migration fails here, not on the server.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production settings must pass Django's deployment checklist with no warning.
check-deploy: install
	DJANGO_SETTINGS_MODULE=minzheng.settings.production DJANGO_SECRET_KEY="$$(head -c 48 /dev/urandom | base64)" \
	DJANGO_ALLOWED_HOSTS=dalei.example.gov.cn $(PY) manage.py check --deploy --fail-level WARNING

vendor:
	./scripts/vendor-assets.sh

# Benchmarks (bench/run.py): one "name value unit" line per figure, on the local PostgreSQL's
# dalei_bench_n1 and dalei_bench_n10 (seeded by seed_scale the first time, reused afterwards).
bench: install
	$(PY) bench/run.py

# Load test (scripts/loadtest.sh): gunicorn, a Celery worker and beat on 127.0.0.1 against a
# seed_scale --districts 10 database, locust with 50 users for 2 minutes; stops what it started.
loadtest: install
	./scripts/loadtest.sh

# Backups (docs/OPERATIONS.md): the database DATABASE_URL names and MEDIA_ROOT, into backups/.
backup: install
	BACKUP_DIR="$(or $(BACKUP_DIR),backups)" KEEP_DAYS="$(or $(KEEP_DAYS),0)" ./scripts/backup.sh

# make restore FILE=backups/dalei-YYYYmmdd-HHMMSS.dump [FORCE=1]: asks first unless FORCE=1.
restore: install
	FILE="$(FILE)" FORCE="$(FORCE)" ./scripts/restore.sh
