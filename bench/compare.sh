#!/usr/bin/env bash
# Pike's compiled MobileNetV1 side by side with PyTorch int8 on oneDNN, per
# layer and whole (bench/compare_onednn.py). Not a test: record its report in
# bench/RESULTS.md. Usage: bash bench/compare.sh [repeats [threads [whole-network thread
# counts, e.g. 1,2]]]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python:$PWD/bench"
exec scripts/python bench/compare_onednn.py --repeats "${1:-20}" --threads "${2:-1}" \
  --whole-threads "${3:-1,2}"
