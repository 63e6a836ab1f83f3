# Tandem: `make run` starts a working site with demo data; `make test` runs every test.
SHELL := /bin/sh
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test venv install install-dev messages demo worker beat lint format lock bench ci clean

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

venv: $(PY)

$(VENV)/.installed: requirements/base.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/base.lock
	touch $@

$(VENV)/.installed-dev: requirements/dev.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements/dev.lock
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

# Translations are compiled where gettext is installed; elsewhere the committed .mo files serve.
messages: install
	@if find . -path ./$(VENV) -prune -o -path '*/locale/*' -name '*.po' -print | grep -q .; then \
	  if command -v msgfmt >/dev/null 2>&1; then \
	    $(PY) manage.py compilemessages --ignore=$(VENV) --verbosity 0; \
	  else \
	    echo "gettext is not installed: using the committed translations"; \
	  fi; \
	fi

# The demo world and its command live in demo/.
demo: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: demo
	@echo "Tandem is starting at http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

# With REDIS_URL set, tasks need a worker and the periodic schedule needs exactly one beat.
worker: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config worker --loglevel=INFO

beat: install
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.local} $(BIN)/celery -A config beat --loglevel=INFO

# The suite runs on TEST_WORKERS processes (pytest-xdist), each with a test database of its
# own (test_<name>_gw0, _gw1 ... on PostgreSQL) and its own live server for the browser tests.
# TEST_WORKERS=0 runs it in this one process (for --pdb); TEST_WORKERS=auto, one per core.
# PYTEST_ARGS come last, so an -n there wins too.
TEST_WORKERS ?= 2

test: install-dev
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

lock: install-dev
	$(PY) -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --python-version 3.12 --universal --generate-hashes -o requirements/base.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.12 --universal --generate-hashes -o requirements/dev.lock

bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
