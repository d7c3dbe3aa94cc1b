#!/usr/bin/env bash
# The main job on the bundled example: install, build, take the bundled
# PikeLPN-style model from quantized-graph to integer form, and run it on the
# bundled image with pike-run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/build.sh >/dev/null
build_dir=${PIKE_BUILD_DIR:-build}
model=${1:-examples/mobilenet_tiny.mlir}
input=${2:-examples/mobilenet_tiny_input.npy}
out_dir="$build_dir/example"
mkdir -p "$out_dir"
name=$(basename "$model" .mlir)

echo "== $model: quantized-graph form -> integer form (pike-quantize-pipeline)"
"$build_dir/bin/pike-opt" "$model" --pike-quantize-pipeline -o "$out_dir/$name.int.mlir"
echo "   wrote $out_dir/$name.int.mlir"

echo "== pike-run on $input (integer form)"
"$build_dir/bin/pike-run" "$out_dir/$name.int.mlir" --input="$input"

echo "== ACEv2: the model as given (real batch-norm and scales) against its PikeLPN integer form"
"$build_dir/bin/pike" cost "$model" --compare --double-quantize --dq-bits 4 \
  --multiplier-bits 8 --json "$out_dir/$name.cost.json" --plot "$out_dir/$name.cost.png" \
  | grep -E '^(==|total|  G-ACE|wrote)'
