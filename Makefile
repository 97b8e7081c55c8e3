# Two entry points for a newcomer: `make demo` and `make test`.
# Both create .venv from the package index on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint venv clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null
	$(BIN)/pip install -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/ovbench-tui --demo

lint: $(STAMP)
	$(BIN)/ruff check ovbench_tui tests benchmarks scripts
	$(BIN)/ruff format --check ovbench_tui tests benchmarks scripts
	$(BIN)/mypy

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV)
