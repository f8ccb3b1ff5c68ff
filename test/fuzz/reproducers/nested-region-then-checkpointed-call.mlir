// Fuzz reproducer (issue 19): from gen_graph.py --seed 216 (fuzz.py
// --compile-only, "verifier errors"), reduced by hand to its pattern: a
// region r1 with a nested region r1.inner, whose output is the input of a
// `{ckpt.checkpoint}` call right after r1.
// XFAIL: *
// Defect: ckpt-rematerialize breaks its own post-condition (no pipeline
// after it; ckpt-verify right after the pass):
//   error: operand #0 is a forward value that checkpointed region 'r1'
//   dropped, but the backward part uses it; it should be recomputed (at
//   r1.inner: the inner recompute's barrier reads the forward %t2, not the
//   outer recompute's copy)
//   error: operand #0 is a forward value that checkpointed region
//   'r1.inner' dropped, ... (at the call: the call's recompute barrier reads
//   the dropped forward %t3, which as "input of another checkpointed
//   region" should have been kept)
// Results stay bit-identical with and without checkpointing (ckpt-run), so
// the cost is memory: dropped values stay live into the backward. Without
// {ckpt.checkpoint} on the call there is no error.
// RUN: ckpt-opt %s --ckpt-rematerialize --ckpt-verify -o /dev/null
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
