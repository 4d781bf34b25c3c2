"""Render the docs pages to plain HTML without Quarto: a check that every page processes and renders.

The docs site itself is built by Quarto (`nbdev-docs`, the deploy workflow), which cannot be installed everywhere.
This does what can be done without it: `nbdev-proc-nbs` (show_doc, hidden cells, directives) into `_proc/`, then
each processed notebook → `_html/<page>.html` with nbconvert. It fails, naming the page, when one does not render."""
import subprocess, sys, nbformat, re, yaml
from pathlib import Path
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

ROOT = Path(__file__).resolve().parent.parent
CELL_KEYS = {'code': {'cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source'},
             'markdown': {'cell_type', 'attachments', 'id', 'metadata', 'source'},
             'raw': {'cell_type', 'attachments', 'id', 'metadata', 'source'}}

def clean(nb):
    "Drop the keys nbdev's processor adds to cells (Quarto ignores them; nbformat refuses them)."
    for c in nb.cells:
        for k in set(c) - CELL_KEYS[c.cell_type]: del c[k]
        c.metadata.pop('execution', None)  # execnb's timings, not in the nbformat schema
        if c.cell_type == 'code' and re.search(r'^#\|\s*echo:\s*false', c.source, re.M):  # show_doc cells: output only
            c.metadata.setdefault('tags', []).append('hide-input')
    return nb

def title_block(nb):
    "Quarto turns the front matter nbdev writes (title, description) into the page's title block: do the same."
    front = next((c for c in nb.cells if c.cell_type == 'raw' and c.source.startswith('---')), None)
    if front is None: return None
    meta = yaml.safe_load(front.source.strip('-\n'))
    nb.cells.remove(front)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {meta.get('title', '')}\n\n*{meta.get('description', '')}*"))
    return meta.get('title')

def render(src:Path, dest:Path):
    nb = clean(nbformat.read(src, as_version=4))
    nbformat.validate(nb)
    title = title_block(nb) or src.stem
    exporter = HTMLExporter(template_name='lab')
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'hide-input'}), enabled=True)
    html, _ = exporter.from_notebook_node(nb, resources={'metadata': {'name': title}})
    html = re.sub(r'href="([^":]+)\.ipynb', r'href="\1.html', html)  # links between pages, as on the site
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(html)

if __name__ == '__main__':
    subprocess.run([str(Path(sys.executable).parent/'nbdev-proc-nbs')], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    proc, out, failed = ROOT/'_proc', ROOT/'_html', []
    for src in sorted(proc.rglob('*.ipynb')):
        page = src.relative_to(proc).with_suffix('.html')
        try: render(src, out/page)
        except Exception as e: failed.append(f"{src.relative_to(proc)}: {type(e).__name__}: {str(e).splitlines()[0]}")
        else: print(f"rendered {out/page}")
    if failed: sys.exit("pages that do not render:\n" + '\n'.join(failed))
