// Graphs written the way other tools write them (torch-mlir's dynamic
// batch, nested regions in an AOTAutograd pair, outputs that are also
// returned), each a kind of fault found on graphs from the field.
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize=remarks=all -ckpt-verify -verify-diagnostics -o /dev/null
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize -ckpt-verify 2>/dev/null | FileCheck %s
// The standard pipeline passes on every case and changes no figure:
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize -cse -canonicalize -loop-invariant-code-motion -ckpt-verify 2>/dev/null | FileCheck %s --check-prefix=CLEAN

// Tests that a region nested in a region of a split-form forward function
// (it used to crash) nests as in the joint form: the outer recompute goes to
// @bwd, and the inner region's copy there is rematerialized once more, so
// tanh runs three times (depth + 1), twice in @bwd, the second time from a
// barrier.
// CHECK-LABEL: func @nested_fwd
// CHECK: return %{{.*}}, %arg0 :
// CHECK-LABEL: func @nested_bwd
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK: math.tanh %[[E]]
// CHECK: %[[B:.*]] = ckpt.barrier %[[E]]
// CHECK: %[[T:.*]] = math.tanh %[[B]]
// CHECK: arith.mulf %arg1, %[[T]]
// CHECK-NOT: math.tanh
// CHECK: return
// expected-remark @+1 {{@nested_fwd now saves 1 values (1024 bytes) for @nested_bwd, was 3 (3072 bytes)}}
func.func @nested_fwd(%x: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) attributes {ckpt.backward = @nested_bwd, ckpt.num_outputs = 1} {
  // expected-remark @+1 {{checkpointed region 'outer': drops 3 saved values of @nested_fwd (3072 bytes), clones 4 ops into @nested_bwd before 'arith.mulf', reading 1 saved value; keeps 0 saved values}}
  %r:3 = ckpt.checkpoint "outer" (%a = %x : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) {
    %e = math.exp %a : tensor<256xf32>
    // expected-remark @+2 {{checkpointed region 'inner': drops 0 saved values of @nested_fwd (0 bytes); keeps 0 saved values}}
    // expected-remark @+1 {{checkpointed region 'inner' (inside the recompute of 'outer'): drops 1 value (1024 bytes), clones 1 op before the first backward use ('arith.mulf'); keeps 0 values used by the backward}}
    %i:2 = ckpt.checkpoint "inner" (%b = %e : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) {
      %t = math.tanh %b : tensor<256xf32>
      %s = math.sin %t : tensor<256xf32>
      ckpt.yield %s, %t : tensor<256xf32>, tensor<256xf32>
    }
    %c = math.cos %i#0 : tensor<256xf32>
    ckpt.yield %c, %e, %i#1 : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
  }
  return %r#0, %r#1, %r#2, %r#0 : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
}
func.func @nested_bwd(%e: tensor<256xf32>, %t: tensor<256xf32>, %c: tensor<256xf32>, %dy: tensor<256xf32>) -> tensor<256xf32> {
  %g = arith.mulf %dy, %t : tensor<256xf32>
  %g2 = arith.mulf %g, %e : tensor<256xf32>
  %g3 = arith.mulf %g2, %c : tensor<256xf32>
  return %g3 : tensor<256xf32>
}

// -----

