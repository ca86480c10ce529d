# Every target sets itself up from nothing: `make test` on a fresh clone creates .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup compile test test-pg chat eval bench serve lint kb model clean

setup: $(STAMP)

# Reinstall when the project's dependencies change; the stamp makes `setup` idempotent and quick.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The product's bytecode, compiled ahead as a deployment keeps it: a process importing from source
# compiles every module first, a third of a second of start-up where PYTHONDONTWRITEBYTECODE is set (as
# on the development machine). Quick when nothing changed (compileall compares times).
compile: setup
	$(BIN)/python -m compileall -q bot intents knowledge adapters

# Both engines: the PostgreSQL half starts its own server (Debian's postgresql) and skips, saying so,
# where none is installed; under CI=true a missing server fails instead.
test: setup
	$(BIN)/assessbot kb check
	$(BIN)/assessbot nlu check
	$(BIN)/python -m pytest -q

# Only the PostgreSQL half (the store, records, reminders, Slack and Teams tests on a real server).
test-pg: setup
	$(BIN)/python -m pytest -q -k postgresql

chat: compile
	$(BIN)/assessbot chat

eval: setup
	$(BIN)/python -m tests.eval.run --model
	$(BIN)/python -m tests.eval.evidence
	$(BIN)/python -m tests.eval.evidence --cv
	$(BIN)/python -m tests.eval.asked_cv

# Every benchmark runs even when one misses its target; the exit status says whether any did.
BENCHES := bench_kb bench_dialogue bench_records bench_reminders bench_cohort bench_slack bench_evidence

bench: compile
	@missed=""; for b in $(BENCHES); do echo "== $$b"; $(BIN)/python -m tests.bench.$$b || missed="$$missed $$b"; done; \
	if [ -n "$$missed" ]; then echo "missed a target:$$missed"; exit 1; fi; echo "every benchmark met its target"

serve: compile
	$(BIN)/assessbot serve --config app.yaml

# ruff, and the import contracts (pyproject.toml [tool.importlinter]): a broken layer names its arrow.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/lint-imports

kb: setup
	$(BIN)/assessbot kb build

# Retrain the intent model from the templates, the intents' examples and the KB (commit bot/nlu/model/).
model: setup
	$(BIN)/assessbot nlu train

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info knowledge/specs/.cache
	find bot intents knowledge adapters tests -name __pycache__ -type d -prune -exec rm -rf {} +
