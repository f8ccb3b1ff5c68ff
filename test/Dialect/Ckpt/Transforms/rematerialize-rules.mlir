// One case per rule of rationale §3 not already covered by the scenarios.
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize -ckpt-verify 2>/dev/null | FileCheck %s
// The policy cases keep a value as large as the one they recompute, which
// lowers no peak: `force` isolates the policy from "never worse".
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="policy=save-matmuls force" -ckpt-verify 2>/dev/null | FileCheck %s --check-prefix=MATMUL
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="save-ops=math.exp force" -ckpt-verify 2>/dev/null | FileCheck %s --check-prefix=SAVEOPS

// §3.1 saved set: the region's `save` list keeps math.exp; only the tanh
// after it is recomputed, from the kept value.
// CHECK-LABEL: func @rematerialize_save_attribute
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK: %[[BAR:.*]] = ckpt.barrier %[[E]]
// CHECK-NOT: math.exp
// CHECK: math.tanh %[[BAR]]
func.func @rematerialize_save_attribute(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "save" (%a = %x : tensor<8xf32>) save ["math.exp"] -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %t = math.tanh %e : tensor<8xf32>
    ckpt.yield %t, %e : tensor<8xf32>, tensor<8xf32>
  }
  %l = arith.addf %r#0, %r#0 : tensor<8xf32>
  %g = arith.mulf %dy, %r#0 : tensor<8xf32>
  %g2 = arith.mulf %g, %r#1 : tensor<8xf32>
  return %l, %g2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// §3.1 policies: recompute-all clones the matmul; save-matmuls keeps it and
// recomputes only the elementwise op; save-ops=math.exp keeps the exp.
// CHECK-LABEL: func @rematerialize_policy
// CHECK: ckpt.barrier %arg0, %arg1
// CHECK: linalg.matmul
// CHECK: math.exp
// MATMUL-LABEL: func @rematerialize_policy
// MATMUL: %[[M:.*]] = linalg.matmul
// MATMUL: %[[BAR:.*]] = ckpt.barrier %[[M]]
// MATMUL-NOT: linalg.matmul
// MATMUL: math.exp %[[BAR]]
// SAVEOPS-LABEL: func @rematerialize_policy
// SAVEOPS: %[[E:.*]] = math.exp
// SAVEOPS-NOT: ckpt.barrier
// SAVEOPS: arith.mulf %arg2, %[[E]]
func.func @rematerialize_policy(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %dy: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:2 = ckpt.checkpoint "policy" (%a = %x, %b = %w : tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
    %zero = arith.constant dense<0.0> : tensor<4x8xf32>
    %m = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%zero : tensor<4x8xf32>) -> tensor<4x8xf32>
    %e = math.exp %m : tensor<4x8xf32>
    ckpt.yield %e, %e : tensor<4x8xf32>, tensor<4x8xf32>
  }
  %l = arith.addf %r#0, %r#0 : tensor<4x8xf32>
  %g = arith.mulf %dy, %r#1 : tensor<4x8xf32>
  return %l, %g : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// §3.1 input of another region: h is the output of region 0 and the input of
// region 1, so region 1 stores it and region 0 does not recompute it for the
// backward op that also reads it.
// CHECK-LABEL: func @rematerialize_input_of_region
// CHECK: %[[H:.*]] = math.tanh %arg0
// CHECK: %[[Y:.*]] = math.sin %[[H]]
// CHECK: %[[BAR:.*]] = ckpt.barrier %[[H]]
// CHECK: math.cos %[[BAR]]
// CHECK: arith.mulf %{{.*}}, %[[H]]
// CHECK-NOT: math.tanh
func.func @rematerialize_input_of_region(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %h = ckpt.checkpoint "r0" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %t = math.tanh %a : tensor<8xf32>
    ckpt.yield %t : tensor<8xf32>
  }
  %y:2 = ckpt.checkpoint "r1" (%a = %h : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %s = math.sin %a : tensor<8xf32>
    %c = math.cos %a : tensor<8xf32>
    ckpt.yield %s, %c : tensor<8xf32>, tensor<8xf32>
  }
  %g = arith.mulf %dy, %y#1 : tensor<8xf32>
  %g2 = arith.mulf %g, %h : tensor<8xf32>
  return %y#0, %g2 : tensor<8xf32>, tensor<8xf32>
}

// -----

