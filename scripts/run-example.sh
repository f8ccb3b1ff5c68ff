#!/usr/bin/env bash
# The main job on the bundled example: set up, build, then checkpoint every
# layer of a 3-layer MLP training step and print what was dropped and
# recomputed (remarks on stderr, rewritten IR on stdout).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
"$root/scripts/bootstrap.sh"

example="$root/examples/mlp_train_step.mlir"
echo "== ckpt-opt $example --ckpt-rematerialize --ckpt-verify --cse --canonicalize --ckpt-verify"
"$build/bin/ckpt-opt" "$example" \
  --ckpt-rematerialize --ckpt-verify --cse --canonicalize --ckpt-verify \
  2>&1
