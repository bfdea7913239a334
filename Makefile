# The two commands (see README):  make run   — install and execute the notebooks on data/raw, writing figures/
#                                 make test  — install and run every test, notebooks included (what .ci/run calls)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
# jieba writes its dictionary cache to /tmp by default; keep it in the git-ignored .cache/ instead.
export ZZ_CACHE_DIR ?= $(abspath .cache)
export PYTHONHASHSEED := 0

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))

.PHONY: run test install install-test notebooks bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

## Execute every notebook top to bottom on data/raw; charts go to figures/.
run: install notebooks

# Timing metadata is off so that a rerun on the same data leaves the stored notebooks unchanged.
notebooks:
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.record_timing=False --ExecutePreprocessor.timeout=1200 $(NOTEBOOKS)

## Unit tests, then every notebook under nbval against its stored outputs.
test: install-test
	$(BIN)/python -m pytest tests
	$(BIN)/python -m pytest --nbval --nbval-current-env \
	  --nbval-sanitize-with notebooks/sanitize.cfg -p no:randomly notebooks

## Speed and scale benchmarks (tables as in the README); the synthetic year goes to benchmarks/out/.
bench: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	$(BIN)/python benchmarks/bench_tokenize.py
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/make_archive.py --years 1 --out benchmarks/out/archive-1y --seed 0
	$(BIN)/python benchmarks/bench_scale.py --archive benchmarks/out/archive-1y

clean:
	rm -rf $(VENV) .cache .pytest_cache .hypothesis
