#!/usr/bin/env bash
# Pike side by side with PyTorch int8 (oneDNN), onnxruntime, OpenVINO and IREE
# on MobileNetV1/V2 and ResNet-18/50 (bench/peers.py), 1 and 2 threads. Not a
# test: record its report in bench/RESULTS.md. Usage: bash bench/peers.sh [repeats]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python:$PWD/bench"
exec scripts/python bench/peers.py --repeat "${1:-20}" --json bench/results/peers.json \
  --chart docs/images/peers.png
