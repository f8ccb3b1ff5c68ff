// RUN: ckpt-opt %s -ckpt-drop-annotations | FileCheck %s

// Tests that every region, nested ones included, is inlined with nothing
// recomputed, that the checkpointed call is inlined as ckpt-rematerialize
// inlines it (a call boundary would keep buffers alive and inflate the
// measured baseline), and that the ckpt.checkpoint attributes are gone: the
// baseline without checkpointing.
// CHECK-LABEL: func private @layer(
// CHECK-NOT: ckpt.checkpoint
// CHECK-LABEL: func @baseline
// CHECK-NEXT: %[[E:.*]] = math.exp %arg0
// CHECK-NEXT: %[[S:.*]] = math.sin %[[E]]
// CHECK-NEXT: %[[C:.*]] = math.tanh %[[S]]
// CHECK-NEXT: %[[G:.*]] = arith.mulf %arg1, %[[E]]
// CHECK-NEXT: return %[[C]], %[[G]]
// CHECK-NOT: ckpt.
func.func private @layer(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %t = math.tanh %v : tensor<8xf32>
  return %t : tensor<8xf32>
}
func.func @baseline(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "outer" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = ckpt.checkpoint "inner" (%b = %a : tensor<8xf32>) -> (tensor<8xf32>) {
      %v = math.exp %b : tensor<8xf32>
      ckpt.yield %v : tensor<8xf32>
    }
    %s = math.sin %e : tensor<8xf32>
    ckpt.yield %s, %e : tensor<8xf32>, tensor<8xf32>
  }
  %c = func.call @layer(%r#0) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
  %g = arith.mulf %dy, %r#1 : tensor<8xf32>
  return %c, %g : tensor<8xf32>, tensor<8xf32>
}
