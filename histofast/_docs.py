"""A processor for nbdev's docs pages (`doc_procs` in pyproject.toml). Written by hand, like `all.py`: docs tooling, not library."""
import re

def strip_markdown_directives(cell):
    "Drop the `#| export` line that starts a module's overview (a markdown cell nbdev puts in the module docstring) from its page."
    if cell.cell_type == 'markdown': cell.source = re.sub(r'\A(?:#\|[^\n]*\n)+', '', cell.source)