// Tests a split-form pair on a dynamic batch, as torch-mlir exports it:
// the byte rule takes the stated dynamic-dimension size (1 here) instead of
// 0, so the region is rematerialized rather than skipped as saving nothing.
// CHECK-LABEL: func @dyn_fwd
// CHECK: return %{{.*}}, %arg0 : tensor<?x64xf32>, tensor<?x64xf32>
// CHECK-LABEL: func @dyn_bwd
// CHECK: math.exp %arg0
// expected-remark @+1 {{@dyn_fwd now saves 1 values (256 bytes) for @dyn_bwd, was 2 (512 bytes)}}
func.func @dyn_fwd(%x: tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) attributes {ckpt.backward = @dyn_bwd, ckpt.num_outputs = 1} {
  // expected-remark @+1 {{checkpointed region 'blk': drops 2 saved values of @dyn_fwd (512 bytes, each dynamic dimension taken as 1 elements), clones 2 ops into @dyn_bwd before 'arith.mulf', reading 1 saved value; keeps 0 saved values}}
  %r:3 = ckpt.checkpoint "blk" (%a = %x : tensor<?x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>) {
    %e = math.exp %a : tensor<?x64xf32>
    %t = math.tanh %e : tensor<?x64xf32>
    %s = math.sin %t : tensor<?x64xf32>
    ckpt.yield %s, %e, %t : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
  }
  return %r#0, %r#1, %r#2 : tensor<?x64xf32>, tensor<?x64xf32>, tensor<?x64xf32>
}
func.func @dyn_bwd(%e: tensor<?x64xf32>, %t: tensor<?x64xf32>, %dy: tensor<?x64xf32>) -> tensor<?x64xf32> {
  %g = arith.mulf %dy, %t : tensor<?x64xf32>
  %g2 = arith.mulf %g, %e : tensor<?x64xf32>
  return %g2 : tensor<?x64xf32>
}

// -----

// Tests that a region the user annotated and "never worse" skips is a
// warning, not only a remark: keeping %s instead of %t saves nothing.
func.func @skip_fwd(%x: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) attributes {ckpt.backward = @skip_bwd, ckpt.num_outputs = 1} {
  // expected-warning @+1 {{checkpointed region 'blk': not rematerialized: @skip_fwd would save 1024 bytes instead of 1024 (arguments aside; the 'force' option rematerializes it anyway)}}
  %r:2 = ckpt.checkpoint "blk" (%a = %x : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) {
    %s = math.sin %a : tensor<256xf32>
    %c = func.call @log(%s) : (tensor<256xf32>) -> tensor<256xf32>
    %t = math.tanh %c : tensor<256xf32>
    ckpt.yield %t, %t : tensor<256xf32>, tensor<256xf32>
  }
  return %r#0, %r#1 : tensor<256xf32>, tensor<256xf32>
}
// expected-remark @-10 {{@skip_fwd now saves 1 values (1024 bytes) for @skip_bwd, was 1 (1024 bytes)}}
func.func private @log(tensor<256xf32>) -> tensor<256xf32>
func.func @skip_bwd(%t: tensor<256xf32>, %dy: tensor<256xf32>) -> tensor<256xf32> {
  %g = arith.mulf %dy, %t : tensor<256xf32>
  return %g : tensor<256xf32>
}

// -----

// Tests that a region output that is also a forward result
// (ckpt.forward_results = [0, 1]) is kept: recomputing it would free
// nothing while it stays live until the return, and used to raise the peak.
// The other dropped value is recomputed; the summary prints the report's
// figures (the peak does not rise).
// CHECK-LABEL: func @returned_output
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK: %[[G:.*]] = arith.mulf %arg1, %[[E]]
// CHECK: %[[B:.*]] = ckpt.barrier %[[E]] after %[[G]]
// CHECK: %[[T:.*]] = math.tanh %[[B]]
// CHECK: arith.mulf %[[G]], %[[T]]
// CHECK: return %{{.*}}, %[[E]], %{{.*}}
// expected-remark @+1 {{@returned_output: 1 of 1 checkpointed region rematerialized; estimated peak 5120 -> 5120 bytes, saved bytes 2048 -> 1024, recompute FLOPs 256}}
func.func @returned_output(%x: tensor<256xf32>, %dy: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) attributes {ckpt.forward_results = [0, 1]} {
  // expected-remark @+1 {{checkpointed region 'blk': drops 1 value (1024 bytes), clones 1 op before the first backward use ('arith.mulf'); keeps 1 value used by the backward}}
  %r:3 = ckpt.checkpoint "blk" (%a = %x : tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) {
    // expected-note @+1 {{kept: still used by the forward part or returned after its recompute would start (recomputing it would free nothing)}}
    %e = math.exp %a : tensor<256xf32>
    %t = math.tanh %e : tensor<256xf32>
    %s = math.sin %t : tensor<256xf32>
    ckpt.yield %s, %e, %t : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
  }
  %l = arith.addf %r#0, %r#0 : tensor<256xf32>
  %g = arith.mulf %dy, %r#1 : tensor<256xf32>
  %g2 = arith.mulf %g, %r#2 : tensor<256xf32>
  return %l, %r#1, %g2 : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
}

