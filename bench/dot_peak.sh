#!/usr/bin/env bash
# One core's peak of 8-bit multiply-accumulates (bench/dot_peak.c), the
# ceiling for every convolution timed in bench/RESULTS.md; then which
# technique computes 1- to 8-bit dot products fastest (bench/lowbit_peak.c:
# one value per byte, ULPPACK-style packing, bit-serial popcounts, each
# checked exact before it is timed). Not a test.
# Usage: bash bench/dot_peak.sh   (CHANNELS=1024 for a longer tile)
set -euo pipefail
cd "$(dirname "$0")/.."
if ! grep -qw avx512_vnni /proc/cpuinfo; then
  echo "skipped: this CPU has no AVX-512 VNNI"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
flags="-mavx512f -mavx512bw -mavx512vl -mavx512vnni -mavx512dq"
cc -O2 $flags bench/dot_peak.c -o "$out/dot_peak"
# -O3 keeps each tile's accumulators in registers (at -O2 they went to memory).
cc -O3 ${CHANNELS:+-DCHANNELS=$CHANNELS} $flags bench/lowbit_peak.c -o "$out/lowbit_peak"
"$out/dot_peak"
echo
"$out/lowbit_peak"
