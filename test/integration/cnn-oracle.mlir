// The small CNN of examples/gen_train_step.py (convolution, ReLU, max
// pooling, linear; one region each), compiled for the CPU and run: its
// gradients match PyTorch's, and checkpointing changes them by no bit.
// REQUIRES: torch
// RUN: python3 %ckpt_src_root/examples/gen_train_step.py cnn --layers 4 --batch 2 --width 10 > %t.mlir
// RUN: ckpt-run %t.mlir > %t.ckpt
// RUN: %torch_python %S/torch_oracle.py cnn:4:2:10 %t.ckpt | FileCheck %s
// RUN: ckpt-run --no-checkpoint %t.mlir > %t.base
// RUN: grep '^result' %t.ckpt > %t.ckpt.r
// RUN: grep '^result' %t.base > %t.base.r
// RUN: diff %t.ckpt.r %t.base.r

// CHECK-COUNT-3: ok
// CHECK: oracle: all results match
