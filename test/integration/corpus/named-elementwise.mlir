// Named linalg elementwise ops (linalg.mul, linalg.add, linalg.exp,
// linalg.max, linalg.sub, linalg.div, as upstream's named-op front ends and
// IREE's input pipelines write them) in a region computing
// y = max(exp(x w), x + w) - exp(x w) / (x + w + 2); the backward, written
// with the same named ops and two masking linalg.generic, reads the region's
// exp, denominator and quotient.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: m = x * w; e = np.exp(m); s = x + w; mx = np.maximum(e, s); y = mx - e / (s + 2)
// ORACLE: te = e >= s
// ORACLE: dm = np.where(te, dy * e, 0.0) - dy * e / (s + 2)
// ORACLE: ds = np.where(te, 0.0, dy) + dy * e / ((s + 2) * (s + 2))
// ORACLE: results = [y, dm * w + ds, dm * x + ds]
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %r:4 = ckpt.checkpoint "block" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
    %c2 = arith.constant 2.0 : f32
    %e0 = tensor.empty() : tensor<64x128xf32>
    %m = linalg.mul ins(%a, %b : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e0 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e1 = tensor.empty() : tensor<64x128xf32>
    %e = linalg.exp ins(%m : tensor<64x128xf32>) outs(%e1 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e2 = tensor.empty() : tensor<64x128xf32>
    %s = linalg.add ins(%a, %b : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e2 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e3 = tensor.empty() : tensor<64x128xf32>
    %mx = linalg.max ins(%e, %s : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e3 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e4 = tensor.empty() : tensor<64x128xf32>
    %two = linalg.fill ins(%c2 : f32) outs(%e4 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e5 = tensor.empty() : tensor<64x128xf32>
    %s2 = linalg.add ins(%s, %two : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e5 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e6 = tensor.empty() : tensor<64x128xf32>
    %q = linalg.div ins(%e, %s2 : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e6 : tensor<64x128xf32>) -> tensor<64x128xf32>
    %e7 = tensor.empty() : tensor<64x128xf32>
    %y = linalg.sub ins(%mx, %q : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e7 : tensor<64x128xf32>) -> tensor<64x128xf32>
    ckpt.yield %y, %e, %s2, %q : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
  }
  %c0 = arith.constant 0.0 : f32
  // the max's gradient goes to exp(m) where exp(m) >= s = s2 - 2
  %e0 = tensor.empty() : tensor<64x128xf32>
  %dmx = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%dy, %r#1, %r#2 : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) outs(%e0 : tensor<64x128xf32>) {
  ^bb0(%g: f32, %ev: f32, %s2v: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %sv = arith.subf %s2v, %two : f32
    %te = arith.cmpf oge, %ev, %sv : f32
    %ge = arith.mulf %g, %ev : f32
    %sel = arith.select %te, %ge, %c0 : f32
    linalg.yield %sel : f32
  } -> tensor<64x128xf32>
  %e1 = tensor.empty() : tensor<64x128xf32>
  %dsm = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%dy, %r#1, %r#2 : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) outs(%e1 : tensor<64x128xf32>) {
  ^bb0(%g: f32, %ev: f32, %s2v: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %sv = arith.subf %s2v, %two : f32
    %te = arith.cmpf oge, %ev, %sv : f32
    %sel = arith.select %te, %c0, %g : f32
    linalg.yield %sel : f32
  } -> tensor<64x128xf32>
  // the quotient's gradients: d(e / s2)/de = 1 / s2, d/ds2 = -q / s2
  %e2 = tensor.empty() : tensor<64x128xf32>
  %gq = linalg.div ins(%dy, %r#2 : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e2 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e3 = tensor.empty() : tensor<64x128xf32>
  %ge = linalg.mul ins(%gq, %r#1 : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e3 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e4 = tensor.empty() : tensor<64x128xf32>
  %dm = linalg.sub ins(%dmx, %ge : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e4 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e5 = tensor.empty() : tensor<64x128xf32>
  %gs = linalg.mul ins(%gq, %r#3 : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e5 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e6 = tensor.empty() : tensor<64x128xf32>
  %ds = linalg.add ins(%dsm, %gs : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e6 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e7 = tensor.empty() : tensor<64x128xf32>
  %dmw = linalg.mul ins(%dm, %w : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e7 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e8 = tensor.empty() : tensor<64x128xf32>
  %dx = linalg.add ins(%dmw, %ds : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e8 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e9 = tensor.empty() : tensor<64x128xf32>
  %dmx2 = linalg.mul ins(%dm, %x : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e9 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %e10 = tensor.empty() : tensor<64x128xf32>
  %dw = linalg.add ins(%dmx2, %ds : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e10 : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
