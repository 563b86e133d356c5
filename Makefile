# Two commands for a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1:8000

.PHONY: faults run test venv migrate demo messages lint format worker beat seed-scale bench clean backup restore

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --quiet --python $(BIN)/python -r pyproject.toml --extra dev
	touch $(STAMP)

venv: $(STAMP)

messages: venv
	$(BIN)/python manage.py compilemessages --ignore=.venv -v0

migrate: venv
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	DEBUG=true $(BIN)/python manage.py load_demo

run: demo messages
	DEBUG=true $(BIN)/python manage.py runserver $(HOST)

test: venv messages
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest
	@# Search and scoping must behave the same on the embedded default database.
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "--- again on SQLite (all but browser and worker tests)"; \
	  DATABASE_URL= $(BIN)/pytest -q -m "not browser and not worker and not faults"; \
	fi

# The fault tests alone (real worker killed, Redis stopped, disk full); make test runs them too.
faults: venv
	$(BIN)/pytest -m faults -v

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

worker: venv
	$(BIN)/celery -A config worker -Q celery,reports --loglevel=info

beat: venv
	$(BIN)/celery -A config beat --loglevel=info

seed-scale: migrate
	$(BIN)/python manage.py seed_scale

bench: venv
	$(BIN)/python benchmarks/bench_pages.py

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
