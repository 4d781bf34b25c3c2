"""Write README.md from nbs/index.ipynb (the docs home page), or check that it is in step (`--check`).

nbdev's own `nbdev-readme` renders through Quarto, which cannot be installed everywhere; this does the same job for
what index.ipynb holds: markdown cells as they are, visible code cells as Python blocks, hidden cells left out.

index.ipynb links to the other docs pages relatively (`core.html`, `tutorials/pcam_transfer.ipynb`), which Quarto
resolves on the docs site but GitHub and PyPI cannot; in README.md such links point to the page on the docs site
instead (`.ipynb` → `.html`). The site's address is nbdev's: `[tool.nbdev]` `doc_host` + `doc_baseurl` when set,
else `[project.urls]` `Documentation`, as nbdev 3 reads it."""
import json, re, sys
from pathlib import Path
try: import tomllib
except ModuleNotFoundError: import tomli as tomllib  # Python 3.10

ROOT = Path(__file__).resolve().parent.parent
HEADER = "<!-- Generated from nbs/index.ipynb by tools/readme.py (make readme): edit the notebook, not this file. -->\n\n"

def is_hidden(src):
    return any(l.strip().replace(' ', '') in ('#|hide', '#|exporti', '#|export') for l in src.splitlines()[:5])

def site_url(pyproject=ROOT/'pyproject.toml'):
    "The docs site's address, ending in '/'."
    cfg = tomllib.loads(Path(pyproject).read_text(encoding='utf-8'))
    nbdev = cfg.get('tool', {}).get('nbdev', {})
    if nbdev.get('doc_host'): url = nbdev['doc_host'].rstrip('/') + '/' + nbdev.get('doc_baseurl', '').strip('/')
    else: url = cfg.get('project', {}).get('urls', {}).get('Documentation', '')
    if not url.startswith(('http://', 'https://')):
        sys.exit(f"{pyproject}: no docs site address ([project.urls] Documentation, or [tool.nbdev] doc_host + doc_baseurl)")
    return url.rstrip('/') + '/'

_FENCE = re.compile(r'(^```.*?^```)', re.S | re.M)  # fenced code blocks: left as they are
# an inline code span (left as it is), or a link `[text](target)` / `![alt](target)`, whose text may hold code spans
_SPAN_OR_LINK = re.compile(r'`[^`\n]*`|(!?\[(?:[^\]\n`]|`[^`\n]*`)*\]\()([^)\s]+)(\))')

def absolute_links(md, site):
    "`md` with its relative link targets made absolute on the docs `site` (notebooks as their `.html` pages)."
    def fix(m):
        target = m[2]
        if target is None or re.match(r'^([a-z][a-z0-9+.-]*:|#|/)', target, re.I): return m[0]  # code, http:, #anchor, /path
        path, sep, anchor = target.partition('#')
        if path.endswith(('.ipynb', '.qmd')): path = path.rsplit('.', 1)[0] + '.html'
        return m[1] + site + path.removeprefix('./') + sep + anchor + m[3]
    return ''.join(part if i % 2 else _SPAN_OR_LINK.sub(fix, part) for i, part in enumerate(_FENCE.split(md)))

def render(nb_path=ROOT/'nbs/index.ipynb', site=None):
    site = site or site_url()
    cells = json.loads(Path(nb_path).read_text())['cells']
    parts = []
    for c in cells:
        src = ''.join(c['source']).strip()
        if not src or is_hidden(src): continue
        if c['cell_type'] == 'markdown': parts.append(absolute_links(src, site))
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
