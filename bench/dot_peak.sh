#!/usr/bin/env bash
# One core's peak of 8-bit multiply-accumulates (bench/dot_peak.c), the
# ceiling for every convolution timed in bench/RESULTS.md. Not a test.
# Usage: bash bench/dot_peak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! grep -qw avx512_vnni /proc/cpuinfo; then
  echo "skipped: this CPU has no AVX-512 VNNI"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -mavx512f -mavx512bw -mavx512vnni bench/dot_peak.c -o "$out/dot_peak"
"$out/dot_peak"
