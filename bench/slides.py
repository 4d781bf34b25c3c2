"""Slides: tiles per second of `histofast slide` (`map_slide`) against (a) a naive loop, one region read and
`learn.predict` per tile, (b) the same model on tensors already in memory, (c) TIAToolbox's patch predictor with the
same model where it is installed; and the peak memory of mapping an 8192² and a 32768² slide (growth at most 20 %).

    python bench/slides.py                 # all of it (about 10 minutes on two CPU cores)
    python bench/slides.py --no-memory     # the speeds alone (8192² and 32768²)
    python bench/slides.py --no-memory --no-wsi   # the speeds on the 8192² slide alone
    TIATOOLBOX_PYTHON=/work/tiavenv/bin/python python bench/slides.py   # (c) from a Python that has tiatoolbox

The model is `resnet18` (from scratch, untrained: speed does not depend on the weights) on 64 px tiles; the slides are
`make_slide`'s (SYNTHETIC, JPEG-compressed pyramidal TIFFs, half tissue). Threads: `--threads` (default 2).
`--precision` is histofast slide's (default auto: bfloat16 on a GPU that has it or a CPU with AMX or AVX-512 BF16, else float32); (b)
runs in the same precision (and in float32 for reference); (a) is `learn.predict` as users call it, in float32. On a CPU
with an int8 engine, histofast slide --precision int8 (`histofast.int8`) is timed too, in the same run, against the same naive loop.
"""
import argparse, json, os, resource, shutil, subprocess, sys, tempfile, time, warnings
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve()


def learner(tmp, size=64):
    "An untrained resnet18 learner for `size` px tiles of the synthetic sample's five classes."
    from histofast.all import make_sample, histo_dls, histo_learner
    dls = histo_dls(make_sample(tmp/f'sample{size}', n_per_class=8, size=size, progress=False), size=size, bs=64, num_workers=0, norm='dataset')
    learn = histo_learner(dls, 'resnet18', pretrained=False)
    learn.model.eval()
    return learn


def timed(f, *args, **kwargs):
    start = time.perf_counter(); out = f(*args, **kwargs)
    return out, time.perf_counter() - start


def naive(learn, slide, xy, size):
    "One region read, then `learn.predict`, per tile."
    from fastai.vision.all import PILImage
    with learn.no_bar(), learn.no_logging():
        for x, y in xy: learn.predict(PILImage.create(slide.read(x, y, size, size)))


def in_memory(learn, x_uint8, bs=64, precision='auto'):
    "Seconds of the model alone on tiles already in memory (uint8, N×3×H×W, on the model's device): normalise a batch, run it, at `precision` as histofast slide runs it (int8: calibrated on 256 of the tiles first, not timed)."
    from fastai.vision.all import Pipeline, TensorImage
    import torch
    tfms = Pipeline(list(learn.dls.valid.after_batch.fs), split_idx=1)
    def run(p):
        with torch.inference_mode():
            for i in range(0, len(x_uint8), bs):
                xb = tfms(TensorImage(x_uint8[i:i+bs]))
                learn.model(xb if p == 'fp32' else xb.contiguous(memory_format=torch.channels_last)).float().softmax(-1)
            if x_uint8.is_cuda: torch.cuda.synchronize()
    context = (learn.int8_inference(tfms(TensorImage(x_uint8[:256])).as_subclass(torch.Tensor)) if precision == 'int8' else
               learn.inference_autocast(precision, x_uint8.shape[-1]))
    with context as p: return timed(run, p)[1]


def tiatoolbox_speed(python, slide, learn, n, size, threads, tmp):
    "Tiles per second of TIAToolbox's patch predictor with the same model (weights, normalisation), in a Python that has it."
    import torch
    torch.save(learn.model.state_dict(), tmp/'weights.pth')
    mean, std = (learn.dls.histofast.get(k) for k in ('mean', 'std'))
    job = json.dumps(dict(slide=str(slide), weights=str(tmp/'weights.pth'), n=n, size=size, mean=mean, std=std, classes=len(learn.dls.vocab), mpp=0.5, workers=os.cpu_count()))
    r = subprocess.run([python, str(HERE), '--tia-child', job], capture_output=True, text=True,
                       env={**os.environ, 'OMP_NUM_THREADS': str(threads)}, timeout=1800)
    line = [l for l in r.stdout.splitlines() if l.startswith('TIA ')]
    return json.loads(line[-1][4:]) if line else {'error': (r.stderr.strip().splitlines() or ['no output'])[-1][:300]}


