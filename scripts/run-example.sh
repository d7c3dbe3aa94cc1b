#!/usr/bin/env bash
# The main job on the bundled example: install, build, then parse, verify and
# print the bundled MobileNet-style model with pike-opt.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh >/dev/null
build_dir=${PIKE_BUILD_DIR:-build}
model=${1:-examples/mobilenet_tiny.mlir}
"$build_dir/bin/pike-opt" "$model"
