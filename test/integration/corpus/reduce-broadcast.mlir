// linalg.reduce (sum and max over rows), linalg.broadcast back to the rows,
// and a max-subtracted tanh (a stabilised logit as JAX writes it); the
// backward routes the max's gradient to the argmax through an oeq mask and
// reduces with a linalg.generic. The backward reads the region's h, m, t.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: h = x * w; m = h.max(axis=1, keepdims=True); s = h.sum(axis=1, keepdims=True)
// ORACLE: t = np.tanh(h - m); y = t + s * 0.0078125
// ORACLE: dz = dy * (1 - t * t); am = (h == m)
// ORACLE: dh = dz - am * dz.sum(axis=1, keepdims=True) + dy.sum(axis=1, keepdims=True) * 0.0078125
// ORACLE: results = [y, dh * w, dh * x]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %r:4 = ckpt.checkpoint "logits" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
    %ninf = arith.constant 0xFF800000 : f32
    %c0 = arith.constant 0.0 : f32
    %inv = arith.constant 0.0078125 : f32
    %h = arith.mulf %a, %b : tensor<64x128xf32>
    %e0 = tensor.empty() : tensor<64xf32>
    %i0 = linalg.fill ins(%ninf : f32) outs(%e0 : tensor<64xf32>) -> tensor<64xf32>
    %m = linalg.reduce ins(%h : tensor<64x128xf32>) outs(%i0 : tensor<64xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %mx = arith.maximumf %in, %acc : f32
        linalg.yield %mx : f32
      }
    %e1 = tensor.empty() : tensor<64xf32>
    %i1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
    %s = linalg.reduce ins(%h : tensor<64x128xf32>) outs(%i1 : tensor<64xf32>) dimensions = [1]
      (%in: f32, %acc: f32) {
        %sm = arith.addf %in, %acc : f32
        linalg.yield %sm : f32
      }
    %e2 = tensor.empty() : tensor<64x128xf32>
    %mb = linalg.broadcast ins(%m : tensor<64xf32>) outs(%e2 : tensor<64x128xf32>) dimensions = [1]
    %e3 = tensor.empty() : tensor<64x128xf32>
    %sb = linalg.broadcast ins(%s : tensor<64xf32>) outs(%e3 : tensor<64x128xf32>) dimensions = [1]
    %z = arith.subf %h, %mb : tensor<64x128xf32>
    %t = math.tanh %z : tensor<64x128xf32>
    %e4 = tensor.empty() : tensor<64x128xf32>
    %y = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%t, %sb : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e4 : tensor<64x128xf32>) {
    ^bb0(%tv: f32, %sv: f32, %o: f32):
      %sc = arith.mulf %sv, %inv : f32
      %ad = arith.addf %tv, %sc : f32
      linalg.yield %ad : f32
    } -> tensor<64x128xf32>
    ckpt.yield %y, %h, %mb, %t : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
  }
  %c0 = arith.constant 0.0 : f32
  %inv = arith.constant 0.0078125 : f32
  %e0 = tensor.empty() : tensor<64x128xf32>
  %dz = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dy, %r#3 : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e0 : tensor<64x128xf32>) {
  ^bb0(%g: f32, %t: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %t2 = arith.mulf %t, %t : f32
    %d = arith.subf %one, %t2 : f32
    %m = arith.mulf %g, %d : f32
    linalg.yield %m : f32
  } -> tensor<64x128xf32>
  %e1 = tensor.empty() : tensor<64xf32>
  %i1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<64xf32>) -> tensor<64xf32>
  %sdz = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%dz : tensor<64x128xf32>) outs(%i1 : tensor<64xf32>) {
  ^bb0(%u: f32, %acc: f32):
    %s = arith.addf %acc, %u : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %e2 = tensor.empty() : tensor<64xf32>
  %i2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<64xf32>) -> tensor<64xf32>
  %sdy = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%dy : tensor<64x128xf32>) outs(%i2 : tensor<64xf32>) {
  ^bb0(%u: f32, %acc: f32):
    %s = arith.addf %acc, %u : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %e3 = tensor.empty() : tensor<64x128xf32>
  %dh = linalg.generic {indexing_maps = [#id, #id, #id, #row, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%dz, %r#1, %r#2, %sdz, %sdy : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e3 : tensor<64x128xf32>) {
  ^bb0(%d: f32, %h: f32, %m: f32, %sz: f32, %sy: f32, %o: f32):
    %is = arith.cmpf oeq, %h, %m : f32
    %zero = arith.constant 0.0 : f32
    %take = arith.select %is, %sz, %zero : f32
    %a = arith.subf %d, %take : f32
    %sc = arith.mulf %sy, %inv : f32
    %b = arith.addf %a, %sc : f32
    linalg.yield %b : f32
  } -> tensor<64x128xf32>
  %dx = arith.mulf %dh, %w : tensor<64x128xf32>
  %dw = arith.mulf %dh, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
