# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.lock | cksum | cut -d' ' -f1)

.PHONY: run test lint format migrate seed worker beat lock check-deploy bench clean

$(STAMP): requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	@rm -f $(VENV)/.installed-* && touch $@

install: $(STAMP)

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo --once
	$(BIN)/python manage.py collectstatic --no-input --verbosity 0
	@echo ""
	@echo "  Practica is running on http://127.0.0.1:8000"
	@echo "  Demo login: admin@practica.local / practica-demo"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run --verbosity 0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrate: $(STAMP)
	$(BIN)/python manage.py migrate --no-input

seed: $(STAMP)
	$(BIN)/python manage.py seed_demo

worker: $(STAMP)
	$(BIN)/celery -A config.celery_app worker --loglevel=info

beat: $(STAMP)
	$(BIN)/celery -A config.celery_app beat --loglevel=info

check-deploy: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$($(BIN)/python -c 'import secrets;print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=practica.example.com DATABASE_URL=$${DATABASE_URL:-sqlite:///db.sqlite3} \
	  $(BIN)/python manage.py check --deploy --fail-level WARNING

# Regenerate the lock from pyproject.toml's direct dependencies in a clean venv.
lock:
	rm -rf /tmp/practica-lock && $(PYTHON) -m venv /tmp/practica-lock
	/tmp/practica-lock/bin/pip install --quiet ".[dev]"
	/tmp/practica-lock/bin/pip freeze --exclude-editable | grep -v '^practica' > requirements.lock

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
