# Salon — every command a person or CI needs. `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 3000
export AWS_ACCOUNT_ID_ENDPOINT_MODE := disabled

.PHONY: install demo dev sweep requalify test lint typecheck unit bench bench-scheduler openapi clean

$(STAMP): requirements-dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/python -m localcloud.demo

# The retention sweep with a simulated clock, e.g. make sweep NOW=2030-01-01T00:00:00Z
sweep: $(STAMP)
	$(BIN)/python -m localcloud.sweep --now $(NOW)

# A contact re-qualification pass with a simulated clock, e.g. make requalify PASS=request NOW=2027-01-01T08:00:00Z
# (PASS=flag flags those past their delay)
requalify: $(STAMP)
	$(BIN)/python -m localcloud.requalify --pass $(PASS) --now $(NOW)

dev: $(STAMP)
	$(BIN)/python -m localcloud.dev --port $(PORT)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy layers/salon/salon layers/scheduler/salon_scheduler infrastructure/localcloud functions

test: lint typecheck
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python -m localcloud.bench

# The API's OpenAPI document, from the route table and each function's operations (checked in).
openapi: $(STAMP)
	$(BIN)/python -m localcloud.apidoc

# SCOPE=runs: scheduling runs end to end on the local cloud (localcloud.bench_runs); other scopes: the engine.
bench-scheduler: $(STAMP)
	$(if $(filter runs,$(SCOPE)),$(BIN)/python -m localcloud.bench_runs,$(BIN)/python -m salon_scheduler.bench)

clean:
	rm -rf $(VENV) .local bench-results .mypy_cache .ruff_cache .pytest_cache
