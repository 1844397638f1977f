# Short verbs; CI (.ci/run) calls `make test`, exactly what a laptop runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
SPACY_MODEL := build/spacy_model
export TF_CPP_MIN_LOG_LEVEL ?= 2
export PYTHONDONTWRITEBYTECODE := 1
# Rasa's usage telemetry reports to an outside service (and starts Sentry): never from here.
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install spacy train run shell handoff browser lint validate test test-unit test-conversations test-browser test-stories bench bench-engine bench-answers

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt constraints.txt
	@test -x $(PY) || $$(scripts/python310.sh) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -c constraints.txt
	@touch $@

install: $(VENV)/.installed ## create .venv with Python 3.10 and install pinned packages

$(SPACY_MODEL)/meta.json: $(VENV)/.installed spacy_pipeline/build.py
	$(PY) spacy_pipeline/build.py $(SPACY_MODEL)

spacy: $(SPACY_MODEL)/meta.json ## build the spaCy pipeline (blank English, for its tokenizer)

train: spacy ## train the model if its inputs changed (cached by fingerprint)
	@$(PY) scripts/train.py

run: train ## set up and start everything: the page on http://127.0.0.1:8080/ (REST :5005, actions :5055)
	scripts/serve.sh

shell: train ## the nurse shell (TRIAL=ID for another trial than the default): chat in the terminal, with the answers and the engine's result
	scripts/shell.sh $(if $(TRIAL),--trial "$(TRIAL)")

handoff: install ## the nurse line: open a family's hand-off, REF=reference (the store of ENDPOINTS, endpoints.yml by default)
	@test -n "$$REF" || { echo "Usage: make handoff REF=K7MP2QXR (ENDPOINTS=endpoints/postgres.yml for PostgreSQL)"; exit 2; }
	@PYTHONPATH=$$PWD $(PY) -m store.handoffs "$$REF"

nginx: ## install Debian's nginx for the deployment tests (tests/deploy)
	scripts/install_nginx.sh

BROWSER_READY := build/npm/node_modules/axe-core/axe.min.js
$(BROWSER_READY): scripts/install_browser.sh
	scripts/install_browser.sh

browser: $(BROWSER_READY) ## install Debian's Chromium and axe-core for the browser tests

lint: install ## ruff over the project's Python (unused and undefined names, syntax; ruff.toml)
	$(VENV)/bin/ruff check .

validate: install ## rasa data validate (the chat's domain, NLU data and rules)
	$(RASA) data validate --domain domain

test-unit: install ## engine and conversation logic (fast, no servers)
	$(PY) -m pytest -q tests/unit

test-conversations: train ## scripted conversations over REST against live servers
	$(PY) -m pytest -q tests/conversations

test-stories: train ## rasa test on tests/test_stories.yml, failing on any wrong prediction
	$(RASA) test core --stories tests/test_stories.yml --model $$($(PY) scripts/train.py) --fail-on-prediction-errors --out build/story_results

test-browser: train browser ## the chat page in headless Chromium
	$(PY) -m pytest -q tests/browser

test: lint train browser nginx ## set up and pass every test
	$(PY) -m pytest -q tests
	$(MAKE) --no-print-directory validate test-stories

bench: train bench-answers ## benchmarks beside Rasa's starter bot; results in bench/results/ (not part of make test)
	$(PY) bench/run.py

bench-engine: install ## engine evaluations per second and question counts
	$(PY) bench/engine.py

bench-answers: install ## how well families' answers are read, on labelled sets kept out of the tests
	$(PY) bench/answer_reading.py
