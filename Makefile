# Readout: the two commands. `make run` serves the app on 127.0.0.1:8000 (SQLite), `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint install install-dev seed worker bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(VENV)/bin/python
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

seed: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py import_articles fixtures/seeds/*.txt
	$(PY) manage.py assign_articles --to analyst analyst2 --unassigned --if-never-assigned

run: seed
	@echo "Readout on http://$(HOST):$(PORT)/ (worker running; Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py resume_imports; \
	  $(PY) manage.py run_worker --interval 0.5 & \
	  $(PY) manage.py runserver $(HOST):$(PORT) --noreload

worker: install
	$(PY) manage.py resume_imports
	$(PY) manage.py run_worker

test: install-dev
	$(VENV)/bin/pytest $(PYTEST_ARGS)

# Fix what can be fixed; tests/test_lint.py fails the suite on anything left.
lint: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djlint templates --lint

# All benchmarks (several minutes; queue_bench builds 100,000 articles: point DATABASE_URL at a spare PostgreSQL).
bench: install-dev
	$(PY) bench/import_bench.py
	$(PY) bench/workspace_bench.py
	$(PY) bench/workspace_browser_bench.py
	$(PY) bench/export_bench.py
	$(PY) bench/queue_bench.py

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles test-artifacts
