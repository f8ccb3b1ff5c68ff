#!/usr/bin/env bash
# The main job on the bundled example: set up, build, checkpoint every layer
# of a 3-layer MLP training step and print what was dropped and recomputed
# (remarks), the rewritten IR and the memory report; then compile it for the
# CPU and run it with and without checkpointing: loss, gradient checksums
# and peak bytes allocated.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${CKPT_BUILD_DIR:-$root/build}"
"$root/scripts/bootstrap.sh"

example="$root/examples/mlp_train_step.mlir"
echo "== ckpt-opt $example --ckpt-rematerialize --ckpt-verify --cse --canonicalize --ckpt-verify"
"$build/bin/ckpt-opt" "$example" \
  --ckpt-rematerialize --ckpt-verify --cse --canonicalize --ckpt-verify \
  --ckpt-memory-report 2>&1
echo
echo "== ckpt-run $example    (checkpointed; result 0 is the loss)"
"$build/bin/ckpt-run" "$example"
echo
echo "== ckpt-run --no-checkpoint $example"
"$build/bin/ckpt-run" --no-checkpoint "$example"
