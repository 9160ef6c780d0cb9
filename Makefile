# The two commands every user needs:
#   make run   — set everything up on a fresh machine and start the app with demo data
#   make test  — set everything up and run every test
# DATABASE_URL / REDIS_URL choose PostgreSQL and Redis; without them: SQLite
# and a filesystem Celery broker (no servers needed).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint migrate demo bench-calendar bench-scan bench-pages bench-letters bench-load clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found " + sys.version.split()[0] + ")")'
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

$(NODE_STAMP): package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is needed (Node.js 18 or newer): see README.md"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

setup: $(PY_STAMP) $(NODE_STAMP)

migrate: setup
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: demo
	@echo ""
	@echo "  Complaints casework: http://$(HOST):$(PORT)/"
	@$(BIN)/python manage.py seed_demo --print-sign-ins
	@echo "  Web server, Celery worker and beat start now; Ctrl-C stops all three."
	@echo ""
	HOST=$(HOST) PORT=$(PORT) $(BIN)/honcho start -f Procfile.dev

test: setup
	$(BIN)/python -m pytest

lint: migrate
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python manage.py describe_workflows --check docs/workflows.md

bench-calendar: setup
	$(BIN)/python -m bench.calendar
bench-scan: setup
	$(BIN)/python -m bench.scan
bench-pages: setup
	$(BIN)/python -m bench.pages
bench-letters: setup
	$(BIN)/python -m bench.letters
bench-load: setup
	$(BIN)/python -m bench.load

clean:
	rm -rf $(VENV) node_modules var staticfiles
