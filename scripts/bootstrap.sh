#!/usr/bin/env bash
# Installs what Pike needs on a fresh Debian machine: the apt packages, then
# the project's virtual environment .venv (Debian's /usr/bin/python3 with its
# system packages, plus the PyPI packages pinned in python/requirements.txt).
# A no-op when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
  libgtest-dev libgemmlowp-dev ninja-build cmake g++
  clang-22 libclang-rt-22-dev libomp-22-dev
  python3-numpy python3-onnx python3-torch python3-torchvision python3-matplotlib python3-sklearn
  python3-venv
  gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
)

missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -q
  "${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The virtual environment is made again, whole, when the pinned lists (or this
# script) change; the stamp records the hash of what it was made from.
venv=.venv
stamp=$venv/pike-requirements.sha256
want=$(cat python/requirements.txt python/constraints.txt scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then
  exit 0
fi

echo "bootstrap: making $venv from python/requirements.txt"
rm -rf "$venv"
/usr/bin/python3 -m venv --system-site-packages "$venv"
# --no-deps: the requirements list is the whole closure, so nothing reaches for
# another torch or numpy; the constraints make a list that asks for them fail.
"$venv/bin/python" -m pip install -q --no-deps --disable-pip-version-check \
  -r python/requirements.txt -c python/constraints.txt
"$venv/bin/python" - <<'PY'
import brevitas, numpy, onnx, onnxruntime, openvino, qonnx, torch
assert numpy.__version__ == "1.24.2", f"numpy {numpy.__version__}: not the ABI Debian's torch was built for"
assert torch.__version__.startswith("1.13"), f"torch {torch.__version__}: not Debian's"
assert torch.__file__.startswith("/usr/lib/python3/"), torch.__file__
assert onnx.defs.onnx_opset_version() >= 21, onnx.__version__
PY
echo "$want" > "$stamp"
