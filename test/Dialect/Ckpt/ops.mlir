// RUN: ckpt-opt %s | FileCheck %s
// Round trip through the generic form must give the same custom output.
// RUN: ckpt-opt %s --mlir-print-op-generic | ckpt-opt | FileCheck %s
// RUN: ckpt-opt %s --mlir-print-op-generic | FileCheck %s --check-prefix=GENERIC

// Tests that a named region with a save list round-trips in custom form.
// CHECK-LABEL: func @checkpoint_custom
// CHECK: %[[R:.*]]:2 = ckpt.checkpoint "block0" (%[[A:.*]] = %arg0, %[[B:.*]] = %arg1 : tensor<4x8xf32>, tensor<8x8xf32>) save ["linalg.matmul"] -> (tensor<4x8xf32>, tensor<4x8xf32>) {
// CHECK:   %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK:   %[[M:.*]] = linalg.matmul ins(%[[A]], %[[B]] : {{.*}}) outs(%[[E]] : tensor<4x8xf32>)
// CHECK:   ckpt.yield %[[M]], %[[A]] : tensor<4x8xf32>, tensor<4x8xf32>
// CHECK: }
// GENERIC-LABEL: sym_name = "checkpoint_custom"
// GENERIC: "ckpt.checkpoint"(%{{.*}}, %{{.*}}) <{name = "block0", save = ["linalg.matmul"]}> ({
// GENERIC: ^bb0(%{{.*}}: tensor<4x8xf32>, %{{.*}}: tensor<8x8xf32>):
// GENERIC: "ckpt.yield"
func.func @checkpoint_custom(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:2 = ckpt.checkpoint "block0" (%a = %x, %b = %w : tensor<4x8xf32>, tensor<8x8xf32>) save ["linalg.matmul"] -> (tensor<4x8xf32>, tensor<4x8xf32>) {
    %e = tensor.empty() : tensor<4x8xf32>
    %m = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    ckpt.yield %m, %a : tensor<4x8xf32>, tensor<4x8xf32>
  }
  return %r#0, %r#1 : tensor<4x8xf32>, tensor<4x8xf32>
}

// Tests that the generic form of rationale §2 parses, with no name and no
// operands, and prints in custom form.
// CHECK-LABEL: func @checkpoint_generic
// CHECK: ckpt.checkpoint (%{{.*}} = %arg0 : tensor<4xf32>) -> (tensor<4xf32>) {
// CHECK: ckpt.checkpoint () -> (f32) {
// CHECK:   ckpt.yield %{{.*}} : f32
func.func @checkpoint_generic(%x: tensor<4xf32>) -> (tensor<4xf32>, f32) {
  %0 = "ckpt.checkpoint"(%x) ({
  ^bb0(%a: tensor<4xf32>):
    "ckpt.yield"(%a) : (tensor<4xf32>) -> ()
  }) : (tensor<4xf32>) -> (tensor<4xf32>)
  %1 = "ckpt.checkpoint"() ({
    %c = arith.constant 1.0 : f32
    "ckpt.yield"(%c) : (f32) -> ()
  }) : () -> (f32)
  return %0, %1 : tensor<4xf32>, f32
}

// Tests an empty yield and extra attributes on the region.
// CHECK-LABEL: func @checkpoint_no_results
// CHECK: ckpt.checkpoint "side" (%{{.*}} = %arg0 : memref<4xf32>) -> () attributes {test.tag} {
// CHECK:   ckpt.yield{{$}}
func.func @checkpoint_no_results(%m: memref<4xf32>) {
  ckpt.checkpoint "side" (%a = %m : memref<4xf32>) -> () attributes {test.tag} {
    ckpt.yield
  }
  return
}

// Tests the barrier with and without an ordering operand.
// CHECK-LABEL: func @barrier
// CHECK: %[[B:.*]]:2 = ckpt.barrier %arg0, %arg1 after %arg2 : tensor<4xf32>, index after f32
// CHECK: %[[C:.*]] = ckpt.barrier %[[B]]#0 : tensor<4xf32>
// GENERIC-LABEL: sym_name = "barrier"
// GENERIC: "ckpt.barrier"(%{{.*}}, %{{.*}}, %{{.*}}) <{operandSegmentSizes = array<i32: 2, 1>}>
func.func @barrier(%x: tensor<4xf32>, %i: index, %g: f32) -> tensor<4xf32> {
  %b:2 = ckpt.barrier %x, %i after %g : tensor<4xf32>, index after f32
  %c = ckpt.barrier %b#0 : tensor<4xf32>
  return %c : tensor<4xf32>
}
