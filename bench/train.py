"""Training speed: images per second of a training epoch, histofast's loop against plain fastai, same data and model.

    python bench/train.py            # CPU: ResNet18 at 64 px on the synthetic sample (both from files, fp32)
    python bench/train.py --gpu      # GPU: ResNet50 at 96 px; histofast (packed tiles when `pack_tiles` exists, bf16
                                     #      or fp16, channels_last) against plain fastai from files in fp32

histofast's loop is `histo_learner` as the recipes use it (fused AdamW, its callbacks: run history, NaN check, per-epoch
seeding, a checkpoint after every epoch); plain fastai is `vision_learner` with fastai's Adam on a `DataBlock` of the
same image files and the same augmentation (dihedral flips, ImageNet normalisation). Only the training phase of each
epoch is timed (from the first batch to the last); the first epoch of each run is a warm-up and is not counted. The two
loops alternate, `--repeats` times each, and the median is reported, so that a busy machine hurts both alike.
"""
import argparse, statistics, tempfile, time
from pathlib import Path

import torch
from histofast.core import seed_everything  # first: quiets fastai's import-time warnings
from histofast.sample import make_sample
from histofast.data import histo_dls
from histofast import learner as hl
from fastai.vision.all import (Callback, DataBlock, ImageBlock, CategoryBlock, get_image_files, parent_label,
                               RandomSplitter, Resize, Dihedral, Normalize, imagenet_stats, vision_learner, accuracy)
import torchvision


class TrainTimer(Callback):
    "Seconds and images of the training phase of every epoch."
    order = 100
    def __init__(self): self.epochs = []
    def before_train(self): self.n, self.start = 0, None
    def before_batch(self):
        if self.training and self.start is None:
            if torch.cuda.is_available(): torch.cuda.synchronize()
            self.start = time.perf_counter()
    def after_batch(self):
        if self.training: self.n += len(self.yb[0])
    def after_train(self):
        if torch.cuda.is_available(): torch.cuda.synchronize()
        self.epochs.append((time.perf_counter() - self.start, self.n))
    def images_per_s(self):
        timed = self.epochs[1:]  # the first epoch warms up
        return sum(n for _, n in timed)/sum(s for s, _ in timed)


def plain_fastai(path, arch, size, bs, workers, epochs, lr):
    "fastai as its tutorials use it: a DataBlock of image files, `vision_learner`, fastai's Adam, fp32."
    block = DataBlock(blocks=(ImageBlock, CategoryBlock), get_items=get_image_files, get_y=parent_label,
                      splitter=RandomSplitter(0.2, seed=0), item_tfms=Resize(size),
                      batch_tfms=[Dihedral(p=1.0), Normalize.from_stats(*imagenet_stats)])
    dls = block.dataloaders(path, bs=bs, num_workers=workers)
    learn = vision_learner(dls, getattr(torchvision.models, arch), pretrained=False, metrics=accuracy)
    timer = TrainTimer()
    with learn.no_logging(), learn.no_bar(): learn.fit_one_cycle(epochs, lr, cbs=timer)
    return timer.images_per_s()


def histofast_loop(path, arch, size, bs, workers, epochs, lr, gpu, ckpt):
    "histofast: `histo_dls` (packed tiles when the library has them and on the GPU), `histo_learner`, one-cycle recipe."
    from histofast import data
    source = path
    if gpu and hasattr(data, 'pack_tiles'):
        from histofast.datasets import read_dataset
        source = data.pack_tiles(read_dataset(path), Path(path).parent/'sample.packed')
    dls = histo_dls(source, size=size, bs=bs, split='random', num_workers=workers)
    learn = hl.histo_learner(dls, arch, pretrained=False, precision='auto' if gpu else 'fp32')
    timer = TrainTimer()
    with learn.no_logging(), learn.no_bar(): hl.fit_one_cycle(learn, epochs, lr, checkpoint=ckpt, cbs=[timer])
    return timer.images_per_s(), learn.histofast['precision'], 'packed' if source is not path else 'files'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--gpu', action='store_true', help='ResNet50 at 96 px on the GPU (bf16/fp16, channels_last, packed)')
    p.add_argument('--n-per-class', type=int, default=None, help='synthetic tiles per class (default 60 CPU, 1000 GPU)')
    p.add_argument('--epochs', type=int, default=3, help='epochs per run; the first is not timed (default 3)')
    p.add_argument('--repeats', type=int, default=3, help='runs of each loop, alternating (default 3)')
    p.add_argument('--workers', type=int, default=None, help='loader processes (default 0 on the CPU, 8 on the GPU)')
    a = p.parse_args()
    if a.gpu and not torch.cuda.is_available(): raise SystemExit('--gpu: no CUDA device here')
    arch, size, bs = ('resnet50', 96, 256) if a.gpu else ('resnet18', 64, 32)
    n = a.n_per_class or (1000 if a.gpu else 60)
    workers = a.workers if a.workers is not None else (8 if a.gpu else 0)
    tmp = Path(tempfile.mkdtemp())
    path = make_sample(tmp/'sample', n_per_class=n, size=96 if a.gpu else 64, progress=False)
    plain, ours = [], []
    for r in range(a.repeats):
        seed_everything(r); plain.append(plain_fastai(path, arch, size, bs, workers, a.epochs, 2e-3))
        seed_everything(r); ips, precision, source = histofast_loop(path, arch, size, bs, workers, a.epochs, 2e-3, a.gpu, tmp/'ckpt.pth')
        ours.append(ips)
        print(f'repeat {r + 1}: plain fastai {plain[-1]:.1f} img/s, histofast {ours[-1]:.1f} img/s', flush=True)
    device = torch.cuda.get_device_name() if a.gpu else f'CPU ({torch.get_num_threads()} threads)'
    mp, mo = statistics.median(plain), statistics.median(ours)
    print(f'\n{arch} at {size} px, batch {bs}, {5*n} synthetic tiles (80 % trained), {a.epochs - 1} timed epochs × {a.repeats}, {device}')
    print(f"| loop | data | precision | images/s (median) |\n|---|---|---|---|")
    print(f'| plain fastai (vision_learner, fastai Adam) | files | fp32 | {mp:.1f} |')
    print(f'| histofast (histo_learner, fused AdamW, checkpoints) | {source} | {precision}{", channels_last" if precision != "fp32" else ""} | {mo:.1f} |')
    print(f'ratio histofast / plain fastai: {mo/mp:.2f}')


if __name__ == '__main__': main()
