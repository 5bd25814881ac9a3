# movie_api: `make run` serves the demo site, `make test` runs every test.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test e2e screenshots install install-test migrate browser lint format bench bench-load wrk clean

# Installs go through uv (pinned in requirements/tools.txt): the same pinned requirements
# as pip, resolved and installed in seconds rather than a minute. PIP_ONLY=1 uses pip alone.
PIP_INSTALL = if [ -z "$(PIP_ONLY)" ] && [ -x $(BIN)/uv ]; then \
		$(BIN)/uv pip install --quiet --python $(BIN)/python $(1); \
	else \
		$(BIN)/pip install --quiet $(1); \
	fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@[ -n "$(PIP_ONLY)" ] || $(BIN)/pip install --quiet -r requirements/tools.txt \
		|| echo "uv could not be installed; installing with pip"

$(VENV)/.base-installed: requirements/base.txt | $(BIN)/python
	@$(call PIP_INSTALL,-r requirements/base.txt)
	touch $@

$(VENV)/.test-installed: requirements/test.txt requirements/base.txt | $(BIN)/python
	@$(call PIP_INSTALL,-r requirements/test.txt)
	touch $@ $(VENV)/.base-installed

install: $(VENV)/.base-installed

install-test: $(VENV)/.test-installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

## Everything installed, migrated, a demo admin and demo data, served on http://$(HOST):$(PORT)/
run: migrate
	HOST=$(HOST) PORT=$(PORT) bin/run-demo

## Headless Chromium for the end-to-end tests (Debian's package; Playwright's download cannot work here)
browser:
	@if [ -n "$$CHROMIUM_PATH" ] && [ -x "$$CHROMIUM_PATH" ]; then exit 0; fi; \
	if ! command -v chromium >/dev/null 2>&1; then \
		echo "Installing Chromium from Debian's packages..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

## Installs what the tests need, then runs the whole suite (unit, API, pages, end-to-end)
## in parallel, one worker per core (pytest-xdist; PYTEST_WORKERS=0 runs it in one process)
PYTEST_WORKERS ?= auto
test: install-test browser
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

## Only the end-to-end journeys (Playwright, headless Chromium); see docs/e2e.md
e2e: install-test browser
	$(BIN)/python -m pytest -m e2e $(PYTEST_ARGS)

## Screenshots of the main pages, both widths, both themes, into docs/screenshots/ (Playwright)
screenshots: install-test browser
	SCREENSHOTS_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q e2e/test_accessibility.py $(PYTEST_ARGS)

## Speed and memory targets for the hot read paths (see bench/benchmark.py);
## `make bench MODE=pg` times the reads on PostgreSQL at 1k, 100k and 1M movies (bench/catalogue.py)
bench: install
	@if [ "$(MODE)" = "pg" ]; then \
		$(BIN)/python bench/catalogue.py $(BENCH_ARGS); \
	else \
		$(BIN)/python bench/benchmark.py $(BENCH_ARGS); \
	fi

## wrk, the load generator of `make bench-load` (Debian's package)
wrk:
	@if ! command -v wrk >/dev/null 2>&1; then \
		echo "Installing wrk from Debian's packages..."; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk >/dev/null; \
	fi

## Load mode: gunicorn + wrk, cold and warm, as ratios to a bare-Django floor (bench/load.py;
## BENCH_LOAD_ARGS="--database-url postgres://... --redis-url redis://..." for PostgreSQL)
bench-load: install wrk
	$(BIN)/python bench/load.py $(BENCH_LOAD_ARGS)

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install-test
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
