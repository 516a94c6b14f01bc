# baomi — the two commands a newcomer needs: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
BAOMI := $(VENV)/bin/baomi
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: install run test test-pg test-deps lint messages bench help

help:
	@echo "make run      install, migrate, load demo data, serve on http://$(HOST):$(PORT) (SQLite)"
	@echo "make test     install, then the whole suite on SQLite (browser tests included)"
	@echo "make test-pg  the same suite on a throwaway PostgreSQL"
	@echo "make lint     ruff and mypy"
	@echo "make messages refresh and compile the zh_Hans translation catalog"

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

run: install
	$(BAOMI) migrate --noinput
	$(BAOMI) demo
	@echo "baomi: http://$(HOST):$(PORT)/  (demo logins printed above)"
	$(BAOMI) serve --bind $(HOST):$(PORT)

# What the tests need from Debian: Chromium for Playwright, gettext for the catalog check.
test-deps:
	@command -v chromium >/dev/null 2>&1 && command -v msgfmt >/dev/null 2>&1 || { \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; }

test: install test-deps
	$(PY) -m pytest $(PYTEST_ARGS)

test-pg: install test-deps
	scripts/with-postgres.sh $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy src/baomi

messages: install
	cd src/baomi && ../../$(VENV)/bin/django-admin makemessages -l zh_Hans --no-obsolete --no-location --settings=baomi.settings.test
	cd src/baomi && ../../$(VENV)/bin/django-admin compilemessages -l zh_Hans --settings=baomi.settings.test
