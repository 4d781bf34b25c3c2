"""Training speed: images per second of training, histofast's loop against plain fastai, same data and model.

    python bench/train.py            # CPU: ResNet18 at 64 px on the synthetic sample (both from files, fp32)
    python bench/train.py --gpu      # GPU: ResNet50 at 96 px; histofast (packed tiles when `pack_tiles` exists, bf16
                                     #      or fp16, channels_last) against plain fastai from files in fp32

histofast's loop is `histo_learner` as the recipes use it (fused AdamW, its callbacks: run history, NaN check, per-epoch
seeding, a checkpoint after every epoch); plain fastai is `vision_learner` with fastai's Adam on a `DataBlock` of the
same image files and the same augmentation (dihedral flips, ImageNet normalisation). Two figures per loop: the training
phase of each epoch (first batch to last), and the whole epoch (training, validation and every callback, histofast's
checkpoint included), both as training images per second; the first epoch of each run is a warm-up and is not counted.
The two loops alternate, `--repeats` times each, and the median is reported, so that a busy machine hurts both alike.
The ratio histofast / plain fastai is printed for both; the whole epoch is what a user waits for.
"""
import argparse, statistics, tempfile, time
from pathlib import Path

import torch
from histofast.core import seed_everything  # first: quiets fastai's import-time warnings
from histofast.sample import make_sample
from histofast.tiles import pack_tiles
from histofast.data import histo_dls
from histofast.learner import histo_learner
from histofast.recipes import fit_whole
from fastai.vision.all import (Callback, DataBlock, ImageBlock, CategoryBlock, get_image_files, parent_label,
                               RandomSplitter, Resize, Dihedral, Normalize, imagenet_stats, vision_learner, accuracy)
import torchvision


def _now():
    if torch.cuda.is_available(): torch.cuda.synchronize()
    return time.perf_counter()

class TrainTimer(Callback):
    "Seconds and training images of the training phase of every epoch, and of the whole epoch (every callback included)."
    order = 100  # after every other callback's after_epoch (histofast's checkpoint); its before_epoch runs first (below)
    def __init__(self): self.train, self.epochs, self.epoch_start = [], [], None
    def before_train(self): self.n, self.start = 0, None
    def before_batch(self):
        if self.training and self.start is None: self.start = _now()
    def after_batch(self):
        if self.training: self.n += len(self.yb[0])
    def after_train(self): self.train.append((_now() - self.start, self.n))
    def after_epoch(self):
        end = _now()
        if self.epoch_start is not None: self.epochs.append((end - self.epoch_start, self.n))
        self.epoch_start = end  # the next epoch starts here: its before_epoch callbacks (histofast's seeding) count
    def images_per_s(self, phase='train'):
        timed = (self.train[1:] if phase == 'train' else self.epochs)  # the first epoch warms up (and has no start)
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
    return timer.images_per_s('train'), timer.images_per_s('epoch')


def histofast_loop(path, arch, size, bs, workers, epochs, lr, gpu, ckpt):
    "histofast: `histo_dls` (packed tiles on the GPU), `histo_learner`, the one-cycle recipe with a checkpoint every epoch."
    source = pack_tiles(path, Path(path).parent/'sample.packed', progress=False) if gpu else path
    dls = histo_dls(source, size=size, bs=bs, split='random', num_workers=workers)
    learn = histo_learner(dls, arch, pretrained=False, precision='auto' if gpu else 'fp32')
    timer = TrainTimer()
    with learn.no_logging(), learn.no_bar(): fit_whole(learn, epochs, lr, checkpoint=ckpt, cbs=[timer])
    return (timer.images_per_s('train'), timer.images_per_s('epoch')), learn.histofast['precision'], 'packed' if gpu else 'files'


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--gpu', action='store_true', help='ResNet50 at 96 px on the GPU (bf16/fp16, channels_last, packed)')
    p.add_argument('--n-per-class', type=int, default=None, help='synthetic tiles per class (default 100 CPU, 1000 GPU)')
    p.add_argument('--epochs', type=int, default=4, help='epochs per run; the first is not timed (default 4)')
    p.add_argument('--repeats', type=int, default=3, help='runs of each loop, alternating (default 3)')
    p.add_argument('--workers', type=int, default=None, help='loader processes (default 0 on the CPU, 8 on the GPU)')
    a = p.parse_args()
    if a.gpu and not torch.cuda.is_available(): raise SystemExit('--gpu: no CUDA device here')
    arch, size, bs = ('resnet50', 96, 256) if a.gpu else ('resnet18', 64, 32)
    n = a.n_per_class or (1000 if a.gpu else 100)
    workers = a.workers if a.workers is not None else (8 if a.gpu else 0)
    tmp = Path(tempfile.mkdtemp())
    path = make_sample(tmp/'sample', n_per_class=n, size=96 if a.gpu else 64, progress=False)
    plain, ours = [], []
    for r in range(a.repeats):
        seed_everything(r); plain.append(plain_fastai(path, arch, size, bs, workers, a.epochs, 2e-3))
        seed_everything(r); ips, precision, source = histofast_loop(path, arch, size, bs, workers, a.epochs, 2e-3, a.gpu, tmp/'ckpt.pth')
        ours.append(ips)
        print(f'repeat {r + 1}: plain fastai {plain[-1][0]:.1f} / {plain[-1][1]:.1f} img/s, '
              f'histofast {ours[-1][0]:.1f} / {ours[-1][1]:.1f} img/s (training phase / whole epoch)', flush=True)
    device = torch.cuda.get_device_name() if a.gpu else f'CPU ({torch.get_num_threads()} threads)'
    med = lambda runs, i: statistics.median(x[i] for x in runs)
    print(f'\n{arch} at {size} px, batch {bs}, {5*n} synthetic tiles (80 % trained), {a.epochs - 1} timed epochs × {a.repeats}, {device}')
    print("| loop | data | precision | training phase, images/s | whole epoch, images/s |\n|---|---|---|---|---|")
    print(f'| plain fastai (vision_learner, fastai Adam) | files | fp32 | {med(plain, 0):.1f} | {med(plain, 1):.1f} |')
    print(f'| histofast (histo_learner, fused AdamW, checkpoints) | {source} | {precision}{", channels_last" if precision != "fp32" else ""} '
          f'| {med(ours, 0):.1f} | {med(ours, 1):.1f} |')
    print(f'ratio histofast / plain fastai: training phase {med(ours, 0)/med(plain, 0):.2f}, whole epoch {med(ours, 1)/med(plain, 1):.2f}')

if __name__ == '__main__': main()
