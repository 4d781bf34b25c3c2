"""Stain normalisation, class by class: how far each method brings one laboratory's tiles to another's colour.

    .venv/bin/python bench/stain_colour.py kather2016 crc-val-he-7k                       # registered names (downloaded)
    .venv/bin/python bench/stain_colour.py SOURCE TARGET --pairs 01_TUMOR=TUM,02_STROMA=STR,04_LYMPHO=LYM

SOURCE and TARGET are datasets of two laboratories: registered names or folders of any layout `read_dataset` reads.
For each pair of classes (SOURCE's = TARGET's; default: tumour, stroma and lymphocytes of Kather 2016 and of the
NCT-CRC-HE sets), up to --n tiles of each are read; the SOURCE tiles are normalised to one TARGET tile (--target-tile,
or the TARGET tile whose tissue colour is nearest the mean of all of them) by Macenko, Reinhard and Vahadane
(histofast's, and torchstain's numpy Macenko where it is installed). The measure is issue 17's: ΔE (CIELAB) between
the mean colours of the two sets' tissue pixels (mean RGB under 220: `histofast.colour.tissue_delta_e`), before and
after, and by how much it shrank.
A shrink of 60 % or more for each class is what issue 17 asks of Macenko.
"""
import argparse, sys, warnings
from pathlib import Path

import numpy as np

PAIRS = '01_TUMOR=TUM,02_STROMA=STR,04_LYMPHO=LYM'  # Kather 2016's names = NCT-CRC-HE-100K's / CRC-VAL-HE-7K's


def tiles_of(df, label, n, seed=0):
    "Up to `n` tiles of class `label` of the table `df` (a random sample, fixed by `seed`), as uint8 arrays."
    from histofast.core import HistofastError, read_item
    items = df.item[df.label == label].tolist()
    if not items: raise HistofastError(f"no tiles of class {label!r}; the classes are {', '.join(sorted(df.label.unique()))}")
    pick = np.random.default_rng(seed).permutation(len(items))[:n]
    return [read_item(items[i]) for i in sorted(pick)]


def normalised(tiles, norm):
    "`tiles` through the fitted `StainNormalizer` `norm`, tile size by tile size (a batch holds one size)."
    import torch
    out = [None]*len(tiles)
    for shape in {t.shape for t in tiles}:
        idx = [i for i, t in enumerate(tiles) if t.shape == shape]
        x = torch.from_numpy(np.stack([tiles[i] for i in idx])).permute(0, 3, 1, 2).contiguous()
        for i, y in zip(idx, norm.normalize(x).permute(0, 2, 3, 1).numpy()): out[i] = y
    return out


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('source', help="the laboratory whose tiles are normalised: a registered dataset or a folder")
    p.add_argument('target', help="the other laboratory: a registered dataset or a folder")
    p.add_argument('--pairs', default=PAIRS, help=f"SOURCE_CLASS=TARGET_CLASS,... (default {PAIRS})")
    p.add_argument('--n', type=int, default=100, help='tiles of each class of each set (default 100)')
    p.add_argument('--target-tile', type=Path, default=None, help="the tile to normalise to (default: TARGET's most typical)")
    a = p.parse_args()
    from histofast.datasets import read_dataset
    from histofast.core import read_item
    from histofast.colour import tissue_colour, tissue_delta_e as delta_e
    from histofast.stain import StainNormalizer
    pairs = [tuple(s.split('=', 1)) for s in a.pairs.split(',')]
    if any(len(q) != 2 for q in pairs): sys.exit(f"--pairs {a.pairs}: SOURCE_CLASS=TARGET_CLASS, separated by commas")
    src, tgt = read_dataset(a.source), read_dataset(a.target)
    sets = {s: (tiles_of(src, s, a.n), tiles_of(tgt, t, a.n)) for s, t in pairs}
    if a.target_tile: target = read_item(a.target_tile)
    else:
        every = [t for _, ts in sets.values() for t in ts if (t.mean(2) < 220).mean() >= 0.5]
        mean = tissue_colour(every)
        target = min(every, key=lambda t: np.linalg.norm(tissue_colour([t]) - mean))
    methods = {m: StainNormalizer.from_target(target, m) for m in ('macenko', 'reinhard', 'vahadane')}
    try:
        from torchstain.numpy.normalizers import NumpyMacenkoNormalizer
        ts = NumpyMacenkoNormalizer(); ts.fit(target)
    except ImportError: ts = None
    print(f"\n{a.source} → {a.target}: up to {a.n} tiles a class; target tile {a.target_tile or 'the most typical of ' + a.target}"
          f" ({target.shape[1]}×{target.shape[0]} px)\n")
    names = list(methods) + (['torchstain macenko'] if ts else [])
    print('| class | tiles | ΔE before | ' + ' | '.join(f'{m}: ΔE (shrink)' for m in names) + ' |')
    print('|---|---|---|' + '---|'*len(names))
    for s, t in pairs:
        source_tiles, target_tiles = sets[s]
        before = delta_e(source_tiles, target_tiles)
        after = {m: delta_e(normalised(source_tiles, norm), target_tiles) for m, norm in methods.items()}
        if ts:
            with warnings.catch_warnings():
                warnings.simplefilter('ignore', RuntimeWarning)  # torchstain on a tile with little tissue
                after['torchstain macenko'] = delta_e([ts.normalize(x, stains=False)[0] for x in source_tiles], target_tiles)
        cells = ' | '.join(f'{after[m]:.1f} ({1 - after[m]/before:.0%})' for m in names)
        print(f'| {s} → {t} | {len(source_tiles)}, {len(target_tiles)} | {before:.1f} | {cells} |')


if __name__ == '__main__':
    from histofast.core import HistofastError
    try: main()
    except HistofastError as e: sys.exit(f"bench/stain_colour.py: {e}")
