// REQUIRES: torch
// Tests that the residual MLP step bench/cpu_throughput.py measures is the
// exact gradient: 3 blocks, run through ckpt-run on npz inputs, loss and
// every dW within 1e-5 (relative to the largest element) of PyTorch autograd
// in float64, and bitwise equal with and without checkpointing.
//
// RUN: %torch_python %S/resmlp_oracle.py %ckpt_src_root %ckpt_obj_root/bin/ckpt-run %t | FileCheck %s

// CHECK-COUNT-4: within 1e-5, bitwise equal without checkpointing
// CHECK-NOT: OFF BY
// CHECK-NOT: DIFFERENT
