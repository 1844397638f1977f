# Short verbs; CI (.ci/run) calls `make test`, exactly what a laptop runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install test test-unit check-examples bench-engine

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt constraints.txt
	@test -x $(PY) || $$(scripts/python310.sh) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	@touch $@

install: $(VENV)/.installed ## create .venv with Python 3.10 and install pinned packages

test-unit: install ## the engine's tests (fast, no servers)
	$(PY) -m pytest -q tests/unit

test: install ## set up and pass every test
	$(PY) -m pytest -q tests

bench-engine: install ## engine evaluations per second and question counts
	$(PY) bench/engine.py
