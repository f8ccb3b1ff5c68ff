// libFuzzer reproducer (issue 19): from the one-hour run of 2026-12-03
// (crash-9716c6e0..., "verifier crashes on the IR left by
// ckpt-rematerialize", ASan SEGV in arith.mulf's verifier), reduced by hand:
// a split-form region that yields its own block argument, in a @fwd that
// saves both the region's input and its result for @bwd.
// Fixed: once the region was inlined its result was the input, and the
// rewrite moved the result's @bwd argument onto the input, dropping the
// input's own argument while @bwd still read it (a dangling operand:
// "<<UNKNOWN SSA VALUE>>" in the generic form). The two saved values now
// merge into one argument that both uses read.
// RUN: ckpt-opt %s --ckpt-rematerialize=remarks=all --ckpt-verify -o /dev/null 2>&1 | FileCheck %s --check-prefix=REMARK
// RUN: ckpt-opt %s --ckpt-rematerialize=remarks=none --ckpt-verify | FileCheck %s
// REMARK: checkpointed region 'r': drops 0 saved values of @fwd (0 bytes); keeps 1 saved value
// REMARK: note: kept: region input
// REMARK: @fwd now saves 1 values (32 bytes) for @bwd, was 2 (64 bytes)
// REMARK-NOT: error
// CHECK-LABEL: func.func @fwd(
// CHECK-SAME: -> (tensor<8xf32>, tensor<8xf32>)
// CHECK: %[[S:.*]] = math.sin %arg0
// CHECK: %[[Y:.*]] = arith.addf %[[S]], %[[S]]
// CHECK: return %[[Y]], %[[S]]
// CHECK-LABEL: func.func @bwd(%arg0: tensor<8xf32>, %arg1: tensor<8xf32>)
// CHECK: %[[A:.*]] = arith.mulf %arg1, %arg0
// CHECK: arith.mulf %[[A]], %arg0
// CHECK-LABEL: func.func private @step
// CHECK: %[[F:.*]]:2 = call @fwd(%arg0)
// CHECK: call @bwd(%[[F]]#1, %arg1)
func.func @fwd(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1 : i64} {
  %s = math.sin %x : tensor<8xf32>
  %r = ckpt.checkpoint "r" (%a = %s : tensor<8xf32>) -> tensor<8xf32> {
    ckpt.yield %a : tensor<8xf32>
  }
  %y = arith.addf %r, %s : tensor<8xf32>
  return %y, %s, %r : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
func.func @bwd(%s0: tensor<8xf32>, %s1: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %0 = arith.mulf %dy, %s0 : tensor<8xf32>
  %1 = arith.mulf %0, %s1 : tensor<8xf32>
  return %1 : tensor<8xf32>
}
func.func private @step(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %f:3 = call @fwd(%x) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
  %g = call @bwd(%f#1, %f#2, %dy) : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %f#0, %g : tensor<8xf32>, tensor<8xf32>
}
