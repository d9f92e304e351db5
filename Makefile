# Two commands do everything on a fresh clone:
#   make run    set up .venv and open reader on the bundled sample corpus
#   make test   set up .venv (and tmux for the terminal test) and run the whole suite
#   make check  the gates CI runs first: ruff check, ruff format --check, mypy
# Versions are pinned by constraints.txt so every machine runs the same stack.

PYTHON ?= python3
VENV   ?= .venv
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test check test-tools install-check bench screenshot clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -c constraints.txt -e '.[test,dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/reader

# Tests drive a real terminal (tmux) and a real X clipboard (Xvfb, xclip). Install them where we
# may (root on Debian); where we may not, those tests skip and say why.
TEST_TOOLS := tmux:tmux Xvfb:xvfb xclip:xclip
test-tools:
	@missing=""; for pair in $(TEST_TOOLS); do command -v $${pair%%:*} >/dev/null 2>&1 || missing="$$missing $${pair#*:}"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "installing$$missing for the tests"; \
			(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null) || \
				echo "could not install$$missing: the tests that need them will be skipped"; \
		else echo "missing$$missing (not root): the tests that need them will be skipped"; fi; \
	fi

test: $(STAMP) test-tools
	$(VENV)/bin/python -m pytest

# The gates CI runs before the tests: lint, formatting and types, zero findings (config in pyproject.toml).
check: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# The other ways to install, from this clone: pip's own `pip install .` and `pipx install .`.
install-check: $(STAMP)
	bash .ci/install-check

bench: $(STAMP)
	$(VENV)/bin/python -m bench

screenshot: $(STAMP)
	$(VENV)/bin/python docs/screenshot.py

clean:
	rm -rf $(VENV) .pytest_cache
