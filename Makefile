# ai_finops: the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
PORT ?= 8501
SCALE ?= 0.4
# pytest workers (xdist, whole files per worker): the tests are mostly single-threaded dbt runs
PYTEST_WORKERS ?= 2

.PHONY: help install demo build dashboard test lint pytest lock clean focus-validator browser

# focus-validator 2.2.1 needs Python 3.12 (pyenv's 3.12.x here); it gets its own venv.
FOCUS_VENV := .venv-focus
PY312_PYENV := $(shell pyenv versions --bare 2>/dev/null | grep '^3\.12' | tail -1)
PY312 ?= $(shell command -v python3.12 2>/dev/null)

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(BIN)/.installed: requirements/requirements.lock pyproject.toml
	@echo "==> creating $(VENV) with $(PYTHON) and installing pinned dependencies"
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	@$(BIN)/uv pip install --quiet --python $(BIN)/python -r requirements/requirements.lock \
		|| $(BIN)/python -m pip install --quiet -r requirements/requirements.lock
	@$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e . \
		|| $(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(BIN)/.installed  ## create .venv and install the pinned dependencies

$(FOCUS_VENV)/.installed: requirements/focus-validator.txt
	@test -n "$(PY312)" || (echo "python3.12 not found: the FOCUS validator test will be skipped" && exit 1)
	@echo "==> creating $(FOCUS_VENV) (Python 3.12) with focus-validator"
	@PYENV_VERSION=$(PY312_PYENV) $(PY312) -m venv $(FOCUS_VENV)
	@$(FOCUS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/focus-validator.txt
	@touch $@

focus-validator: $(FOCUS_VENV)/.installed  ## Python 3.12 venv with the FinOps Foundation's focus-validator

browser:  ## Debian chromium for the real-browser dashboard test (playwright drives it; no browser download)
	@command -v chromium >/dev/null || { echo "==> installing Debian chromium"; \
		SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; }

demo: install  ## generate demo data, load it, dbt build, then serve the dashboard
	@$(BIN)/ai-finops demo --scale $(SCALE)
	@$(BIN)/ai-finops dashboard --port $(PORT)

build: install  ## dbt build on a copy of data/ai_finops.duckdb, published atomically (the dashboard keeps answering)
	@$(BIN)/ai-finops build --publish

dashboard: install  ## serve the dashboard over the built marts
	@$(BIN)/ai-finops dashboard --port $(PORT)

lint: install  ## ruff + sqlfluff (dbt templater)
	@echo "==> ruff"
	@$(BIN)/ruff check src app tests/python
	@$(BIN)/ruff format --check src app tests/python
	@echo "==> sqlfluff"
	@$(BIN)/ai-finops profile >/dev/null  # the dbt templater reads .dbt/profiles.yml
	@mkdir -p target
	@AI_FINOPS_DUCKDB_PATH=target/lint.duckdb $(BIN)/sqlfluff lint models tests --disable-progress-bar 2>&1 \
		| grep -v "Skipped file"; exit $${PIPESTATUS[0]}

pytest: install  ## Python tests, including the end-to-end dbt build on generated test data
	@$(MAKE) --no-print-directory focus-validator || true
	@$(MAKE) --no-print-directory browser || echo "chromium not installable: the browser test will be skipped"
	@$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadfile

test: lint pytest  ## everything CI runs: linters, Python tests, dbt build + data/unit tests

lock:  ## recompile requirements.lock from requirements.in
	@$(BIN)/uv pip compile requirements/requirements.in -o requirements/requirements.lock --python-version 3.11 --no-header -q
	@sed -i '1i # Compiled by `make lock` (uv pip compile requirements/requirements.in); do not edit by hand.' requirements/requirements.lock

clean:  ## remove built artefacts (keeps .venv)
	rm -rf target logs data .pytest_cache
