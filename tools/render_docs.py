"""Render the docs pages to plain HTML without Quarto: a check that every page processes and renders.

The docs site itself is built by Quarto (`nbdev-docs`, the deploy workflow), which cannot be installed everywhere.
This does what can be done without it: nbdev's notebook processing (show_doc, hidden cells, directives) into
`_proc/`, then each processed notebook → `_html/<page>.html` with nbconvert, under the page name the site uses
(nbdev's `output-file`: `00_core.ipynb` → `core.html`), so that links between pages resolve. It installs nothing:
it calls nbdev's `proc_nbs` itself, as `nbdev-proc-nbs` would after trying to install Quarto (with `sudo`).
It fails, naming the page, when one does not render."""
import sys, nbformat, re, yaml
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

def title_block(nb) -> dict:
    "Quarto turns the front matter nbdev writes (title, description) into the page's title block: do the same."
    front = next((c for c in nb.cells if c.cell_type == 'raw' and c.source.startswith('---')), None)
    if front is None: return {}
    meta = yaml.safe_load(front.source.strip('-\n'))
    nb.cells.remove(front)
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(f"# {meta.get('title', '')}\n\n*{meta.get('description', '')}*"))
    return meta

def site_url() -> str:
    "The docs site's address, as nbdev writes it into links between pages."
    from nbdev.config import get_config
    cfg = get_config()
    return f"{cfg.doc_host.rstrip('/')}/{cfg.doc_baseurl.strip('/')}/"

def local_links(html:str, depth:int) -> str:
    "Links to the site's pages made relative, so that they resolve between the local pages ('../' per folder level)."
    return html.replace(f'href="{site_url()}', f'href="{"../" * depth}')

def broken_links(out:Path) -> list:
    "The relative links of the pages in `out` that lead to no file."
    return [f"{f.relative_to(out)} → {h}" for f in out.rglob('*.html')
            for h in re.findall(r'href="([^"#:]+)(?:#[^"]*)?"', f.read_text()) if not (f.parent/h).exists()]

def render(src:Path, dest:Path, depth:int=0) -> Path:
    "Render the processed notebook `src` to HTML at `dest`, or at the page its front matter names (`output-file`)."
    nb = clean(nbformat.read(src, as_version=4))
    nbformat.validate(nb)
    meta = title_block(nb)
    title, dest = meta.get('title') or src.stem, dest.with_name(meta.get('output-file') or dest.name)
    exporter = HTMLExporter(template_name='lab')
    exporter.register_preprocessor(TagRemovePreprocessor(remove_input_tags={'hide-input'}), enabled=True)
    html, _ = exporter.from_notebook_node(nb, resources={'metadata': {'name': title}})
    html = re.sub(r'href="([^":]+)\.ipynb', r'href="\1.html', html)  # links between pages, as on the site
    html = local_links(html, depth)
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(html)
    return dest

if __name__ == '__main__':
    import os
    from nbdev.serve import proc_nbs
    os.chdir(ROOT)
    proc_nbs(n_workers=2)
    proc, out, failed = ROOT/'_proc', ROOT/'_html', []
    for src in sorted(proc.rglob('*.ipynb')):
        page = src.relative_to(proc).with_suffix('.html')
        try: dest = render(src, out/page, depth=len(page.parts) - 1)
        except Exception as e: failed.append(f"{src.relative_to(proc)}: {type(e).__name__}: {str(e).splitlines()[0]}")
        else: print(f"rendered {dest}")
    if failed: sys.exit("pages that do not render:\n" + '\n'.join(failed))
    if broken := broken_links(out): sys.exit("links that lead nowhere:\n" + '\n'.join(broken[:20]))
