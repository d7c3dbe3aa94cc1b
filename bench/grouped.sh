#!/usr/bin/env bash
# Grouped 3x3 convolutions, Pike beside PyTorch's quantized conv op (bench/grouped_conv.py).
# Not a test: record its table in bench/RESULTS.md.
# Usage: bash bench/grouped.sh [repeats [rounds [pike-run to compare with]]]
# PIKE_LAYERS=depthwise times the depthwise layers instead; PIKE_WEIGHT_BITS=7 draws Pike's
# weights as onnxruntime's reduce_range writes them; PIKE_BEFORE_FLAGS="--byte-pairs=false"
# adds a side with those options.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python:$PWD/bench"
exec scripts/python bench/grouped_conv.py --repeats "${1:-50}" --rounds "${2:-3}" \
  --layers "${PIKE_LAYERS:-grouped}" --weight-bits "${PIKE_WEIGHT_BITS:-8}" \
  ${PIKE_BEFORE_FLAGS:+--before-flags="$PIKE_BEFORE_FLAGS"} \
  ${3:+--before "$3"}
