"""Texture features and untrained-network features + linear SVM on the real Kather 2016 tiles in ../shared/data.

    .venv/bin/python bench/kather_features.py            # held-out test, 5-fold CV, throughput, the four schemes
    .venv/bin/python bench/kather_features.py --quick    # without the two trained-network schemes
    .venv/bin/python bench/kather_features.py --pretrained   # also ImageNet features (needs the weights cached)

Protocol (everything seeded; tiles resized to 224×224 by centre crop + bilinear, as fastai's `Resize`):
- held out: train on `tiles224` (100 PNG, 8 classes, 18/8/13/12/12/10/18/9 tiles), test on the 24 original
  `tiles150` TIFF (3 per class) resized 150 → 224. The SVM's C is chosen by 5-fold stratified CV on the 100.
- cross-validation: 5-fold stratified CV on the 100 `tiles224` (seed 0), mean ± sd of the fold accuracies. Their
  file names carry no slide, so folds cannot be split by slide: tiles of one slide may sit on both sides.
- untrained network: torchvision ResNet-18 / ResNet-50 with random weights (`pretrained=False`, seed 0), ImageNet
  normalisation, globally average-pooled body output (512 / 2048 numbers per tile).
- texture: `texture_features` (LBP at two scales, GLCM, HED colour histograms; 91 numbers per tile).
- colour alone: `colour_features` (mean RGB, 3 numbers; or a 16-bin histogram per channel, 48 numbers).
Throughput is measured on 1000 tiles in memory (the 124 tiles repeated, so reading files is not counted):
texture features serial (the baseline) against worker processes; deep features on contiguous batches (the
baseline) against channels-last batches, the default; and a second call read from the features cache.
"""
import argparse, os, tempfile, time
from pathlib import Path

import numpy as np
import pandas as pd

from histofast.core import HistofastError, read_item  # first: it quiets fastai's import-time deprecation warnings
from histofast import features
import torch
from histofast.datasets import read_dataset
from histofast.tiles import resize_tile
from histofast.features import extract_features, texture_features, colour_features
from histofast.probes import fit_svm, fit_probe, kimia_scores, compare_schemes
from sklearn.model_selection import StratifiedKFold

DATA = Path(__file__).resolve().parents[1].parent/'shared'/'data'/'kather2016'
SIZE = 224


def overlap(train, test):
    "For each test tile, the best correlation with any training tile under the 8 flips/rotations (near 1: the same tile)."
    small = lambda df: np.stack([resize_tile(read_item(i), 56).mean(-1) for i in df.item])
    a, b = small(train), small(test)
    def z(x): x = x.reshape(len(x), -1); x = x - x.mean(1, keepdims=True); return x/np.linalg.norm(x, axis=1, keepdims=True)
    za = z(a)
    best = np.full(len(b), -1.0)
    for k in range(4):
        for flip in (False, True):
            v = np.rot90(b, k, axes=(1, 2)); v = v[:, :, ::-1] if flip else v
            best = np.maximum(best, (z(np.ascontiguousarray(v)) @ za.T).max(1))
    return best


def held_out(name, featurize, train, test):
    t = time.perf_counter()
    ftr, fte = featurize(train), featurize(test)
    secs = time.perf_counter() - t
    svm = fit_svm(ftr, train.label)
    pred = svm.predict(fte)
    return dict(scheme=name, dims=ftr.shape[1], C=svm.best_params_['linearsvc__C'], **kimia_scores(test.label, pred),
                accuracy=(pred == test.label.to_numpy()).mean(), feature_seconds=secs), ftr


