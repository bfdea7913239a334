# The two commands (see README):  make run   — install and execute the notebooks on data/raw, writing figures/
#                                 make test  — install and run every test, notebooks included (what .ci/run calls)
# Also: make run DATA=path/to/pages OUT=reports/NAME  (the notebooks on other pages, outputs under OUT)
#       make lab                                      (JupyterLab on notebooks/)
#       make report [DATA=…] [OUT=report.html]        (one self-contained HTML report)
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
export PATH := $(abspath $(BIN)):$(PATH)
# jieba writes its dictionary cache to /tmp by default; keep it in the git-ignored .cache/ instead.
export ZZ_CACHE_DIR ?= $(abspath .cache)
export PYTHONHASHSEED := 0

NOTEBOOKS := $(sort $(wildcard notebooks/*.ipynb))
DATA ?=
OUT  ?=

.PHONY: run test install install-test notebooks lab report bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[notebooks]"

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

## Without DATA: execute every notebook top to bottom on data/raw; charts go to figures/.
## With DATA=path OUT=dir: execute them on those pages, executed notebooks and figures under OUT
## (the curated notebooks, figures/ and data/raw are not touched). Relative paths are from here.
run: install
ifeq ($(strip $(DATA)),)
	$(MAKE) --no-print-directory notebooks
else
	$(BIN)/zzanalysis run "$(abspath $(DATA))" -o "$(abspath $(or $(OUT),reports/$(notdir $(abspath $(DATA)))))"
endif

# Timing metadata is off and live-widget views are dropped, so that a rerun on the same data
# leaves the stored notebooks unchanged; the kernels use IPC sockets (no TCP port races).
notebooks:
	$(BIN)/python -c "import sys; from zzanalysis.runner import execute_in_place; execute_in_place(sys.argv[1:])" $(NOTEBOOKS)
	@echo "executed $(words $(NOTEBOOKS)) notebooks in notebooks/, figures in figures/"

## JupyterLab on notebooks/, its Python 3 kernel being this .venv (as root, in a container, it
## needs --allow-root).
lab: install
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

## One self-contained HTML file: the notebooks' narrative, tables and figures, no code.
report: install
	$(BIN)/zzanalysis report "$(abspath $(or $(DATA),data/raw))" -o "$(abspath $(or $(OUT),reports/report.html))"

## Unit tests, then every notebook under nbval against its stored outputs. IPython, Jupyter and
## matplotlib keep their files in the git-ignored .cache/, never in $HOME.
test: export IPYTHONDIR := $(abspath .cache/ipython)
test: export JUPYTER_RUNTIME_DIR := $(abspath .cache/jupyter/runtime)
test: export MPLCONFIGDIR := $(abspath .cache/matplotlib)
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
