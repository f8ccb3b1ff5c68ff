// The bundled example as the README's main job runs it: each layer's
// recompute survives cse and canonicalize behind its barrier, and
// ckpt-verify passes after them (the backward's zero-filled accumulators
// that cse shares with the forward are constants, not activations).
// RUN: ckpt-opt %ckpt_src_root/examples/mlp_train_step.mlir --ckpt-rematerialize --ckpt-verify --cse --canonicalize --ckpt-verify 2>&1 | FileCheck %s

// CHECK: remark: checkpointed region 'layers.0': drops 1 value (4096 bytes), clones 3 ops
// CHECK: remark: checkpointed region 'layers.1': drops 1 value (4096 bytes), clones 3 ops
// CHECK: remark: checkpointed region 'layers.2': drops 2 values (8192 bytes), clones 4 ops
// CHECK-LABEL: func.func @mlp_train_step
// CHECK: linalg.matmul ins(%arg0, %arg2
// CHECK: %[[B2:.*]]:{{[0-9]+}} = ckpt.barrier
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul ins(%[[B2]]#0, %[[B2]]#1
// CHECK: %[[B1:.*]]:{{[0-9]+}} = ckpt.barrier
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul ins(%[[B1]]#0, %[[B1]]#1
// CHECK: %[[B0:.*]]:{{[0-9]+}} = ckpt.barrier %arg0, %arg2
// CHECK-NEXT: linalg.fill
// CHECK-NEXT: linalg.matmul ins(%[[B0]]#0, %[[B0]]#1
// CHECK-NOT: error
