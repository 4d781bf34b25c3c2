"""Stain normalisation: histofast's batched torch Macenko, Reinhard and Vahadane against per-tile numpy ones.

    OMP_NUM_THREADS=1 .venv/bin/python bench/stain.py [--n 400] [--bs 64] [--threads 1] [--rounds 3] [--gpu]

Same tiles, same run: the real Kather 2016 tiles of ../shared/data (`tiles224`, 224×224; the empty and fatty ones,
which have too little tissue for Macenko, left out), repeated to --n tiles held in memory as uint8 (reading files is
not counted), normalised to a 512×512 crop of the CMU slide (another laboratory's scanner), with Macenko's
parameters (Io 240, alpha 1, beta 0.15, 99th percentile). Images per second, the median of --rounds rounds:

  - baseline: torchstain 1.4's numpy `NumpyMacenkoNormalizer.normalize` (Macenko's own code, ported) and
    `NumpyReinhardNormalizer.normalize`, one tile after another, as their users loop;
  - Vahadane's baseline (torchstain has none): TIAToolbox's recipe, re-run here with scikit-learn (TIAToolbox itself
    is not a dependency): `DictionaryLearning(n_components=2, alpha=0.1, fit_algorithm='lars', max_iter=3,
    positive_dict=True)` on each tile's tissue optical densities, then least-squares concentrations, on --n-slow tiles;
  - histofast: `macenko_normalize` (every pixel fitted, as the baseline; its passes over the pixels compiled
    (`histofast.stain_kernels`, the default on the CPU where numba is installed), then in torch; and `fit_px=16384`,
    each tile fitted on a regular grid of at most 16,384 pixels), `reinhard_normalize` and `vahadane_normalize`
    (stains fitted on a grid of at most 4,096 pixels a tile), on batches of --bs tiles (N×3×H×W uint8). The compiled
    loops are compiled (or read from numba's cache) in the warm-up round, not timed.

--threads sets the threads of torch and of numpy's BLAS (set OMP_NUM_THREADS to the same number, as above, so that
numpy starts with them). With --gpu (or where a GPU is present) histofast's functions also run on it (the batches
already there; synchronised before each clock reading). Needs torchstain (`pip install histofast[dev]`).
"""
import argparse, os, sys, time
from pathlib import Path

DATA = Path(__file__).resolve().parents[1].parent/'shared'/'data'


