# Nattskift: `make demo` runs the night on the embedded default; `make test` runs every test.
# Both run `setup` first, so each works alone on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin

.PHONY: setup demo test test-fast bench clean

setup: $(VENV)/.installed
	@scripts/ensure-browser $(VENV)

$(VENV)/.installed: pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $@

demo: setup
	$(BIN)/nattskift demo

test: setup
	$(BIN)/pytest

test-fast: setup
	$(BIN)/pytest -m "not chaos"

bench: setup
	$(BIN)/python bench/ledger.py

clean:
	rm -rf $(VENV) var test-results
