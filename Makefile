# Set-up and everyday commands. See README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development runs with DEBUG on and a SQLite file unless DATABASE_URL is set.
DEV_ENV := DEBUG=$${DEBUG:-true}

.PHONY: run install test lint messages migrate demo clean

$(VENV)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py load_demo_content

## make run: install, migrate, load the demo content and serve http://127.0.0.1:8000
run: demo
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

## make test: install the test requirements and run the whole suite
test: $(VENV)/.test-installed
	$(PY) -m ruff check .
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make messages: refresh the Chinese translation catalogue after changing strings
messages: install
	DEBUG=true $(PY) manage.py makemessages -l zh_Hans --ignore=.venv --ignore=staticfiles --ignore=media
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
