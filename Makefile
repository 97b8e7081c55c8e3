# Two entry points for a newcomer: `make demo` and `make test`.
# Both create .venv from the package index on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: demo test lint venv clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade pip >/dev/null

# The demo needs only the app; the tests add the dev tools.
$(APP_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -e .
	touch $(APP_STAMP)

$(DEV_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -e '.[dev]'
	touch $(APP_STAMP) $(DEV_STAMP)

venv: $(DEV_STAMP)

demo: $(APP_STAMP)
	$(BIN)/ovbench-tui --demo

lint: $(DEV_STAMP)
	$(BIN)/ruff check ovbench_tui tests benchmarks scripts
	$(BIN)/ruff format --check ovbench_tui tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/python scripts/check_module_size.py

test: lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV)
