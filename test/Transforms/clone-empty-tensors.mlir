// RUN: ckpt-opt %s -split-input-file --ckpt-clone-empty-tensors | FileCheck %s

// Tests that each user of a shared tensor.empty gets an empty tensor of its
// own right before it (the shared one goes), so One-Shot
// Bufferize gives each writer a fresh buffer.
// CHECK-LABEL: func @shared
// CHECK-NEXT: arith.constant
// CHECK-NEXT: %[[E0:.*]] = tensor.empty() : tensor<8x8xf32>
// CHECK-NEXT: %[[F:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[E0]] : tensor<8x8xf32>)
// CHECK-NEXT: %[[E1:.*]] = tensor.empty() : tensor<8x8xf32>
// CHECK-NEXT: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<8x8xf32>, tensor<8x8xf32>) outs(%[[E1]] : tensor<8x8xf32>)
// CHECK-NEXT: %[[E2:.*]] = tensor.empty() : tensor<8x8xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[E2]] : tensor<8x8xf32>)
// CHECK-NOT: tensor.empty
// CHECK: return
func.func @shared(%x: tensor<8x8xf32>) -> (tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) {
  %c = arith.constant 1.0 : f32
  %e = tensor.empty() : tensor<8x8xf32>
  %f = linalg.fill ins(%c : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %m = linalg.matmul ins(%x, %f : tensor<8x8xf32>, tensor<8x8xf32>) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  %g = linalg.fill ins(%c : f32) outs(%e : tensor<8x8xf32>) -> tensor<8x8xf32>
  return %f, %m, %g : tensor<8x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>
}

// -----

// Tests a dynamic empty tensor (its size operand is reused) and a user in a
// loop body (the clone goes inside the loop, before the user).
// CHECK-LABEL: func @dynamic_and_nested
// CHECK-SAME: %[[N:[a-z0-9]+]]: index
// CHECK-NOT: tensor.empty
// CHECK: %[[E0:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[E0]] : tensor<?xf32>)
// CHECK: scf.for
// CHECK-NEXT: %[[E1:.*]] = tensor.empty(%[[N]]) : tensor<?xf32>
// CHECK-NEXT: linalg.fill ins(%{{.*}} : f32) outs(%[[E1]] : tensor<?xf32>)
func.func @dynamic_and_nested(%n: index, %k: index) -> (tensor<?xf32>, tensor<?xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %one = arith.constant 1.0 : f32
  %e = tensor.empty(%n) : tensor<?xf32>
  %f = linalg.fill ins(%one : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
  %r = scf.for %i = %c0 to %k step %c1 iter_args(%acc = %f) -> (tensor<?xf32>) {
    %g = linalg.fill ins(%one : f32) outs(%e : tensor<?xf32>) -> tensor<?xf32>
    scf.yield %g : tensor<?xf32>
  }
  return %f, %r : tensor<?xf32>, tensor<?xf32>
}

// -----

// Tests that an empty tensor with one user is left alone.
// CHECK-LABEL: func @single_use
// CHECK-COUNT-1: tensor.empty
// CHECK-NOT: tensor.empty
func.func @single_use() -> tensor<4xf32> {
  %c = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<4xf32>
  %f = linalg.fill ins(%c : f32) outs(%e : tensor<4xf32>) -> tensor<4xf32>
  return %f : tensor<4xf32>
}
