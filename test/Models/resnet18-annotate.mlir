// ckpt-annotate segments=sqrt on the real ResNet-18 joint step
// (../shared/models, skipped where absent), with assume-pure matching the
// forward kernels: the estimated peak and the saved bytes both go down, and
// ckpt-verify passes (docs/results.md records the same figures).
// REQUIRES: shared-models
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=segments=sqrt assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s

// CHECK: ckpt-annotate: created 12 regions
// CHECK: === ckpt memory report: @main ===
// CHECK: peak live bytes 73924424 49452740 x0.669
// CHECK: saved bytes (forward->backward) 73543104 34594448 x0.470
