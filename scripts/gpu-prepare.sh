#!/usr/bin/env bash
# The half of the GPU check that runs here (LLVM/MLIR 22 and the CUDA
# toolkit): build, then compile every example and runnable real graph, with
# and without checkpointing, to self-contained sm_90 executables plus the
# CPU results they must reproduce, into FOLDER (under 64 MiB); then carry
# FOLDER to the GPU machine and run scripts/gpu-check.sh FOLDER OUT there.
#   scripts/gpu-prepare.sh FOLDER [--quick] [--cpu-aot]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
if [ $# -lt 1 ]; then
  echo "usage: scripts/gpu-prepare.sh FOLDER [--quick] [--cpu-aot]" >&2
  exit 64
fi
folder="$1"
shift
"$root/scripts/bootstrap.sh"
ninja -C "$build" ckpt_cuda_runtime   # ckpt-run is configured by cmake
# The PyTorch twin's step is exported with the front end when its virtual
# environment can be made (scripts/torch-venv.sh); without it that case is
# left out.
if [ -z "${CKPT_TORCH_PYTHON:-}" ] && venv_python="$("$root/scripts/torch-venv.sh" | tail -1)"; then
  export CKPT_TORCH_PYTHON="$venv_python"
fi
exec python3 "$root/scripts/gpu_prepare.py" --build "$build" --out "$folder" "$@"
