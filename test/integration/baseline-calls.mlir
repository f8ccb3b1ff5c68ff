// The baseline without checkpointing (ckpt-drop-annotations, which
// `ckpt-run --no-checkpoint` runs) is the same computation with nothing
// recomputed, lowered the same way: checkpointed calls are inlined as
// ckpt-rematerialize inlines them, so the call boundaries do not keep
// buffers alive and inflate the measured baseline. The measured peak equals
// the one of the same graph inlined by hand (upstream -inline), and the
// gradients are the same bits.
// RUN: ckpt-run --no-checkpoint %s > %t.base
// RUN: ckpt-opt %s -inline -o %t.inlined.mlir
// RUN: ckpt-run --no-checkpoint %t.inlined.mlir > %t.inlined
// RUN: diff %t.base %t.inlined
// RUN: FileCheck %s < %t.base
// CHECK: result 0:
// CHECK: peak bytes [[PEAK:[0-9]+]]

func.func private @layer(%x: tensor<16x32xf32>, %w: tensor<32x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>) attributes {ckpt.checkpoint} {
  %zero = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x32xf32>
  %z = linalg.fill ins(%zero : f32) outs(%e : tensor<16x32xf32>) -> tensor<16x32xf32>
  %a = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x32xf32>) outs(%z : tensor<16x32xf32>) -> tensor<16x32xf32>
  %h, %d = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<16x32xf32>) outs(%e, %e : tensor<16x32xf32>, tensor<16x32xf32>) {
  ^bb0(%v: f32, %o0: f32, %o1: f32):
    %t = math.tanh %v : f32
    %one = arith.constant 1.0 : f32
    %sq = arith.mulf %t, %t : f32
    %dt = arith.subf %one, %sq : f32
    linalg.yield %t, %dt : f32, f32
  } -> (tensor<16x32xf32>, tensor<16x32xf32>)
  return %h, %d : tensor<16x32xf32>, tensor<16x32xf32>
}
func.func @step(%x: tensor<16x32xf32>, %w0: tensor<32x32xf32>, %w1: tensor<32x32xf32>, %w2: tensor<32x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>) {
  %h0:2 = func.call @layer(%x, %w0) : (tensor<16x32xf32>, tensor<32x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>)
  %h1:2 = func.call @layer(%h0#0, %w1) : (tensor<16x32xf32>, tensor<32x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>)
  %h2:2 = func.call @layer(%h1#0, %w2) : (tensor<16x32xf32>, tensor<32x32xf32>) -> (tensor<16x32xf32>, tensor<16x32xf32>)
  %l = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%h2#0, %h2#0 : tensor<16x32xf32>, tensor<16x32xf32>) outs(%h2#0 : tensor<16x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.addf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<16x32xf32>
  %g2 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%l, %h2#1 : tensor<16x32xf32>, tensor<16x32xf32>) outs(%l : tensor<16x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.mulf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<16x32xf32>
  %g1 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%g2, %h1#1 : tensor<16x32xf32>, tensor<16x32xf32>) outs(%g2 : tensor<16x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.mulf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<16x32xf32>
  %g0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%g1, %h0#1 : tensor<16x32xf32>, tensor<16x32xf32>) outs(%g1 : tensor<16x32xf32>) {
  ^bb0(%p: f32, %q: f32, %o: f32):
    %r = arith.mulf %p, %q : f32
    linalg.yield %r : f32
  } -> tensor<16x32xf32>
  return %l, %g0 : tensor<16x32xf32>, tensor<16x32xf32>
}
