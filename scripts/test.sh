#!/usr/bin/env bash
# Set up, build, and run the whole lit suite (ends with lit's summary).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
# The gradient oracle compares with Debian's PyTorch (python3-torch); the
# distributed tests run under Open MPI and MPICH.
CKPT_EXTRA_PACKAGES="python3-torch python3-numpy openmpi-bin libopenmpi-dev mpich libmpich-dev" "$root/scripts/bootstrap.sh"
ninja -C "$build" check-ckpt
