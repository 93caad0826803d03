# The two commands a new user needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000


.PHONY: bench mutation run test install install-dev assets messages migrate seed serve lint format lock clean system-deps

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import django, wagtail" && touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -q -r requirements-dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import pytest, playwright" && touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

static/vendor/.built: node_modules/.package-lock.json scripts/build_assets.mjs
	node scripts/build_assets.mjs && touch $@

assets: static/vendor/.built

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

migrate: install
	$(PY) manage.py migrate --noinput -v0

seed: migrate
	$(PY) manage.py seed_demo

## make run: install everything, migrate, seed the demo and serve http://127.0.0.1:8000
run: install assets messages seed
	@echo "Serving http://$(HOST):$(PORT)/  (log in with a demo login printed above; Ctrl+C stops)"
	$(PY) manage.py runserver $(HOST):$(PORT)

## make test: install everything and run the whole suite (PostgreSQL when its binaries exist)
test: install-dev assets messages
	bash scripts/test.sh

## make bench: every bench_* command against a throwaway PostgreSQL (figures on the last line)
bench: install-dev assets messages
	BENCH="$(BENCH)" bash scripts/bench.sh $(ARGS)

## make mutation: mutmut on the KPI registry, the bonus ledger and quiz scoring, each against its own tests (≥ 90 % killed)
mutation: install-dev messages
	bash scripts/mutation.sh $(MODULES)

## make serve: production-like on one machine: gunicorn + celery worker + beat (needs DATABASE_URL, CELERY_BROKER_URL)
serve: install assets messages
	bash scripts/serve.sh

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

## make lock: re-resolve requirements.in into the pinned requirements.txt
lock:
	rm -rf .lock-venv && $(PYTHON) -m venv .lock-venv
	.lock-venv/bin/pip install -q -r requirements.in
	{ echo "# Locked with: pip freeze after 'pip install -r requirements.in'. Regenerate with 'make lock'."; .lock-venv/bin/pip freeze; } > requirements.txt
	rm -rf .lock-venv

clean:
	rm -rf $(VENV) node_modules static/vendor var db.sqlite3
