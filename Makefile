# Two commands on a fresh clone: `make demo` and `make test`.
# Both create .venv with the standard library's venv (and pip) when missing.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint docs bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade
	$(PY) -m pip install --quiet --editable '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/evalcore evaluate examples/ganzhou-2021/project.toml

test: setup
	$(PY) -m pytest
	$(PY) -m ruff check src plugins tests benchmarks
	$(PY) -m mypy
	$(MAKE) --no-print-directory docs

docs: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --quiet --site-dir build/site

lint: setup
	$(PY) -m ruff check src plugins tests benchmarks
	$(PY) -m mypy

bench: setup
	$(PY) benchmarks/run.py

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache .hypothesis
