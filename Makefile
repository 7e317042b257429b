# Two commands: `make run` and `make test`. Everything else here serves them.
SHELL := /bin/bash
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := .venv/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/dealer_portal
export UV_LINK_MODE ?= copy

.PHONY: run test env lint check pytest pytest-pg browser messages bench-engine bench-seed clean

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

bench-engine: env
	$(PY) bench/engine.py

bench-seed: env
	$(PY) bench/seed_demo.py

.PHONY: bench-backtest
bench-backtest: env
	$(PY) bench/backtest.py $(BENCH_ARGS)

clean:
	rm -rf .venv db.sqlite3* staticfiles .pytest_cache
