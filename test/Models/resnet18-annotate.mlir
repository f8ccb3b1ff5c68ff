// ckpt-annotate segments=sqrt on the real ResNet-18 joint step
// (../shared/models, skipped where absent), with assume-pure matching the
// forward kernels: the estimated peak and the saved bytes both go down, and
// ckpt-verify passes. sqrt counts layers (20 convolutions and the matmul:
// round(sqrt(21)) = 5 regions; before issue 17 it was sqrt of the ops, 12
// regions, 49452740 bytes).
// REQUIRES: shared-models
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=segments=sqrt assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s

// CHECK: created 5 regions
// CHECK: === ckpt memory report: @main ===
// CHECK: peak live bytes 73924424 55182608 x0.746
// CHECK: saved bytes (forward->backward) 73543104 31483536 x0.428

// A budget between the unannotated peak (73924424) and the smallest one
// reachable (49452740) is met with the least recompute of the region plans
// (the dynamic program; its plan model's peak next to the report's); one
// below it is an error that says what is reachable.
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=budget=60M assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s --check-prefix=BUDGET
// RUN: not ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=budget=40M assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' -o /dev/null 2>&1 | FileCheck %s --check-prefix=TOOLOW
// BUDGET: remark: budget 62914560 bytes: 7 regions, estimated peak 56330576 bytes (plan model 56663880), recompute 14613283264 FLOPs
// BUDGET: created 7 regions
// BUDGET: peak live bytes 73924424 56330576
// TOOLOW: error: no region plan fits the budget of 41943040 bytes; the least estimated peak reachable is 49452740 bytes (unannotated: 73924424)

// The annotated, rematerialized step lowers with ckpt-lower-to-nvvm as far
// as the external kernels allow: the elementwise work becomes sm_90
// kernels; convolutions, batch-norm and pooling stay calls to their
// declarations.
// RUN: ckpt-opt %shared_models/resnet18_train_step.mlir '--ckpt-annotate=segments=sqrt assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' '--ckpt-rematerialize=assume-pure=(ConvOp|BatchNormTrainingOp|PoolMaxOp|PoolAvgOp|MatmulOp|ReduceSumOp).*' --ckpt-lower-to-nvvm=format=isa 2>/dev/null | FileCheck %s --check-prefix=GPU
// GPU-DAG: llvm.call @ConvOp_f16f16_f16__sig0(
// GPU-DAG: gpu.launch_func
// GPU-DAG: gpu.binary @{{.*}}_kernel  [#gpu.object<#nvvm.target<chip = "sm_90"
