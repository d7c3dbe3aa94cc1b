#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite: lit/FileCheck
# (including executed integration tests and the C API test), GoogleTest, the
# Python tests, and the embedding example built against an installed Pike.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
timed() {
  local start=$SECONDS
  "$@"
  echo "== test.sh: '$*' took $((SECONDS - start)) s"
}
timed bash scripts/bootstrap.sh
timed bash scripts/build.sh
build_dir=${PIKE_BUILD_DIR:-build}
timed cmake --build "$build_dir" --target check-pike

echo "== embedding: install Pike to a temporary prefix, build examples/embedding against it"
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build_dir" --prefix "$prefix" >/dev/null
cmake -G Ninja -S examples/embedding -B "$build_dir/embedding" \
  -DPike_DIR="$prefix/lib/cmake/pike" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$build_dir/embedding"
for model in model.mlir onnx-model.mlir; do
  "$build_dir/embedding/embed-pike" "examples/embedding/$model" \
    | /usr/lib/llvm-22/bin/FileCheck "examples/embedding/$model"
done
echo "embedding example: 2 passed, 0 failed"
