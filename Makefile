# Two commands do everything on a fresh clone:
#   make run    set up .venv and open reader on the bundled sample corpus
#   make test   set up .venv (and tmux for the terminal test) and run the whole suite
# Versions are pinned by constraints.txt so every machine runs the same stack.

PYTHON ?= python3
VENV   ?= .venv
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test test-tools bench screenshot clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/reader

# The terminal test needs tmux; install it where we may (root on Debian), else that test skips and says why.
test-tools:
	@command -v tmux >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq tmux >/dev/null) || \
		echo "tmux could not be installed: the terminal test will be skipped"; }

test: $(STAMP) test-tools
	$(VENV)/bin/python -m pytest

bench: $(STAMP)
	$(VENV)/bin/python -m bench

screenshot: $(STAMP)
	$(VENV)/bin/python docs/screenshot.py

clean:
	rm -rf $(VENV) .pytest_cache
