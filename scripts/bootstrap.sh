#!/usr/bin/env bash
# Installs what Pike needs on a fresh Debian machine; a no-op when everything is present.
set -euo pipefail

packages=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libgtest-dev libgemmlowp-dev ninja-build cmake g++
  clang-22 libclang-rt-22-dev libomp-22-dev
  python3-numpy python3-onnx python3-torch python3-torchvision python3-matplotlib python3-sklearn
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "bootstrap: installing ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
