# Two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/dealer_portal
export UV_LINK_MODE ?= copy

.PHONY: run test env lint check pytest pytest-pg browser messages bench-engine bench-seed clean prod topology topology-if-available

env: .venv/.synced
.venv/.synced: pyproject.toml uv.lock
	@command -v uv >/dev/null 2>&1 || [ -x "$(UV)" ] || python3 -m pip install --quiet --user uv || pip install --quiet uv
	$(UV) sync --frozen --quiet
	@touch $@

messages: env
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages --ignore=.venv -v 0; \
	else echo ">>> msgfmt not found: using the committed .mo files"; fi

run: env messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py seed_demo --if-empty
	@# The bot (when a token is set) runs beside the server and stops with it.
	@if [ -n "$$TELEGRAM_BOT_TOKEN" ]; then \
	  $(PY) manage.py runbot & bot=$$!; trap 'kill $$bot 2>/dev/null' EXIT INT TERM; \
	fi; \
	$(PY) manage.py serve --port $(PORT)

# The Procfile under honcho: PostgreSQL and Redis from DATABASE_URL / REDIS_URL, the
# rest from the environment or .env (deploy/env.example). WEB and WORKERS processes;
# the bot only when TELEGRAM_BOT_TOKEN is set. Web processes listen on PORT, PORT+1 …
WEB ?= 2
WORKERS ?= 2
METRICS_DIR ?= $(CURDIR)/.prometheus
prod: env messages
	@[ -f .env ] && set -a && . ./.env && set +a; \
	export DJANGO_SETTINGS_MODULE="$${DJANGO_SETTINGS_MODULE:-portal.settings.production}"; \
	$(PY) manage.py migrate --no-input && \
	$(PY) manage.py collectstatic --no-input -v 0 && \
	rm -rf "$(METRICS_DIR)" && mkdir -p "$(METRICS_DIR)" && \
	bot=$$([ -n "$$TELEGRAM_BOT_TOKEN" ] && echo 1 || echo 0) && \
	PROMETHEUS_MULTIPROC_DIR="$(METRICS_DIR)" exec .venv/bin/honcho start -f Procfile \
	  -p $(PORT) -c web=$(WEB),worker=$(WORKERS),tick=1,bot=$$bot

# The Procfile's processes against a private PostgreSQL and Redis (tests/topology).
topology: env messages
	$(PY) -m pytest tests/topology -m topology -p no:cacheprovider -s $(PYTEST_ARGS)

# In `make test`: when PostgreSQL's and Redis's server programs are installed.
topology-if-available:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && command -v redis-server >/dev/null; then \
	  $(MAKE) --no-print-directory topology; \
	elif [ -n "$$REQUIRE_POSTGRES" ]; then echo "topology: PostgreSQL/Redis servers missing" >&2; exit 1; \
	else echo ">>> PostgreSQL or Redis not installed: SKIPPING the topology test."; fi

lint: env
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	.venv/bin/lint-imports

check: env messages
	$(PY) scripts/check_translations.py
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py check
	DJANGO_SETTINGS_MODULE=portal.settings.test $(PY) manage.py makemigrations --check --dry-run

browser:
	@bash scripts/ensure_chromium.sh

pytest: env messages
	$(PY) -m pytest $(PYTEST_ARGS)

pytest-pg: env messages
	@if [ -n "$$DATABASE_URL" ]; then url="$$DATABASE_URL"; \
	elif $(PY) scripts/pg_available.py "$(PG_URL)"; then url="$(PG_URL)"; \
	else url=""; fi; \
	if [ -z "$$url" ]; then \
	  if [ -n "$$REQUIRE_POSTGRES" ]; then echo "PostgreSQL is required but not reachable" >&2; exit 1; fi; \
	  echo ">>> PostgreSQL not reachable (no DATABASE_URL, nothing on 127.0.0.1:5432): SKIPPING the PostgreSQL pass."; \
	else echo ">>> pytest on PostgreSQL"; DATABASE_URL="$$url" $(PY) -m pytest $(PYTEST_ARGS); fi

test: lint check browser
	@echo ">>> pytest on SQLite"
	$(MAKE) --no-print-directory pytest
	$(MAKE) --no-print-directory pytest-pg
	@echo ">>> the topology test (tests/topology; alone: make topology)"
	$(MAKE) --no-print-directory topology-if-available

bench-engine: env
	$(PY) bench/engine.py

bench-seed: env
	$(PY) bench/seed_demo.py

.PHONY: bench-backtest
bench-backtest: env
	$(PY) bench/backtest.py $(BENCH_ARGS)

clean:
	rm -rf .venv db.sqlite3* staticfiles .pytest_cache
