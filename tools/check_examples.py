"""Check that every public name of every module (its `__all__`) is used in a non-exported code cell of its notebook:
an example on the docs page under its `show_doc`. Prints what is missing and fails; `make test` runs it."""
import json, re, importlib, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXPORT = re.compile(r'^\s*#\|\s*export', re.M)

def missing_examples(nb:Path) -> list:
    cells = json.loads(nb.read_text())['cells']
    mod = next(re.search(r'default_exp\s+(\S+)', ''.join(c['source'])).group(1)
               for c in cells if 'default_exp' in ''.join(c['source']))
    names = [n for n in getattr(importlib.import_module(f'histofast.{mod}'), '__all__', []) if not n.startswith('_')]
    body = '\n'.join(''.join(c['source']) for c in cells if c['cell_type'] == 'code' and not EXPORT.match(''.join(c['source'])))
    return [n for n in names if not re.search(rf'\b{re.escape(n)}\b', body)]

if __name__ == '__main__':
    bad = {nb.name: m for nb in sorted((ROOT/'nbs').glob('[0-9]*.ipynb')) if (m := missing_examples(nb))}
    for name, m in bad.items(): print(f"{name}: no example of {', '.join(m)}")
    if bad: sys.exit("add an example cell for each name above (or make it internal with #| exporti)")
    print("every public name has an example in its notebook")
