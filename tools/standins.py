"""Stand-ins of the registered datasets, in their real layouts, built from the real H&E tiles in ../shared/data.

The real datasets cannot be downloaded here (no network), and are too large for tests anyway. A stand-in has the
exact layout of the real thing (folder names, file names, file formats, tile sizes, label files), so that the code
that finds and reads a dataset, and each tutorial's real-data branch, run on it; it holds a few real tiles instead
of thousands. Its numbers say nothing about the real dataset.

Usage: python tools/standins.py HOME [NAME ...]   # HOME/<name>/ for each name (default: all), as get_dataset wants
"""
import argparse, hashlib, sys
from pathlib import Path

import h5py
import numpy as np
import pandas as pd
from PIL import Image

SHARED = Path(__file__).resolve().parents[1].parent/'shared'/'data'/'kather2016'
KATHER = ('01_TUMOR', '02_STROMA', '03_COMPLEX', '04_LYMPHO', '05_DEBRIS', '06_MUCOSA', '07_ADIPOSE', '08_EMPTY')


def real_tiles(shared=SHARED) -> list:
    "(class, RGB uint8 array, original name) for each real tile: the 24 originals (150 px), then the 100 re-saved (224 px)."
    out = []
    for folder in ('tiles150', 'tiles224'):
        for c in KATHER:
            for f in sorted((shared/folder/c).iterdir()):
                with Image.open(f) as im: out.append((c, np.asarray(im.convert('RGB')), f.name))
    return out


def _resized(a:np.ndarray, w:int, h:int) -> Image.Image:
    return Image.fromarray(a).resize((w, h), Image.BILINEAR)


def _mosaic(tiles:list, size:int, rng) -> np.ndarray:
    "A size×size image tiled with random real tiles (upscaled to 1/4 of the size), as a patch of a scan looks."
    out, step = np.zeros((size, size, 3), np.uint8), size//4
    for y in range(0, size, step):
        for x in range(0, size, step):
            out[y:y+step, x:x+step] = np.asarray(_resized(tiles[rng.integers(len(tiles))], step, step))
    return out


def kather2016(root:Path, tiles:list):
    "Zenodo's zip unpacked: Kather_texture_2016_image_tiles_5000/<class>/<slide-named>.tif, 150×150 RGB TIFF."
    top = root/'Kather_texture_2016_image_tiles_5000'
    for i, (c, a, name) in enumerate(tiles):
        if not name.endswith('.tif'):  # a re-saved tile: a name in the originals' pattern, on one of the ten slides
            name = f"{i:X}_CRC-Prim-HE-{i % 10 + 1:02d}_{i:03d}.tif_Row_{1 + 150 * (i % 7)}_Col_{1 + 150 * (i % 5)}.tif"
        (top/c).mkdir(parents=True, exist_ok=True)
        _resized(a, 150, 150).save(top/c/name)


def kather2016_large(root:Path, tiles:list, size:int=1024):
    "Zenodo's zip unpacked: Kather_texture_2016_larger_images_10/CRC-Prim-HE-NN_APPLICATION.tif (the real ones are 5000×5000)."
    top, rng = root/'Kather_texture_2016_larger_images_10', np.random.default_rng(1)
    top.mkdir(parents=True, exist_ok=True)
    for n in range(1, 11): Image.fromarray(_mosaic([a for _, a, _ in tiles], size, rng)).save(top/f'CRC-Prim-HE-{n:02d}_APPLICATION.tif')


