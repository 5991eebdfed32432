# regiopole: build, test and reproduce.  GNU make; needs only python3 >= 3.11 (and bash).
#
#   make reproduce   run every notebook on the example data and publish the results
#   make test        run the test suite
#
# The first target that needs it creates .venv and installs the exact versions of
# requirements.lock into it (1-2 minutes); later runs reuse it until requirements.lock or
# pyproject.toml change.

PYTHON ?= python3
VENV = .venv
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per core; a module's tests stay together, so an expensive
# module fixture (a pipeline run, the browser) is built once. TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto

VPY = $(VENV)/bin/python
PIP = $(VPY) -m pip --disable-pip-version-check
STAMP = $(VENV)/.installed
BENCHMARKS = $(sort $(wildcard benchmarks/*.py))
# axe-core for the accessibility tests (tests/test_site_accessibility.py), pinned by
# tests/axe/package-lock.json and installed by npm into the git-ignored tests/axe/node_modules.
AXE = tests/axe/node_modules/axe-core/axe.min.js
NPM := $(shell command -v npm 2>/dev/null)

# Every recipe line runs in bash with -e -u -o pipefail: a failing step, also inside a
# pipe or a loop, fails the target.
SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help

.PHONY: help install axe reproduce test lab example lock benchmark clean distclean

help:
	@echo "regiopole - targets:"
	@echo "  make reproduce   install, then run all notebooks on the example data (regiopole run --force)"
	@echo "                   and publish the results (regiopole publish)"
	@echo "  make test        install, then run the tests on every core (PYTEST_ARGS='-k maps', TEST_WORKERS=0 for one process)"
	@echo "  make lab         install, then open JupyterLab on notebooks/ (kernel 'Python (regiopole)')"
	@echo "  make install     create $(VENV) from requirements.lock, install the package, register the kernel"
	@echo "  make axe         install axe-core (npm ci, tests/axe) for the accessibility tests; make test does it if npm is there"
	@echo "  make example     regenerate the generated example data in data/example"
	@echo "  make benchmark   run every benchmarks/*.py with the venv's python"
	@echo "  make lock        regenerate requirements.lock from a fresh temporary venv"
	@echo "  make clean       remove generated outputs (outputs/*, maps/*), keep $(VENV)"
	@echo "  make distclean   clean, and remove $(VENV)"
	@echo "Variables: PYTHON=$(PYTHON) (>= 3.11, used to create $(VENV))"

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "error: $(PYTHON) is Python %d.%d; regiopole needs >= 3.11 (make PYTHON=python3.11 ...)" % sys.version_info[:2])'
	@if [ ! -x $(VPY) ]; then echo "creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); fi
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps -e .
	$(VPY) -m ipykernel install --sys-prefix --name regiopole --display-name "Python (regiopole)"
	touch $@

reproduce: $(STAMP)
	$(VENV)/bin/regiopole run --force
	$(VENV)/bin/regiopole publish

axe: $(AXE)

$(AXE): tests/axe/package.json tests/axe/package-lock.json
	@if [ -z "$(NPM)" ]; then echo "error: npm not found; install Node.js 18+ with npm (Debian: apt-get install nodejs npm)" >&2; exit 1; fi
	npm ci --prefix tests/axe --no-audit --no-fund --loglevel=error
	touch $@

test: $(STAMP) $(if $(NPM),$(AXE))
	$(VPY) -m pytest -n $(TEST_WORKERS) --dist loadscope $(PYTEST_ARGS)

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/

example: $(STAMP)
	$(VENV)/bin/regiopole example

benchmark: $(STAMP)
	@if [ -z "$(BENCHMARKS)" ]; then echo "error: no benchmarks/*.py to run" >&2; exit 1; fi
	@for f in $(BENCHMARKS); do \
		echo "== $$f"; \
		$(VPY) "$$f"; \
	done

# The lock is the full transitive closure of `pip install -e .[test]`, resolved in a fresh
# venv by the same Python that runs it here (CPython 3.11 on Linux for the committed lock).
lock:
	@tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	echo "resolving in a fresh venv ($$tmp) with $$($(PYTHON) -V)"; \
	$(PYTHON) -m venv "$$tmp/venv"; \
	"$$tmp/venv/bin/python" -m pip --disable-pip-version-check install -e '.[test]'; \
	{ \
		echo "# requirements.lock: exact versions of everything \`pip install -e .[test]\` installs"; \
		echo "# (the full transitive closure; the project itself is not listed)."; \
		echo "# Made by \`make lock\`: a fresh venv of $$("$$tmp/venv/bin/python" -V) on $$(uname -s) $$(uname -m),"; \
		echo "# \`pip install -e .[test]\`, then \`pip freeze --exclude-editable\`. Regenerate with \`make lock\`"; \
		echo "# after changing dependencies in pyproject.toml, then update environment.yml to the same"; \
		echo "# versions (tests/test_environment.py checks that the three agree)."; \
		echo "# Install: pip install -r requirements.lock && pip install --no-deps -e .   (or: make install)"; \
		"$$tmp/venv/bin/python" -m pip --disable-pip-version-check freeze --exclude-editable \
			| { grep -viE '^regiopole([ =@]|$$)' || [ $$? -eq 1 ]; }; \
	} > requirements.lock.new; \
	mv requirements.lock.new requirements.lock; \
	echo "wrote requirements.lock ($$(grep -vc '^#' requirements.lock) packages)"

clean:
	@for d in outputs maps; do \
		if [ -d "$$d" ]; then find "$$d" -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +; fi; \
	done
	@echo "removed generated files in outputs/ and maps/"

distclean: clean
	rm -rf $(VENV)
