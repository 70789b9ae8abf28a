# Two commands on a fresh machine: `make demo` and `make test`. Both build .venv from pyproject.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin

.PHONY: demo test test-clock lint bench clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# Wheels of what pyproject.toml declares (runtime dependencies and the build backend), at the
# versions .venv has, from pip's cache when it is warm. tests/test_packaging.py builds and
# installs the package from these alone (`pip install --no-index`), so a dependency that
# pyproject.toml does not declare makes that test fail, with no network in the test.
WHEELHOUSE = $(VENV)/wheelhouse

$(WHEELHOUSE)/.complete: $(BIN)/.installed
	rm -rf $(WHEELHOUSE)
	$(BIN)/python -c 'import tomllib; p = tomllib.load(open("pyproject.toml", "rb")); \
	  print("\n".join(p["project"]["dependencies"] + p["build-system"]["requires"]))' \
	  >$(VENV)/declared-requirements.txt
	$(BIN)/pip freeze --exclude-editable >$(VENV)/installed-versions.txt
	$(BIN)/pip wheel --quiet --wheel-dir $(WHEELHOUSE) -c $(VENV)/installed-versions.txt \
	  -r $(VENV)/declared-requirements.txt
	touch $@

demo: $(BIN)/.installed
	$(BIN)/sheetsync demo demo

test: $(BIN)/.installed $(WHEELHOUSE)/.complete
	$(BIN)/pytest -q

# The date-sensitive tests (marked `clock`) with the machine frozen by libfaketime at awkward
# instants: 22:30 UTC (already tomorrow in Jakarta), 23:30 UTC on New Year's Eve (already
# next year in Jakarta) and 00:30 WIB on 1 March; each with the machine in UTC and in WIB.
# An outer libfaketime (a whole CI run frozen at some instant) is cleared first: nested, its
# shared clock state would move the inner frozen instant.
CLOCK_INSTANTS = 2026-12-01T22:30:00 2026-12-31T23:30:00 2026-02-28T17:30:00
CLOCK_ZONES    = UTC Asia/Jakarta

test-clock: $(BIN)/.installed
	@command -v faketime >/dev/null || { echo "make test-clock needs libfaketime: apt-get install -y faketime"; exit 1; }
	@set -e; for at in $(CLOCK_INSTANTS); do for tz in $(CLOCK_ZONES); do \
	  echo "== test-clock: $$at UTC, TZ=$$tz"; \
	  SHEETSYNC_TEST_FROZEN_AT="$$at+00:00" TZ=$$tz env -u FAKETIME -u FAKETIME_SHARED -u LD_PRELOAD \
	    faketime "$$(echo $$at | tr T ' ') UTC" $(BIN)/pytest -q -m clock -p no:cacheprovider; \
	done; done

lint: $(BIN)/.installed
	$(BIN)/ruff check sheetsync tests bench
	$(BIN)/ruff format --check sheetsync tests bench
	$(BIN)/mypy

$(BIN)/.bench: $(BIN)/.installed
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $@

bench: $(BIN)/.bench
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) demo .pytest_cache .mypy_cache .ruff_cache
