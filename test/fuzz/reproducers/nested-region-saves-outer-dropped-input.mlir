// Fuzz reproducer (issue 19): from gen_graph.py --seed 1166 (fuzz.py
// --n 1000 --seed 1000, "verifier errors"), reduced by hand to its pattern:
// a region r1 whose result is its nested region r1.inner's, read by the
// backward and by a region r2 that the backward does not need.
// Fixed: ckpt-rematerialize broke its own post-condition:
//   error: operand #0 is a forward value that checkpointed region 'r1'
//   dropped, but the backward part uses it; it should be recomputed
// r1 kept %i as the input of r2 and traced %s, read only inside r1, as
// dropped. r2, inlined with nothing to recompute, no longer stored %i when
// r1.inner was planned, so r1.inner dropped %i and saved its input %s for
// the recompute, which r1 had traced as dropped. The values a nested region
// whose result the outer region keeps reads are no longer traced as
// dropped: that region is planned later and may save them.
// RUN: ckpt-opt %s --ckpt-rematerialize=remarks=all --ckpt-verify 2>&1 | FileCheck %s
// CHECK: checkpointed region 'r1': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward
// CHECK: :32:10: note: kept: input of another checkpointed region
// CHECK: checkpointed region 'r2': no backward op uses its values; inlined, nothing to recompute
// CHECK: checkpointed region 'r1.inner': drops 1 value (8192 bytes), clones 1 op before the first backward use ('arith.mulf')
// CHECK: @step: 1 of 3 checkpointed regions rematerialized; estimated peak 24576 -> 24576 bytes, saved bytes 8192 -> 8192
// CHECK-NOT: error
// The backward reads tanh(%s) recomputed from the saved %s.
// CHECK-LABEL: func.func @step
// CHECK: %[[S:.*]] = math.sin %arg0
// CHECK: %[[T:.*]] = math.tanh %[[S]]
// CHECK: math.exp %[[T]]
// CHECK: %[[B:.*]] = ckpt.barrier %[[S]] :
// CHECK: %[[RT:.*]] = math.tanh %[[B]]
// CHECK: arith.mulf %arg1, %[[RT]]
func.func @step(%x: tensor<32x64xf32>, %dy: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %r1 = ckpt.checkpoint "r1" (%b = %x : tensor<32x64xf32>) -> tensor<32x64xf32> {
    %s = math.sin %b : tensor<32x64xf32>
    %i = ckpt.checkpoint "r1.inner" (%c = %s : tensor<32x64xf32>) -> tensor<32x64xf32> {
      %t = math.tanh %c : tensor<32x64xf32>
      ckpt.yield %t : tensor<32x64xf32>
    }
    ckpt.yield %i : tensor<32x64xf32>
  }
  %r2 = ckpt.checkpoint "r2" (%p = %r1 : tensor<32x64xf32>) -> tensor<32x64xf32> {
    %e = math.exp %p : tensor<32x64xf32>
    ckpt.yield %e : tensor<32x64xf32>
  }
  %g = arith.mulf %dy, %r1 : tensor<32x64xf32>
  return %r2, %g : tensor<32x64xf32>, tensor<32x64xf32>
}
