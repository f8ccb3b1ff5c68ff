// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize=remarks=regions -verify-diagnostics -o /dev/null

// Tests the per-region remark: values dropped, bytes (2 x 16 x 4 bytes),
// ops cloned, where the recompute goes, and why a kept value is kept.
func.func private @ext(tensor<16xf32>) -> tensor<16xf32>
func.func @remarks(%x: tensor<16xf32>, %dy: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  // expected-remark @+1 {{checkpointed region 'block0': drops 2 values (128 bytes), clones 3 ops before the first backward use ('arith.mulf'); keeps 1 value used by the backward}}
  %r:4 = ckpt.checkpoint "block0" (%a = %x : tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>) {
    %e = math.exp %a : tensor<16xf32>
    %s = math.sin %e : tensor<16xf32>
    %t = math.tanh %s : tensor<16xf32>
    // expected-note @+1 {{kept: defined by a call to an external function (not matched by assume-pure)}}
    %c = func.call @ext(%t) : (tensor<16xf32>) -> tensor<16xf32>
    ckpt.yield %c, %s, %t, %c : tensor<16xf32>, tensor<16xf32>, tensor<16xf32>, tensor<16xf32>
  }
  %g0 = arith.mulf %dy, %r#1 : tensor<16xf32>
  %g1 = arith.mulf %g0, %r#2 : tensor<16xf32>
  %g2 = arith.mulf %g1, %r#3 : tensor<16xf32>
  return %r#0, %g2 : tensor<16xf32>, tensor<16xf32>
}

// -----

// Tests the remark of a region no backward op uses.
func.func @unused(%x: tensor<8xf32>) -> tensor<8xf32> {
  // expected-remark @+1 {{checkpointed region 'idle': no backward op uses its values; inlined, nothing to recompute}}
  %y = ckpt.checkpoint "idle" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    ckpt.yield %e : tensor<8xf32>
  }
  return %y : tensor<8xf32>
}

// -----

// Tests that a scalar the backward reads is kept, not recomputed.
func.func @scalar(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-remark @+1 {{checkpointed region '<unnamed>': drops 0 values (0 bytes), clones 0 ops; keeps 1 value used by the backward}}
  %r:2 = ckpt.checkpoint (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, index) {
    %e = math.exp %a : tensor<8xf32>
    %c0 = arith.constant 0 : index
    // expected-note @+1 {{kept: scalar value}}
    %n = tensor.dim %e, %c0 : tensor<8xf32>
    ckpt.yield %e, %n : tensor<8xf32>, index
  }
  %v = tensor.extract %dy[%r#1] : tensor<8xf32>
  %g = tensor.splat %v : tensor<8xf32>
  return %r#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests the remarks of nested regions: the outer recompute counts the ops
// of the inner copy it inlined (exp and sin); the inner region is reported
// once for the copy inside that recompute and once for the forward copy.
func.func @nested(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-remark @+1 {{checkpointed region 'outer': drops 2 values (64 bytes), clones 2 ops before the first backward use ('arith.mulf'); keeps 0 values used by the backward}}
  %r:3 = ckpt.checkpoint "outer" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    // expected-remark @+2 {{checkpointed region 'inner' (inside the recompute of 'outer'): drops 1 value (32 bytes), clones 1 op before the first backward use ('arith.mulf'); keeps 0 values used by the backward}}
    // expected-remark @+1 {{checkpointed region 'inner': no backward op uses its values; inlined, nothing to recompute}}
    %i = ckpt.checkpoint "inner" (%b = %a : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.exp %b : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    %s = math.sin %i : tensor<8xf32>
    ckpt.yield %s, %i, %s : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  %loss = arith.addf %r#0, %r#0 : tensor<8xf32>
  %g0 = arith.mulf %dy, %r#1 : tensor<8xf32>
  %g1 = arith.mulf %g0, %r#2 : tensor<8xf32>
  return %loss, %g1 : tensor<8xf32>, tensor<8xf32>
}
