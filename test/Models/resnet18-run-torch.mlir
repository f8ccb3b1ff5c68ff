// A loose sanity test of the converted, checkpointed ResNet-18 split pair
// (../shared/models, batch 1; skipped where absent) against a PyTorch
// ResNet-18 written in resnet18_torch_check.py: the same weights and inputs
// (an npz archive given to ckpt-run --inputs), float64 rounded to f16 where
// ByteIR's graph stores f16; the output and each of the 62 gradients have a
// cosine similarity of at least 0.97 with ckpt's (--outputs).
// Time: one checkpointed ckpt-run (about 3.2 CPU minutes) and PyTorch in
// float64 (seconds).
// REQUIRES: shared-models, torch
// RUN: python3 %ckpt_src_root/scripts/merge-split-pair.py %shared_models/resnet18_fwd.mlir %shared_models/resnet18_bwd.mlir --step step > %t.pair.mlir
// RUN: %torch_python %S/resnet18_torch_check.py %t.pair.mlir --keep %t.dir | FileCheck %s

// CHECK: output: cosine
// CHECK-COUNT-62: grad {{.*}}: cosine
// CHECK: worst gradient cosine
// CHECK: PASS
