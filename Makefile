# Nattskift: `make demo` runs the night on the embedded default; `make test` runs every test.
# Both run `setup` first, so each works alone on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test test-fast test-under-load screenshots bench clean

setup: $(VENV)/.installed
	@scripts/ensure-browser $(VENV)

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/nattskift demo

# Two pytest workers, a test file at a time: the chaos suite's CPU-bound transient-fault checks (marker
# `heavy`, collected first) run on one while the other takes the rest, much of which waits on timers and
# servers. TEST_WORKERS=0 runs everything in one process.
TEST_WORKERS ?= 2
PYTEST_PARALLEL := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder)

# NATTSKIFT_CHECK_TREE: the run fails if a test changed a tracked file (tests write only under tmp folders).
# --durations: the 60 slowest tests are printed, so a CI log shows where the suite's time goes.
test: setup
	NATTSKIFT_CHECK_TREE=1 $(BIN)/pytest $(PYTEST_PARALLEL) --durations=60

test-fast: setup
	NATTSKIFT_CHECK_TREE=1 $(BIN)/pytest $(PYTEST_PARALLEL) -m "not chaos"

# The suite beside busy processes (CI may share its machine): it must pass, slower. HOGS=4 by default.
test-under-load: setup
	scripts/test-beside-cpu-hogs $(HOGS) -- $(PYTEST_PARALLEL)

# The README's screenshots (docs/screenshots/): only this command writes them.
screenshots: setup
	NATTSKIFT_SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/pytest -q -p no:randomly \
		tests/demo/test_demo_night.py tests/web/test_drift.py -k screenshots

bench: setup
	$(BIN)/python bench/ledger.py

clean:
	rm -rf $(VENV) var test-results
