#!/usr/bin/env bash
# Set up, build, and run the whole lit suite (ends with lit's summary).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
# The gradient oracle compares with Debian's PyTorch (python3-torch); the
# distributed tests run under Open MPI and MPICH; the Pareto plot's
# screenshot test renders with headless Chromium and reads the PNG with Pillow.
CKPT_EXTRA_PACKAGES="python3-torch python3-numpy openmpi-bin libopenmpi-dev mpich libmpich-dev chromium python3-pil fonts-dejavu-core" "$root/scripts/bootstrap.sh"
# The PyTorch front end's tests run in the virtual environment of
# python/requirements-torch.lock (PyTorch 2.x and torch-mlir from pip, about
# 3 GB of wheels the first time, cached by the lock file's hash). Outside CI
# a machine that cannot make it skips those tests (lit says why); in CI
# (CI=true) the suite fails instead.
if venv_python="$("$root/scripts/torch-venv.sh" | tail -1)"; then
  export CKPT_TORCH_PYTHON="$venv_python"
elif [ "${CI:-}" = true ]; then
  echo "ckpt: the PyTorch front end's virtual environment could not be made (CI=true)" >&2
  exit 1
else
  echo "ckpt: no PyTorch front-end environment; its tests will be unsupported" >&2
fi
ninja -C "$build" check-ckpt
