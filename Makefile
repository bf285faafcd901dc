# hubportal: `make run` starts the portal, `make test` runs the whole suite.
# Both work on a bare machine with Python 3.11 and access to the package registries.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Development defaults; anything set in the environment wins.
export DEBUG ?= true

.PHONY: run code test worker beat bench soak format install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

install: $(VENV)/.installed-run
install-dev: $(VENV)/.installed-dev

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --if-empty
	@echo "hubportal is starting on http://127.0.0.1:8000"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The demo staff logins' authenticator code (they sign in with a second factor).
code: install
	@$(BIN)/python manage.py demo_code

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest

worker: install
	$(BIN)/celery -A hubportal worker --loglevel=info

beat: install
	$(BIN)/celery -A hubportal beat --loglevel=info

# The page benchmark at national scale: PostgreSQL on 127.0.0.1, user postgres, trust auth;
# redis-server on the PATH (the bench starts its own). Needs locust: the dev requirements.
bench: install-dev
	$(BIN)/python bench/pages.py

# The soak: a long mixed load (10 minutes) with Redis's and the worker's memory sampled.
soak: install-dev
	$(BIN)/python bench/soak.py

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
