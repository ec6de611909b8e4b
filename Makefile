# Everything installs into a project-local virtual environment (.venv); nothing else is
# needed beyond Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install lint format lock vendor clean

demo: $(STAMP)
	$(BIN)/loti demo
	$(BIN)/loti serve

test: $(STAMP)
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --editable .
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Re-resolve the lock from pyproject.toml's ranges in a throwaway environment.
lock:
	rm -rf build/lock-venv
	$(PYTHON) -m venv build/lock-venv
	build/lock-venv/bin/python -m pip install --quiet --upgrade pip
	build/lock-venv/bin/python -m pip install --quiet ".[test]"
	{ echo "# The exact versions CI and \`make\` install (runtime and test). Regenerate after changing"; \
	  echo "# pyproject.toml: \`make lock\`."; \
	  build/lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^loti'; } > requirements.lock
	rm -rf build/lock-venv

# Re-vendor the front-end assets from npm (needs Node; users and CI never do).
vendor:
	bash frontend/vendor.sh

clean:
	rm -rf $(VENV) build