def tia_child(job):
    "In a Python with tiatoolbox: its patch predictor over the whole slide (its own tissue mask; tiles of `size` at full resolution), the same model."
    import torch, tiatoolbox
    from tiatoolbox.models.engine.patch_predictor import PatchPredictor
    from tiatoolbox.models.models_abc import ModelABC
    sys.path.insert(0, str(HERE.parent.parent))  # histofast of this checkout: the same network
    from histofast.backbones import histo_model
    net = histo_model('resnet18', job['classes'], pretrained=False)[0]
    net.load_state_dict(torch.load(job['weights'], weights_only=True))
    mean, std = (torch.tensor(v, dtype=torch.float32).view(1, 3, 1, 1) for v in (job['mean'], job['std']))
    class Model(ModelABC):
        def __init__(self): super().__init__(); self.net = net.eval()
        def forward(self, x): return self.net(x)
        @staticmethod
        def infer_batch(model, batch_data, *, device='cpu'):
            x = torch.as_tensor(batch_data).to(device=device, dtype=torch.float32).permute(0, 3, 1, 2)/255
            with torch.inference_mode(): return model((x - mean)/std).softmax(-1).cpu().numpy()
    predictor = PatchPredictor(model=Model(), batch_size=64, num_workers=int(job.get('workers', 1)), device='cpu', verbose=False)
    start = time.perf_counter()
    out = predictor.run([Path(job['slide'])], patch_mode=False, input_resolutions=[{'units': 'mpp', 'resolution': job['mpp']}],
                        patch_input_shape=(job['size'], job['size']), stride_shape=(job['size'], job['size']),
                        save_dir=Path(job['weights']).parent/'tia', overwrite=True, output_type='zarr', auto_get_mask=True)
    seconds = time.perf_counter() - start
    import zarr
    store = zarr.open(str(list(out.values())[0] if isinstance(out, dict) else out), mode='r')
    n = store['probabilities'].shape[0] if 'probabilities' in store else store['coordinates'].shape[0]
    print('TIA ' + json.dumps(dict(version=tiatoolbox.__version__, tiles=int(n), seconds=seconds)))


def peak_memory(slide, size, threads):
    "Peak resident memory (MB) of mapping `slide` in a fresh process: the main process, and the largest reader worker."
    r = subprocess.run([sys.executable, str(HERE), '--memory-child', str(slide), str(size)], capture_output=True, text=True,
                       env={**os.environ, 'OMP_NUM_THREADS': str(threads)}, timeout=3000)
    line = [l for l in r.stdout.splitlines() if l.startswith('MEM ')]
    if not line: raise SystemExit(f"memory run failed: {r.stderr[-2000:]}")
    return json.loads(line[-1][4:])