def cross_validated(feats, labels, seed=0):
    accs = []
    for tr, te in StratifiedKFold(5, shuffle=True, random_state=seed).split(feats, labels):
        svm = fit_svm(feats[tr], labels[tr], seed=seed)
        accs.append((svm.predict(feats[te]) == labels[te]).mean())
    return np.mean(accs), np.std(accs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--quick', action='store_true', help="skip compare_schemes' two trained-network schemes")
    ap.add_argument('--pretrained', action='store_true', help='also ImageNet ResNet-50 features (weights must be cached)')
    ap.add_argument('--epochs', type=int, default=5)
    args = ap.parse_args()
    if not DATA.exists(): print(f"skipped: {DATA} is absent (histofast's real test tiles sit beside the checkout)"); return
    train, test = read_dataset(DATA/'tiles224'), read_dataset(DATA/'tiles150')
    print(f"Kather 2016: train {len(train)} tiles224 PNG, test {len(test)} tiles150 TIFF, {train.label.nunique()} classes, "
          f"all resized to {SIZE}; torch threads {__import__('torch').get_num_threads()}, CPUs {os.cpu_count()}\n")

    best = overlap(train, test)
    print(f"test tiles that also sit in the training set (correlation > 0.95 under flips/rotations): "
          f"{(best > 0.95).sum()} of {len(test)} (highest correlation {best.max():.3f})\n")

    schemes = {'texture features + SVM': lambda d: texture_features(d, size=SIZE, progress=False),
               'mean RGB + SVM': lambda d: colour_features(d, 'mean', size=SIZE, progress=False),
               'RGB histogram + SVM': lambda d: colour_features(d, 'histogram', size=SIZE, progress=False),
               'ResNet-18 untrained features + SVM': lambda d: extract_features('resnet18', d, size=SIZE, pretrained=False, progress=False, cache=False),
               'ResNet-50 untrained features + SVM': lambda d: extract_features('resnet50', d, size=SIZE, pretrained=False, progress=False, cache=False)}
    if args.pretrained:
        schemes['ResNet-50 ImageNet features + SVM'] = lambda d: extract_features('resnet50', d, size=SIZE, progress=False, cache=False)
    rows, cv = [], []
    for name, featurize in schemes.items():
        try: row, ftr = held_out(name, featurize, train, test)
        except HistofastError as e: print(f"skipped {name}: {e}"); continue
        rows.append(row)
        m, s = cross_validated(ftr, train.label.to_numpy())
        cv.append(dict(scheme=name, cv_accuracy=m, cv_sd=s))
    pd.set_option('display.width', 200)
    print("held out: train tiles224 (100) → test tiles150 (24)")
    print(pd.DataFrame(rows).round(3).to_string(index=False))
    print("\n5-fold stratified cross-validation on tiles224 (100; not split by slide)")
    print(pd.DataFrame(cv).round(3).to_string(index=False))

    tiles = np.stack([resize_tile(read_item(i), 150) for i in pd.concat([train, test]).item])
    tiles = tiles[np.arange(1000) % len(tiles)]
    print(f"\nthroughput on 1000 tiles in memory (the 124 repeated), each against its baseline measured here")
    def timed(fn):
        t = time.perf_counter(); fn(); return time.perf_counter() - t
    trows = []
    for size in (150, 224):
        arr = tiles if size == 150 else np.stack([resize_tile(t, 224) for t in tiles])
        base = timed(lambda: texture_features(arr, num_workers=0, progress=False))
        par = timed(lambda: texture_features(arr, num_workers=os.cpu_count(), progress=False))
        trows += [dict(what='texture_features', size=size, how='serial (baseline)', seconds_per_1000=base, ratio=1.0),
                  dict(what='texture_features', size=size, how=f'{os.cpu_count()} worker processes', seconds_per_1000=par,
                       ratio=base/par)]
    deep = lambda: extract_features('resnet18', arr, pretrained=False, num_workers=0, progress=False, cache=False)
    features._MEMORY_FORMAT = torch.contiguous_format
    base = timed(deep)
    features._MEMORY_FORMAT = torch.channels_last
    cl = timed(deep)
    trows += [dict(what='extract_features resnet18', size=224, how='contiguous batches (baseline)', seconds_per_1000=base, ratio=1.0),
              dict(what='extract_features resnet18', size=224, how='channels-last (the default)', seconds_per_1000=cl, ratio=base/cl)]
    cache = Path(tempfile.mkdtemp())
    first = timed(lambda: extract_features('resnet18', arr, pretrained=False, num_workers=0, progress=False, cache=cache))
    second = timed(lambda: extract_features('resnet18', arr, pretrained=False, num_workers=0, progress=False, cache=cache))
    trows += [dict(what='extract_features resnet18', size=224, how='first call, written to the cache (baseline)', seconds_per_1000=first, ratio=1.0),
              dict(what='extract_features resnet18', size=224, how='second call, read from the cache', seconds_per_1000=second, ratio=first/second)]
    t = pd.DataFrame(trows)
    t['tiles_per_s'] = 1000/t.seconds_per_1000
    print(t.round(2).to_string(index=False))

    schemes = ['features', 'texture', 'probe', 'colour-mean', 'colour-histogram']
    if not args.quick: schemes = ['scratch', 'fine-tuning'] + schemes
    print(f"\ncompare_schemes(tiles224, test=tiles150, arch='resnet18', pretrained=False, size={SIZE}, "
          f"epochs={args.epochs}, schemes={schemes}) — no ImageNet weights here, so 'features' and 'fine-tuning' "
          "start from random weights")
    table = compare_schemes(DATA/'tiles224', test=DATA/'tiles150', schemes=schemes, arch='resnet18', pretrained=False,
                            size=SIZE, epochs=args.epochs, bs=32, progress=False)
    print(table.round(3).to_string(index=False))


if __name__ == '__main__': main()
