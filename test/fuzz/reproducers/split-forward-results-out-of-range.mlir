// libFuzzer reproducer (issue 19 item 4, tools/ckpt-fuzz): a split-form
// @fwd that also carries `ckpt.forward_results` (the mutator sets it on
// any function). Reduced by hand from a fuzzer crash ("IR invalid after
// pass 'ckpt-rematerialize' (it succeeded)"; 11 of the first run's 64).
// Was: ckpt-rematerialize removed saved results of @fwd (3 -> 2) and left
// `ckpt.forward_results = [0, 2]`, which the dialect's attribute verifier
// then rejected after a pass that reported success. Fixed by refusing the
// attribute on a split-form @fwd up front (its forward results are the
// first `ckpt.num_outputs` results), with a located error.
// RUN: not ckpt-opt %s --ckpt-rematerialize --ckpt-verify 2>&1 | FileCheck %s
// CHECK: split-forward-results-out-of-range.mlir:[[@LINE+1]]:1: error: 'ckpt.forward_results' does not apply to a split-form forward function ('ckpt.backward'): its forward results are the first 'ckpt.num_outputs' results
func.func @fwd(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1, ckpt.forward_results = [0, 2]} {
  %r:3 = ckpt.checkpoint "blk" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %t = math.tanh %e : tensor<8xf32>
    %y = math.sin %t : tensor<8xf32>
    ckpt.yield %y, %e, %t : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1, %r#2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
func.func @bwd(%e: tensor<8xf32>, %t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %t : tensor<8xf32>
  %g2 = arith.mulf %g, %e : tensor<8xf32>
  return %g2 : tensor<8xf32>
}
