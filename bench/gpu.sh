#!/usr/bin/env bash
# The GPU figures of bench/stain.py and bench/slides.py, in one short run on a lent GPU machine (the workplace's
# device tool), which has torch but not fastai, OpenSlide or torchstain, and reaches no package index.
#
#   bash bench/gpu.sh fetch   # here, with pip's index: the wheels into .whl/ and the real tiles into .gpudata/ (both
#                             # ignored through .git/info/exclude; about 41 MB, under the 64 MiB a device call carries)
#   bash bench/gpu.sh run     # there: device run, carry [".whl", ".gpudata"], command "bash bench/gpu.sh run"
#                             # (about 5 minutes; the two reports land in $OUT)
# numba is not carried (llvmlite's wheel alone is 42 MB): there, Macenko's CPU rows run torch's passes, as they say.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

fetch() {
  grep -qsx '/.whl/' .git/info/exclude || echo '/.whl/' >> .git/info/exclude
  grep -qsx '/.gpudata/' .git/info/exclude || echo '/.gpudata/' >> .git/info/exclude
  rm -rf .whl && mkdir -p .whl .gpudata/kather2016 .gpudata/wsi
  # the versions of this checkout's .venv; fastprogress 1.0.3: the last without python-fasthtml and its tree
  $PY -m pip download -q --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
    --platform manylinux_2_28_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux1_x86_64 -d .whl fastai==2.8.12 fastcore==2.2.41 fastprogress==1.0.3 fasttransform==0.0.5 \
    plum-dispatch==2.9.0 beartype==0.23.1 fastdownload==0.0.8 openslide-python==1.4.7 openslide-bin==4.0.1.2 \
    torchstain==1.4.1 imagecodecs==2026.3.6
  cp -r ../shared/data/kather2016/tiles224 .gpudata/kather2016/
  cp ../shared/data/wsi/cmu_small_region.svs .gpudata/wsi/
  du -sh .whl .gpudata
}

run() {
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl
  export PYTHONPATH=/tmp/site:$PWD PYTHONUNBUFFERED=1 MPLBACKEND=Agg
  local out=${OUT:-/tmp/gpu-bench}; mkdir -p "$out"
  $PY -c "import torch; assert torch.cuda.is_available(), 'no GPU'; print(torch.__version__, torch.cuda.get_device_name())"
  timeout 200 $PY bench/stain.py --n 2048 --bs 256 --threads 16 --rounds 2 --gpu --data .gpudata 2>&1 | tee "$out/stain.txt"
  timeout 300 $PY bench/slides.py --no-memory --no-wsi --threads 16 --naive-tiles 400 2>&1 | tee "$out/slides.txt"
}

"${1:-run}"
