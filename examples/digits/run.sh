#!/usr/bin/env bash
# Train to deploy on the 8x8 digits (docs/Tutorial.md): train a PikeLPN
# network with pike.torch, export it, import it, compile it to integer form
# (QuantNorm and Double Quantization, because the model says it was trained
# for them), run it on the test set with `pike run`, and compare with PyTorch.
# Pass --plain to train plain per-channel QAT instead (then add
# PIKE_RUN_OPTIONS="--double-quantize --dq-bits 4" to compile it with
# Double Quantization all the same).
set -euo pipefail
cd "$(dirname "$0")/../.."
build_dir=${PIKE_BUILD_DIR:-build}
if [ -z "${PIKE_NO_BUILD:-}" ]; then  # set by the test, which runs on a built tree
  bash scripts/bootstrap.sh
  bash scripts/build.sh >/dev/null
fi
out=${PIKE_DIGITS_DIR:-$build_dir/digits}
case $build_dir in /*) ;; *) build_dir="$PWD/$build_dir" ;; esac
export PATH="$build_dir/bin:$PATH" PYTHONPATH="$PWD/python" OMP_NUM_THREADS=1
python=scripts/python

$python examples/digits/digits.py train --out "$out" "$@"

echo "== pike import: QONNX model -> pike dialect (one batch of 360 images, and one image for costs)"
$python -m pike import "$out/digits.onnx" --batch 360 -o "$out/digits.mlir"
$python -m pike import "$out/digits.onnx" --batch 1 -o "$out/digits-1.mlir"
grep -o 'module attributes {[^}]*}' "$out/digits.mlir"

echo "== pike run: integer form of the test set"
# shellcheck disable=SC2086
$python -m pike run "$out/digits.mlir" --input "$out/test_x.npy" --output "$out/logits.npy" \
  ${PIKE_RUN_OPTIONS:-}
$python examples/digits/digits.py evaluate --out "$out"

echo "== ACEv2 of one image: real batch-norm and scales (as given) against the integer form"
# shellcheck disable=SC2086
$python -m pike cost "$out/digits-1.mlir" --compare ${PIKE_RUN_OPTIONS:-} \
  --json "$out/digits.cost.json" --plot "$out/digits.cost.png" | grep -E '^(==|total|  G-ACE|wrote)'
