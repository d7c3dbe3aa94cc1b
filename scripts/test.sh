#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: lit/FileCheck
# and the GoogleTest unit tests. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh
build_dir=${PIKE_BUILD_DIR:-build}
cmake --build "$build_dir" --target check-pike
