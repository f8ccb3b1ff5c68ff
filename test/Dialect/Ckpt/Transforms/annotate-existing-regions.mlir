// Existing regions and ckpt-annotate's callee= mode.
// RUN: ckpt-opt %s -ckpt-annotate="callee=layer.*" 2>/dev/null | FileCheck %s --check-prefix=CALLEE
// RUN: ckpt-opt %s -ckpt-annotate="callee=layer.*" -verify-diagnostics -o /dev/null

// Tests that callee= also converts a call marked by hand inside an existing
// forward region (a nested region), and leaves alone a region that only
// ckpt-rematerialize would refuse (nested in scf.for).
// CALLEE-LABEL: func @annotate_in_region
// CALLEE: ckpt.checkpoint "outer"
// CALLEE-NEXT: ckpt.checkpoint "inner_fn"
// CALLEE-NEXT: math.tanh
// CALLEE: scf.for
// CALLEE: ckpt.checkpoint "looped"
// CALLEE: ckpt.checkpoint "layer_in_region"
// CALLEE-NEXT: math.exp
func.func private @layer_in_region(%v: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func private @inner_fn(%v: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.tanh %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
// expected-remark @+1 {{created 1 region}}
func.func @annotate_in_region(%x: tensor<8xf32>, %n: index, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r = ckpt.checkpoint "outer" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %i = func.call @inner_fn(%a) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
    ckpt.yield %i : tensor<8xf32>
  }
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %s = scf.for %k = %c0 to %n step %c1 iter_args(%acc = %r) -> tensor<8xf32> {
    %y = ckpt.checkpoint "looped" (%b = %acc : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.sin %b : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    scf.yield %y : tensor<8xf32>
  }
  %l = func.call @layer_in_region(%s) : (tensor<8xf32>) -> tensor<8xf32>
  %g = arith.mulf %l, %dy : tensor<8xf32>
  return %l, %g : tensor<8xf32>, tensor<8xf32>
}
