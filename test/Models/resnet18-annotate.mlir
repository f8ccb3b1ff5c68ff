// ckpt-annotate segments=sqrt on the real ResNet-18 joint step
// (../shared/models, skipped where absent), with assume-pure matching the
// forward kernels: the estimated peak and the saved bytes both go down, and
// ckpt-verify passes (docs/results.md records the same figures).
// REQUIRES: shared-models
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=segments=sqrt assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s

// CHECK: created 12 regions
// CHECK: === ckpt memory report: @main ===
// CHECK: peak live bytes 73924424 49452740 x0.669
// CHECK: saved bytes (forward->backward) 73543104 34698896 x0.472

// A budget between the unannotated peak (73924424) and the smallest one
// reached (49452740) is met with the least recompute found; one below it
// is an error that says what is reachable.
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=budget=60M assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: not ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=budget=40M assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' -o /dev/null 2>&1 | FileCheck %s --check-prefix=TOOLOW
// BUDGET: created {{[0-9]+}} regions
// BUDGET: peak live bytes 73924424 61882184
// TOOLOW: error: no segmentation fits the budget of 41943040 bytes; the smallest estimated peak reachable is 49452740 bytes (unannotated: 73924424)

// The annotated, rematerialized step lowers with ckpt-lower-to-nvvm as far
// as the external kernels allow: the elementwise work becomes sm_90
// kernels; convolutions, batch-norm and pooling stay calls to their
// declarations.
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=segments=sqrt assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-lower-to-nvvm=format=isa 2>/dev/null | FileCheck %s --check-prefix=GPU
// GPU-DAG: llvm.call @ConvOp_f16f16_f16__sig0(
// GPU-DAG: gpu.launch_func
// GPU-DAG: gpu.binary @{{.*}}_kernel  [#gpu.object<#nvvm.target<chip = "sm_90"
