# Waymark: `make run` serves the portal on http://127.0.0.1:8000, `make test` runs
# every test. Both set up what they need first and reuse it on the next run.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMPS := .make
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; PYTEST_WORKERS=0 runs the tests in this one.
PYTEST_WORKERS ?= auto

# Django 6 needs Python 3.12 or later: the first of these that exists.
PYTHON ?= $(shell for candidate in python3.14 python3.13 python3.12 \
		$$(ls -d $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3 2>/dev/null) python3; do \
	command -v $$candidate >/dev/null 2>&1 && $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
		&& { command -v $$candidate; break; }; done)

.PHONY: help run test setup assets messages browser migrate seed lint format check-deploy clean lock audit

help:
	@echo "make run    set up and serve Waymark at http://$(HOST):$(PORT) (SQLite, demo data)"
	@echo "make test   set up and run the whole test suite (browser tests included)"
	@echo "make lint   ruff check and format check"
	@echo "make messages  refresh locale/*/LC_MESSAGES/django.po from the code and templates"

run: setup
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: setup browser
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

setup: $(STAMPS)/python $(STAMPS)/assets $(STAMPS)/messages

# Python: a virtual environment with the project and its dev tools, installed from
# the hash-locked requirements-dev.lock (make lock refreshes it), redone when either
# changes.
$(STAMPS)/python: pyproject.toml requirements-dev.lock
	@if [ -z "$(PYTHON)" ]; then \
		echo "Waymark needs Python 3.12 or later (python3.12 on PATH, or pyenv install 3.12)." >&2; exit 1; fi
	@mkdir -p $(STAMPS)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes --requirement requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	@touch $@

# Front end: npm packages from the lock file, then GOV.UK Frontend (with its
# accessible-autocomplete) and htmx built into static/build/.
$(STAMPS)/node: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Waymark needs Node.js and npm to build its front end." >&2; exit 1; }
	@mkdir -p $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(STAMPS)/assets: $(STAMPS)/node scripts/build-frontend.mjs $(wildcard frontend/scss/*.scss)
	node scripts/build-frontend.mjs
	@touch $@

assets: $(STAMPS)/assets

# Translations: the .po catalogues in locale/ are committed, the .mo files Django reads
# are built from them (GNU gettext's msgfmt), redone when a .po changes.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po)
$(STAMPS)/messages: $(STAMPS)/python $(PO_FILES)
	@command -v msgfmt >/dev/null || { echo "Waymark needs GNU gettext (msgfmt) for its translations: apt-get install gettext." >&2; exit 1; }
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity=0
	@touch $@

# Refresh the catalogues from the code and templates (xgettext): new strings come in
# with an empty translation, gone ones are dropped. What is scanned is said once, in
# portal/core/management/commands/update_messages.py; tests/i18n/test_catalogue.py
# fails when a catalogue is out of date.
messages: $(STAMPS)/python
	$(BIN)/python manage.py update_messages
	$(BIN)/python manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity=0

# Browser tests drive Debian's Chromium; install it when we can.
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests..."; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium: run 'sudo apt-get install chromium' and try again." >&2; exit 1; \
		fi; \
	fi

migrate: setup
	$(BIN)/python manage.py migrate --no-input

seed: migrate
	$(BIN)/python manage.py seed_demo

lint: $(STAMPS)/python
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMPS)/python
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) $(STAMPS) node_modules static/build staticfiles

# The lock files: every Python package pinned with its hashes, for Python 3.12+ on
# any platform. requirements.lock is what production runs; requirements-dev.lock adds
# the test and lint tools. Refresh both after changing pyproject.toml's dependencies.
LOCK_OPTIONS := --generate-hashes --universal --python-version 3.12 --quiet
lock: $(STAMPS)/python
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml $(LOCK_OPTIONS) --output-file requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev $(LOCK_OPTIONS) --output-file requirements-dev.lock

# Known vulnerabilities in what production runs: pip-audit over the lock and
# npm audit over the front end's runtime packages. Both ask advisory services on the
# internet, so this is for deployers, not part of CI.
audit: $(STAMPS)/python
	$(BIN)/python -m pip install --quiet pip-audit
	$(BIN)/pip-audit --requirement requirements.lock --require-hashes --disable-pip
	npm audit --omit=dev
