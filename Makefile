# Safeguard: `make demo` serves the app with synthetic data; `make test` runs every check.
SHELL := /bin/bash
PYTHON ?= python3
UV := $(PYTHON) -m uv
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/safeguard
DEMO_PORT ?= 8000

.PHONY: install assets demo test lint typecheck test-sqlite test-postgres system-deps bench docs clean

$(BIN)/safeguard: pyproject.toml uv.lock
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet --disable-pip-version-check uv
	$(UV) sync --frozen --quiet --compile-bytecode
	@touch $(BIN)/safeguard

# GOV.UK Frontend, MoJ Frontend and htmx from npm (exact versions in package-lock.json), built into the
# app's static files; axe-core stays in node_modules for the browser tests. Nothing built is committed.
ASSETS := src/safeguard/web/assets/frontend/app.css
NPM_STAMP := node_modules/.safeguard-npm-ci

$(NPM_STAMP): package.json package-lock.json
	@if ! command -v npm >/dev/null 2>&1; then \
		echo "Installing Debian packages: nodejs npm"; \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq nodejs npm >/dev/null; \
	fi
	npm ci --no-audit --no-fund --loglevel=error
	@touch $(NPM_STAMP)

$(ASSETS): $(NPM_STAMP) src/safeguard/web/frontend/build.mjs src/safeguard/web/frontend/app.scss
	npm run --silent build

assets: $(ASSETS)

install: $(BIN)/safeguard $(ASSETS)

# Debian packages the tests need (the browser tests drive Debian's chromium; never a downloaded browser).
# Debian packages: chromium for the browser tests; Pango, HarfBuzz and a font for WeasyPrint's PDFs.
DEBIAN_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core

system-deps:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:" $$missing; \
		apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq $$missing >/dev/null; \
	fi

demo: install system-deps
	$(BIN)/safeguard demo --port $(DEMO_PORT)

lint: install
	$(BIN)/ruff check src tests

typecheck: install
	$(BIN)/mypy

test-sqlite: install system-deps
	@echo "== pytest on SQLite"
	env -u DATABASE_URL $(BIN)/pytest -q

test-postgres: install system-deps
	@url="$${DATABASE_URL:-$(PG_URL)}"; \
	if $(BIN)/python -c "import sys, psycopg; psycopg.connect(sys.argv[1].rsplit('/', 1)[0] + '/postgres', connect_timeout=3).close()" "$$url" 2>/dev/null; then \
		echo "== pytest on PostgreSQL ($${url%%@*}@…)"; \
		DATABASE_URL="$$url" $(BIN)/pytest -q; \
	elif [ "$${SAFEGUARD_REQUIRE_POSTGRES:-}" = "1" ]; then \
		echo "PostgreSQL is required (SAFEGUARD_REQUIRE_POSTGRES=1) but no server answers at $${url##*@}"; exit 1; \
	else \
		echo "No PostgreSQL server answers at $${url##*@}: skipping the PostgreSQL run (set DATABASE_URL to use another)."; \
	fi

test: lint typecheck test-sqlite test-postgres

# The national-scale benchmark (issue 11) on local PostgreSQL: figures as JSON lines, docs/benchmarks.md.
# BENCH_SCALE=national for 250,000 cases (about an hour on two cores); needs a PostgreSQL server.
BENCH_SCALE ?= small
bench: install
	$(BIN)/safeguard bench --scale $(BENCH_SCALE) --json

docs: install
	$(BIN)/safeguard policy docs --output docs/policy.md
	$(BIN)/safeguard metrics --definitions -o docs/measures.md
	$(BIN)/python -m safeguard.signals.evaluate --markdown > docs/signals.md

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache node_modules src/safeguard/web/assets/frontend
