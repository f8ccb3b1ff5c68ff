// Split form (rationale §1): @fwd {ckpt.backward = @bwd, ckpt.num_outputs = K}.
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize -ckpt-verify 2>/dev/null | FileCheck %s
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize=remarks=all -verify-diagnostics -o /dev/null

// Tests the rewrite of a pair: e and t leave @fwd's saved results; the
// region's inputs x and w join them; @bwd recomputes e and t before its first
// use of them, with no barrier (the clone is in another function); the call
// pair in @step is updated; the attributes still describe the contract.
// CHECK-LABEL: func @fwd
// CHECK-SAME: -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
// CHECK-SAME: ckpt.backward = @bwd
// CHECK-SAME: ckpt.num_outputs = 1
// CHECK: %[[A:.*]] = arith.mulf %arg0, %arg1
// CHECK: %[[E:.*]] = math.exp %[[A]]
// CHECK: %[[T:.*]] = math.tanh %[[E]]
// CHECK: %[[Y:.*]] = math.sin %[[T]]
// CHECK: return %[[Y]], %arg0, %arg1
// CHECK-LABEL: func @bwd
// CHECK-SAME: (%[[X:.*]]: tensor<8xf32>, %[[W:.*]]: tensor<8xf32>, %[[DY:.*]]: tensor<8xf32>)
// CHECK-NOT: ckpt.barrier
// CHECK: %[[A2:.*]] = arith.mulf %[[X]], %[[W]]
// CHECK: %[[E2:.*]] = math.exp %[[A2]]
// CHECK: %[[T2:.*]] = math.tanh %[[E2]]
// CHECK: %[[G:.*]] = arith.mulf %[[DY]], %[[T2]]
// CHECK: arith.mulf %[[G]], %[[E2]]
// CHECK-LABEL: func @step
// CHECK: %[[F:.*]]:3 = call @fwd(%arg0, %arg1)
// CHECK: call @bwd(%[[F]]#1, %[[F]]#2, %arg2)
func.func @fwd(%x: tensor<8xf32>, %w: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1} {
  // expected-remark @+1 {{checkpointed region 'blk': drops 2 saved values of @fwd (64 bytes), clones 3 ops into @bwd before 'arith.mulf', reading 2 saved values; keeps 0 saved values}}
  %r:3 = ckpt.checkpoint "blk" (%a = %x, %b = %w : tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %m = arith.mulf %a, %b : tensor<8xf32>
    %e = math.exp %m : tensor<8xf32>
    %t = math.tanh %e : tensor<8xf32>
    %y = math.sin %t : tensor<8xf32>
    ckpt.yield %y, %e, %t : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1, %r#2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
// expected-remark @-11 {{@fwd now saves 2 values (64 bytes) for @bwd, was 2 (64 bytes)}}
func.func @bwd(%e: tensor<8xf32>, %t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %t : tensor<8xf32>
  %g2 = arith.mulf %g, %e : tensor<8xf32>
  return %g2 : tensor<8xf32>
}
func.func @step(%x: tensor<8xf32>, %w: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %f:3 = func.call @fwd(%x, %w) : (tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>)
  %g = func.call @bwd(%f#1, %f#2, %dy) : (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  return %f#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// Tests that a saved value that is also saved elsewhere is not duplicated,
// and that an effectful op's result stays saved: @bwd keeps reading it.
// CHECK-LABEL: func @fwd2
// CHECK: %[[C:.*]] = call @noise
// CHECK: return %{{.*}}, %[[C]], %arg0 :
// CHECK-LABEL: func @bwd2
// CHECK-SAME: (%[[C2:.*]]: tensor<8xf32>, %[[X2:.*]]: tensor<8xf32>, %[[D:.*]]: tensor<8xf32>)
// CHECK: %[[S:.*]] = math.sin %[[X2]]
// CHECK: arith.mulf %[[D]], %[[S]]
// CHECK: arith.mulf %{{.*}}, %[[C2]]
func.func private @noise(tensor<8xf32>) -> tensor<8xf32>
func.func @fwd2(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd2, ckpt.num_outputs = 1} {
  // expected-remark @+1 {{checkpointed region 'r': drops 1 saved value of @fwd2 (32 bytes), clones 1 op into @bwd2 before 'arith.mulf', reading 1 saved value; keeps 1 saved value}}
  %r:3 = ckpt.checkpoint "r" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) {
    %s = math.sin %a : tensor<8xf32>
    // expected-note @+1 {{kept: defined by a call to an external function (not matched by assume-pure)}}
    %c = func.call @noise(%s) : (tensor<8xf32>) -> tensor<8xf32>
    %y = arith.addf %c, %s : tensor<8xf32>
    ckpt.yield %y, %s, %c : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1, %r#2, %r#2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>
}
// expected-remark @-11 {{@fwd2 now saves 2 values (64 bytes) for @bwd2, was 2 (64 bytes)}}
func.func @bwd2(%s: tensor<8xf32>, %c: tensor<8xf32>, %c2: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %s : tensor<8xf32>
  %g2 = arith.mulf %g, %c : tensor<8xf32>
  %g3 = arith.addf %g2, %c2 : tensor<8xf32>
  return %g3 : tensor<8xf32>
}

// -----

// Tests a module with both forms: the pair is rewritten first (its call pair
// in @step updated), then the joint function @step, whose forward/backward
// split is computed again after the pair's rewrite replaced its calls; the
// checkpointed call to @layer becomes a region there.
// CHECK-LABEL: func @fwd_mixed
// CHECK: return %{{.*}}, %arg0
// CHECK-LABEL: func @bwd_mixed
// CHECK-NEXT: math.tanh %arg0
// CHECK-LABEL: func @step_mixed
// CHECK: %[[W:.*]] = math.cos
// CHECK: %[[E1:.*]] = math.exp %[[W]]
// CHECK: %[[L:.*]] = math.exp %[[E1]]
// CHECK: %[[F:.*]]:2 = call @fwd_mixed(%[[L]])
// CHECK: call @bwd_mixed(%[[F]]#1, %arg1)
// CHECK: %[[B:.*]] = ckpt.barrier %[[W]] after
// CHECK: %[[R1:.*]] = math.exp %[[B]]
// CHECK: %[[R2:.*]] = math.exp %[[R1]]
// CHECK: arith.mulf %{{.*}}, %[[R2]]
// CHECK-NOT: ckpt.checkpoint
// expected-remark @+1 {{@fwd_mixed now saves 1 values (32 bytes) for @bwd_mixed, was 1 (32 bytes)}}
func.func @fwd_mixed(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) attributes {ckpt.backward = @bwd_mixed, ckpt.num_outputs = 1} {
  // expected-remark @+1 {{checkpointed region 'blk': drops 1 saved value of @fwd_mixed (32 bytes), clones 1 op into @bwd_mixed before 'arith.mulf', reading 1 saved value; keeps 0 saved values}}
  %r:2 = ckpt.checkpoint "blk" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %t = math.tanh %a : tensor<8xf32>
    %s = math.sin %t : tensor<8xf32>
    ckpt.yield %s, %t : tensor<8xf32>, tensor<8xf32>
  }
  return %r#0, %r#1 : tensor<8xf32>, tensor<8xf32>
}
func.func @bwd_mixed(%t: tensor<8xf32>, %dy: tensor<8xf32>) -> tensor<8xf32> {
  %g = arith.mulf %dy, %t : tensor<8xf32>
  return %g : tensor<8xf32>
}
func.func private @layer_mixed(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %e = math.exp %v : tensor<8xf32>
  %e2 = math.exp %e : tensor<8xf32>
  return %e2 : tensor<8xf32>
}
// expected-remark @+1 {{@step_mixed: 1 of 2 checkpointed regions rematerialized; estimated peak 128 -> 128 bytes, saved bytes 96 -> 96, recompute FLOPs 16}}
func.func @step_mixed(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  // expected-remark @+1 {{checkpointed region 'j': no backward op uses its values; inlined, nothing to recompute}}
  %q = ckpt.checkpoint "j" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %f0 = math.sin %e : tensor<8xf32>
    %w = math.cos %f0 : tensor<8xf32>
    ckpt.yield %w : tensor<8xf32>
  }
  // expected-remark @+1 {{checkpointed region 'layer_mixed': drops 1 value (32 bytes), clones 2 ops before the first backward use ('arith.mulf'); keeps 0 values used by the backward}}
  %l = func.call @layer_mixed(%q) : (tensor<8xf32>) -> tensor<8xf32>
  %f:2 = func.call @fwd_mixed(%l) : (tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>)
  %m = arith.mulf %f#0, %q : tensor<8xf32>
  %g = func.call @bwd_mixed(%f#1, %dy) : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %g2 = arith.mulf %g, %m : tensor<8xf32>
  %g3 = arith.mulf %g2, %l : tensor<8xf32>
  return %m, %g3 : tensor<8xf32>, tensor<8xf32>
}
