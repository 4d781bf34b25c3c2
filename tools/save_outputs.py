"""Run notebooks in a Jupyter kernel and save their outputs for the docs (what nbdev-test runs, as a reader would see it).

Cells flagged with a `tst_flags` flag (`#| slow`, `#| cuda`) and `#| eval: false` cells are not run, as in
`nbdev-test`; large figures are then re-encoded by `shrink_outputs.py`. Run `nbdev-clean` afterwards.
Usage: python tools/save_outputs.py nbs/00_core.ipynb ..."""
import re, sys
from pathlib import Path
import nbformat
from nbclient import NotebookClient
from shrink_outputs import shrink

SKIP = re.compile(r'^\s*#\|\s*(slow|cuda|eval:\s*false)\b', re.M)

def save_outputs(path:Path, timeout:int=900):
    nb = nbformat.read(path, as_version=4)
    skipped = {i: c.source for i, c in enumerate(nb.cells) if c.cell_type == 'code' and SKIP.search(c.source)}
    for i in skipped: nb.cells[i].source = ''
    NotebookClient(nb, timeout=timeout, kernel_name='python3', resources={'metadata': {'path': str(path.parent)}}).execute()
    for i, src in skipped.items(): nb.cells[i].source, nb.cells[i].outputs = src, []
    nbformat.write(nb, path)
    shrink(path)

if __name__ == '__main__':
    for p in map(Path, sys.argv[1:]): save_outputs(p); print(f"saved the outputs of {p}")