def rate(f, n, rounds, sync=lambda: None):
    "Median images per second of `f()` (which normalises `n` tiles) over `rounds` rounds, after one warm-up."
    f(); sync()
    times = []
    for _ in range(rounds):
        t = time.perf_counter(); f(); sync(); times.append(time.perf_counter() - t)
    return n/sorted(times)[len(times)//2]


def sklearn_vahadane(im, target_stains, target_max, Io=240., beta=0.15):
    "One tile in `target_stains` (3×2) at `target_max` (2) as TIAToolbox's Vahadane does it, with scikit-learn: its stains by dictionary learning, its concentrations by least squares."
    import numpy as np
    from sklearn.decomposition import DictionaryLearning
    od = -np.log((im.reshape(-1, 3).astype(float) + 1)/Io)
    tissue = od[(od >= beta).all(1)]
    dl = DictionaryLearning(n_components=2, alpha=0.1, transform_alpha=0.1, fit_algorithm='lars', transform_algorithm='lasso_lars',
                            positive_dict=True, max_iter=3, transform_max_iter=1000)
    he = dl.fit_transform(tissue.T).T                       # as TIAToolbox: the 3 channels as samples, the pixels as features
    he = he if he[0, 0] >= he[1, 0] else he[::-1]
    he = he/np.linalg.norm(he, axis=1, keepdims=True).clip(1e-12)
    conc = np.linalg.lstsq(he.T, od.T, rcond=None)[0]
    conc *= target_max[:, None]/np.percentile(conc, 99, axis=1, keepdims=True).clip(1e-3)
    return np.clip(Io*np.exp(-target_stains @ conc), 0, 255).T.reshape(im.shape).astype(np.uint8)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--n', type=int, default=400, help='tiles normalised per round (default 400)')
    p.add_argument('--bs', type=int, default=64, help="histofast's batch size (default 64)")
    p.add_argument('--threads', type=int, default=1, help='threads of torch and numpy (default 1)')
    p.add_argument('--rounds', type=int, default=3, help='rounds; the median is shown (default 3)')
    p.add_argument('--n-slow', type=int, default=10, help="tiles for Vahadane's scikit-learn baseline, a second or more each (default 10)")
    p.add_argument('--gpu', action='store_true', help='also on the GPU (default: when one is present)')
    p.add_argument('--data', type=Path, default=DATA, help=f"the real tiles and the CMU slide (default: {DATA}, the ../shared/data beside the checkout)")
    a = p.parse_args()
    for k in ('OMP_NUM_THREADS', 'OPENBLAS_NUM_THREADS', 'MKL_NUM_THREADS'): os.environ.setdefault(k, str(a.threads))
    import numpy as np, torch
    torch.set_num_threads(a.threads)
    from histofast.core import read_item, read_image
    import histofast.stain_kernels as kernels
    from histofast.stain import macenko_stains, macenko_normalize, reinhard_stats, reinhard_normalize, vahadane_stains, vahadane_normalize
    try: from torchstain.numpy.normalizers import NumpyMacenkoNormalizer, NumpyReinhardNormalizer
    except ImportError: sys.exit("bench/stain.py needs torchstain: pip install histofast[dev]")
    data = a.data
    if not (data/'kather2016/tiles224').exists(): sys.exit(f"bench/stain.py needs the real tiles of {data}")

    files = sorted(f for f in (data/'kather2016/tiles224').glob('*/*') if f.parent.name not in ('07_ADIPOSE', '08_EMPTY'))
    tiles = np.stack([read_item(f) for f in files])
    tiles = tiles[np.arange(a.n) % len(tiles)]
    target = read_image(data/'wsi/cmu_small_region.svs', region=(768, 1792, 512, 512))
    x = torch.from_numpy(tiles).permute(0, 3, 1, 2).contiguous()
    t = torch.from_numpy(target).permute(2, 0, 1)[None]
    stains, max_conc, _ = macenko_stains(t)
    mean, std, _ = reinhard_stats(t)
    v_stains, v_max, _ = vahadane_stains(t, fit_px=None)
    tm, tr = NumpyMacenkoNormalizer(), NumpyReinhardNormalizer()
    tm.fit(target); tr.fit(target)

    def batched(f, xs): return lambda: [f(xs[i:i+a.bs]) for i in range(0, len(xs), a.bs)]
    def torch_passes(f):
        "`f` with Macenko's passes in torch, not compiled."
        def run():
            kernels.fused = False
            try: return f()
            finally: kernels.fused = compiled
        return run
    compiled = kernels.fused
    rows = [('Macenko', 'torchstain numpy, tile by tile (baseline)', rate(lambda: [tm.normalize(im, stains=False) for im in tiles], a.n, a.rounds)),
            ('Macenko', f'histofast, batches of {a.bs}, every pixel fitted' + (', compiled' if compiled else ' (numba missing)'), rate(batched(lambda b: macenko_normalize(b, stains[0], max_conc[0]), x), a.n, a.rounds)),
            ('Macenko', f'histofast, batches of {a.bs}, every pixel fitted, torch', rate(torch_passes(batched(lambda b: macenko_normalize(b, stains[0], max_conc[0]), x)), a.n, a.rounds)),
            ('Macenko', f'histofast, batches of {a.bs}, fit_px=16384', rate(batched(lambda b: macenko_normalize(b, stains[0], max_conc[0], fit_px=16384), x), a.n, a.rounds)),
            ('Reinhard', 'torchstain numpy, tile by tile (baseline)', rate(lambda: [tr.normalize(im) for im in tiles], a.n, a.rounds)),
            ('Reinhard', f'histofast, batches of {a.bs}', rate(batched(lambda b: reinhard_normalize(b, mean[0], std[0]), x), a.n, a.rounds)),
            ('Vahadane', f'scikit-learn per tile, TIAToolbox recipe (baseline)', rate(lambda: [sklearn_vahadane(im, v_stains[0].numpy(), v_max[0].numpy()) for im in tiles[:a.n_slow]], min(a.n, a.n_slow), 1)),
            ('Vahadane', f'histofast, batches of {a.bs}', rate(batched(lambda b: vahadane_normalize(b, v_stains[0], v_max[0]), x), a.n, a.rounds))]
    if a.gpu or torch.cuda.is_available():
        if not torch.cuda.is_available(): sys.exit("--gpu: no GPU on this machine")
        g, sync = x.cuda(), torch.cuda.synchronize
        rows += [('Macenko', f'histofast on {torch.cuda.get_device_name()}, batches of {a.bs}', rate(batched(lambda b: macenko_normalize(b, stains[0], max_conc[0]), g), a.n, a.rounds, sync)),
                 ('Reinhard', f'histofast on {torch.cuda.get_device_name()}, batches of {a.bs}', rate(batched(lambda b: reinhard_normalize(b, mean[0], std[0]), g), a.n, a.rounds, sync)),
                 ('Vahadane', f'histofast on {torch.cuda.get_device_name()}, batches of {a.bs}', rate(batched(lambda b: vahadane_normalize(b, v_stains[0], v_max[0]), g), a.n, a.rounds, sync))]
    base = {m: r for m, name, r in rows if 'baseline' in name}
    print(f"\nstain normalisation: {a.n} real Kather 2016 tiles (224×224, uint8, in memory) to a CMU crop; "
          f"{a.threads} CPU thread(s); median of {a.rounds} rounds\n")
    print(f"| {'method':<8} | {'implementation':<56} | {'images/s':>9} | {'× baseline':>10} |\n|{'-'*10}|{'-'*58}|{'-'*11}|{'-'*12}|")
    for m, name, r in rows: print(f"| {m:<8} | {name:<56} | {r:>9,.0f} | {r/base[m]:>10.1f} |")


if __name__ == '__main__': main()
