# Kompis — see README.md. Everything the project needs is installed from its own files:
# Debian packages from scripts/debian-packages, Python packages from requirements/run.lock (the server)
# and requirements/dev.lock (the server plus the test tools), both generated from pyproject.toml (make lock).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
RUN_LOCK := requirements/run.lock
DEV_LOCK := requirements/dev.lock
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
PIP := $(BIN)/python -m pip install -q --disable-pip-version-check
# `make` is for laptops and CI: development settings (DEBUG, a key generated into var/secret_key, the mail
# catcher) unless the environment says otherwise. Production runs `kompis` with its own environment.
export KOMPIS_ENV ?= development

.PHONY: run install install-dev test test-sqlite test-postgres lint bench messages makemessages demo doctor lock \
	clean debian-run debian-test

run: install messages
	@mkdir -p var
	$(BIN)/kompis migrate --noinput -v0
	$(BIN)/kompis createcachetable
	$(BIN)/kompis collectstatic --noinput -v0
	$(BIN)/kompis demo --if-empty
	$(BIN)/kompis serve

# Debian packages: installed with apt-get (sudo when not root) when missing, saying which and why.
debian-run:
	@bash scripts/install-debian-packages run

debian-test:
	@bash scripts/install-debian-packages run test

# The server only (requirements/run.lock): no pytest, Playwright or mypy.
install: debian-run $(RUN_STAMP)

$(RUN_STAMP): $(RUN_LOCK) pyproject.toml | debian-run
	@command -v $(PYTHON) >/dev/null || { echo "Kompis needs $(PYTHON) (Python 3.11): apt-get install python3.11-venv"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "== installing Kompis's Python packages into $(VENV) ($(RUN_LOCK): Django, WeasyPrint, gunicorn …)"
	$(PIP) -r $(RUN_LOCK)
	$(PIP) --no-deps -e .
	$(BIN)/python -m kompis.matching.engine.warmup
	@touch $@

# The server and the test tools (requirements/dev.lock = run.lock + the `dev` extra).
install-dev: debian-test $(DEV_STAMP)

$(DEV_STAMP): $(DEV_LOCK) $(RUN_STAMP) | debian-test
	@echo "== installing the test tools into $(VENV) ($(DEV_LOCK): pytest, Playwright, mypy, ruff …)"
	$(PIP) -r $(DEV_LOCK)
	@touch $@

# Regenerate both lock files from pyproject.toml with uv, installed from PyPI into a throwaway venv.
# Pinned versions are kept unless pyproject.toml needs others; `make lock UPGRADE=--upgrade` upgrades.
lock:
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	$(PYTHON) -m venv "$$tmp/venv" && "$$tmp/venv/bin/pip" install -q --disable-pip-version-check uv && \
	"$$tmp/venv/bin/uv" pip compile -q $(UPGRADE) pyproject.toml --python-version 3.11 -o $(RUN_LOCK) && \
	"$$tmp/venv/bin/uv" pip compile -q $(UPGRADE) pyproject.toml --extra dev -c $(RUN_LOCK) --python-version 3.11 \
		-o $(DEV_LOCK) && \
	echo "== $(RUN_LOCK) and $(DEV_LOCK) regenerated from pyproject.toml"

# Compiled catalogues (.mo) are built, never committed.
messages: install
	cd kompis && ../$(BIN)/django-admin compilemessages -v0 --settings=kompis.settings --pythonpath=..

# Extract new strings into the catalogues (developers; needs GNU gettext).
makemessages: install
	cd kompis && ../$(BIN)/django-admin makemessages -l sv -l ar -l fa -l so -l uk -l en --no-obsolete \
		--settings=kompis.settings --pythonpath=.. -v0

test: install-dev messages
	KOMPIS_DEBIAN_PACKAGES_CHECKED=1 bash scripts/run-tests

lint: install-dev
	$(BIN)/ruff check kompis tests bench
	$(BIN)/ruff format --check kompis tests bench
	$(BIN)/mypy kompis
	$(BIN)/lint-imports

bench: install
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_followup.py
	$(BIN)/python bench/bench_scale.py
	@if $(BIN)/python -c "import pytest, hypothesis" 2>/dev/null; then $(BIN)/python bench/bench_hostile.py; \
	else echo "bench/bench_hostile.py skipped: it builds its files with the tests' helpers (make install-dev)"; fi
	@if [ -f bench/bench_reports.py ]; then $(BIN)/python bench/bench_reports.py; fi
	$(BIN)/python bench/bench_programmes.py
	$(BIN)/python bench/bench_surveys.py

demo: install
	$(BIN)/kompis migrate --noinput -v0
	$(BIN)/kompis demo

# Every external program and service Kompis and its tests use, found or missing (works before `make install`).
doctor:
	@if [ -x $(BIN)/python ]; then $(BIN)/python -m kompis.cli doctor; \
	else $$(command -v $(PYTHON) || command -v python3) -m kompis.core.doctor; fi

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
