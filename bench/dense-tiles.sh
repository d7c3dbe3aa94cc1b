#!/usr/bin/env bash
# The dense kernel's register tiles side by side (bench/dense_tiles.py).
# Not a test: record its table in bench/RESULTS.md.
# Usage: bash bench/dense-tiles.sh [repeats [rounds [tiles [target [pike-run to compare with]]]]]
# PIKE_WEIGHT_BITS=7 draws the weights as onnxruntime's reduce_range writes them.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python"
exec scripts/python bench/dense_tiles.py --repeats "${1:-50}" --rounds "${2:-5}" \
  --tiles "${3-4x4,4x1,2x2,6x1}" --target "${4:-host}" \
  --weight-bits "${PIKE_WEIGHT_BITS:-8}" ${5:+--before "$5"}
