// libFuzzer reproducer (issue 19 item 4, tools/ckpt-fuzz): a split-form
// region that yields one value twice, both results saved for @bwd.
// Reduced by hand from a fuzzer crash (ASan: the MLIR verifier, run after
// ckpt-rematerialize, reads freed memory).
// XFAIL: *
// Defect: ckpt-rematerialize (split form) drops the value once: @fwd now
// saves 1 value instead of 2 and @bwd loses an argument, but one of the
// two uses in @bwd still refers to the erased block argument; ckpt-opt
// prints `<<UNKNOWN SSA VALUE>>` and exits 0 (without ASan the dangling
// use goes unnoticed). Both uses should read the recomputed value.
// RUN: ckpt-opt %s --ckpt-rematerialize 2>/dev/null | FileCheck %s
// CHECK-LABEL: func.func @bwd
// CHECK-NOT: UNKNOWN SSA VALUE
// CHECK: return
func.func @fwd(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1} {
  %r:3 = ckpt.checkpoint "blk" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %y = math.sin %e : tensor<8xf32>
    ckpt.yield %y, %e, %e : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1, %r#2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
func.func @bwd(%e: tensor<8xf32>, %e2: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %e : tensor<8xf32>
  %g2 = arith.mulf %g, %e2 : tensor<8xf32>
  return %g2 : tensor<8xf32>
}
