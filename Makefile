# Everything installs into a project-local virtual environment (.venv); nothing else is
# needed beyond Python 3.11 and make. The demo installs what loti runs on
# (requirements.lock); the tests add what they, the lint and the benchmarks need
# (requirements-dev.lock).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
DEV := $(VENV)/.dev-installed
# The suite runs in parallel: a worker per core, each with its own database, and each test
# module on one worker (its module-wide records are built once).
PYTEST_PARALLEL ?= -n auto --dist loadscope

.PHONY: demo test install lint format lock vendor clean

demo: $(RUNTIME)
	$(BIN)/loti demo
	$(BIN)/loti serve

test: $(DEV)
	$(BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_ARGS)

install: $(DEV)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUNTIME): pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $@

$(DEV): $(RUNTIME) requirements-dev.lock
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	touch $@

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(DEV)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-resolve both locks from pyproject.toml's ranges in a throwaway environment: the
# runtime's first, then the development tools on top of exactly those versions.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	build/lock-venv/bin/python -m pip install --quiet .
	{ echo "# The exact versions loti runs on (production and the demo): what \`make demo\` and"; \
	  echo "# docs/deploy.md install. Regenerate after changing pyproject.toml: \`make lock\`."; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^loti'; } > requirements.lock
	build/lock-venv/bin/python -m pip install --quiet ".[dev]" --constraint requirements.lock
	{ echo "# The exact versions of what the tests, the lint and the benchmarks add to requirements.lock:"; \
	  echo "# what \`make test\` and CI install. Regenerate with \`make lock\`."; \
	  echo "-r requirements.lock"; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^loti' \
	    | grep -vxFf requirements.lock; } > requirements-dev.lock
	rm -rf build/lock-venv

# Re-vendor the front-end assets from npm (needs Node; users and CI never do).
vendor:
	bash frontend/vendor.sh

clean:
	rm -rf $(VENV) build