// -----

// Tests a region without inputs (its data comes from a constant): the
// recompute reads the constant through the barrier, and the summary's
// figures are the report's (peak 4096 before and after).
// CHECK-LABEL: func @no_inputs
// CHECK: ckpt.barrier %{{.*}} : tensor<256xf32>
// expected-remark @+1 {{@no_inputs: 1 of 1 checkpointed region rematerialized; estimated peak 4096 -> 4096 bytes, saved bytes 2048 -> 0, recompute FLOPs 512}}
func.func @no_inputs(%dy: tensor<256xf32>) -> (tensor<256xf32>, tensor<256xf32>) {
  // expected-remark @+1 {{checkpointed region 'gen': drops 2 values (2048 bytes), clones 2 ops before the first backward use ('arith.mulf'); keeps 0 values used by the backward; no benefit: neither the estimated peak (4096 bytes) nor the bytes live at the forward->backward boundary go down}}
  %r:3 = ckpt.checkpoint "gen" () -> (tensor<256xf32>, tensor<256xf32>, tensor<256xf32>) {
    %c = arith.constant dense<0.5> : tensor<256xf32>
    %e = math.exp %c : tensor<256xf32>
    %t = math.tanh %e : tensor<256xf32>
    %s = math.sin %t : tensor<256xf32>
    ckpt.yield %s, %e, %t : tensor<256xf32>, tensor<256xf32>, tensor<256xf32>
  }
  %g = arith.mulf %dy, %r#1 : tensor<256xf32>
  %g2 = arith.mulf %g, %r#2 : tensor<256xf32>
  %l = arith.addf %r#0, %r#0 : tensor<256xf32>
  return %l, %g2 : tensor<256xf32>, tensor<256xf32>
}

// -----

