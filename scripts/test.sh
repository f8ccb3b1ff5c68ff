#!/usr/bin/env bash
# Set up, build, and run the whole lit suite (ends with lit's summary).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
"$root/scripts/bootstrap.sh"
ninja -C "$build" check-ckpt
