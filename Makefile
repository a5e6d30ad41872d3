# Two commands set everything up: `make run` and `make test` (see README.md).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
export FLASK_APP := wsgi.py
POSTGRES_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
# pytest-xdist workers (one per core), each taking whole files (module-scoped worlds stay on one worker);
# TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= auto

.PHONY: run test test-postgres lint translate-compile install install-test chromium bench serve clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

translate-compile: install
	$(BIN)/pybabel compile -d translations > /dev/null

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium"; exit 1; fi; \
	fi
	@if [ ! -x /usr/bin/pdftoppm ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq poppler-utils; \
	  else echo "The PDF test renders pages with pdftoppm: sudo apt-get install -y poppler-utils"; exit 1; fi; \
	fi

run: translate-compile
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port 5000

serve: translate-compile
	$(BIN)/flask db upgrade
	$(BIN)/gunicorn --workers $${WORKERS:-2} --threads $${THREADS:-4} --bind $${BIND:-127.0.0.1:8000} wsgi:app

test: install-test translate-compile chromium
	$(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

test-postgres: install-test translate-compile chromium
	TEST_DATABASE_URL=$(POSTGRES_URL) $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadfile

lint: install-test
	$(BIN)/ruff check app tests bench wsgi.py

# Load run on SQLite and PostgreSQL (throwaway database at 127.0.0.1:5432); BENCH_DATABASES=sqlite for one.
bench: install-test translate-compile
	$(BIN)/python bench/load.py

clean:
	rm -rf $(VENV) build *.egg-info