def kimia960(root:Path, tiles:list, per_class:int=6):
    "The 960 images unpacked: <class letter><n>.tif, 308×168 RGB, classes A…T (here `per_class` of each)."
    root.mkdir(parents=True, exist_ok=True)
    for k, letter in enumerate('ABCDEFGHIJKLMNOPQRST'):
        for n in range(per_class):
            _, a, _ = tiles[(k * per_class + n) % len(tiles)]
            _resized(np.rot90(a, k // 8).copy(), 308, 168).save(root/f'{letter}{n + 1}.tif')


def kimia_path24(root:Path, tiles:list, test:int=2, train:int=3, size:int=1000):
    "test/s<scan>_<n>.jpg (grayscale, 1000×1000) and train/s<scan>/ patches cut by the user."
    rng = np.random.default_rng(24)
    for s in range(24):
        mine = [a for i, (_, a, _) in enumerate(tiles) if i % 24 == s] or [tiles[s][1]]
        (root/'train'/f's{s}').mkdir(parents=True, exist_ok=True); (root/'test').mkdir(exist_ok=True)
        for n in range(test): Image.fromarray(_mosaic(mine, size, rng)).convert('L').save(root/'test'/f's{s}_{n}.jpg', quality=90)
        for n in range(train): Image.fromarray(_mosaic(mine, size, rng)).convert('L').save(root/'train'/f's{s}'/f's{s}_train_{n}.jpg', quality=90)


def _crops96(tiles:list, n:int):
    "(label, 96×96 crop): tumour tiles are the positives, as in PCam (tumour in the centre)."
    for i in range(n):
        c, a, _ = tiles[i % len(tiles)]
        y, x = (i // len(tiles) * 37) % (a.shape[0] - 96), (i // len(tiles) * 53) % (a.shape[1] - 96)
        yield int(c == '01_TUMOR' or c == '03_COMPLEX'), a[y:y+96, x:x+96]


def pcam_kaggle(root:Path, tiles:list, n_train:int=240, n_test:int=40):
    "The competition's zip unpacked: train/<id>.tif, train_labels.csv (id,label), test/<id>.tif, sample_submission.csv."
    for part in ('train', 'test'): (root/part).mkdir(parents=True, exist_ok=True)
    rows, test_ids = [], []
    for i, (label, crop) in enumerate(_crops96(tiles, n_train + n_test)):
        ident = hashlib.sha1(f'standin{i}'.encode()).hexdigest()
        Image.fromarray(np.ascontiguousarray(crop)).save(root/('train' if i < n_train else 'test')/f'{ident}.tif')
        if i < n_train: rows.append((ident, label))
        else: test_ids.append(ident)
    pd.DataFrame(rows, columns=['id', 'label']).to_csv(root/'train_labels.csv', index=False)
    pd.DataFrame(dict(id=test_ids, label=0)).to_csv(root/'sample_submission.csv', index=False)


def pcam(root:Path, tiles:list, n:dict=dict(train=96, valid=32, test=32)):
    "Zenodo's files uncompressed: camelyonpatch_level_2_split_<split>_{x,y}.h5 (x: N×96×96×3 uint8, y: N×1×1×1)."
    root.mkdir(parents=True, exist_ok=True)
    crops = list(_crops96(tiles, sum(n.values())))
    start = 0
    for split, k in n.items():
        y, x = zip(*crops[start:start + k]); start += k
        with h5py.File(root/f'camelyonpatch_level_2_split_{split}_x.h5', 'w') as f: f['x'] = np.stack(x)
        with h5py.File(root/f'camelyonpatch_level_2_split_{split}_y.h5', 'w') as f: f['y'] = np.array(y, np.uint8).reshape(-1, 1, 1, 1)


BUILDERS = {'kather2016': kather2016, 'kather2016-large': kather2016_large, 'kimia960': kimia960,
            'kimia-path24': kimia_path24, 'pcam-kaggle': pcam_kaggle, 'pcam': pcam}


def build(home, names=None, shared=SHARED) -> dict:
    "Write the stand-ins `names` (default: all) into `home/<name>/`; return {name: folder}."
    tiles, out = real_tiles(shared), {}
    for name in names or BUILDERS:
        if name not in BUILDERS: raise SystemExit(f"no stand-in for {name!r}: there are {', '.join(BUILDERS)}")
        out[name] = Path(home)/name
        BUILDERS[name](out[name], tiles)
    return out


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('home', help='the folder to write into (use it as HISTOFAST_HOME)')
    p.add_argument('names', nargs='*', help=f"datasets (default: all of {', '.join(BUILDERS)})")
    a = p.parse_args()
    if not SHARED.is_dir(): sys.exit(f"{SHARED}: not found; the stand-ins are built from its real tiles")
    for name, folder in build(a.home, a.names).items(): print(f"{name}: {folder}")
