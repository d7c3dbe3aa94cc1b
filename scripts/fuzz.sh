#!/usr/bin/env bash
# Runs Pike's libFuzzer targets for a bounded time each (default 60 s; CI
# uses the default, `bash scripts/fuzz.sh 3600` is the long run), seeded from
# the test suites: pike-fuzz-mlir (parser, verifiers, quantize pipeline,
# ACEv2, lowering to LLVM, the CPU pipeline for both kernel targets),
# pike-fuzz-onnx (the C++ ONNX import of the generic form, then the quantize
# pipeline) and pike-fuzz-npy (the .npy reader). Builds them in
# ${PIKE_SANITIZE_DIR:-build-sanitize} with ASan + UBSan (scripts/sanitize.sh
# configures it). A crash or sanitizer report fails the run and leaves the
# input as build-sanitize/fuzz/<target>/crash-*; docs/Robustness.md says how
# to turn it into a regression test.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
# A fixed seed by default, so that a run (and CI's) can be repeated;
# PIKE_FUZZ_SEED=0 lets libFuzzer pick one.
seed=${PIKE_FUZZ_SEED:-1}
build_dir=${PIKE_SANITIZE_DIR:-build-sanitize}
if [ ! -f "$build_dir/build.ninja" ]; then
  PIKE_SANITIZE_DIR="$build_dir" bash scripts/sanitize.sh
fi
cmake --build "$build_dir" --target pike-fuzz-mlir pike-fuzz-onnx pike-fuzz-npy
export ASAN_OPTIONS=detect_leaks=0:allow_user_poisoning=0:verify_asan_link_order=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
bin="$(cd "$build_dir" && pwd)/bin"
work="$build_dir/fuzz"
mkdir -p "$work/mlir/corpus" "$work/onnx/corpus" "$work/npy/corpus"

# Seeds: every MLIR test input; the generic ONNX form of the lit tests and of
# the ONNX models the Python tests build; valid and malformed .npy files.
find test examples -name '*.mlir' -size -64k -exec cp {} "$work/mlir/corpus/" \;
cp test/Conversion/OnnxToPike/*.mlir "$work/onnx/corpus/"
onnx_corpus="$(cd "$work/onnx/corpus" && pwd)"
(cd python && ../scripts/python - "$onnx_corpus" <<'PY'
import os, sys
import numpy as np
from pike import onnx_import
from tests import test_onnx_mutations as mutations
for i, model in enumerate(mutations.base_models()):
    with open(os.path.join(sys.argv[1], f"model{i}.mlir"), "w") as f:
        f.write(onnx_import.generic_form(model))
PY
)
PYTHONPATH=python scripts/python - "$work/npy/corpus" <<'PY'
import os, sys
import numpy as np
out = sys.argv[1]
rng = np.random.default_rng(0)
for i, dtype in enumerate(["int8", "uint8", "int16", "int32", "int64", "float32", "float64", "bool"]):
    np.save(os.path.join(out, f"seed{i}.npy"), rng.integers(0, 2, size=(2, 3)).astype(dtype))
np.save(os.path.join(out, "scalar.npy"), np.float32(1.5))
# A NumPy-valid version 2 header of 64 KiB, which std::regex once overflowed on.
header = b"{'descr': '<i4', 'fortran_order': False, 'shape': (2,), }"
header += b" " * (65536 - 12 - len(header) - 1) + b"\n"
with open(os.path.join(out, "long-header.npy"), "wb") as f:
    f.write(b"\x93NUMPY\x02\x00" + len(header).to_bytes(4, "little") + header)
    f.write(np.array([1, 2], "<i4").tobytes())
PY
for kind in huge-dim huge-itemsize int128 zero-itemsize negative-dim count-overflow; do
  scripts/python test/Integration/Inputs/malformed_npy.py "$kind" "$work/npy/corpus/$kind.npy"
done

# Each fuzzer is one process on one core: two run at a time, so that the
# four take two rounds of SECONDS rather than four.
fuzz_target() {
  local target=$1
  # .npy headers may be long (version 2 and 3 allow up to 4 GiB).
  local max_len=()
  [ "$target" = npy ] && max_len=(-max_len=1048576)
  (cd "$work/$target" && "$bin/pike-fuzz-$target" corpus "${max_len[@]}" \
     -max_total_time="$seconds" -seed="$seed" -timeout=20 -rss_limit_mb=6000 \
     -print_final_stats=1 > fuzz.log 2>&1)
}
# Names from a model through import, compile and the C compiler, then a
# call of every entry point (python/tests/fuzz_names.py); on the normal
# build, since it drives the tools and cc.
fuzz_names() {
  PYTHONPATH=python PIKE_OPT="$(pwd)/${PIKE_BUILD_DIR:-build}/bin/pike-opt" \
    scripts/python -m tests.fuzz_names --seconds "$seconds" --seed "$seed" \
    > "$work/names.log" 2>&1
}
report() {
  local target=$1 ok=$2 log="$work/$1/fuzz.log"
  echo "== fuzz pike-fuzz-$target for ${seconds}s"
  if [ "$ok" = 0 ]; then
    grep '^stat::' "$log" || true
  else
    # The report (sanitizer error and stack), not libFuzzer's chatter.
    { sed -n '/ERROR:\|runtime error\|==ERROR\|deadly signal\|Timeout\|out-of-memory/,$p' "$log" |
        head -n 60; } || true
    echo "pike-fuzz-$target: FAILED (input in $work/$target/crash-*, log in $log)"
    status=1
  fi
}

status=0
# A fuzzer still running when the script stops (an error, ^C) stops too.
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT
fuzz_target mlir & mlir=$!
fuzz_target onnx & onnx=$!
ok=0; wait $mlir || ok=$?; report mlir $ok
ok=0; wait $onnx || ok=$?; report onnx $ok
fuzz_target npy & npy=$!
names_ok=0; fuzz_names || names_ok=$?
ok=0; wait $npy || ok=$?; report npy $ok
echo "== fuzz model names for ${seconds}s"
cat "$work/names.log"
if [ "$names_ok" != 0 ]; then
  echo "fuzz_names: FAILED"
  status=1
fi
exit $status
