#!/usr/bin/env bash
# The GPU half of the GPU check: on a machine with an NVIDIA GPU and its
# driver (no LLVM/MLIR needed), run what scripts/gpu-prepare.sh compiled
# into FOLDER; write OUT/gpu-check.json and OUT/gpu-check.md. Exits with
# status 2 at once when there is no usable driver or device. Minutes.
#   scripts/gpu-check.sh FOLDER OUT [--repeat N] [--timeout S]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ $# -lt 2 ]; then
  echo "usage: scripts/gpu-check.sh FOLDER OUT [--repeat N] [--timeout S]" >&2
  exit 64
fi
exec python3 "$root/scripts/gpu_check.py" "$@"
