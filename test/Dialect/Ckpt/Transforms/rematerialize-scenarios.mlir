// The tensor-level failure scenarios of docs/rationale.md, one case each.
// The cases check what is saved and what is cloned; some keep a value as
// large as the one they recompute, which lowers no peak, so `force` keeps
// "never worse" (rematerialize-never-worse.mlir) out of the way.
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize=force -ckpt-verify 2>/dev/null | FileCheck %s
// S1 again after the cleanups that could fold a recompute back (JAX 13999):
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize=force -cse -canonicalize -loop-invariant-code-motion -ckpt-verify 2>/dev/null | FileCheck %s --check-prefix=CLEAN
// RUN: ckpt-opt %s -split-input-file -ckpt-rematerialize="assume-pure=ext_pure force" -ckpt-verify 2>/dev/null | FileCheck %s --check-prefix=PURE

#id = affine_map<(d0, d1) -> (d0, d1)>

// S1: R { a = matmul(x, w1); b = tanh(a); c = matmul(b, w2) }, loss = sum(c);
// the backward needs b and x. The backward computes its own matmul(x, w1)
// and tanh, from barrier'd inputs, and no forward a/b reaches the backward.
// CHECK-LABEL: func @rematerialize_s1
// CHECK: %[[ZERO:.*]] = arith.constant 0.0
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[A:.*]] = linalg.matmul ins(%arg0, %arg1
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%[[A]]
// CHECK: %[[C:.*]] = linalg.matmul ins(%[[B]]
// CHECK: linalg.reduce ins(%[[C]]
// CHECK: %[[SEED:.*]] = linalg.fill
// CHECK: %[[BAR:.*]]:4 = ckpt.barrier %arg0, %arg1, %[[ZERO]], %[[E]] after %[[SEED]]
// CHECK: %[[Z2:.*]] = linalg.fill ins(%[[BAR]]#2 : f32) outs(%[[BAR]]#3
// CHECK: %[[A2:.*]] = linalg.matmul ins(%[[BAR]]#0, %[[BAR]]#1 : {{.*}}) outs(%[[Z2]]
// CHECK: %[[B2:.*]] = linalg.generic {{.*}} ins(%[[A2]] : {{.*}}) outs(%[[BAR]]#3
// CHECK: linalg.mul ins(%[[SEED]], %[[B2]]
// CHECK-NOT: ckpt.checkpoint
// CLEAN-LABEL: func @rematerialize_s1
// CLEAN: %[[A:.*]] = linalg.matmul ins(%arg0, %arg1
// CLEAN: %[[B:.*]] = linalg.generic {{.*}} ins(%[[A]]
// CLEAN: %[[BAR:.*]]:4 = ckpt.barrier %arg0, %arg1, {{.*}} after
// CLEAN: %[[Z2:.*]] = linalg.fill ins(%[[BAR]]#2 : f32) outs(%[[BAR]]#3
// CLEAN: %[[A2:.*]] = linalg.matmul ins(%[[BAR]]#0, %[[BAR]]#1
// CLEAN: %[[B2:.*]] = linalg.generic {{.*}} ins(%[[A2]]
// CLEAN-NOT: %[[B]]
// CLEAN: linalg.mul ins(%{{.*}}, %[[B2]]
// CLEAN-NOT: %[[A]]
// CLEAN-NOT: %[[B]]
// CLEAN: return
func.func @rematerialize_s1(%x: tensor<4x8xf32>, %w1: tensor<8x8xf32>, %w2: tensor<8x8xf32>) -> (tensor<f32>, tensor<4x8xf32>) {
  %r:2 = ckpt.checkpoint "s1" (%a0 = %x, %a1 = %w1, %a2 = %w2 : tensor<4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x8xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    %a = linalg.matmul ins(%a0, %a1 : tensor<4x8xf32>, tensor<8x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
    %b = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
    ^bb0(%in: f32, %out: f32):
      %t = math.tanh %in : f32
      linalg.yield %t : f32
    } -> tensor<4x8xf32>
    %c = linalg.matmul ins(%b, %a2 : tensor<4x8xf32>, tensor<8x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
    ckpt.yield %c, %b : tensor<4x8xf32>, tensor<4x8xf32>
  }
  %zero = arith.constant 0.0 : f32
  %one = arith.constant 1.0 : f32
  %s0 = tensor.empty() : tensor<f32>
  %s = linalg.fill ins(%zero : f32) outs(%s0 : tensor<f32>) -> tensor<f32>
  %loss = linalg.reduce ins(%r#0 : tensor<4x8xf32>) outs(%s : tensor<f32>) dimensions = [0, 1]
    (%in: f32, %acc: f32) {
      %sum = arith.addf %in, %acc : f32
      linalg.yield %sum : f32
    }
  // Backward: dc = 1 (seed); the gradient reads b.
  %e = tensor.empty() : tensor<4x8xf32>
  %seed = linalg.fill ins(%one : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  %g = linalg.mul ins(%seed, %r#1 : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %loss, %g : tensor<f32>, tensor<4x8xf32>
}

// -----

// S2: an inference-only function with an annotated region: no clone, no
// barrier; the region is simply inlined.
// CHECK-LABEL: func @negative_s2_inference
// CHECK-NOT: ckpt.
// CHECK: %[[M:.*]] = linalg.matmul
// CHECK-NEXT: return %[[M]]
func.func @negative_s2_inference(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>) -> tensor<4x8xf32> {
  %r = ckpt.checkpoint "s2" (%a = %x, %b = %w : tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>) {
    %e = tensor.empty() : tensor<4x8xf32>
    %m = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    ckpt.yield %m : tensor<4x8xf32>
  }
  return %r : tensor<4x8xf32>
}

// -----

// S3: dropout whose mask is a stateless hash of (seed, element index). The
// recompute rebuilds the mask and the scaled value with the same ops and
// attributes; nothing is stored but the region inputs.
// CHECK-LABEL: func @rematerialize_s3_stateless_dropout
// CHECK: %[[BAR:.*]]:{{[0-9]+}} = ckpt.barrier %arg0, %arg1, %arg2, {{.*}} after
// CHECK: %[[MM:.*]] = linalg.matmul ins(%[[BAR]]#0, %[[BAR]]#1
// CHECK: %[[MASK:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<4x8xi1>)
// CHECK:   linalg.index 0
// CHECK:   linalg.index 1
// CHECK:   arith.muli %{{.*}}, %{{.*}} : i32
// CHECK:   arith.cmpi ult
// CHECK: %[[T2:.*]] = linalg.generic {{.*}} ins(%[[MM]], %[[MASK]]
// CHECK:   arith.select
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[MASK]], %[[T2]]
func.func @rematerialize_s3_stateless_dropout(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %seed: tensor<i32>, %dy: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:3 = ckpt.checkpoint "s3" (%a = %x, %b = %w, %s = %seed : tensor<4x8xf32>, tensor<8x8xf32>, tensor<i32>) -> (tensor<4x8xf32>, tensor<4x8xi1>, tensor<4x8xf32>) {
    %zero = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<4x8xf32>
    %z = linalg.fill ins(%zero : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
    %t1 = linalg.matmul ins(%a, %b : tensor<4x8xf32>, tensor<8x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
    %em = tensor.empty() : tensor<4x8xi1>
    %m = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> ()>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%s : tensor<i32>) outs(%em : tensor<4x8xi1>) {
    ^bb0(%sd: i32, %out: i1):
      %i = linalg.index 0 : index
      %j = linalg.index 1 : index
      %ii = arith.index_cast %i : index to i32
      %jj = arith.index_cast %j : index to i32
      %c8 = arith.constant 8 : i32
      %k = arith.muli %ii, %c8 : i32
      %n = arith.addi %k, %jj : i32
      %h0 = arith.xori %n, %sd : i32
      %mul = arith.constant 747796405 : i32
      %h1 = arith.muli %h0, %mul : i32
      %thr = arith.constant 2147483648 : i32
      %keep = arith.cmpi ult, %h1, %thr : i32
      linalg.yield %keep : i1
    } -> tensor<4x8xi1>
    %t2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%t1, %m : tensor<4x8xf32>, tensor<4x8xi1>) outs(%e : tensor<4x8xf32>) {
    ^bb0(%v: f32, %keep: i1, %out: f32):
      %scale = arith.constant 2.0 : f32
      %zf = arith.constant 0.0 : f32
      %sv = arith.mulf %v, %scale : f32
      %o = arith.select %keep, %sv, %zf : f32
      linalg.yield %o : f32
    } -> tensor<4x8xf32>
    ckpt.yield %t2, %m, %t2 : tensor<4x8xf32>, tensor<4x8xi1>, tensor<4x8xf32>
  }
  // Backward needs the mask and t2.
  %e = tensor.empty() : tensor<4x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%dy, %r#1, %r#2 : tensor<4x8xf32>, tensor<4x8xi1>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%d: f32, %keep: i1, %t: f32, %out: f32):
    %zf = arith.constant 0.0 : f32
    %p = arith.mulf %d, %t : f32
    %o = arith.select %keep, %p, %zf : f32
    linalg.yield %o : f32
  } -> tensor<4x8xf32>
  return %r#0, %g : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// S3 (stateful variant): a mask drawn from an op with effects (here a call
// to an external generator) is saved, never replayed.
// CHECK-LABEL: func @rematerialize_s3_stateful_mask
// CHECK: %[[MASK:.*]] = call @stateful_rng
// CHECK-NOT: call @stateful_rng
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[MASK]]
func.func private @stateful_rng(tensor<4x8xf32>) -> tensor<4x8xi1>
func.func @rematerialize_s3_stateful_mask(%x: tensor<4x8xf32>, %dy: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:2 = ckpt.checkpoint "s3b" (%a = %x : tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xi1>) {
    %m = func.call @stateful_rng(%a) : (tensor<4x8xf32>) -> tensor<4x8xi1>
    %e = tensor.empty() : tensor<4x8xf32>
    %t = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%a, %m : tensor<4x8xf32>, tensor<4x8xi1>) outs(%e : tensor<4x8xf32>) {
    ^bb0(%v: f32, %keep: i1, %out: f32):
      %zf = arith.constant 0.0 : f32
      %o = arith.select %keep, %v, %zf : f32
      linalg.yield %o : f32
    } -> tensor<4x8xf32>
    ckpt.yield %t, %m : tensor<4x8xf32>, tensor<4x8xi1>
  }
  %e = tensor.empty() : tensor<4x8xf32>
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%dy, %r#1 : tensor<4x8xf32>, tensor<4x8xi1>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%d: f32, %keep: i1, %out: f32):
    %zf = arith.constant 0.0 : f32
    %o = arith.select %keep, %d, %zf : f32
    linalg.yield %o : f32
  } -> tensor<4x8xf32>
  return %r#0, %g : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// S4: destination-passing style. The backward needs n, written by a
// linalg.generic into an empty tensor: the recompute includes the op that
// fills n, not only the tensor.empty.
// CHECK-LABEL: func @rematerialize_s4_filled_not_empty
// CHECK: %[[E:.*]] = tensor.empty() : tensor<4x8xf32>
// CHECK: %[[BAR:.*]] = ckpt.barrier %[[E]] after
// CHECK-NEXT: %[[N:.*]] = linalg.generic {{.*}} outs(%[[BAR]] : tensor<4x8xf32>)
// CHECK: math.sin
// CHECK: linalg.mul ins(%arg1, %[[N]]
func.func @rematerialize_s4_filled_not_empty(%x: tensor<4x8xf32>, %dy: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:2 = ckpt.checkpoint "s4" (%a = %x : tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
    %n0 = tensor.empty() : tensor<4x8xf32>
    %n = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} outs(%n0 : tensor<4x8xf32>) {
    ^bb0(%out: f32):
      %i = linalg.index 0 : index
      %ii = arith.index_cast %i : index to i32
      %f = arith.sitofp %ii : i32 to f32
      %s = math.sin %f : f32
      linalg.yield %s : f32
    } -> tensor<4x8xf32>
    %y = linalg.add ins(%a, %n : tensor<4x8xf32>, tensor<4x8xf32>) outs(%n0 : tensor<4x8xf32>) -> tensor<4x8xf32>
    ckpt.yield %y, %n : tensor<4x8xf32>, tensor<4x8xf32>
  }
  %e = tensor.empty() : tensor<4x8xf32>
  %g = linalg.mul ins(%dy, %r#1 : tensor<4x8xf32>, tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  return %r#0, %g : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// S6: a region that also stores running statistics into a memref and calls
// a function with unknown effects. Only effect-free ops are cloned; the
// store and the call happen exactly once; the value only the call produces
// is saved.
// CHECK-LABEL: func @rematerialize_s6_side_effects
// CHECK: memref.store
// CHECK: %[[M:.*]] = call @log_metric
// CHECK: %[[BAR:.*]] = ckpt.barrier %[[M]]
// CHECK: math.exp %[[BAR]]
// CHECK-NOT: memref.store
// CHECK-NOT: call @log_metric
// CHECK: return
func.func private @log_metric(tensor<4xf32>) -> tensor<4xf32>
func.func @rematerialize_s6_side_effects(%x: tensor<4xf32>, %stats: memref<4xf32>, %dy: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %r:2 = ckpt.checkpoint "s6" (%a = %x, %s = %stats : tensor<4xf32>, memref<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
    %c0 = arith.constant 0 : index
    %v = tensor.extract %a[%c0] : tensor<4xf32>
    memref.store %v, %s[%c0] : memref<4xf32>
    %m = func.call @log_metric(%a) : (tensor<4xf32>) -> tensor<4xf32>
    %t = math.exp %m : tensor<4xf32>
    ckpt.yield %t, %t : tensor<4xf32>, tensor<4xf32>
  }
  %g = arith.mulf %dy, %r#1 : tensor<4xf32>
  return %r#0, %g : tensor<4xf32>, tensor<4xf32>
}

// -----

// S8: precision kept. truncf to bf16, a bf16 matmul accumulating in f32,
// then silu with fastmath flags: the clones keep element types, casts,
// fastmath flags and every attribute.
// CHECK-LABEL: func @rematerialize_s8_precision
// CHECK: ckpt.barrier
// CHECK: %[[XB:.*]] = arith.truncf %{{.*}} : tensor<4x8xf32> to tensor<4x8xbf16>
// CHECK: %[[WB:.*]] = arith.truncf %{{.*}} : tensor<8x8xf32> to tensor<8x8xbf16>
// CHECK: %[[Y:.*]] = linalg.matmul {test.keep = 7 : i64} ins(%[[XB]], %[[WB]] : tensor<4x8xbf16>, tensor<8x8xbf16>) outs(%{{.*}} : tensor<4x8xf32>)
// CHECK: %[[NEG:.*]] = arith.negf %[[Y]] fastmath<nnan,ninf> : tensor<4x8xf32>
// CHECK: math.exp %[[NEG]] fastmath<afn> : tensor<4x8xf32>
// CHECK: arith.divf %[[Y]], %{{.*}} fastmath<contract> : tensor<4x8xf32>
// CHECK: arith.mulf %arg2
func.func @rematerialize_s8_precision(%x: tensor<4x8xf32>, %w: tensor<8x8xf32>, %dy: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:2 = ckpt.checkpoint "s8" (%a = %x, %b = %w : tensor<4x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
    %xb = arith.truncf %a : tensor<4x8xf32> to tensor<4x8xbf16>
    %wb = arith.truncf %b : tensor<8x8xf32> to tensor<8x8xbf16>
    %zero = arith.constant dense<0.0> : tensor<4x8xf32>
    %y = linalg.matmul {test.keep = 7} ins(%xb, %wb : tensor<4x8xbf16>, tensor<8x8xbf16>) outs(%zero : tensor<4x8xf32>) -> tensor<4x8xf32>
    %one = arith.constant dense<1.0> : tensor<4x8xf32>
    %n = arith.negf %y fastmath<nnan,ninf> : tensor<4x8xf32>
    %e = math.exp %n fastmath<afn> : tensor<4x8xf32>
    %d = arith.addf %one, %e : tensor<4x8xf32>
    %z = arith.divf %y, %d fastmath<contract> : tensor<4x8xf32>
    ckpt.yield %z, %z : tensor<4x8xf32>, tensor<4x8xf32>
  }
  %g = arith.mulf %dy, %r#1 : tensor<4x8xf32>
  return %r#0, %g : tensor<4x8xf32>, tensor<4x8xf32>
}

// -----

// S9: the only non-weight input needs no gradient, but the weight does.
// What to recompute is decided from the backward ops that exist: dw reads
// the region's h, so h is recomputed; dw itself is unchanged.
// CHECK-LABEL: func @rematerialize_s9_weight_gradient
// CHECK: %[[BAR:.*]] = ckpt.barrier %arg0 :
// CHECK: %[[H:.*]] = math.tanh %[[BAR]]
// CHECK: %[[DW:.*]] = arith.mulf %[[H]], %arg2
// CHECK: return %{{.*}}, %[[DW]]
func.func @rematerialize_s9_weight_gradient(%x: tensor<8xf32>, %w: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "s9" (%a = %x, %b = %w : tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %h = math.tanh %a : tensor<8xf32>
    %y = arith.mulf %h, %b : tensor<8xf32>
    ckpt.yield %y, %h : tensor<8xf32>, tensor<8xf32>
  }
  %dw = arith.mulf %r#1, %dy : tensor<8xf32>
  return %r#0, %dw : tensor<8xf32>, tensor<8xf32>
}

// -----

// S10: a region returns a tensor, an i1 flag, an index, an i1 mask tensor
// and a statistic nobody differentiates. The scalars are kept (never
// recomputed for their own sake); the mask, which the backward needs, is
// recomputed; the statistic is not recomputed.
// CHECK-LABEL: func @rematerialize_s10_non_float
// CHECK: %[[FLAG:.*]] = arith.cmpf ogt, {{.*}} : f32
// CHECK: %[[DIM:.*]] = tensor.dim
// CHECK: %[[BAR:.*]]:{{[0-9]+}} = ckpt.barrier %arg0
// CHECK: %[[MASK:.*]] = arith.cmpf ogt, %[[BAR]]#0
// CHECK-NOT: math.sqrt
// CHECK: arith.select %[[MASK]]
// CHECK: scf.if %[[FLAG]]
// CHECK: tensor.empty(%[[DIM]])
func.func @rematerialize_s10_non_float(%x: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<?xf32>, f32) {
  %r:5 = ckpt.checkpoint "s10" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, i1, index, tensor<8xi1>, f32) {
    %c0 = arith.constant 0 : index
    %zero = arith.constant dense<0.0> : tensor<8xf32>
    %mask = arith.cmpf ogt, %a, %zero : tensor<8xf32>
    %y = arith.select %mask, %a, %zero : tensor<8xi1>, tensor<8xf32>
    %v = tensor.extract %y[%c0] : tensor<8xf32>
    %f0 = arith.constant 0.0 : f32
    %flag = arith.cmpf ogt, %v, %f0 : f32
    %n = tensor.dim %a, %c0 : tensor<8xf32>
    %stat = math.sqrt %v : f32
    ckpt.yield %y, %flag, %n, %mask, %stat : tensor<8xf32>, i1, index, tensor<8xi1>, f32
  }
  %zero = arith.constant dense<0.0> : tensor<8xf32>
  %dx = arith.select %r#3, %dy, %zero : tensor<8xi1>, tensor<8xf32>
  %dx2 = scf.if %r#1 -> tensor<8xf32> {
    scf.yield %dx : tensor<8xf32>
  } else {
    scf.yield %dy : tensor<8xf32>
  }
  %buf = tensor.empty(%r#2) : tensor<?xf32>
  return %r#0, %dx2, %buf, %r#4 : tensor<8xf32>, tensor<8xf32>, tensor<?xf32>, f32
}

// -----

// S11a: a call to a defined pure function inside a region is cloned for the
// recompute.
// CHECK-LABEL: func @rematerialize_s11_defined_callee
// CHECK: call @pure_f
// CHECK: ckpt.barrier
// CHECK: %[[B:.*]] = call @pure_f
// CHECK: %[[C:.*]] = math.tanh %[[B]]
// CHECK: arith.mulf %arg2, %[[C]]
func.func private @pure_f(%v: tensor<8xf32>) -> tensor<8xf32> {
  %e = math.exp %v : tensor<8xf32>
  return %e : tensor<8xf32>
}
func.func @rematerialize_s11_defined_callee(%x: tensor<8xf32>, %w: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "s11a" (%xa = %x, %wa = %w : tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %a = arith.mulf %xa, %wa : tensor<8xf32>
    %b = func.call @pure_f(%a) : (tensor<8xf32>) -> tensor<8xf32>
    %c = math.tanh %b : tensor<8xf32>
    ckpt.yield %c, %c : tensor<8xf32>, tensor<8xf32>
  }
  %g = arith.mulf %dy, %r#1 : tensor<8xf32>
  return %r#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// S11b: a call to an external declaration: b is saved and only c is
// recomputed, unless assume-pure names the callee (PURE), in which case the
// call is cloned as well.
// CHECK-LABEL: func @rematerialize_s11_external_callee
// CHECK: %[[B:.*]] = call @ext_pure
// CHECK: %[[BAR:.*]] = ckpt.barrier %[[B]]
// CHECK-NOT: call @ext_pure
// CHECK: math.tanh %[[BAR]]
// PURE-LABEL: func @rematerialize_s11_external_callee
// PURE: call @ext_pure
// PURE: %[[BAR:.*]]:2 = ckpt.barrier %arg0, %arg1
// PURE: %[[A:.*]] = arith.mulf %[[BAR]]#0, %[[BAR]]#1
// PURE: %[[B:.*]] = call @ext_pure(%[[A]])
// PURE: math.tanh %[[B]]
func.func private @ext_pure(tensor<8xf32>) -> tensor<8xf32>
func.func @rematerialize_s11_external_callee(%x: tensor<8xf32>, %w: tensor<8xf32>, %dy: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:2 = ckpt.checkpoint "s11b" (%xa = %x, %wa = %w : tensor<8xf32>, tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
    %a = arith.mulf %xa, %wa : tensor<8xf32>
    %b = func.call @ext_pure(%a) : (tensor<8xf32>) -> tensor<8xf32>
    %c = math.tanh %b : tensor<8xf32>
    ckpt.yield %c, %c : tensor<8xf32>, tensor<8xf32>
  }
  %g = arith.mulf %dy, %r#1 : tensor<8xf32>
  return %r#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// S12: the backward needs an op's own output. h1 = silu(h), h2 = resize(h1);
// the derivative of sin reads its input, of exp its output, of mul both, of
// add neither. Each needed value is recomputed; nothing the backward does
// not read is cloned.
// CHECK-LABEL: func @rematerialize_s12_needed_outputs
// CHECK: %[[BAR:.*]] = ckpt.barrier %arg0
// CHECK-NOT: arith.addf %[[BAR]]
// CHECK: %[[E:.*]] = math.exp %[[BAR]]
// CHECK: %[[SIN_IN:.*]] = arith.mulf %[[E]], %[[BAR]]
// CHECK: %[[R:.*]] = tensor.extract_slice %[[SIN_IN]]
// CHECK-NOT: math.sin
// CHECK: math.cos %[[SIN_IN]]
// CHECK: arith.mulf %{{.*}}, %[[E]]
// CHECK: arith.mulf %{{.*}}, %[[R]]
func.func @rematerialize_s12_needed_outputs(%x: tensor<8xf32>, %dy: tensor<8xf32>, %dr: tensor<4xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %r:4 = ckpt.checkpoint "s12" (%a = %x : tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>) {
    %e = math.exp %a : tensor<8xf32>
    %h1 = arith.mulf %e, %a : tensor<8xf32>
    %h2 = tensor.extract_slice %h1[0] [4] [2] : tensor<8xf32> to tensor<4xf32>
    %s = math.sin %h1 : tensor<8xf32>
    %y = arith.addf %s, %a : tensor<8xf32>
    ckpt.yield %y, %h1, %e, %h2 : tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<4xf32>
  }
  // d sin(h1) = cos(h1) reads the input; d exp = exp reads the output; the
  // mul reads both; the slice's gradient reads the slice.
  %c = math.cos %r#1 : tensor<8xf32>
  %g0 = arith.mulf %dy, %c : tensor<8xf32>
  %g1 = arith.mulf %g0, %r#2 : tensor<8xf32>
  %gs = arith.mulf %dr, %r#3 : tensor<4xf32>
  %z = arith.constant dense<0.0> : tensor<8xf32>
  %gi = tensor.insert_slice %gs into %z[0] [4] [2] : tensor<4xf32> into tensor<8xf32>
  %g = arith.addf %g1, %gi : tensor<8xf32>
  return %r#0, %g : tensor<8xf32>, tensor<8xf32>
}

// -----

// S13: only what is needed. The backward needs x, a and b; only matmul(x,
// w1) and gelu are cloned; the second matmul and the exchange are not, and
// no dead clone remains.
// CHECK-LABEL: func @rematerialize_s13_early_stop
// CHECK: call @exchange
// CHECK: %[[BAR:.*]]:{{[0-9]+}} = ckpt.barrier %arg0, %arg1
// CHECK-NEXT: %[[A:.*]] = linalg.matmul ins(%[[BAR]]#0, %[[BAR]]#1
// CHECK-NEXT: %[[B:.*]] = math.erf %[[A]]
// CHECK-NEXT: arith.mulf %arg3, %[[B]]
// CHECK-NOT: call @exchange
// CHECK-NOT: linalg.matmul ins(%[[B]]
func.func private @exchange(tensor<4x8xf32>) -> tensor<4x8xf32>
func.func @rematerialize_s13_early_stop(%x: tensor<4x8xf32>, %w1: tensor<8x8xf32>, %w2: tensor<8x8xf32>, %dy: tensor<4x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>) {
  %r:3 = ckpt.checkpoint "s13" (%xa = %x, %a1 = %w1, %a2 = %w2 : tensor<4x8xf32>, tensor<8x8xf32>, tensor<8x8xf32>) -> (tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>) {
    %zero = arith.constant dense<0.0> : tensor<4x8xf32>
    %a = linalg.matmul ins(%xa, %a1 : tensor<4x8xf32>, tensor<8x8xf32>) outs(%zero : tensor<4x8xf32>) -> tensor<4x8xf32>
    %b = math.erf %a : tensor<4x8xf32>
    %c = linalg.matmul ins(%b, %a2 : tensor<4x8xf32>, tensor<8x8xf32>) outs(%zero : tensor<4x8xf32>) -> tensor<4x8xf32>
    %d = func.call @exchange(%c) : (tensor<4x8xf32>) -> tensor<4x8xf32>
    ckpt.yield %d, %a, %b : tensor<4x8xf32>, tensor<4x8xf32>, tensor<4x8xf32>
  }
  %g0 = arith.mulf %dy, %r#2 : tensor<4x8xf32>
  %g = arith.mulf %g0, %r#1 : tensor<4x8xf32>
  return %r#0, %g : tensor<4x8xf32>, tensor<4x8xf32>
}
