# beleidsbank: `make run` sets up, ingests the shipped corpus if needed and starts the app;
# `make test` sets up and runs the test suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/pip install --constraint constraints.txt
export BELEIDSBANK_DATA ?= $(CURDIR)/data
PORT ?= 8501

.PHONY: setup run ingest test bench eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(PIP) --quiet torch==2.13.0
	$(PIP) --quiet -e '.[dev]'
	$(BIN)/beleidsbank model
	touch $@

setup: $(VENV)/.installed

# Ingest the shipped corpus; unchanged files are skipped by content hash, so this is cheap when up to date.
ingest: setup
	$(BIN)/beleidsbank ingest corpus

run: ingest
	$(BIN)/beleidsbank app --port $(PORT)

test: setup
	$(BIN)/python -m pytest

eval: ingest
	$(BIN)/beleidsbank eval ../shared/eval/dev_queries.jsonl

bench: ingest
	$(BIN)/python benchmarks/bench_search.py

clean:
	rm -rf $(VENV) data
