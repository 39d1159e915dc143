# `make chat` sets up and opens the web chat on the bundled corpus; `make test` sets up and runs the tests.
VENV ?= .venv
PY := $(VENV)/bin/python
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: setup chat test eval bench-xquad clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first, pinned: the CPU wheel of this exact version; anything else pulls a CUDA build.
	$(PY) -m pip install -q "torch==2.13.0"
	$(PY) -m pip install -q -e ".[test,llm]"
	touch $@

setup: $(VENV)/.installed

chat: setup
	$(VENV)/bin/council chat

test: setup
	$(PY) -m pytest -q

eval: setup
	$(VENV)/bin/council eval --out evals/reports/latest

clean:
	rm -rf $(VENV) .data
