"""Write README.md from nbs/index.ipynb (the docs home page), or check that it is in step (`--check`).

nbdev's own `nbdev-readme` renders through Quarto, which cannot be installed everywhere; this does the same job for
what index.ipynb holds: markdown cells as they are, visible code cells as Python blocks, hidden cells left out."""
import json, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADER = "<!-- Generated from nbs/index.ipynb by tools/readme.py (make readme): edit the notebook, not this file. -->\n\n"

def is_hidden(src):
    return any(l.strip().replace(' ', '') in ('#|hide', '#|exporti', '#|export') for l in src.splitlines()[:5])

def render(nb_path=ROOT/'nbs/index.ipynb'):
    cells = json.loads(Path(nb_path).read_text())['cells']
    parts = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or is_hidden(src): continue
        if c['cell_type'] == 'markdown': parts.append(src)
        elif c['cell_type'] == 'code':
            code = '\n'.join(l for l in src.splitlines() if not l.lstrip().startswith('#|')).strip()
            if code: parts.append(f"```python\n{code}\n```")
    return HEADER + '\n\n'.join(parts) + '\n'

if __name__ == '__main__':
    readme, text = ROOT/'README.md', render()
    if '--check' in sys.argv:
        if not readme.exists() or readme.read_text() != text:
            sys.exit("README.md is not in step with nbs/index.ipynb: run `make readme` and commit it")
        print("README.md is in step with nbs/index.ipynb")
    else:
        readme.write_text(text); print(f"wrote {readme}")