// §3.3 placement: each region's recompute sits immediately before the first
// backward op that needs it, region by region (last layer first here), and
// its barrier is ordered after the backward value just before it.
// CHECK-LABEL: func @rematerialize_placement
// CHECK: %[[H1:.*]] = math.exp %arg0
// CHECK: %[[G1:.*]] = arith.mulf %arg1, %arg1
// CHECK-NEXT: %[[B1:.*]] = ckpt.barrier %[[H1]] after %[[G1]]
// CHECK-NEXT: %[[C1:.*]] = math.sin %[[B1]]
// CHECK-NEXT: %[[D1:.*]] = arith.mulf %[[G1]], %[[C1]]
// CHECK-NEXT: %[[B0:.*]] = ckpt.barrier %arg0 after %[[D1]]
// CHECK-NEXT: %[[C0:.*]] = math.sin %[[B0]]
// CHECK-NEXT: arith.mulf %[[D1]], %[[C0]]
func.func @rematerialize_placement(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %h1:2 = ckpt.checkpoint "layer0" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %s = math.sin %a : tensor<8xf32>
    ckpt.yield %e, %s : tensor<8xf32>, tensor<8xf32>
  }
  %h2:2 = ckpt.checkpoint "layer1" (%a = %h1#0 : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %s = math.sin %a : tensor<8xf32>
    ckpt.yield %e, %s : tensor<8xf32>, tensor<8xf32>
  }
  %g1 = arith.mulf %dy, %dy : tensor<8xf32>
  %d1 = arith.mulf %g1, %h2#1 : tensor<8xf32>
  %d0 = arith.mulf %d1, %h1#1 : tensor<8xf32>
  return %h2#0, %d0 : tensor<8xf32>, tensor<8xf32>
}

// -----

