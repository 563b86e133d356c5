# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: faults run test venv migrate demo messages lint format worker beat seed-scale bench clean backup restore debian-packages

# The development commands run with DEBUG on (the development key); outside DEBUG a
# missing SECRET_KEY stops the process. The suite uses config.test_settings instead.
DEV := DEBUG=$${DEBUG:-true}
TEST_ENV := DJANGO_SETTINGS_MODULE=config.test_settings

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r pyproject.toml --extra dev
	touch $(STAMP)

venv: $(STAMP)

messages: venv
	$(DEV) $(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: venv
	$(DEV) $(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=true $(BIN)/python manage.py load_demo

run: demo messages
	DEBUG=true $(BIN)/python manage.py runserver $(HOST)

# What the suite needs from Debian (chromium, poppler, gettext, HarfBuzz-Subset, ...):
# installed when missing, or named with the command that installs them.
debian-packages:
	@bash tests/debian_packages.sh

test: debian-packages venv messages
	$(TEST_ENV) $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest
	@# Search and scoping must behave the same on the embedded default database.
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "--- again on SQLite (all but browser and worker tests)"; \
	  DATABASE_URL= $(BIN)/pytest -q -m "not browser and not worker and not faults"; \
	fi

# The fault tests alone (real worker killed, Redis stopped, disk full); make test runs them too.
faults: debian-packages venv
	$(BIN)/pytest -m faults -v

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: venv
	$(DEV) $(BIN)/celery -A config worker -Q celery,reports --loglevel=info

beat: venv
	$(DEV) $(BIN)/celery -A config beat --loglevel=info

seed-scale: migrate
	$(DEV) $(BIN)/python manage.py seed_scale

bench: venv
	$(DEV) $(BIN)/python benchmarks/bench_pages.py

# Backup: pg_dump -Fc of DATABASE_URL plus a tar of MEDIA_ROOT, with SHA-256 checksums
# (campaigns/management/commands/backup.py). BACKUP_DIR=... picks the directory.
backup: venv
	$(BIN)/python manage.py backup $(if $(BACKUP_DIR),--output "$(BACKUP_DIR)")

# Restore into an EMPTY database (createdb first) and MEDIA_ROOT, verifying every checksum
# and row count: make restore BACKUP=backups/thidua-... [FORCE=1 to replace what is there].
restore: venv
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<backup directory> [FORCE=1]"; exit 2; }
	$(BIN)/python manage.py restore "$(BACKUP)" $(if $(FORCE),--force)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
