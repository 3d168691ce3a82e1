# beleidsbank: `make run` sets up, ingests the shipped corpus if needed and starts the app;
# `make test` sets up and runs the test suite; `make test-fast` runs the tests that need neither
# the model nor the corpus; `make lint` checks the code with ruff (lint and format).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --constraint constraints.txt
export BELEIDSBANK_DATA ?= $(CURDIR)/data
PORT ?= 8501

.PHONY: setup chromium tesseract run ingest test test-fast lint bench eval docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) --quiet torch==2.13.0
	$(PIP) --quiet -e '.[dev]'
	$(BIN)/beleidsbank model
	touch $@

# The browser test drives Debian's chromium through Playwright (Playwright's own browser
# download is not used). Installed only when missing; sudo only when not root.
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver; \
	fi

# Scanned pages are read by Debian's Tesseract with its Dutch data; installed only when missing.
TESSERACT := /usr/bin/tesseract
TESSDATA_NLD := $(wildcard /usr/share/tesseract-ocr/*/tessdata/nld.traineddata)

tesseract:
	@if [ ! -x $(TESSERACT) ] || [ -z "$(TESSDATA_NLD)" ]; then \
		$(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y tesseract-ocr tesseract-ocr-nld; \
	fi

setup: $(VENV)/.installed chromium tesseract

# Ingest the shipped corpus; unchanged files are skipped by content hash, so this is cheap when up to date.
ingest: $(VENV)/.installed
	$(BIN)/beleidsbank ingest corpus

run: ingest
	$(BIN)/beleidsbank app --port $(PORT)

test: setup
	$(BIN)/python -m pytest

test-fast: $(VENV)/.installed tesseract
	$(BIN)/python -m pytest -m "not model"

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m benchmarks.code_size

eval: ingest
	$(BIN)/beleidsbank eval ../shared/eval/dev_queries.jsonl

bench: ingest
	$(BIN)/python -m benchmarks.bench_search

# docs/evaluation.md and docs/performance.md: each command replaces its own dated section and
# keeps the rest. The corpus goes into a fresh data directory, so the figures never depend on ./data.
DOCS_DATA := build/docs-data
DOCS_GOLD := ../shared/eval/dev_queries.jsonl ../shared/eval/dev_recommendations.jsonl \
	../shared/eval/dev_problems.jsonl ../shared/eval/dev_links.jsonl ../shared/eval/dev_advice.jsonl \
	eval/holdout_queries.jsonl eval/holdout_links.jsonl eval/own_advice.jsonl

docs: $(VENV)/.installed
	rm -rf $(DOCS_DATA)
	$(BIN)/beleidsbank ingest corpus --data-dir $(DOCS_DATA) --quiet
	for gold in $(DOCS_GOLD); do \
		$(BIN)/beleidsbank eval $$gold --data-dir $(DOCS_DATA) --output docs/evaluation.md || exit 1; \
	done
	$(BIN)/beleidsbank eval ../shared/realpdfs/gold.jsonl --output docs/evaluation.md
	$(BIN)/python -m benchmarks.bench_ingest --output docs/performance.md
	$(BIN)/python -m benchmarks.bench_search --data-dir $(DOCS_DATA) --output docs/performance.md

clean:
	rm -rf $(VENV) data
