# Set-up and everyday commands. See README.md and docs/.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Local development runs with DEBUG on and a SQLite file unless DATABASE_URL is set; links
# outside a request (the demo's admin address, password-reset mail) follow HOST and PORT.
DEV_ENV := DEBUG=$${DEBUG:-true} SITE_URL=$${SITE_URL:-http://$(HOST):$(PORT)}

.PHONY: run install test lint messages migrate demo docs clean

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

## make test: install the test requirements and run the whole suite, one process per core
# (pytest-xdist; TEST_WORKERS=0 runs it in one process, PYTEST_ARGS adds options)
TEST_WORKERS ?= auto
test: $(VENV)/.test-installed
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	DEBUG=true $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

$(VENV)/.docs-installed: requirements-docs.txt $(VENV)/.installed
	$(PIP) install --quiet -r requirements-docs.txt
	touch $@

## make docs: install Sphinx and MyST (requirements-docs.txt) and build docs/ into
# docs/_build/html; any warning (a broken link, a page in no table of contents) fails it
docs: $(VENV)/.docs-installed
	$(VENV)/bin/sphinx-build -W --keep-going -q -b html docs docs/_build/html

lint: $(VENV)/.test-installed
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

## make messages: refresh the Chinese translation catalogue after changing strings, derive
# the Traditional one from it (converted, with the overrides.po beside its catalogue) and
# compile both. The locales translators write come from the language registry.
messages: install
	DEBUG=true $(PY) manage.py makemessages $$(DEBUG=true $(PY) manage.py written_locales) --ignore=.venv --ignore=staticfiles --ignore=media --ignore=node_modules --ignore=docs
	DEBUG=true $(PY) manage.py makemessages -d djangojs $$(DEBUG=true $(PY) manage.py written_locales) --ignore=.venv --ignore=staticfiles --ignore=media --ignore=node_modules --ignore=docs --ignore=static/vendor
	DEBUG=true $(PY) manage.py derive_catalogues
	DEBUG=true $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# --- Production-style serving and the benchmark (docs/performance.md, docs/operations.md) --------
# gunicorn's settings are cdfsite/gunicorn.py (GUNICORN below): gevent workers (2 × cores + 1 processes,
# so idle and slow clients cannot stall them), and X-Forwarded-Proto believed only
# from a declared proxy. WORKERS=n sets the number of processes.
.PHONY: serve bench
GUNICORN := $(VENV)/bin/gunicorn -c python:cdfsite.gunicorn cdfsite.wsgi

## make serve: gunicorn with DEBUG off and whitenoise (compressed, hashed static files)
# Plain HTTP on $(HOST):$(PORT), so HTTPS=false (DEBUG off means HTTPS on otherwise).
# Generates a throwaway SECRET_KEY when none is set (local trial only: sessions end on
# restart). Set REDIS_URL to share the page cache between workers and servers.
serve: install
	@export DEBUG=false HTTPS="$${HTTPS:-false}" \
	  SECRET_KEY="$${SECRET_KEY:-$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1}" SERVE_MEDIA="$${SERVE_MEDIA:-true}"; \
	$(PY) manage.py migrate --noinput && $(PY) manage.py collectstatic --noinput -v0 && \
	exec $(GUNICORN) --bind $(HOST):$(PORT) $(if $(WORKERS),--workers $(WORKERS)) \
	  --access-logfile -

## make bench: fill a bench database, serve it with gunicorn next to the perf anchor's
# Wagtail reference and Django floor (../shared/perf-anchor), measure with wrk (~12 minutes)
# Installs Debian's wrk when missing (as .ci/run does chromium); BENCH_ARGS=--quick for a
# short run (~3 minutes), --profile adds a profile of the rendered report page. Its servers,
# like the load test's, are started by tools/serving.py with DEBUG off and HTTPS=false
# (plain HTTP on loopback), on ports 8001-8006 (--port-base).
bench: install
	@command -v wrk >/dev/null 2>&1 || { echo "== installing wrk"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || echo "== wrk unavailable: the Python load generator is used"
	$(PY) -m tools.bench $(BENCH_ARGS)

# --- Page audits (not part of make test: they need Java, Node and minutes) ----------------
.PHONY: audit
## make audit: serve the demo site with DEBUG off, crawl every language's pages, validate every
# page with the Nu Html Checker and score key pages with Lighthouse (mobile).
audit: demo
	npm ci --no-audit --no-fund
	@export DEBUG=false HTTPS=false SECRET_KEY=audit-only-$$RANDOM$$RANDOM$$RANDOM$$RANDOM \
	  ALLOWED_HOSTS=127.0.0.1 SERVE_MEDIA=true CHROME_PATH=/usr/bin/chromium; \
	$(PY) manage.py collectstatic --noinput -v0 && \
	{ $(GUNICORN) --bind 127.0.0.1:8077 --workers 2 & pid=$$!; sleep 3; \
	  $(PY) -m tools.audit http://127.0.0.1:8077; status=$$?; kill $$pid; exit $$status; }

# --- Operations: load test, backups (docs/operations.md) ---------------------------------
.PHONY: loadtest backup restore desk-task

## make desk-task: the editor's bilingual task in chromium on a fresh demo site (port
# 8130), counting page loads, clicks and keystrokes; fails over 9, 30 and 20 (~1 minute)
desk-task: $(VENV)/.test-installed
	$(PY) -m tools.desk_task $(DESK_TASK_ARGS)

## make loadtest: gunicorn on loopback, 200 connections for 60 s at the public pages in
# both languages while an editor publishes and edits in the admin; fails on any 5xx or
# error in the logs (~2 minutes). Uses a throwaway PostgreSQL database and Redis when they
# answer; LOADTEST_ARGS="--duration 10 --connections 50" for a short run.
loadtest: install
	@command -v wrk >/dev/null 2>&1 || { echo "== installing wrk"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } \
	  || echo "== wrk unavailable: the Python load generator is used"
	$(PY) -m tools.loadtest $(LOADTEST_ARGS)

## make backup: the database (DATABASE_URL) and the media (MEDIA_ROOT or the AWS_* bucket) in backups/cdfsite-*.tar.gz
backup: install
	@$(PY) -m tools.backup backup

## make restore FILE=backups/cdfsite-….tar.gz: into an empty database and MEDIA_ROOT (or bucket)
restore: install
	@$(PY) -m tools.backup restore "$(FILE)"
