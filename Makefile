# The two set-up commands (see README.md):
#   make book   install what is missing, then build the shipped book into dist/
#   make test   install what is missing, then run the whole test suite
#   make bench  the benchmarks (not part of the tests): writes benchmarks/RESULTS.md
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: book test bench system system-test

book: system $(VENV)/.installed
	$(BIN)/pressroom build

test: system-test $(VENV)/.installed-test
	$(BIN)/python -m pytest

bench: system-test $(VENV)/.installed-test
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BIN)/python benchmarks/run.py

system:
	scripts/system-deps.sh

system-test:
	scripts/system-deps.sh --test

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e .
	# An editable install leaves no bytecode, and where PYTHONDONTWRITEBYTECODE is set none is
	# ever written: compile once so every run starts from .pyc files.
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@
