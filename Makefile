# Two commands on a fresh machine with Python 3.11 and make:
#   make run   - set up, build the demo company if no warehouse exists, start the app on 127.0.0.1
#   make test  - set up, then run every test
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8501

.PHONY: run test setup demo bench clean browser-deps

$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run 'make PYTHON=python3 ...'"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(BIN)/msp-revenue demo --if-missing
	$(BIN)/streamlit run streamlit_app.py --server.address 127.0.0.1 --server.port $(PORT)

demo: $(STAMP)
	$(BIN)/msp-revenue demo

test: $(STAMP)
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python bench/bench_load_build.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis
