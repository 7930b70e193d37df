# Two commands on a fresh clone: `make demo` and `make test`.
# Both create .venv with the standard library's venv (and pip) when missing.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp

.PHONY: setup demo test lint docs fuzz bench clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip --upgrade
	@# An install made under the old distribution name would carry a second copy of the entry points.
	@$(PY) -m pip uninstall --quiet --yes evalcore >/dev/null 2>&1 || true
	$(PY) -m pip install --quiet --editable '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

demo: setup
	$(VENV)/bin/evalcore evaluate examples/ganzhou-2021/project.toml

# pytest builds the docs strictly too (tests/test_docs_build.py), so `test` does not run `docs`
# a second time.
test: setup
	$(PY) -m pytest
	$(PY) -m ruff check src plugins tests benchmarks
	$(PY) -m mypy

# No --quiet: it hides the warnings, and mkdocs' strict mode only counts the warnings it shows,
# so a quiet strict build passes with dead links.
docs: setup
	NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict --site-dir build/site

# The mutation fuzzer with a large budget: FUZZ_EXAMPLES documents per test (random, no deadline,
# statistics printed), in a 4 GB address space so a runaway allocation is a MemoryError, not a
# swapping machine. FUZZ_COLLECT=DIR keeps going past failures and files each class with its
# smallest reproducer under DIR (tests/fuzz/record.py).
FUZZ_EXAMPLES ?= 50000
FUZZ_COLLECT ?=
fuzz: setup
	ulimit -v 4000000; EVALCORE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) EVALCORE_FUZZ_COLLECT=$(FUZZ_COLLECT) \
		$(PY) -m pytest -p no:cacheprovider --hypothesis-show-statistics tests/test_fuzz.py

lint: setup
	$(PY) -m ruff check src plugins tests benchmarks
	$(PY) -m mypy

# The peer comparison needs the `bench` extra (pandas, pyarrow, zen-engine) and measures the
# columnar path and `evalcore batch` with the `batch` extra. BENCH_ARGS goes to
# benchmarks/peers.py, e.g. `make bench BENCH_ARGS=--large` adds 10⁶ projects (minutes, ~40 MiB of Parquet).
BENCH_ARGS ?=
bench: setup
	$(PY) -m pip install --quiet --editable '.[dev,bench,batch]'
	$(PY) benchmarks/run.py
	$(PY) benchmarks/peers.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build dist site .pytest_cache .mypy_cache .ruff_cache .hypothesis
