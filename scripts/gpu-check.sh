#!/usr/bin/env bash
# On a machine with an NVIDIA GPU (and the CUDA toolkit in /usr/local/cuda):
# set up, build, then run every example with and without checkpointing on
# the GPU and the CPU; prints step time, peak device bytes and whether the
# GPU results match the CPU's. A few minutes.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
"$root/scripts/bootstrap.sh"
ninja -C "$build" ckpt_cuda_runtime
python3 "$root/scripts/gpu-check.py" --build "$build" "$@"
