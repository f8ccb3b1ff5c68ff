// RUN: ckpt-opt %s -cse -canonicalize -loop-invariant-code-motion | FileCheck %s

// Tests that cse and canonicalize keep two identical barriers apart and do
// not fold away an unused one; this fails if the barrier is made pure.
// CHECK-LABEL: func @two_barriers
// CHECK: %[[A:.*]] = ckpt.barrier %arg0 after %arg1 : tensor<4xf32> after f32
// CHECK: %[[B:.*]] = ckpt.barrier %arg0 after %arg1 : tensor<4xf32> after f32
// CHECK: ckpt.barrier %arg0 : tensor<4xf32>
// CHECK: return %[[A]], %[[B]]
func.func @two_barriers(%x: tensor<4xf32>, %g: f32) -> (tensor<4xf32>, tensor<4xf32>) {
  %a = ckpt.barrier %x after %g : tensor<4xf32> after f32
  %b = ckpt.barrier %x after %g : tensor<4xf32> after f32
  %unused = ckpt.barrier %x : tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// Tests that loop-invariant-code-motion does not hoist a barrier, nor the
// op that reads it, out of a loop.
// CHECK-LABEL: func @barrier_in_loop
// CHECK: scf.for
// CHECK:   ckpt.barrier %arg0 : tensor<4xf32>
// CHECK:   math.tanh
func.func @barrier_in_loop(%x: tensor<4xf32>, %n: index) -> tensor<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %r = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %x) -> tensor<4xf32> {
    %b = ckpt.barrier %x : tensor<4xf32>
    %t = math.tanh %b : tensor<4xf32>
    %s = arith.addf %acc, %t : tensor<4xf32>
    scf.yield %s : tensor<4xf32>
  }
  return %r : tensor<4xf32>
}
