"""Check the outputs saved in the notebooks (what the docs pages show): no warning, no local path, no server log.

A saved output is read by every visitor of the docs site: a warning there looks like a bug (or is one), a path
such as /home/me/project/.venv/... is noise that leaks the machine it ran on, and a server's log line is debris of
a test. Fails naming the notebook, the cell and the offending line.

Usage: python tools/check_outputs.py [nbs/x.ipynb ...]   (default: every notebook under nbs/)
"""
import json, re, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROBLEMS = {
    'a warning': re.compile(r'\b\w*Warning\b:|^\s*warnings\.warn\(', re.M),
    'a local path': re.compile('|'.join(re.escape(p) for p in {str(ROOT), str(Path.home()), '/.venv/', 'site-packages/'}
                                        if p not in ('/', ''))),
    'a server log line': re.compile(r'"(GET|POST|HEAD) /\S* HTTP/1\.[01]" \d{3}'),
}


def output_text(o:dict) -> str:
    "The text of one saved output (streams, plain-text results, errors); images are not read."
    if o.get('output_type') == 'stream': return ''.join(o.get('text', ''))
    if o.get('output_type') == 'error': return '\n'.join(o.get('traceback', []))
    data = o.get('data', {})
    return ''.join(data.get('text/plain', '')) + ''.join(data.get('text/html', ''))


def problems(nb_path:Path) -> list:
    "'notebook cell N: what: line' for each problem in the notebook's saved outputs."
    found = []
    for i, cell in enumerate(json.loads(nb_path.read_text()).get('cells', [])):
        for o in cell.get('outputs', []):
            for line in output_text(o).splitlines():
                line = line.replace(tempfile.gettempdir(), '<tmp>')  # temporary folders are fine: they say nothing of the machine
                for what, pattern in PROBLEMS.items():
                    if pattern.search(line): found.append(f"{nb_path} cell {i}: {what}: {line.strip()[:160]}")
    return found


if __name__ == '__main__':
    nbs = [Path(a).resolve() for a in sys.argv[1:]] or sorted((ROOT/'nbs').rglob('*.ipynb'))
    found = [p for nb in nbs if '.ipynb_checkpoints' not in nb.parts for p in problems(nb)]
    print('\n'.join(found) or f"{len(nbs)} notebooks: their saved outputs hold no warning, local path or server log")
    sys.exit(1 if found else 0)
