# datadialog build entry points. `make` (or `make help`) lists the targets.
#
# The venv is built from uv.lock only (uv sync --frozen, dev group included), with
# bytecode compiled at install (imports from source cost seconds per process).
# To change dependencies: edit pyproject.toml, run `.venv/bin/uv lock`, commit both.

SHELL := /bin/bash
PYTHON ?= python3.11
UV_VERSION := 0.13.9
VENV := .venv
STAMP := $(VENV)/.synced

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.DEFAULT_GOAL := help
.PHONY: help venv system-deps demo test lint bench clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  %-12s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(STAMP) ## Create .venv (python3.11) and install exactly uv.lock, dev group included

# Re-synced only when uv.lock or pyproject.toml is newer than the stamp.
$(STAMP): uv.lock pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	@test "$$($(VENV)/bin/uv --version 2>/dev/null | cut -d' ' -f2)" = "$(UV_VERSION)" \
	  || $(VENV)/bin/python -m pip install --quiet --disable-pip-version-check 'uv==$(UV_VERSION)'
	$(VENV)/bin/uv sync --frozen --compile-bytecode
	@touch $@

system-deps: ## Install libreoffice-impress, poppler-utils, fonts-dejavu, chromium via apt if missing (root)
	@if command -v soffice >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 \
	  && [ -d /usr/share/fonts/truetype/dejavu ] && command -v chromium >/dev/null 2>&1; then \
	  echo "system-deps: soffice, pdftoppm, DejaVu fonts and chromium present"; \
	elif [ "$$(id -u)" != 0 ]; then \
	  echo "WARNING: system-deps: not root; install libreoffice-impress poppler-utils fonts-dejavu chromium" >&2; \
	else \
	  echo "system-deps: apt-get install libreoffice-impress poppler-utils fonts-dejavu chromium"; \
	  { apt-get update -qq \
	    && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	       libreoffice-impress poppler-utils fonts-dejavu chromium >/dev/null; } \
	  || echo "WARNING: system-deps: apt-get failed; tests needing soffice/pdftoppm/chromium may fail" >&2; \
	fi

demo: venv ## Run the end-to-end demo (.venv/bin/datadialog demo)
	$(VENV)/bin/datadialog demo

test: venv system-deps ## Run the test suite (pytest, two workers: one per core; a file's tests stay together)
	$(VENV)/bin/python -m pytest -n 2 --dist loadfile --durations=25

lint: venv ## Lint Python (ruff), the import layers (lint-imports) and SQL (sqlfluff)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/sqlfluff lint transforms/sql

bench: venv ## Run every bench/*.py script in turn
	@set -e; found=0; for f in bench/*.py; do \
	  [ -e "$$f" ] || continue; found=1; echo "== $$f"; $(VENV)/bin/python "$$f" || echo "bench: $$f reported a missed target"; \
	done; [ $$found = 1 ] || echo "bench: no bench/*.py scripts yet"

clean: ## Remove .venv, caches and build output
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache .hypothesis
	find . -path ./.git -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +
