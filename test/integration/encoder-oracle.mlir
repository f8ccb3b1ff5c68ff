// Two transformer encoder blocks (examples/gen_train_step.py encoder: layer
// norm, Q/K/V, scaled dot-product attention with softmax, residual, layer
// norm, MLP with exact GELU and dropout whose mask is a stateless hash of
// (block, element index), residual; one region per block), compiled for the
// CPU and run: loss and the 12 weight gradients match PyTorch's, and
// checkpointing (which recomputes the mask) changes them by no bit.
// REQUIRES: torch
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py encoder --layers 2 --batch 8 --width 16 > %t.mlir
// RUN: ckpt-run %t.mlir > %t.ckpt
// RUN: %torch_python %S/torch_oracle.py encoder:2:8:16 %t.ckpt | FileCheck %s
// RUN: ckpt-run --no-checkpoint %t.mlir > %t.base
// RUN: grep '^result' %t.ckpt > %t.ckpt.r
// RUN: grep '^result' %t.base > %t.base.r
// RUN: diff %t.ckpt.r %t.base.r
// RUN: ckpt-opt %t.mlir -ckpt-rematerialize -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMAT

// CHECK-COUNT-13: ok
// CHECK: oracle: all results match
// The mask (an i1 tensor the backward reads) is recomputed, not stored.
// REMAT: checkpointed region 'blocks.0': drops 12 values
// REMAT: checkpointed region 'blocks.1': drops 13 values
