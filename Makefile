# Kompis — see README.md. Everything the project needs is installed from its own files.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run install test test-sqlite test-postgres lint bench messages makemessages demo clean

run: install messages
	@mkdir -p var
	$(BIN)/kompis migrate --noinput -v0
	$(BIN)/kompis createcachetable
	$(BIN)/kompis collectstatic --noinput -v0
	$(BIN)/kompis demo --if-empty
	$(BIN)/kompis serve

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Kompis needs $(PYTHON) (Python 3.11)."; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	$(BIN)/python -m pip install -q --disable-pip-version-check --no-deps -e .
	$(BIN)/python -m kompis.core.warmup
	@touch $(STAMP)

# Compiled catalogues (.mo) are built, never committed.
messages: install
	cd kompis && ../$(BIN)/django-admin compilemessages -v0 --settings=kompis.settings --pythonpath=..

# Extract new strings into the catalogues (developers; needs GNU gettext).
makemessages: install
	cd kompis && ../$(BIN)/django-admin makemessages -l sv -l ar -l fa -l so -l uk -l en --no-obsolete \
		--settings=kompis.settings --pythonpath=.. -v0

test: install messages
	bash scripts/run-tests

lint: install
	$(BIN)/ruff check kompis tests bench
	$(BIN)/ruff format --check kompis tests bench
	$(BIN)/mypy kompis

bench: install
	$(BIN)/python bench/bench_matching.py
	$(BIN)/python bench/bench_followup.py
	@if [ -f bench/bench_reports.py ]; then $(BIN)/python bench/bench_reports.py; fi

demo: install
	$(BIN)/kompis migrate --noinput -v0
	$(BIN)/kompis demo

clean:
	rm -rf $(VENV) var test-artifacts .pytest_cache .mypy_cache .ruff_cache
