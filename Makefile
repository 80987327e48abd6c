# Two commands on a fresh machine with Python 3.11 and make:
#   make run   - set up what the product runs on (requirements.lock), build the demo company if no warehouse
#                exists, start the app on 127.0.0.1
#   make test  - set up that plus what the tests add (requirements-test.lock), lint, then run every test
# After either, ./msp-revenue COMMAND runs the command line from the project folder (it runs `make setup`
# itself when .venv is missing).
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
PORT   ?= 8501
# our modules' bytecode, written by setup and again (what changed since: ~30 ms when nothing did) by run, test and
# bench: the editable install leaves them as source, and a shell that sets PYTHONDONTWRITEBYTECODE (as the image
# does) would have every command compile each module it imports again
BYTECODE := cli.py services.py jobs.py streamlit_app.py models ingest dashboards

.PHONY: run test lint setup test-setup demo bench clean system-deps bytecode

# the product: what the app, the command line and the jobs run on
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m compileall -q $(BYTECODE)
	touch $(STAMP)

# the tests and benchmarks: pytest, hypothesis, Playwright, ... on top of the product
$(TEST_STAMP): $(STAMP) requirements-test.lock
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-test.lock
	touch $(TEST_STAMP)

setup: $(STAMP)

bytecode: $(STAMP)
	$(BIN)/python -m compileall -q $(BYTECODE)

test-setup: $(TEST_STAMP)

run: $(STAMP) bytecode
	$(BIN)/msp-revenue demo --if-missing
	$(BIN)/msp-revenue app --port $(PORT)

demo: $(STAMP)
	$(BIN)/msp-revenue demo

# one worker more than the cores (pytest-xdist): about a third of the suite's time is spent waiting on the
# processes, servers and browser it starts, which a third worker fills on two cores (7:11 -> 6:01; a fourth
# gained 5 s more). A module's tests stay on one worker, so a module's fixtures are built once; modules are
# handed out in the order tests/conftest.py sorts them (long ones first).
WORKERS ?= $(shell echo $$(( $$(nproc 2>/dev/null || echo 1) + 1 )))
test: $(TEST_STAMP) lint system-deps bytecode
	$(BIN)/python -m pytest -n $(WORKERS) --dist loadfile --no-loadscope-reorder

# pyflakes and pycodestyle's errors ([tool.ruff] in pyproject.toml), before any test runs
lint: $(TEST_STAMP)
	$(BIN)/ruff check --no-cache .

# The tests drive Debian's chromium headless (the browser tests) and read PDFs with poppler's pdftotext (the
# printouts' tests); install what is missing (needs root).
system-deps:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing=" chromium"; \
	 command -v pdftotext >/dev/null 2>&1 || missing="$$missing poppler-utils"; \
	 if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing$$missing for the tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "missing for the tests:$$missing (e.g. sudo apt-get install$$missing)"; exit 1; fi; fi

bench: $(TEST_STAMP) bytecode
	$(BIN)/python bench/bench_load_build.py
	$(BIN)/python bench/bench_load_memory.py
	$(BIN)/python bench/bench_reports.py
	$(BIN)/python bench/bench_start.py
	$(BIN)/python bench/bench_month_end.py
	$(BIN)/python bench/bench_app.py
	$(BIN)/python bench/bench_drilldown.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis .ruff_cache build
