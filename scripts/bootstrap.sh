#!/usr/bin/env bash
# Installs what ckpt needs from Debian's packages (when missing), configures
# and builds it in ./build. Safe to run again: it only installs what is
# missing and rebuilds what changed.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"

packages=(libmlir-22-dev mlir-22-tools llvm-22-dev llvm-22-tools
          cmake ninja-build g++ python3 libjemalloc-dev pkg-config
          coinor-libcbc-dev ${CKPT_EXTRA_PACKAGES:-})
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "ckpt: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

llvm=/usr/lib/llvm-22
if [ ! -f "$build/build.ninja" ]; then
  cmake -G Ninja -S "$root" -B "$build" \
    -DCMAKE_BUILD_TYPE=Release \
    -DMLIR_DIR="$llvm/lib/cmake/mlir" \
    -DLLVM_EXTERNAL_LIT="$llvm/bin/lit"
fi
ninja -C "$build" ckpt-opt ckpt_cpu_runtime ckpt-doc
