# Two commands for a new machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
NODE_MODULES := frontend/node_modules/.package-lock.json
STATIC_BUILD := frontend/build/.built
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on every core (pytest-xdist); PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= auto

.PHONY: run test setup frontend migrate seed lint bench clean

$(VENV)/.installed: requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(NODE_MODULES): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error

$(STATIC_BUILD): $(NODE_MODULES) frontend/build.mjs $(wildcard frontend/src/*)
	cd frontend && node build.mjs
	touch $@

# PDFs need Pango and fonts from the system: installed once when missing (never fails the run).
setup: $(VENV)/.installed $(STATIC_BUILD)
	$(PY) scripts/ensure_pdf_libraries.py

frontend: $(STATIC_BUILD)

migrate: setup
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo --if-empty

run: seed
	$(PY) manage.py runserver $(HOST):$(PORT)

test: setup
	$(PY) scripts/ensure_chromium.py
	$(PY) scripts/ensure_libreoffice.py
	$(PY) scripts/ensure_pdf_libraries.py
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Benchmarks on PostgreSQL, each in a database of its own (figures in docs/performance.md).
BENCH_PG ?= postgres://postgres@127.0.0.1:5432
bench: setup
	for db in recovery_bench recovery_bench_plans recovery_bench_public; do \
	  psql $(BENCH_PG)/postgres -tAc "SELECT 1 FROM pg_database WHERE datname='$$db'" | grep -q 1 \
	    || psql $(BENCH_PG)/postgres -qc "CREATE DATABASE $$db"; done
	DATABASE_URL=$(BENCH_PG)/recovery_bench $(PY) bench/estate_pages.py
	DATABASE_URL=$(BENCH_PG)/recovery_bench_plans $(PY) bench/plans.py
	DATABASE_URL=$(BENCH_PG)/recovery_bench_public $(PY) bench/public_load.py

clean:
	rm -rf $(VENV) frontend/node_modules frontend/build
