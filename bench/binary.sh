#!/usr/bin/env bash
# Binary (+-1) layers: the XOR-popcount kernel beside the byte kernels
# (bench/binary_layers.py). Not a test: record its table in bench/RESULTS.md.
# Usage: bash bench/binary.sh [repeats [rounds [target]]]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python"
exec scripts/python bench/binary_layers.py --repeats "${1:-50}" --rounds "${2:-3}" \
  --target "${3:-host}"
