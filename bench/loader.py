"""How fast histofast's loaders feed a model, against the seed tutorials' way, on one machine in one run.

Builds a Kaggle-layout folder of SYNTHETIC 96×96 TIFF tiles (`train/<id>.tif`, `train_labels.csv`; drawn by
`histofast.sample`, not real tissue), then measures images per second over one training epoch (the median of
`--rounds` epochs, the three loaders taking turns), with the same items, split, batch size and augmentation
(the 8 dihedral symmetries, ImageNet normalisation), on the CPU, for

  (a) fastai's `ImageDataLoaders` (DataBlock + `ImageBlock`: Pillow reads every TIFF; fastai's `Dihedral` batch
      transform; fastai's default worker processes): the seed tutorials' way, the baseline;
  (b) `histo_dls` from the same files;
  (c) `histo_dls` from the packed array (`pack_tiles`, timed separately: it is done once).

Then the peak anonymous memory (`RssAnon`: the page cache of the packed file is left out) of an epoch of (c) at
`--n` and at `--n-large` tiles, each in a fresh process; and, where there is a GPU (or with --gpu), ResNet50 at
96 px in bf16 and channels-last, trained on batches from (c) against the same model on a tensor already on the GPU.

    .venv/bin/python bench/loader.py [--n 20000] [--n-large 80000] [--bs 64] [--rounds 3] [--data DIR] [--gpu]

The tiles are written to a temporary folder removed at the end, unless --data names a folder to keep them in
(a later run reuses them).
"""
import argparse, hashlib, json, os, shutil, subprocess, sys, tempfile, threading, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

_POOL = None  # the synthetic tiles the files are made from (set before the writer processes fork)

def _write_tiles(args):
    from PIL import Image
    folder, start, ids = args
    rng = np.random.default_rng(start)
    for i, id_ in enumerate(ids):
        tile = _POOL[(start + i) % len(_POOL)]
        tile = np.roll(np.rot90(tile, (start + i) % 4), rng.integers(96), axis=1)  # every file a different image
        Image.fromarray(np.ascontiguousarray(tile)).save(folder/'train'/f'{id_}.tif')
    return len(ids)

def make_kaggle_folder(folder:Path, n:int):
    "A Kaggle histopathologic-cancer-detection layout of `n` synthetic tiles in `folder` (reused when already there)."
    info = folder/'bench.json'
    if info.exists() and json.loads(info.read_text())['n'] >= n: return
    global _POOL
    from histofast.sample import sample_arrays
    pool, labels, _ = sample_arrays(n_per_class=100, size=96, seed=0)
    _POOL = pool
    ids = [hashlib.sha1(f'tile{i}'.encode()).hexdigest() for i in range(n)]
    (folder/'train').mkdir(parents=True, exist_ok=True)
    t = time.time()
    chunk = 2000
    with ProcessPoolExecutor(os.cpu_count()) as ex:
        done = sum(ex.map(_write_tiles, [(folder, s, ids[s:s+chunk]) for s in range(0, n, chunk)]))
    cancer = np.isin(labels, ['tumour', 'lymphocytes']).astype(int)  # two classes, as PCam
    pd.DataFrame(dict(id=ids, label=[cancer[i % len(pool)] for i in range(n)])).to_csv(folder/'train_labels.csv', index=False)
    info.write_text(json.dumps(dict(n=n, note='SYNTHETIC tiles drawn by histofast.sample, not real tissue')))
    print(f"wrote {done:,} synthetic 96×96 TIFF tiles in {time.time()-t:.0f} s: {folder}", flush=True)

def items_table(folder:Path, n:int) -> pd.DataFrame:
    "The first `n` rows of `train_labels.csv` as a histofast table (read here with pandas: item, label, group, split)."
    labels = pd.read_csv(folder/'train_labels.csv', nrows=n)
    return pd.DataFrame(dict(item=[str(folder/'train'/f'{i}.tif') for i in labels.id], label=labels.label, group='', split=''))

def epoch_speed(dl):
    "Images per second over one pass of `dl` (a training epoch: shuffled, augmented), and the number of images."
    n, t = 0, time.perf_counter()
    for xb, *_ in dl: n += len(xb)
    return n/(time.perf_counter() - t), n

def _anon_kib(pid, field):
    path = f'/proc/{pid}/status' if field == 'RssAnon' else f'/proc/{pid}/smaps_rollup'
    try:
        for line in open(path):
            if line.startswith(field + ':'): return int(line.split()[1])
    except OSError: pass
    return 0

def _children(pid):
    kids = []
    for p in os.listdir('/proc'):
        if p.isdigit():
            try:
                if int(open(f'/proc/{p}/stat').read().rsplit(')', 1)[1].split()[1]) == pid: kids.append(int(p))
            except (OSError, IndexError, ValueError): pass
    return kids

