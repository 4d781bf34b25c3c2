"""Training on several processes with Hugging Face Accelerate, shown on two CPU processes (gloo), no GPU needed.

    python bench/distributed.py     # launches itself: ACCELERATE_USE_CPU=True accelerate launch --multi_gpu --num_processes 2

(`accelerate launch --cpu --num_processes 2` starts a single process unless MPI is set up (`--mpirun_hostfile`);
the `--multi_gpu` launcher (torchrun) with `ACCELERATE_USE_CPU=True` starts two CPU processes that talk through gloo.)

Each process trains the same learner through a histofast recipe (`fit_scratch`: the recipes run their stages inside
fastai's `distrib_ctx`), on its half of every batch; gradients are averaged across processes by
`DistributedDataParallel`. The script prints, per process, how many training batches and images it saw, and checks
that the weights are the same in both processes at the end (the point of data-parallel training), and that only the
first process wrote the checkpoint. On GPUs it is the same command without `--cpu`, or `histofast train` under
`accelerate launch -m histofast.cli train ...`.
"""
import os, subprocess, sys, tempfile
from pathlib import Path


def launch():
    tmp = Path(tempfile.mkdtemp())
    cmd = ['accelerate', 'launch', '--multi_gpu', '--num_processes', '2', '--num_machines', '1', '--mixed_precision', 'no',
           '--dynamo_backend', 'no', __file__, str(tmp)]
    print('$ ACCELERATE_USE_CPU=True', ' '.join(cmd), flush=True)
    env = dict(os.environ, OMP_NUM_THREADS='1', ACCELERATE_USE_CPU='True')  # MULTI_CPU: gloo between processes
    accelerate = Path(sys.executable).parent/'accelerate'
    r = subprocess.run([str(accelerate)] + cmd[1:], env=env)
    raise SystemExit(r.returncode)


def train(tmp):
    import torch
    from histofast.core import seed_everything
    from histofast.sample import make_sample
    from histofast.data import histo_dls
    from histofast.learner import histo_learner
    from histofast.recipes import fit_scratch, undistributed
    from fastai.vision.all import Callback, rank_distrib, num_distrib
    import torch.distributed as dist

    class Count(Callback):
        def before_fit(self): self.batches, self.images = 0, 0
        def after_batch(self):
            if self.training: self.batches += 1; self.images += len(self.yb[0])

    rank = rank_distrib()
    if rank == 0: make_sample(tmp/'sample', n_per_class=24, size=32, progress=False)
    else:
        while not (tmp/'sample/sample.json').exists(): __import__('time').sleep(0.2)
    seed_everything(0)
    dls = histo_dls(tmp/'sample', bs=16, split='random', num_workers=0)
    learn = histo_learner(dls, 'resnet18', pretrained=False)
    count = Count()
    with learn.no_bar(), learn.no_logging():
        fit_scratch(learn, epochs=2, lr=1e-3, checkpoint=tmp/'checkpoint.pth', cbs=[count])
    # the weights after training, gathered from every process
    flat = torch.cat([p.detach().flatten() for p in learn.model.parameters()])
    gathered = [torch.zeros_like(flat) for _ in range(num_distrib())]
    dist.all_gather(gathered, flat)
    print(f'process {rank} of {num_distrib()} ({dist.get_backend()}): {count.batches} batches, {count.images} images '
          f'in 2 epochs (the training set has {len(dls.train_ds)} images)', flush=True)
    dist.barrier()
    if rank == 0:
        same = all(torch.equal(gathered[0], g) for g in gathered[1:])
        print(f'weights identical in all processes: {same}; checkpoint written by process 0: {(tmp/"checkpoint.pth").exists()}')
        with undistributed(): print(f'validation accuracy: {learn.validate()[1]:.3f} (synthetic sample, 2 epochs)')
        if not same: raise SystemExit(1)


if __name__ == '__main__':
    if len(sys.argv) == 1: launch()
    else: train(Path(sys.argv[1]))
