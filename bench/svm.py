"""Kimia Path24-style features + linear SVM step: 24 classes, before/after (issue 15), and the features cache (issue 18).

    OMP_NUM_THREADS=1 .venv/bin/python bench/svm.py [--per-class 30] [--size 48]

Data: each of the 24 original Kather 2016 tiles of ../shared/data/kather2016/tiles150 stands for one Kimia Path24 scan
(one class per scan, as there); `--per-class` random crops of `--size` pixels from each for training, a quarter as
many for testing (seeded). Features: a ResNet-18 with random weights (512 numbers per tile, the tutorial's small
settings) and `texture_features` (91). The baseline is the previous `fit_svm`, re-created here: scikit-learn's
`GridSearchCV` over the whole grid C = 1e-4 … 10 (5 folds), `LinearSVC(max_iter=10_000)`; the new `fit_svm` tries C from
the smallest up and stops once the cross-validated score falls. Both in the same run, same folds, same features.
"""
import argparse, time, tempfile, warnings
from pathlib import Path
import numpy as np, pandas as pd

from histofast.core import read_item  # first: it quiets fastai's import-time deprecation warnings
from histofast.datasets import read_dataset
from histofast.features import extract_features, texture_features
from histofast.probes import fit_svm, fit_probe, _cv_folds
from sklearn.exceptions import ConvergenceWarning
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import LinearSVC

DATA = Path(__file__).resolve().parents[1].parent/'shared'/'data'/'kather2016'/'tiles150'


def crops(df, n, size, rng):
    X, y = [], []
    for k, item in enumerate(df.item):
        t = read_item(item)
        for _ in range(n):
            r, c = rng.integers(0, t.shape[0] - size, 2); X.append(t[r:r+size, c:c+size]); y.append(f'scan{k:02d}')
    return np.stack(X), np.array(y)


def old_fit_svm(X, y, Cs=(1e-4, 1e-3, 1e-2, 1e-1, 1, 10), seed=0):
    "The fit_svm of before issue 15: the whole grid, GridSearchCV."
    svm = make_pipeline(StandardScaler(), LinearSVC(max_iter=10_000, random_state=seed))
    return GridSearchCV(svm, {'linearsvc__C': list(Cs)}, cv=_cv_folds(y, None, 5, seed)).fit(X, y)


def timed(fit, X, y):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always', ConvergenceWarning)
        t = time.perf_counter(); model = fit(X, y); secs = time.perf_counter() - t
    return model, secs, sum(issubclass(x.category, ConvergenceWarning) for x in w)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--per-class', type=int, default=30); ap.add_argument('--size', type=int, default=48)
    args = ap.parse_args()
    if not DATA.exists(): print(f"skipped: {DATA} is absent"); return
    rng = np.random.default_rng(0)
    df = read_dataset(DATA)
    Xtr, ytr = crops(df, args.per_class, args.size, rng); Xte, yte = crops(df, max(args.per_class//4, 2), args.size, rng)
    tiles, n = np.concatenate([Xtr, Xte]), len(Xtr)
    print(f"{len(df)} scans (classes), {n} training and {len(Xte)} test crops of {args.size} px")

    cache = Path(tempfile.mkdtemp())
    t0 = time.perf_counter(); deep = extract_features('resnet18', tiles, pretrained=False, progress=False, cache=cache)
    t1 = time.perf_counter(); again = extract_features('resnet18', tiles, pretrained=False, progress=False, cache=cache)
    t2 = time.perf_counter()
    assert np.array_equal(deep, again)
    print(f"\nfeatures cache: first extract_features {t1 - t0:.2f} s, second {t2 - t1:.3f} s: {(t1 - t0)/(t2 - t1):.0f}× faster\n")
    tex = texture_features(tiles, progress=False)

    rows = []
    for name, F in (('ResNet-18 features (512)', deep), ('texture features (91)', tex)):
        for how, fit in (('GridSearchCV, whole grid (before)', old_fit_svm), ('fit_svm (now)', fit_svm), ('fit_probe (now)', fit_probe)):
            model, secs, warns = timed(fit, F[:n], ytr)
            C = next(iter(model.best_params_.values()))
            rows.append(dict(features=name, fit=how, seconds=secs, C=C, test_accuracy=(model.predict(F[n:]) == yte).mean(),
                             convergence_warnings=warns))
        base = rows[-3]['seconds']
        for r in rows[-3:]: r['speed-up'] = base/r['seconds']
    pd.set_option('display.width', 200)
    print(pd.DataFrame(rows).round(3).to_string(index=False))


if __name__ == '__main__': main()