def measure_memory(pack_path, bs):
    "(In a fresh process) peak RssAnon of this process, and peak Pss_Anon of it and its loader workers, over an epoch of (c)."
    from histofast.tiles import PackedTiles
    from histofast.data import histo_dls
    pack = PackedTiles(pack_path)
    dls = histo_dls(pack, bs=bs, device='cpu')
    me, peak, stop = os.getpid(), dict(main=0, tree=0), threading.Event()
    def sample():
        while not stop.is_set():
            peak['main'] = max(peak['main'], _anon_kib(me, 'RssAnon'))
            peak['tree'] = max(peak['tree'], sum(_anon_kib(p, 'Pss_Anon') for p in [me, *_children(me)]))
            time.sleep(0.01)
    th = threading.Thread(target=sample, daemon=True); th.start()
    speed, n = epoch_speed(dls.train)
    stop.set(); th.join()
    print(json.dumps(dict(n_tiles=len(pack), main_mib=peak['main']/1024, tree_mib=peak['tree']/1024, speed=speed)))

def gpu_comparison(pack, bs=256, warmup=20):
    """ResNet50, 96 px, bf16 autocast, channels-last, SGD: images/s of the same training loop on one batch already on
    the GPU, and on the batches of `histo_dls(pack)` (augmented and normalised on the GPU), over one epoch after `warmup`
    batches. A plain PyTorch loop, so that only the source of the batches differs (fastai's `Learner` adds the same
    per-batch work to both)."""
    import torch, torchvision, torch.nn.functional as F
    from histofast.data import histo_dls
    torch.backends.cudnn.benchmark = True
    model = torchvision.models.resnet50(num_classes=2).cuda().to(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    def step(x, y):
        with torch.autocast('cuda', dtype=torch.bfloat16): loss = F.cross_entropy(model(x), y)
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    dls = histo_dls(pack, bs=bs, device='cuda')
    n_steps = len(dls.train) - warmup
    x = torch.randn(bs, 3, 96, 96, device='cuda').contiguous(memory_format=torch.channels_last)
    y = torch.randint(0, 2, (bs,), device='cuda')
    for _ in range(warmup): step(x, y)
    torch.cuda.synchronize(); t = time.perf_counter()
    for _ in range(n_steps): step(x, y)
    torch.cuda.synchronize(); on_gpu = n_steps*bs/(time.perf_counter() - t)
    n = 0
    for i, (xb, yb) in enumerate(dls.train):  # one epoch; the clock starts after `warmup` batches
        if i == warmup: torch.cuda.synchronize(); t = time.perf_counter()
        if i >= warmup: n += len(xb)
        step(xb.as_subclass(torch.Tensor), yb.as_subclass(torch.Tensor))  # as plain tensors, as the on-GPU case
    torch.cuda.synchronize(); fed = n/(time.perf_counter() - t)
    return on_gpu, fed, torch.cuda.get_device_name()

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--n', type=int, default=20_000, help='tiles for the speed comparison (default 20,000)')
    p.add_argument('--n-large', type=int, default=80_000, help='tiles for the second memory figure (default 80,000; 0: skip)')
    p.add_argument('--bs', type=int, default=64, help='batch size of all loaders (default 64)')
    p.add_argument('--rounds', type=int, default=3, help='epochs of each loader, taken in turn; the median is shown (default 3)')
    p.add_argument('--data', type=Path, help='keep the tiles and packs in this folder (default: a temporary one)')
    p.add_argument('--gpu', action='store_true', help='run the GPU comparison (default: when a GPU is present)')
    p.add_argument('--memory', help=argparse.SUPPRESS)  # internal: measure an epoch of (c) on this pack, in this process
    a = p.parse_args()
    if a.memory: return measure_memory(a.memory, a.bs)

    import torch
    from histofast.tiles import pack_tiles
    from histofast.data import histo_dls
    from fastai.vision.all import ImageDataLoaders, Dihedral, Normalize, imagenet_stats, defaults
    root = a.data or Path(tempfile.mkdtemp(prefix='histofast-bench-'))
    try:
        folder = root/'kaggle-synthetic'
        make_kaggle_folder(folder, max(a.n, a.n_large))
        df = items_table(folder, a.n)
        split = dict(valid_pct=0.2, seed=0)

        # (a) the seed tutorials' way: fastai DataBlock, Pillow reading each TIFF, fastai's dihedral on the batch
        labels = pd.read_csv(folder/'train_labels.csv', nrows=a.n)
        dls_a = ImageDataLoaders.from_df(labels, folder, folder='train', suff='.tif', fn_col=0, label_col=1, bs=a.bs,
                                         batch_tfms=[Dihedral(p=1.), Normalize.from_stats(*imagenet_stats)], device='cpu', **split)
        # (b) histo_dls from the files
        dls_b = histo_dls(df, bs=a.bs, device='cpu', **split)
        # (c) histo_dls from the packed array
        shutil.rmtree(root/f'pack-{a.n}', ignore_errors=True)  # pack afresh, to time it
        t = time.perf_counter()
        pack = pack_tiles(df, root/f'pack-{a.n}', progress=False)
        pack_s = time.perf_counter() - t
        dls_c = histo_dls(pack, bs=a.bs, device='cpu', **split)
        assert list(dls_b.valid.items.item) == list(dls_c.valid.items.item)

        # one epoch of each, in turn, `--rounds` times: the machine's load drifts alike for all three
        load0, speeds = os.getloadavg()[0], {k: [] for k in 'abc'}
        for r in range(a.rounds):
            for k, dl in zip('abc', (dls_a.train, dls_b.train, dls_c.train)):
                speed, n = epoch_speed(dl)
                speeds[k].append(speed)
                assert n == len(dls_a.train)*a.bs, n
            print(f"round {r+1}: " + ', '.join(f"({k}) {v[-1]:,.0f}" for k, v in speeds.items()) + " images/s", flush=True)
        med = {k: float(np.median(v)) for k, v in speeds.items()}

        print(f"\nhistofast loader benchmark: {a.n:,} SYNTHETIC 96×96 TIFF tiles in Kaggle layout, one training epoch "
              f"({len(dls_a.train)*a.bs:,} tiles, batch {a.bs}), dihedral augmentation + ImageNet normalisation, CPU only "
              f"({os.cpu_count()} cores, torch {torch.get_num_threads()} threads, fastai workers {defaults.cpus}), page cache "
              f"warm; median of {a.rounds} epoch(s) each, taken in turn; load average {load0:.1f} → {os.getloadavg()[0]:.1f}\n")
        rows = [("(a) fastai DataBlock, Pillow reads each TIFF (seed tutorials)", 'a'),
                ("(b) histo_dls from the TIFF files", 'b'),
                ("(c) histo_dls from the packed array", 'c')]
        print(f"| {'loader':<64} | {'images/s':>9} | {'min–max':>13} | {'× (a)':>6} |\n|{'-'*66}|{'-'*11}|{'-'*15}|{'-'*8}|")
        for name, k in rows:
            print(f"| {name:<64} | {med[k]:>9,.0f} | {min(speeds[k]):>6,.0f}–{max(speeds[k]):<6,.0f} | {med[k]/med['a']:>6.1f} |")
        print(f"\npacking the {a.n:,} tiles once (pack_tiles, {defaults.cpus} processes): {pack_s:.1f} s "
              f"({a.n/pack_s:,.0f} tiles/s)")
        sys.stdout.flush()

        # peak anonymous memory of (c), each size in a fresh process
        if a.n_large:
            packs = [(a.n, pack.path), (a.n_large, pack_tiles(items_table(folder, a.n_large), root/f'pack-{a.n_large}', overwrite=True, progress=False).path)]
            res = []
            for n, path in packs:
                out = subprocess.run([sys.executable, __file__, '--memory', str(path), '--bs', str(a.bs)],
                                     capture_output=True, text=True, check=True).stdout
                res.append(json.loads(out.strip().splitlines()[-1]))
            print(f"\npeak anonymous memory over one epoch of (c), fresh process each:\n")
            print(f"| {'tiles':>7} | {'RssAnon, loader process (MiB)':>30} | {'Pss_Anon, with its workers (MiB)':>33} | {'images/s':>9} |")
            print(f"|{'-'*9}|{'-'*32}|{'-'*35}|{'-'*11}|")
            for r in res: print(f"| {r['n_tiles']:>7,} | {r['main_mib']:>30,.0f} | {r['tree_mib']:>33,.0f} | {r['speed']:>9,.0f} |")
            g = lambda k: 100*(res[1][k]/res[0][k] - 1)
            print(f"\ngrowth from {a.n:,} to {a.n_large:,} tiles: RssAnon {g('main_mib'):+.1f} %, "
                  f"with workers {g('tree_mib'):+.1f} %")

        if a.gpu or torch.cuda.is_available():
            if not torch.cuda.is_available(): print("\nGPU comparison: no GPU on this machine, not run")
            else:
                on_gpu, fed, name = gpu_comparison(pack if not a.n_large else type(pack)(packs[1][1]))
                print(f"\nResNet50, 96 px, bf16, channels-last, batch 256 on {name}:\n"
                      f"| tensor already on the GPU | {on_gpu:,.0f} images/s |\n| fed by (c) | {fed:,.0f} images/s |\n"
                      f"(c) reaches {100*fed/on_gpu:.1f} % of the on-GPU figure")
    finally:
        if a.data is None: shutil.rmtree(root, ignore_errors=True)

if __name__ == '__main__': main()