def memory_child(slide, size):
    "Map `slide` with a `size` px model reading 64 px regions at full resolution; print the peak memory of this process and its workers."
    from histofast.maps import map_slide
    with tempfile.TemporaryDirectory() as tmp:
        learn = learner(Path(tmp), size)
        base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024
        try: Path('/proc/self/clear_refs').write_text('5')  # Linux: the peak (VmHWM) starts again from the memory in use now
        except OSError: pass
        with warnings.catch_warnings(), learn.no_bar():
            warnings.simplefilter('ignore')
            folder, seconds = timed(map_slide, learn, slide, Path(tmp)/'out', model_mpp=0.5*64/size)
        n = json.loads((folder/'slide.json').read_text())['n_tiles']
    import torch
    from fastai.vision.all import defaults
    status = Path('/proc/self/status').read_text() if Path('/proc/self/status').exists() else ''
    hwm = [int(l.split()[1])/1024 for l in status.splitlines() if l.startswith('VmHWM:')]  # the peak since clear_refs, MB
    print('MEM ' + json.dumps(dict(main_mb=hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss/1024, before_mb=base, tiles=n, seconds=seconds,
                                   readers=max(0, defaults.cpus - torch.get_num_threads()),  # slide_loader's default on the CPU
                                   worker_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--threads', type=int, default=2)
    p.add_argument('--no-memory', action='store_true')
    p.add_argument('--no-wsi', action='store_true', help='skip the speeds on the 32768² slide')
    p.add_argument('--naive-tiles', type=int, default=200)
    p.add_argument('--precision', default='auto', help="histofast slide's (auto, bf16, fp32); (b) runs in the same")
    p.add_argument('--memory-child', nargs=2)
    p.add_argument('--tia-child')
    a = p.parse_args()
    if a.memory_child: return memory_child(Path(a.memory_child[0]), int(a.memory_child[1]))
    if a.tia_child: return tia_child(json.loads(a.tia_child))
    import torch
    torch.set_num_threads(a.threads)
    tmp = Path(tempfile.mkdtemp(prefix='bench-slides-'))
    try: run(a, tmp)
    finally: shutil.rmtree(tmp, ignore_errors=True)


def run(a, tmp):
    import torch
    from histofast.sample import make_slide
    from histofast.slides import Slide, slide_loader, tile_probabilities
    from histofast.maps import map_slide
    from histofast.learner import inference_precision
    from histofast.int8 import int8_engine
    slide, t_make = timed(make_slide, tmp/'slide8192.tif', size=8192, cell=64)
    print(f"synthetic slide 8192² written in {t_make:.1f} s ({slide.stat().st_size/1e6:.0f} MB)")
    learn = learner(tmp)
    with warnings.catch_warnings(), learn.no_bar():
        warnings.simplefilter('ignore')
        folder, t_slide = timed(map_slide, learn, slide, tmp/'out', precision=a.precision)
    info = json.loads((folder/'slide.json').read_text())
    n = info['n_tiles']
    ours = n/t_slide
    tiles = __import__('pandas').read_csv(folder/'tiles.csv')
    xy = tiles[['x', 'y']].to_numpy()
    s = Slide(slide)
    # the inference alone (no mask, no figures), the same tiles
    device = next(learn.model.parameters()).device
    prec = inference_precision(a.precision, device, 64)
    with learn.no_bar(): _, t_inf = timed(tile_probabilities, learn, slide_loader(learn, s, xy, 64, 64), precision=a.precision)
    # (a) naive
    k = min(a.naive_tiles, n)
    _, t_naive = timed(naive, learn, s, xy[:k], 64)
    # (b) in memory: the first 4096 tiles read once, then the model alone
    m = min(4096, n)
    x = torch.from_numpy(np.stack([s.read(x_, y_, 64, 64) for x_, y_ in xy[:m]])).permute(0, 3, 1, 2).contiguous().to(device)
    t_mem = in_memory(learn, x, precision=prec)
    t_mem32 = in_memory(learn, x, precision='fp32') if prec != 'fp32' else t_mem
    rows = [(f'histofast slide ({prec}; map_slide: mask, inference, maps, figures, GeoJSON)', n, t_slide),
            ('  its inference alone (slide_loader + get_preds)', n, t_inf),
            ('(a) naive loop: read a region, learn.predict, per tile', k, t_naive),
            (f'(b) the model on tensors already in memory ({prec}, as histofast slide)', m, t_mem)]
    if prec != 'fp32': rows.append(('    the same in fp32', m, t_mem32))
    int8 = device.type == 'cpu' and int8_engine()
    if int8:  # histofast slide --precision int8, in the same run
        with warnings.catch_warnings(), learn.no_bar():
            warnings.simplefilter('ignore')
            folder8, t_slide8 = timed(map_slide, learn, slide, tmp/'out8', precision='int8')
            _, t_inf8 = timed(tile_probabilities, learn, slide_loader(learn, s, xy, 64, 64), precision='int8')
        agreement, t_mem8 = json.loads((folder8/'slide.json').read_text())['int8_agreement'], in_memory(learn, x, precision='int8')
        rows += [('histofast slide --precision int8 (the same, its body in int8)', n, t_slide8), ('  its inference alone', n, t_inf8),
                 ('(b) the model on tensors already in memory, int8', m, t_mem8)]
    print(f"\n8192×8192 slide, {n} tissue tiles of 64 px, resnet18, {torch.cuda.get_device_name() if device.type == 'cuda' else 'CPU'}, {a.threads} CPU thread(s); histofast slide's precision: {a.precision} = {prec}")
    print(f"{'':72} {'tiles':>7} {'s':>7} {'tiles/s':>8}")
    for name, count, t in rows: print(f"{name:72} {count:7d} {t:7.1f} {count/t:8.1f}")
    print(f"\nhistofast slide / naive loop: {ours/(k/t_naive):.1f}× (target ≥ 20×); the ceiling, the model alone on tensors in memory / "
          f"naive loop: {(m/t_mem)/(k/t_naive):.1f}×")
    print(f"histofast slide inference / model on tensors in memory: {(n/t_inf)/(m/t_mem):.0%} (target ≥ 70 %); "
          f"whole map_slide: {ours/(m/t_mem):.0%}")
    if int8:
        print(f"histofast slide --precision int8 / naive loop: {(n/t_slide8)/(k/t_naive):.1f}× (target ≥ 20×); its inference / the int8 model on "
              f"tensors in memory: {(n/t_inf8)/(m/t_mem8):.0%}; int8 gave the float model's class to {agreement:.1%} of the tiles it checked "
              "(an untrained model: near ties; see nbs/19a_maps.ipynb for a trained one)")
    tia = os.environ.get('TIATOOLBOX_PYTHON')
    try: import tiatoolbox  # noqa: F401
    except ImportError: tia = tia or None
    else: tia = tia or sys.executable
    if not tia: print("(c) TIAToolbox: not installed here (set TIATOOLBOX_PYTHON to a Python that has it)")
    else:
        r = tiatoolbox_speed(tia, slide, learn, n, 64, a.threads, tmp)
        print(f"(c) TIAToolbox {r.get('version', '')} patch predictor, the same model on the same slide: " +
              (f"{r['tiles']} tiles in {r['seconds']:.1f} s, {r['tiles']/r['seconds']:.1f} tiles/s; histofast slide is {ours/(r['tiles']/r['seconds']):.1f}× it"
               if 'tiles' in r else f"failed: {r['error']}"))
    big = None
    if not a.no_wsi:  # a slide of a whole slide's size: the fixed costs of a slide (mask, calibration, figures) spread over 16× the tiles
        big, t_big = timed(make_slide, tmp/'slide32768.tif', size=32768, cell=64)
        print(f"\nsynthetic slide 32768² (16×16 mm at 0.5 µm/px, as much tissue as a whole slide holds) written in {t_big:.0f} s ({big.stat().st_size/1e6:.0f} MB)")
        for p in [a.precision] + (['int8'] if int8 else []):
            with warnings.catch_warnings(), learn.no_bar():
                warnings.simplefilter('ignore')
                folder_w, t_w = timed(map_slide, learn, big, tmp/f'wsi-{p}', precision=p)
            n_w = json.loads((folder_w/'slide.json').read_text())['n_tiles']
            print(f"  histofast slide --precision {p}: {n_w} tiles in {t_w:.1f} s, {n_w/t_w:.0f} tiles/s: {(n_w/t_w)/(k/t_naive):.1f}× the naive loop (target ≥ 20×)")
            shutil.rmtree(folder_w)
    if a.no_memory: return
    if big is None:
        big, t_big = timed(make_slide, tmp/'slide32768.tif', size=32768, cell=64)
        print(f"\nsynthetic slide 32768² written in {t_big:.0f} s ({big.stat().st_size/1e6:.0f} MB)")
    print("\npeak memory, a fresh process each, a 16 px model on 64 px regions (the same streaming, 4× less work per tile):")
    mems = {name: peak_memory(path, 16, a.threads) for name, path in (('8192²', slide), ('32768²', big))}
    for name, r in mems.items():
        print(f"  {name:7} {r['tiles']:7d} tiles in {r['seconds']:6.1f} s: main process {r['main_mb']:6.0f} MB "
              f"(the peak while it maps; before it, {r['before_mb']:.0f} MB), " +
              (f"largest reader worker {r['worker_mb']:.0f} MB" if r['readers'] else "no reader workers (the model's threads take every core: tiles read in the main process)"))
    small, large = mems['8192²'], mems['32768²']
    print(f"growth from 8192² to 32768² (16× the pixels): main {large['main_mb']/small['main_mb'] - 1:+.0%}" +
          (f", worker {large['worker_mb']/small['worker_mb'] - 1:+.0%}" if small['readers'] else '') + " (target ≤ +20 %)")


if __name__ == '__main__': main()
