# The two commands a new user runs: `make run` (the demo) and `make test` (lint, types, layers, tests).
# Each bootstraps what it needs: a virtual environment from requirements.lock, and Debian packages.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test check pytest fuzz lock docs bench clean translations

run: $(STAMP)
	$(BIN)/immunospine demo --serve

test: $(STAMP)
	scripts/check
	scripts/test

check: $(STAMP)
	scripts/check

pytest: $(STAMP)
	scripts/test

$(STAMP): requirements.lock pyproject.toml scripts/install
	scripts/install
	touch $(STAMP)

# Schemathesis over the HTTP API with many more examples per operation than `make test` runs.
fuzz: $(STAMP)
	IMMUNOSPINE_FUZZ_EXAMPLES=$${IMMUNOSPINE_FUZZ_EXAMPLES:-500} $(BIN)/python -m pytest -p no:cacheprovider --no-cov -q tests/api/test_schemathesis.py

# uv is a tool for maintainers, not a dependency: installed into the venv on first use.
lock: $(STAMP)
	[ -x $(BIN)/uv ] || $(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra all --extra dev --extra spark --python-version 3.11 --generate-hashes -o requirements.lock

# The web pages' strings: extract the catalogue template, update each language, compile (English
# ships; add a language with `$(BIN)/pybabel init -i $(LOCALE)/messages.pot -d $(LOCALE) -l xx`).
LOCALE := src/immunospine/web/locale
translations: $(STAMP)
	$(BIN)/python -m immunospine.web.catalogue --write

docs: $(STAMP)
	$(BIN)/python -m immunospine.docsgen --write

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage*
