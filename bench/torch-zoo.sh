#!/usr/bin/env bash
# torchvision's quantizable models through Pike beside PyTorch int8 (bench/torch_zoo.py).
# Not a test: record its table in docs/Frontends.md. About 10 minutes on 2 cores.
# Usage: bash bench/torch-zoo.sh [model ...] [--repeat N] [--resolution R] [--json F]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
export PATH="$PWD/$build_dir/bin:$PATH" PYTHONPATH="$PWD/python:$PWD/bench"
exec scripts/python bench/torch_zoo.py "$@"
