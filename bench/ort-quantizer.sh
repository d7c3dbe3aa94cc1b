#!/usr/bin/env bash
# torchvision's float models quantized by onnxruntime's quantize_static, through Pike beside
# onnxruntime (bench/ort_quantizer.py): 7 models x 8 configurations.
# Not a test: record its table in docs/Frontends.md.
# Usage: bash bench/ort-quantizer.sh [model ...] [--repeat N] [--resolution R] [--json F]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python:$PWD/bench"
exec scripts/python bench/ort_quantizer.py "$@"
