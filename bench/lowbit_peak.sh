#!/usr/bin/env bash
# Which technique computes sub-8-bit dot products fastest on one core
# (bench/lowbit_peak.c): one value per byte, ULPPACK-style packing, bit-serial
# popcounts; each checked exact before it is timed. Not a test.
# Usage: bash bench/lowbit_peak.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! grep -qw avx512_vnni /proc/cpuinfo; then
  echo "skipped: this CPU has no AVX-512 VNNI"
  exit 0
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O3 ${CHANNELS:+-DCHANNELS=$CHANNELS} -mavx512f -mavx512bw -mavx512vl -mavx512vnni -mavx512dq bench/lowbit_peak.c \
  -o "$out/lowbit_peak"
"$out/lowbit_peak"
