// The real ResNet-18 joint training step (../shared/models, batch 4; skipped
// where absent) runs end to end on the CPU after ckpt-convert-byteir-kernels:
// unannotated (ckpt-drop-annotations) and with ckpt-annotate segments=sqrt
// (placed before the conversion, with the forward kernels assume-pure, as
// bench/resnet18_results.py does) + ckpt-rematerialize. run_resnet18.py
// asserts that the 63 results (the loss output, then 62 gradients) are
// bit-identical between the two runs, that each run's measured peak is
// within 5% of the memory report's estimate (docs/results.md: 81881152
// measured against 81876032 unannotated, 63014400 against 63009856
// checkpointed), and checks the recompute FLOPs exactly.
// Time: 65 s and 138 s of wall time for the two runs on 2 cores
// (2026-12-02, bench/resnet18_results.py); the JIT compile of the whole
// step is most of it, the steps themselves 10 s and 14 s.
// REQUIRES: shared-models
// RUN: sed 's/func.func @main(/func.func @train_step(/' %shared_models/resnet18_train_step.mlir > %t.joint.mlir
// RUN: python3 %S/run_resnet18.py %t.joint.mlir --entry train_step --baseline 'ckpt-convert-byteir-kernels,ckpt-drop-annotations' --checkpointed 'ckpt-annotate{segments=sqrt assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*},ckpt-convert-byteir-kernels,ckpt-rematerialize' | FileCheck %s

// CHECK: bits identical: 63 results
// CHECK: unannotated peak: measured {{[0-9]+}} estimate {{[0-9]+}} {{.*}} within 5%
// CHECK: checkpointed peak: measured {{[0-9]+}} estimate {{[0-9]+}} {{.*}} within 5%
// CHECK: recompute FLOPs 14640216644 forward FLOPs
// CHECK: PASS
