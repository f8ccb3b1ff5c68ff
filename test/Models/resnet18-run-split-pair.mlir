// The real ResNet-18 split pair (../shared/models, batch 1; skipped where
// absent), merged into one module with a private @step running forward then
// backward, runs end to end on the CPU after ckpt-convert-byteir-kernels:
// unannotated (ckpt-drop-annotations) and with segments=sqrt +
// ckpt-rematerialize. run_resnet18.py asserts that the 63 results (the
// output, then 62 gradients) are bit-identical between the two runs, that
// each run's measured peak is within 5% of the memory report's estimate of
// the inlined step, and prints the report's recompute FLOPs (checked exactly:
// 3671428480, convolutions included now that they are linalg).
// Time: the two ckpt-runs run at once, about 2.1 CPU minutes each
// (mlir-runner's -O3 JIT compile of the whole inlined step is most of it;
// the steps themselves 10 s and 7 s): 4.3 minutes of wall time measured
// on 2 cores shared with other builds (23 minutes under a load of 12).
// The joint step (batch 4) runs in resnet18-run-joint.mlir;
// bench/resnet18_results.py records both in docs/results.md.
// REQUIRES: shared-models
// RUN: python3 %ckpt_src_root/scripts/merge-split-pair.py %shared_models/resnet18_fwd.mlir %shared_models/resnet18_bwd.mlir --step step > %t.pair.mlir
// RUN: python3 %S/run_resnet18.py %t.pair.mlir --entry step --baseline 'ckpt-convert-byteir-kernels,ckpt-drop-annotations' --checkpointed 'ckpt-convert-byteir-kernels,ckpt-annotate{segments=sqrt},ckpt-rematerialize' | FileCheck %s

// CHECK: bits identical: 63 results
// CHECK: unannotated peak: measured {{[0-9]+}} estimate {{[0-9]+}} {{.*}} within 5%
// CHECK: checkpointed peak: measured {{[0-9]+}} estimate {{[0-9]+}} {{.*}} within 5%
// CHECK: recompute FLOPs 3671428480 forward FLOPs
// CHECK: PASS