// §3.6 nesting: the outer region is handled first; the inner region then
// applies to the recomputed copy, whose needed values are recomputed once
// more. math.exp (depth 2) runs 3 times, math.sin (depth 1) twice.
// CHECK-LABEL: func @rematerialize_nested
// CHECK-COUNT-3: math.exp
// CHECK-NOT: math.exp
// CHECK-LABEL: func @rematerialize_nested_order
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK: math.sin %[[E]]
// CHECK: %[[BO:.*]] = ckpt.barrier %arg0
// CHECK: %[[E2:.*]] = math.exp %[[BO]]
// CHECK: %[[S2:.*]] = math.sin %[[E2]]
// CHECK: %[[BI:.*]] = ckpt.barrier %[[BO]]
// CHECK: %[[E3:.*]] = math.exp %[[BI]]
// CHECK: arith.mulf %arg1, %[[E3]]
// CHECK: arith.mulf %{{.*}}, %[[S2]]
func.func @rematerialize_nested(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:3 = ckpt.checkpoint "outer" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %i = ckpt.checkpoint "inner" (%b = %a : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.exp %b : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    %s = math.sin %i : tensor<8xf32>
    ckpt.yield %s, %i, %s : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  %l = arith.addf %r#0, %r#0 : tensor<8xf32>
  %g0 = arith.mulf %dy, %r#1 : tensor<8xf32>
  %g1 = arith.mulf %g0, %r#2 : tensor<8xf32>
  return %l, %g1 : tensor<8xf32>, tensor<8xf32>
}
func.func @rematerialize_nested_order(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:3 = ckpt.checkpoint "outer" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %i = ckpt.checkpoint "inner" (%b = %a : tensor<8xf32>) -> (tensor<8xf32>) {
      %e = math.exp %b : tensor<8xf32>
      ckpt.yield %e : tensor<8xf32>
    }
    %s = math.sin %i : tensor<8xf32>
    ckpt.yield %s, %i, %s : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  %l = arith.addf %r#0, %r#0 : tensor<8xf32>
  %g0 = arith.mulf %dy, %r#1 : tensor<8xf32>
  %g1 = arith.mulf %g0, %r#2 : tensor<8xf32>
  return %l, %g1 : tensor<8xf32>, tensor<8xf32>
}

// -----

// §3.7 instances and the function boundary: `ckpt.checkpoint` on a func.func
// makes every forward call to it a region; each call gets its own recompute
// tied to its own inputs. On a func.call it marks that call only. No
// annotation remains; the callee itself is unchanged.
// CHECK-LABEL: func private @layer(
// CHECK-NOT: ckpt.checkpoint
// CHECK: return
// CHECK-LABEL: func @rematerialize_instances
// CHECK: %[[H1:.*]] = math.exp %arg0
// CHECK: %[[H2:.*]] = math.exp %[[H1]]
// CHECK: %[[H3:.*]] = math.exp %[[H2]]
// CHECK: %[[B2:.*]] = ckpt.barrier %[[H2]]
// CHECK: %[[S2:.*]] = math.sin %[[B2]]
// CHECK: %[[G2:.*]] = arith.mulf %arg1, %[[S2]]
// CHECK: %[[B1:.*]] = ckpt.barrier %[[H1]]
// CHECK: %[[S1:.*]] = math.sin %[[B1]]
// CHECK: %[[G1:.*]] = arith.mulf %[[G2]], %[[S1]]
// CHECK: %[[B0:.*]] = ckpt.barrier %arg0
// CHECK: %[[S0:.*]] = math.sin %[[B0]]
// CHECK: arith.mulf %[[G1]], %[[S0]]
// CHECK-NOT: ckpt.checkpoint
func.func private @layer(%v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.checkpoint} {
  %e = math.exp %v : tensor<8xf32>
  %s = math.sin %v : tensor<8xf32>
  return %e, %s : tensor<8xf32>, tensor<8xf32>
}
func.func private @other(%v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %e = math.exp %v : tensor<8xf32>
  %s = math.sin %v : tensor<8xf32>
  return %e, %s : tensor<8xf32>, tensor<8xf32>
}
func.func @rematerialize_instances(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %h1:2 = func.call @layer(%x) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %h2:2 = func.call @layer(%h1#0) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %h3:2 = func.call @other(%h2#0) {ckpt.checkpoint} : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %g2 = arith.mulf %dy, %h3#1 : tensor<8xf32>
  %g1 = arith.mulf %g2, %h2#1 : tensor<8xf32>
  %g0 = arith.mulf %g1, %h1#1 : tensor<8xf32>
  return %h3#0, %g0 : tensor<8xf32>, tensor<8xf32>
}

// -----

// §3.8 no-op: a region whose values no backward op uses is simply inlined,
// with no clone and no barrier, even in a function with a backward part.
// CHECK-LABEL: func @negative_unused_region
// CHECK-NOT: ckpt.
// CHECK: %[[S:.*]] = math.sin %arg0
// CHECK-NEXT: %[[G:.*]] = arith.mulf %arg1, %arg1
// CHECK-NEXT: return %[[S]], %[[G]]
func.func @negative_unused_region(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r = ckpt.checkpoint "unused" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %s = math.sin %a : tensor<8xf32>
    ckpt.yield %s : tensor<8xf32>
  }
  %g = arith.mulf %dy, %dy : tensor<8xf32>
  return %r, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// ckpt.forward_results selects the forward part: with [1], the op feeding
// result 0 is backward and reads the region's value, which is recomputed.
// CHECK-LABEL: func @rematerialize_forward_results
// CHECK: %[[S:.*]] = math.sin %arg0
// CHECK: %[[L:.*]] = arith.addf %[[S]], %[[S]]
// CHECK: %[[BAR:.*]] = ckpt.barrier %arg0
// CHECK: %[[S2:.*]] = math.sin %[[BAR]]
// CHECK: %[[G:.*]] = arith.mulf %arg1, %[[S2]]
// CHECK: return %[[G]], %[[L]]
func.func @rematerialize_forward_results(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.forward_results = [1]} {
  %r = ckpt.checkpoint "fr" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %s = math.sin %a : tensor<8xf32>
    ckpt.yield %s : tensor<8xf32>
  }
  %l = arith.addf %r, %r : tensor<8xf32>
  %g = arith.mulf %dy, %r : tensor<8xf32>
  return %g, %l : tensor<8xf32>, tensor<8xf32>
}

// -----

// Annotations are consumed. A checkpointed call in the backward part is not a
// boundary (only the forward part is checkpointed): it stays a call, without
// the attribute, at the top level or nested; the callee loses its own too.
// CHECK-LABEL: func.func private @bwd_layer(
// CHECK-NOT: ckpt.checkpoint
// CHECK-LABEL: func @backward_annotated_calls
// CHECK: %[[G:.*]] = call @bwd_layer(%arg1) : (tensor<8xf32>) -> tensor<8xf32>
// CHECK: scf.if
// CHECK-NEXT: call @bwd_layer(%[[G]]) : (tensor<8xf32>) -> tensor<8xf32>
// CHECK-NOT: ckpt.checkpoint
func.func private @bwd_layer(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func @backward_annotated_calls(%x: tensor<8xf32>, %dy: tensor<8xf32>, %c: i1) -> (tensor<8xf32>, tensor<8xf32>) {
  %y = ckpt.checkpoint "fwd" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %s = math.sin %a : tensor<8xf32>
    ckpt.yield %s : tensor<8xf32>
  }
  %g = func.call @bwd_layer(%dy) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
  %h = scf.if %c -> tensor<8xf32> {
    %k = func.call @bwd_layer(%g) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
    scf.yield %k : tensor<8xf32>
  } else {
    scf.yield %g : tensor<8xf32>
  }
  return %y, %h : tensor<8xf32>, tensor<8xf32>
}

// -----

// Annotations are consumed everywhere, not only in the functions rewritten:
// a nested module, the backward function of an external split-form forward
// (not rewritten), and an op other than a call.
// CHECK-LABEL: module @annotations_inner
// CHECK-NOT: ckpt.checkpoint
// CHECK: func.func @annotations_bwd
// CHECK-NOT: ckpt.checkpoint
// CHECK: func.func @annotations_main
// CHECK-NOT: ckpt.checkpoint
// CHECK: return
module @annotations_inner {
  func.func private @k(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
    return %v : tensor<8xf32>
  }
}
func.func private @annotations_layer(%v: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func private @annotations_fwd(%v: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @annotations_bwd, ckpt.num_outputs = 1}
func.func @annotations_bwd(%t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = func.call @annotations_layer(%dy) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
  %h = arith.mulf %g, %t {ckpt.checkpoint} : tensor<8xf32>
  return %h : tensor<8xf32>
}
func.func @annotations_main(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %y = func.call @annotations_layer(%x) {ckpt.checkpoint} : (tensor<8xf32>) -> tensor<8xf32>
  %g = arith.mulf %y, %dy {ckpt.checkpoint} : tensor<8xf32>
  return %y, %g : tensor<8xf32>, tensor<8xf32>
}
