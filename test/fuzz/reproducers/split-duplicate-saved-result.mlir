// libFuzzer reproducer (issue 19 item 4, tools/ckpt-fuzz): a split-form
// region that yields one value twice, both results saved for @bwd.
// Reduced by hand from a fuzzer crash (ASan: the MLIR verifier, run after
// ckpt-rematerialize, reads freed memory).
// Was: ckpt-rematerialize (split form) dropped the value once: @fwd saved
// 1 value instead of 2 and @bwd lost an argument, but one of the two uses
// in @bwd still referred to the erased block argument (`<<UNKNOWN SSA
// VALUE>>`, exit 0). Fixed: the region's duplicate result is replaced by
// the first before the rewrite, so both uses read the one recompute.
// RUN: ckpt-opt %s --ckpt-rematerialize --ckpt-verify 2>/dev/null | FileCheck %s
// CHECK-LABEL: func.func @fwd
// CHECK: return %{{.*}}, %arg0 : tensor<8xf32>, tensor<8xf32>
// CHECK-LABEL: func.func @bwd(%arg0: tensor<8xf32>, %arg1: tensor<8xf32>)
// CHECK-NOT: UNKNOWN SSA VALUE
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK: %[[G:.*]] = arith.mulf %arg1, %[[E]]
// CHECK: arith.mulf %[[G]], %[[E]]
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
