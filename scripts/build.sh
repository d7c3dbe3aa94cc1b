#!/usr/bin/env bash
# Configures (once, and again when the Python interpreter scripts/python
# decides on has changed, e.g. after scripts/bootstrap.sh made .venv) and
# builds Pike into ${PIKE_BUILD_DIR:-build}.
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir=${PIKE_BUILD_DIR:-build}
python=$(env -u PIKE_PYTHON scripts/python -c "import sys; print(sys.executable)")
# clang-22 (which bootstrap installs for the sanitizer build) compiles Pike
# in about 0.85x g++'s time (552-595 s against 674 s in CI's build stage on
# 2 cores); CC or CXX in the environment keeps the user's compilers.
compilers=()
if [ -z "${CC:-}${CXX:-}" ] && command -v clang++-22 >/dev/null; then
  compilers=(-DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22)
fi
if [ ! -f "$build_dir/build.ninja" ]; then
  cmake -G Ninja -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Release "${compilers[@]}" \
    -DMLIR_DIR=/usr/lib/llvm-22/lib/cmake/mlir \
    -DLLVM_EXTERNAL_LIT=/usr/lib/llvm-22/bin/lit
elif ! grep -qx "PIKE_PYTHON:FILEPATH=.\+" "$build_dir/CMakeCache.txt" &&
     ! grep -qxF "PIKE_PYTHON_EXECUTABLE:INTERNAL=$python" "$build_dir/CMakeCache.txt"; then
  cmake -S . -B "$build_dir" >/dev/null
fi
cmake --build "$build_dir"
