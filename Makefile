# Two commands on a fresh machine:  `make run`  (the whole product)  and  `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint pytest frontend frontend-test system-deps bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,transcricao]'
	touch $(STAMP)

# Debian tools the tests drive (Chromium for the SPA, docker-compose to validate
# docker-compose.yml, espeak-ng to speak the Portuguese clip the local transcription
# is tested on, DejaVu Sans for the PDF transcripts' ticks); installed only when
# missing and when we may.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v docker-compose >/dev/null || docker compose version >/dev/null 2>&1 || missing="$$missing docker-compose"; \
	command -v espeak-ng >/dev/null || missing="$$missing espeak-ng"; \
	[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf ] || missing="$$missing fonts-dejavu-core"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "Instale:$$missing (os testes que dependem deles serão pulados)"; fi; \
	fi

# The SPA (Node.js 20): dependencies from package-lock.json (again only when it
# changed), then the type check and the production build into frontend/dist.
# `npm ci`: exactly what package-lock.json says, and the lock is never rewritten (it
# lists every platform's optional packages, so a run here leaves `git status` clean).
NPM_INSTALL := npm ci --no-audit --no-fund --loglevel=error
frontend:
	cd frontend && { [ node_modules/.package-lock.json -nt package-lock.json ] || \
	  $(NPM_INSTALL); } && npm run build

run: $(STAMP) frontend
	$(BIN)/gmm run

lint: $(STAMP)
	$(BIN)/ruff check backend tests alembic benchmarks
	$(BIN)/ruff format --check backend tests alembic benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

# The browser tests run in their own pytest process: their session-wide server and
# Chromium (with live event streams open) must not outlive into the other tests.
# Both always run; the target fails at the end if either did.
pytest: $(STAMP)
	@falhou=""; \
	$(BIN)/pytest tests/e2e || falhou="$$falhou e2e"; \
	$(BIN)/pytest --ignore=tests/e2e || falhou="$$falhou backend"; \
	if [ -n "$$falhou" ]; then echo "Falharam:$$falhou"; exit 1; fi

# tsc --noEmit, the staleness check of src/lib/api-types.ts, Prettier, ESLint (with the
# import boundaries between features) and Vitest.
frontend-test:
	cd frontend && { [ node_modules/.package-lock.json -nt package-lock.json ] || \
	  $(NPM_INSTALL); } && npm test

# frontend before pytest: the end-to-end tests drive the built SPA.
test: system-deps lint frontend frontend-test pytest

bench: $(STAMP)
	$(BIN)/python -m benchmarks.conversas
	$(BIN)/python -m benchmarks.delivery
	$(BIN)/python -m benchmarks.webhooks
	$(BIN)/python -m benchmarks.eventos
	$(BIN)/python -m benchmarks.transcricao

clean:
	rm -rf $(VENV) .gmm frontend/node_modules frontend/dist