// Tests a dynamic batch as torch-mlir writes it (tensor.dim feeding
// tensor.empty(%d) and linalg.fill, inside and outside the region): the
// standard pipeline with cse passes ckpt-verify (the backward's zero fill
// reads its empty init through a barrier, so cse cannot share the
// forward's), and the dynamic empty tensor counts no bytes, like a static
// one.
// CHECK-LABEL: func @dynamic_batch
// CHECK: %[[N:.*]] = tensor.dim %arg0
// CLEAN-LABEL: func @dynamic_batch
// CLEAN: %[[BE:[0-9]+]] = ckpt.barrier %{{[0-9]+}} after %{{[0-9]+}} : tensor<?x64xf32>
// CLEAN-NEXT: %[[F3:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%[[BE]] : tensor<?x64xf32>)
// CLEAN: linalg.matmul ins(%{{.*}}, %{{.*}} : tensor<?x64xf32>, tensor<64x64xf32>) outs(%[[F3]] : tensor<?x64xf32>)
// expected-remark @+1 {{@dynamic_batch: 1 of 1 checkpointed region rematerialized; estimated peak 16900 -> 16900 bytes, saved bytes 256 -> 0, recompute FLOPs 8192}}
func.func @dynamic_batch(%x: tensor<?x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<?x64xf32>) -> (tensor<?xf32>, tensor<?x64xf32>) {
  %c0 = arith.constant 0 : index
  %zero = arith.constant 0.0 : f32
  // expected-remark @+1 {{checkpointed region 'layer': drops 1 value (256 bytes, each dynamic dimension taken as 1 elements), clones 3 ops before the first backward use ('linalg.generic'); keeps 0 values used by the backward}}
  %h:2 = ckpt.checkpoint "layer" (%a = %x, %b = %w : tensor<?x64xf32>, tensor<64x64xf32>) -> (tensor<?x64xf32>, tensor<?x64xf32>) {
    %c0i = arith.constant 0 : index
    %z = arith.constant 0.0 : f32
    %n = tensor.dim %a, %c0i : tensor<?x64xf32>
    %e = tensor.empty(%n) : tensor<?x64xf32>
    %f = linalg.fill ins(%z : f32) outs(%e : tensor<?x64xf32>) -> tensor<?x64xf32>
    %m = linalg.matmul ins(%a, %b : tensor<?x64xf32>, tensor<64x64xf32>) outs(%f : tensor<?x64xf32>) -> tensor<?x64xf32>
    %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<?x64xf32>) outs(%e : tensor<?x64xf32>) {
    ^bb0(%in: f32, %o: f32):
      %v = math.tanh %in : f32
      linalg.yield %v : f32
    } -> tensor<?x64xf32>
    ckpt.yield %t, %m : tensor<?x64xf32>, tensor<?x64xf32>
  }
  %n = tensor.dim %x, %c0 : tensor<?x64xf32>
  %er = tensor.empty(%n) : tensor<?xf32>
  %fr = linalg.fill ins(%zero : f32) outs(%er : tensor<?xf32>) -> tensor<?xf32>
  %loss = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]} ins(%h#0 : tensor<?x64xf32>) outs(%fr : tensor<?xf32>) {
  ^bb0(%in: f32, %o: f32):
    %s = arith.addf %in, %o : f32
    linalg.yield %s : f32
  } -> tensor<?xf32>
  %e2 = tensor.empty(%n) : tensor<?x64xf32>
  %dm = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%dy, %h#1 : tensor<?x64xf32>, tensor<?x64xf32>) outs(%e2 : tensor<?x64xf32>) {
  ^bb0(%g: f32, %mv: f32, %o: f32):
    %th = math.tanh %mv : f32
    %sq = arith.mulf %th, %th : f32
    %one = arith.constant 1.0 : f32
    %d = arith.subf %one, %sq : f32
    %r = arith.mulf %g, %d : f32
    linalg.yield %r : f32
  } -> tensor<?x64xf32>
  %e3 = tensor.empty(%n) : tensor<?x64xf32>
  %f3 = linalg.fill ins(%zero : f32) outs(%e3 : tensor<?x64xf32>) -> tensor<?x64xf32>
  %wt = tensor.empty() : tensor<64x64xf32>
  %wT = linalg.transpose ins(%w : tensor<64x64xf32>) outs(%wt : tensor<64x64xf32>) permutation = [1, 0]
  %dx = linalg.matmul ins(%dm, %wT : tensor<?x64xf32>, tensor<64x64xf32>) outs(%f3 : tensor<?x64xf32>) -> tensor<?x64xf32>
  return %loss, %dx : tensor<?xf32>, tensor<?x64xf32>
}

// -----

// Tests that an inference function with control flow that calls a
// checkpointed function is left as it is (no backward part, whatever its
// shape), apart from the annotation; it used to fail the whole module.
// CHECK-LABEL: func @inference_with_branches
// CHECK: call @checkpointed_layer
// CHECK-NOT: ckpt.
// CHECK: return
func.func private @checkpointed_layer(%v: tensor<8xf32>) -> tensor<8xf32> attributes {ckpt.checkpoint} {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func @inference_with_branches(%x: tensor<8xf32>, %c: i1) -> tensor<8xf32> {
  cf.cond_br %c, ^bb1, ^bb2
^bb1:
  %y = func.call @checkpointed_layer(%x) : (tensor<8xf32>) -> tensor<8xf32>
  return %y : tensor<8xf32>
^bb2:
  return %x : tensor<8xf32>
}
