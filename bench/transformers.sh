#!/usr/bin/env bash
# Transformers beside onnxruntime (bench/transformers.py), one thread each.
# Not a test: record its table in bench/RESULTS.md.
# Usage: bash bench/transformers.sh [repeat [rounds]]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python:$PWD/bench"
export OMP_NUM_THREADS=1
exec scripts/python bench/transformers.py --repeat "${1:-20}" --rounds "${2:-3}"
