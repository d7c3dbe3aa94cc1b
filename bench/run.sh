#!/usr/bin/env bash
# Times MobileNetV1 (224x224, 1000 classes) inference with pike-run on this
# machine: the PikeLPN integer form (w4a4) and w8a8, one thread, batch 1,
# compilation excluded. Usage: bash bench/run.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
repeats=${1:-5}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PYTHONPATH=python
scripts/python -c "import numpy as np; np.save('$work/image.npy', np.random.default_rng(0).uniform(0, 1, (1, 224, 224, 3)).astype(np.float32))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for bits in 4 8; do
  scripts/python -m pike zoo mobilenetv1 --weight-bits $bits --act-bits $bits -o "$work/mnv1.mlir"
  "$build_dir/bin/pike-opt" "$work/mnv1.mlir" --pike-quantize-pipeline -o "$work/mnv1.int.mlir"
  printf 'MobileNetV1 w%sa%s integer form: ' $bits $bits
  "$build_dir/bin/pike-run" "$work/mnv1.int.mlir" --input="$work/image.npy" \
    --output="$work/out.npy" --repeat="$repeats" 2>&1 | sed 's/^time: //'
done
