# Larder developer tasks. `make test` works from a fresh clone on Debian with only Swift
# installed: it installs the missing Debian packages and a Python venv for the interop tests.

VENV_PYTHON := $(CURDIR)/.venv/bin/python
SWIFT       ?= swift
# Extra arguments for swift build/test, e.g. SWIFT_FLAGS="--scratch-path .build-mine"
SWIFT_FLAGS ?=

.PHONY: all setup setup-apt setup-python build test demo bench fixtures clean distclean

all: build

## setup: Debian packages (codec C libraries) and .venv with pyarrow, duckdb, polars, deltalake
setup: setup-apt setup-python

setup-apt:
	@bash scripts/setup-apt.sh

setup-python:
	@bash scripts/setup-python.sh

## build: debug build of every target
build: setup-apt
	$(SWIFT) build $(SWIFT_FLAGS)

## test: every test; the Python interop tests are required (they fail, not skip, if Python breaks)
test: setup
	LARDER_INTEROP=1 LARDER_PYTHON=$(VENV_PYTHON) $(SWIFT) test $(SWIFT_FLAGS)

## demo: release build of the larder tool, then `larder demo`
demo: setup-apt
	$(SWIFT) build $(SWIFT_FLAGS) -c release --product larder
	"$$($(SWIFT) build $(SWIFT_FLAGS) -c release --show-bin-path)/larder" demo

## bench: the Parquet benchmark (scripts/bench.sh), then the versioned-table one (scripts/bench-tables.sh)
bench: setup
	@if [ -f scripts/bench.sh ]; then bash scripts/bench.sh; else echo "bench: no scripts/bench.sh yet"; fi
	@bash scripts/bench-tables.sh
	@bash Benchmarks/online/run.sh

## fixtures: regenerates Fixtures/parquet with the venv's pyarrow (deterministic) and
## Fixtures/delta with its delta-rs (deterministic expected JSON; table bytes differ per run)
fixtures: setup-python
	$(VENV_PYTHON) -B Fixtures/parquet/make_fixtures.py
	$(VENV_PYTHON) -B Fixtures/delta/make_fixtures.py

## clean: removes build products; distclean also removes .venv
clean:
	rm -rf .build

distclean: clean
	rm -rf .venv
