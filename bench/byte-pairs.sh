#!/usr/bin/env bash
# Sub-8-bit dense layers and whole w4a4/w8a8 networks on byte pairs against
# i16 pairs (bench/byte_pairs.py). Not a test: record its tables in
# bench/RESULTS.md.
# Usage: bash bench/byte-pairs.sh [repeats [rounds [target]]]
# PIKE_SIGNED=1 times the layers on signed inputs instead (read flipped).
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python"
exec scripts/python bench/byte_pairs.py --repeats "${1:-50}" --rounds "${2:-5}" \
  --target "${3:-host}" ${PIKE_SIGNED:+--signed}
