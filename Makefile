# papitrack: every command a developer or CI needs. `make run` and `make test` are the two
# entry points of the README; both install what they need on a fresh Debian 12 machine.

SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never

.PHONY: all setup system-packages venv assets dev run seed migrate test test-sqlite test-pg e2e \
	lint fmt typecheck check security lock units clean

all: lint typecheck test

# --- set-up ---------------------------------------------------------------------------------

system-packages:
	bash scripts/install_system_packages.sh

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

venv: $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.lock

assets:
	bash scripts/install_assets.sh

setup: venv assets

migrate:
	PAPITRACK_ALLOW_DEV_SECRET=1 $(BIN)/python manage.py migrate --no-input -v0

seed: migrate
	PAPITRACK_ALLOW_DEV_SECRET=1 $(BIN)/python manage.py seed_demo

# --- running --------------------------------------------------------------------------------

run: setup seed
	@echo "papitrack: http://127.0.0.1:$(PORT)/  (demo accounts in README.md, password papitrack-demo)"
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

dev: run

# --- tests ----------------------------------------------------------------------------------

# The whole suite: on SQLite, then on a throwaway PostgreSQL on loopback, then the browser tests.
test: system-packages setup
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory security
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-pg
	$(MAKE) --no-print-directory e2e

check:
	PAPITRACK_ALLOW_DEV_SECRET=1 $(BIN)/python -W error::DeprecationWarning \
		-W error::PendingDeprecationWarning manage.py check
	PAPITRACK_ALLOW_DEV_SECRET=1 $(BIN)/python manage.py makemigrations --check --dry-run -v0

# Transactional tests flush the database, so they run apart from the shared demo data.
PYTEST := PAPITRACK_ALLOW_DEV_SECRET=1 $(BIN)/pytest -q
SHARED_SUITE := $(PYTEST) -m "not e2e and not transactional" -n 2

test-sqlite:
	$(SHARED_SUITE)

# On PostgreSQL also the concurrency tests (real row locks; SQLite's test database has none).
test-pg:
	bash scripts/with_postgres.sh bash -c '$(SHARED_SUITE) && $(PYTEST) -m transactional'

e2e:
	$(PYTEST) -m e2e

# --- quality --------------------------------------------------------------------------------

lint:
	$(BIN)/ruff check papitrack tests scripts benchmarks
	$(BIN)/ruff format --check papitrack tests scripts benchmarks

fmt:
	$(BIN)/ruff format papitrack tests scripts benchmarks
	$(BIN)/ruff check --fix papitrack tests scripts benchmarks

typecheck:
	PAPITRACK_ALLOW_DEV_SECRET=1 $(BIN)/mypy papitrack

# bandit, and pip-audit of requirements.lock when PyPI's advisory data can be reached (the
# script says why; PAPITRACK_REQUIRE_AUDIT=1 makes an unreachable service fail).
security:
	BIN=$(BIN) bash scripts/security_checks.sh

# Re-resolve the pinned lock files (no registry addresses may end up in them).
lock:
	uv pip compile pyproject.toml --python-version 3.11 --no-annotate --no-header -o requirements.lock
	uv pip compile pyproject.toml --group dev --python-version 3.11 --no-annotate --no-header \
		-o requirements-dev.lock
	! grep -nE '://|index-url|find-links|trusted-host' requirements*.lock

# Regenerate data/orgunits from vietnamadminunits (dev only: it depends on GPL Unidecode,
# so it lives in a throwaway venv and never in the project's environment).
units:
	$(PYTHON) -m venv /tmp/papitrack-units-venv
	/tmp/papitrack-units-venv/bin/pip install --quiet vietnamadminunits==1.0.4
	/tmp/papitrack-units-venv/bin/python scripts/extract_units.py

clean:
	rm -rf $(VENV) node_modules papitrack/static/vendor staticfiles var .pytest_cache .mypy_cache
