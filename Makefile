# duikou: set-up, demo, tests and checks. GNU make, POSIX sh.
#
#   make demo      venv + install, then migrate, load the demo and serve http://127.0.0.1:8000
#   make test      the whole suite on SQLite (parallel; browser tests in one worker)
#   make test-pg   the whole suite on PostgreSQL ($(PG_URL))
#   make lint      ruff + no missing migrations
#   make messages  update and compile the zh_Hans catalogue
#   make clean     caches and build output;  make distclean  also .venv and ./duikou-data

SHELL := /bin/sh
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
VPY := $(BIN)/python
DUIKOU := $(BIN)/duikou
STAMP := $(VENV)/.installed
# loadgroup: the tests of one xdist_group (the browser tests) run in one worker, with one demo server.
PYTEST_ARGS ?= -n auto --dist loadgroup -q
PG_URL ?= postgres://postgres@127.0.0.1:5432/duikou
# Commands that run from src/duikou (messages) still use the repository's data folder.
DATA_DIR := $(abspath $(or $(DUIKOU_DATA_DIR),duikou-data))
IN_PKG := cd src/duikou && DUIKOU_DEBUG=1 DUIKOU_DATA_DIR=$(DATA_DIR) $(abspath $(DUIKOU))
# Compiled catalogues: built from the committed .po files whenever these are newer.
PO_FILES := $(wildcard src/duikou/locale/*/LC_MESSAGES/*.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: help install mo demo test test-pg bench lint lint-ruff lint-migrations messages clean distclean

help:
	@echo "make demo       install into $(VENV), load the demo, serve http://127.0.0.1:8000 (admin / duikou-demo)"
	@echo "make test       the whole suite on SQLite"
	@echo "make test-pg    the whole suite on PostgreSQL (PG_URL=$(PG_URL))"
	@echo "make bench      benchmarks on a generated dataset (BENCH_SCALE=medium; DATABASE_URL for PostgreSQL)"
	@echo "make lint       ruff check + makemigrations --check"
	@echo "make messages   makemessages -l zh_Hans + compilemessages"
	@echo "make clean      remove caches and build output (distclean: also $(VENV) and ./duikou-data)"

$(VPY):
	$(PYTHON) -m venv $(VENV)

# Reinstall only when pyproject.toml is newer than the stamp (editable install: code changes need none).
$(STAMP): pyproject.toml | $(VPY)
	$(VPY) -m pip install --disable-pip-version-check -q -e '.[test]'
	touch $@

install: $(STAMP)

%.mo: %.po
	@command -v msgfmt >/dev/null 2>&1 || { echo "msgfmt not found: install gettext (apt-get install gettext)" >&2; exit 1; }
	msgfmt --check-format -o $@ $<

mo: $(MO_FILES)

demo: $(STAMP) $(MO_FILES)
	DUIKOU_DEBUG=1 $(DUIKOU) demo

# pytest exits 5 when it collected no test; make fails on any non-zero exit, so that counts as a failure.
test: $(STAMP) $(MO_FILES)
	$(BIN)/pytest $(PYTEST_ARGS)

# --create-db: stale test_duikou_gw* databases from an earlier run are dropped and made anew.
test-pg: $(STAMP) $(MO_FILES)
	DATABASE_URL=$(PG_URL) $(BIN)/pytest $(PYTEST_ARGS) --create-db

# `make -k lint` runs both checks even when the first fails (as .ci/run does).
# Speed is measured here, not in timed tests: bench/run.py (docs/performance.md) on a generated dataset,
# made at BENCH_SCALE (medium, or national, small, tiny) when the database has none: SQLite in
# BENCH_DATA_DIR, or `make bench DATABASE_URL=postgres://…`. Writes bench/results.json and
# bench/results-<database>.json. bench/pages.py still times the pages on the demo.
BENCH_SCALE ?= medium
BENCH_DATA_DIR ?= $(abspath duikou-data/bench)
BENCH_ARGS ?=
bench: $(STAMP) $(MO_FILES)
	DUIKOU_DATA_DIR=$(BENCH_DATA_DIR) BENCH_SCALE=$(BENCH_SCALE) $(VPY) bench/run.py --copy-to-vendor $(BENCH_ARGS)

lint: lint-ruff lint-migrations

lint-ruff: $(STAMP)
	$(BIN)/ruff check src tests

lint-migrations: $(STAMP)
	DUIKOU_DEBUG=1 $(DUIKOU) makemigrations --check --dry-run

# Run from the package folder so that only duikou's own files are scanned (LOCALE_PATHS = src/duikou/locale).
messages: $(STAMP)
	$(IN_PKG) makemessages -l zh_Hans --ignore tests --ignore testing
	$(IN_PKG) compilemessages -l zh_Hans

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .ruff_cache test-artifacts
	find src tests -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) duikou-data
