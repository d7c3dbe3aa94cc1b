#!/usr/bin/env bash
# Depthwise-separable blocks as one kernel beside two (bench/separable_blocks.py).
# Not a test: record its table in bench/RESULTS.md.
# Usage: bash bench/separable.sh [repeats [rounds [threads]]]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python"
exec scripts/python bench/separable_blocks.py --repeats "${1:-50}" --rounds "${2:-5}" \
  --threads "${3:-1,2}"
