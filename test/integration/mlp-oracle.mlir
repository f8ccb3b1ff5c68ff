// The bundled example, compiled for the CPU and run, against PyTorch
// (Debian's python3-torch) on the same inputs; see torch_oracle.py for the
// tolerance. Checkpointed and not, both must match.
// REQUIRES: torch
// RUN: ckpt-run %ckpt_src_root/examples/mlp_train_step.mlir > %t.ckpt
// RUN: %torch_python %S/torch_oracle.py mlp3 %t.ckpt | FileCheck %s
// RUN: ckpt-run --no-checkpoint %ckpt_src_root/examples/mlp_train_step.mlir > %t.base
// RUN: %torch_python %S/torch_oracle.py mlp3 %t.base | FileCheck %s

// CHECK-COUNT-4: ok
// CHECK: oracle: all results match
