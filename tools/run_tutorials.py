"""Run the tutorials top to bottom on stand-ins of their real datasets, with the small configuration.

Each tutorial must find its dataset (`data: <name> (real)`), choose the small settings (`config: small`) and run to
its end. The stand-ins (tools/standins.py) have the real layouts, built from the real tiles in ../shared/data, in a
temporary HISTOFAST_HOME. Prints one line per tutorial with its time; fails on the first that does not hold.

Usage: python tools/run_tutorials.py [nbs/tutorials/x.ipynb ...] [--workers N]
"""
import argparse, json, os, re, subprocess, sys, tempfile, time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT/'tools'))
import standins  # noqa: E402

DATASET = re.compile(r"dataset_or_sample\('([^']+)'")


def datasets_of(nb:Path) -> list:
    "The registered datasets a tutorial asks `dataset_or_sample` for, its main one first."
    names = DATASET.findall(nb.read_text())
    if not names: raise SystemExit(f"{nb}: calls no dataset_or_sample('<name>', ...)")
    return names


def printed(nb) -> str:
    "Everything the executed notebook `nb` printed (its stream outputs)."
    return ''.join(''.join(o.get('text', '')) for c in nb.cells for o in c.get('outputs', []) if o.get('output_type') == 'stream')


def run_tutorial(path:str) -> tuple:
    "Execute a copy of one tutorial as `nbdev-test` does (slow and cuda cells skipped); (path, seconds, error or '')."
    import shutil
    from fastcore.nbio import read_nb
    from nbdev.test import test_nb
    path, start = Path(path), time.time()
    copy = Path(tempfile.mkdtemp(prefix='histofast-tutorial-'))/path.name
    shutil.copy(path, copy)
    if not test_nb(copy, skip_flags=['slow', 'cuda'], save=True): return str(path), time.time() - start, "it failed (the error is above)"
    out, name = printed(read_nb(copy)), datasets_of(path)[0]
    shutil.rmtree(copy.parent)
    for line in (f"data: {name} (real)", "config: small"):
        if line not in out: return str(path), time.time() - start, f"it did not print {line!r}"
    print(f"{path.name}:", *[l for l in out.splitlines() if l.startswith(('data:', 'config:'))], sep='\n  ', file=sys.stderr, flush=True)
    return str(path), time.time() - start, ''


def in_own_process(path:str) -> tuple:
    "`run_tutorial(path)` in a fresh Python: a tutorial runs in its process's `__main__`, whose names and state it changes."
    r = subprocess.run([sys.executable, __file__, '--one', path], stdout=subprocess.PIPE, text=True)
    try: return tuple(json.loads(r.stdout.strip().splitlines()[-1]))
    except (IndexError, ValueError): return path, 0., f"it stopped (exit status {r.returncode})"


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('notebooks', nargs='*', help='tutorials (default: all of nbs/tutorials)')
    p.add_argument('--workers', type=int, default=2, help='tutorials run at once')
    p.add_argument('--one', help=argparse.SUPPRESS)  # run this tutorial here, print its result as JSON (see in_own_process)
    a = p.parse_args()
    if a.one: return print(json.dumps(run_tutorial(a.one)))
    nbs = [Path(n) for n in a.notebooks] or sorted((ROOT/'nbs'/'tutorials').glob('*.ipynb'))
    if not standins.SHARED.is_dir():
        print(f"skipped: {standins.SHARED} is not here (the stand-ins are built from its real tiles)"); return
    home = Path(tempfile.mkdtemp(prefix='histofast-standins-'))
    standins.build(home, sorted({d for n in nbs for d in datasets_of(n)}))
    os.environ.update(HISTOFAST_HOME=str(home), HISTOFAST_CONFIG='small', OMP_NUM_THREADS=os.environ.get('OMP_NUM_THREADS', '1'))
    failed = False
    with ThreadPoolExecutor(a.workers) as pool:
        for path, secs, err in pool.map(in_own_process, map(str, nbs)):
            print(f"{Path(path).name}: {'FAILED: ' + err if err else 'real data, small config'} ({secs:.0f} s)", flush=True)
            failed |= bool(err)
    sys.exit(1 if failed else 0)


if __name__ == '__main__': main()
