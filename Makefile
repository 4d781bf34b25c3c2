# The two README commands, `make demo` and `make test`, and the small ones behind them.
# Both set everything up on a fresh machine: a virtual environment in .venv, histofast installed
# into it (editable, with the dev tools), then they act.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export MPLBACKEND := Agg

.PHONY: demo test install export check-export check-clean readme check-readme check-examples check-outputs nbtest tutorials-real clean-nbs outputs hooks bench docs-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# (re)install when pyproject.toml differs from the copy kept at the last install (nbdev rewrites its mtime)
install: | $(BIN)/python
	@cmp -s pyproject.toml $(VENV)/.installed-pyproject.toml || { \
	  $(BIN)/python -m pip install -q --upgrade pip && \
	  $(BIN)/python -m pip install -q -e '.[dev]' && \
	  cp pyproject.toml $(VENV)/.installed-pyproject.toml; }

## make demo: the main job on the embedded synthetic sample, on the CPU, in a few minutes: train, then map a synthetic slide
demo: install
	$(BIN)/histofast sample runs/demo-data --n-per-class 200 --size 64 --seed 0
	$(BIN)/histofast train runs/demo-data --out runs/demo --force --arch resnet18 --no-pretrained \
		--recipe one-cycle --epochs 6 --size 64 --bs 64 --split group --seed 0 --mpp 0.5  # the sample's tiles: drawn at make_slide's scale
	$(BIN)/python -c "from histofast.sample import make_slide; make_slide('runs/demo-slide/slide.tif', size=4096, cell=64)"
	$(BIN)/histofast slide runs/demo runs/demo-slide/slide.tif --out runs/demo/slides  # read at the scale the run records
	@echo "the slide's map: runs/demo/slides/slide/map.png"

## make test: the notebooks are clean, the library is in step with them, the README with index.ipynb, every docs page renders,
## and every notebook runs
test: install check-clean check-export check-readme check-examples check-outputs docs-check nbtest tutorials-real

export: install
	$(BIN)/nbdev-export

check-export: export
	@test -z "$$(git status --porcelain -- histofast)" || \
	  { git status --short -- histofast; echo "nbdev-export changed histofast/: export the notebooks and commit"; exit 1; }

# the notebooks are as nbdev-clean leaves them (no execution counts, no stray metadata): what a merge needs
check-clean: install
	@before=$$(git diff -- nbs | md5sum); $(BIN)/nbdev-clean; after=$$(git diff -- nbs | md5sum); \
	  test "$$before" = "$$after" || { git status --short -- nbs; echo "nbdev-clean changed these notebooks: commit them cleaned"; exit 1; }

readme: install
	$(BIN)/python tools/readme.py

check-readme: install
	$(BIN)/python tools/readme.py --check

# the outputs saved for the docs hold no warning, no local path and no server log (tools/check_outputs.py)
check-outputs: install
	$(BIN)/python tools/check_outputs.py

check-examples: install
	$(BIN)/python tools/check_examples.py

# two notebooks at a time, one thread each: two torch processes of two threads on two cores wait on each other
# (measured here: 3m53 with the default threads, 2m13 with one)
nbtest: install
	OMP_NUM_THREADS=$${OMP_NUM_THREADS:-1} $(BIN)/nbdev-test --n-workers 2 --timing

# every tutorial's real-data branch, on stand-ins of its dataset in the real layout (tools/standins.py) with the small settings
tutorials-real: install
	$(BIN)/python tools/run_tutorials.py --workers 2

clean-nbs: install
	$(BIN)/nbdev-clean

## make outputs: run the API notebooks and index.ipynb in a Jupyter kernel and save their outputs for the docs site
## (slow and cuda cells are skipped, large figures re-encoded as JPEG); NBS='nbs/10_data.ipynb ...' for some only
NBS ?= $(wildcard nbs/[0-9]*.ipynb) nbs/index.ipynb
outputs: install
	MPLBACKEND=module://matplotlib_inline.backend_inline OMP_NUM_THREADS=$${OMP_NUM_THREADS:-2} $(BIN)/python tools/save_outputs.py $(NBS)
	$(BIN)/nbdev-clean

## make hooks: git uses nbdev's notebook merge and diff drivers (.gitattributes, .gitconfig) in this clone
hooks:
	git config --local include.path ../.gitconfig

bench: install
	$(BIN)/python bench/loader.py

## make docs-check: every docs page processes (nbdev's proc_nbs) and renders to HTML in _html/, its links resolving (no Quarto needed; installs nothing)
docs-check: install
	$(BIN)/python tools/render_docs.py
