// Fuzz reproducer (issue 19): from gen_graph.py --seed 216 (fuzz.py
// --compile-only, "verifier errors"), reduced by hand to its pattern: a
// region r1 with a nested region r1.inner, whose output is the input of a
// `{ckpt.checkpoint}` call right after r1.
// Fixed: ckpt-rematerialize broke its own post-condition (ckpt-verify
// right after the pass):
//   error: operand #0 is a forward value that checkpointed region 'r1'
//   dropped, but the backward part uses it; it should be recomputed
// r1 kept %t3 as the input of another checkpointed region (the call), but
// r1.inner, planned after the call had been rewritten, saw only the call's
// recompute barrier reading %t3 and dropped it, recomputing it from r1's
// dropped %t2. A barrier that hands a rewritten region its saved inputs now
// counts as a region input: r1.inner keeps %t3 and recomputes nothing.
// RUN: ckpt-opt %s --ckpt-rematerialize=remarks=all --ckpt-verify -o /dev/null 2>&1 | FileCheck %s
// CHECK: checkpointed region 'r1': drops 2 values (16384 bytes)
// CHECK: checkpointed region 'r1.inner': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward
// CHECK: :31:13: note: kept: input of another checkpointed region
// CHECK: @step: 2 of 3 checkpointed regions rematerialized; estimated peak 49152 -> 40960 bytes, saved bytes 32768 -> 8192
// CHECK-NOT: error
func.func private @gate(%gx: tensor<32x64xf32>, %gw: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %gm = arith.mulf %gx, %gw : tensor<32x64xf32>
  %gt = math.tanh %gm : tensor<32x64xf32>
  %gy = arith.mulf %gt, %gx : tensor<32x64xf32>
  return %gy, %gt : tensor<32x64xf32>, tensor<32x64xf32>
}
func.func @step(%x: tensor<32x64xf32>, %w: tensor<32x64xf32>, %dy: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %r:3 = ckpt.checkpoint "r1" (%b = %x : tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>) {
    %t1 = math.tanh %b : tensor<32x64xf32>
    %t2 = math.tanh %t1 : tensor<32x64xf32>
    %i = ckpt.checkpoint "r1.inner" (%c = %t2 : tensor<32x64xf32>) -> tensor<32x64xf32> {
      %t3 = math.tanh %c : tensor<32x64xf32>
      ckpt.yield %t3 : tensor<32x64xf32>
    }
    ckpt.yield %t1, %t2, %i : tensor<32x64xf32>, tensor<32x64xf32>, tensor<32x64xf32>
  }
  %g:2 = func.call @gate(%r#2, %w) {ckpt.checkpoint} : (tensor<32x64xf32>, tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>)
  %a = arith.mulf %dy, %g#1 : tensor<32x64xf32>
  %b1 = arith.mulf %a, %r#2 : tensor<32x64xf32>
  %b2 = arith.mulf %b1, %r#1 : tensor<32x64xf32>
  %b3 = arith.mulf %b2, %r#0 : tensor<32x64xf32>
  return %g#0, %b3 : tensor<32x64xf32>, tensor<32x64xf32>
}
