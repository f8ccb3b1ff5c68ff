// A cross-entropy loss on one-hot float targets (JAX's
// optax.softmax_cross_entropy shape: log-softmax from a row max, exp, sum,
// log, then a mean over the batch into a 0-d tensor) after an elementwise
// logit region; the backward (softmax - onehot) / N reads the region's
// log-probabilities.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, y = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: z = 4 * x * w; zs = z - z.max(axis=1, keepdims=True); lp = zs - np.log(np.exp(zs).sum(axis=1, keepdims=True))
// ORACLE: loss = -(y * lp).sum() / 64; dz = (np.exp(lp) * y.sum(axis=1, keepdims=True) - y) / 64
// ORACLE: results = [loss, 4 * dz * w, 4 * dz * x]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %y: tensor<64x128xf32>) -> (tensor<f32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %lp = ckpt.checkpoint "logits" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32> {
    %ninf = arith.constant 0xFF800000 : f32
    %c0 = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<64x128xf32>
    %z = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %b : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e : tensor<64x128xf32>) {
    ^bb0(%u: f32, %v: f32, %o: f32):
      %four = arith.constant 4.0 : f32
      %m = arith.mulf %u, %v : f32
      %s = arith.mulf %m, %four : f32
      linalg.yield %s : f32
    } -> tensor<64x128xf32>
    %e0 = tensor.empty() : tensor<64xf32>
    %i0 = linalg.fill ins(%ninf : f32) outs(%e0 : tensor<64xf32>) -> tensor<64xf32>
    %mx = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%z : tensor<64x128xf32>) outs(%i0 : tensor<64xf32>) {
    ^bb0(%u: f32, %acc: f32):
      %m = arith.maximumf %acc, %u : f32
      linalg.yield %m : f32
    } -> tensor<64xf32>
    %e1 = tensor.empty() : tensor<64x128xf32>
    %zs = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%z, %mx : tensor<64x128xf32>, tensor<64xf32>) outs(%e1 : tensor<64x128xf32>) {
    ^bb0(%u: f32, %m: f32, %o: f32):
      %s = arith.subf %u, %m : f32
      linalg.yield %s : f32
    } -> tensor<64x128xf32>
    %e2 = tensor.empty() : tensor<64xf32>
    %i2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<64xf32>) -> tensor<64xf32>
    %se = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%zs : tensor<64x128xf32>) outs(%i2 : tensor<64xf32>) {
    ^bb0(%u: f32, %acc: f32):
      %ex = math.exp %u : f32
      %s = arith.addf %acc, %ex : f32
      linalg.yield %s : f32
    } -> tensor<64xf32>
    %e3 = tensor.empty() : tensor<64x128xf32>
    %l = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%zs, %se : tensor<64x128xf32>, tensor<64xf32>) outs(%e3 : tensor<64x128xf32>) {
    ^bb0(%u: f32, %s: f32, %o: f32):
      %lg = math.log %s : f32
      %d = arith.subf %u, %lg : f32
      linalg.yield %d : f32
    } -> tensor<64x128xf32>
    ckpt.yield %l : tensor<64x128xf32>
  }
  %c0 = arith.constant 0.0 : f32
  %el = tensor.empty() : tensor<f32>
  %zl = linalg.fill ins(%c0 : f32) outs(%el : tensor<f32>) -> tensor<f32>
  %loss = linalg.generic {indexing_maps = [#id, #id, affine_map<(d0, d1) -> ()>], iterator_types = ["reduction", "reduction"]} ins(%y, %lp : tensor<64x128xf32>, tensor<64x128xf32>) outs(%zl : tensor<f32>) {
  ^bb0(%t: f32, %l: f32, %acc: f32):
    %n = arith.constant -0.015625 : f32
    %m = arith.mulf %t, %l : f32
    %s = arith.mulf %m, %n : f32
    %r = arith.addf %acc, %s : f32
    linalg.yield %r : f32
  } -> tensor<f32>
  %e0 = tensor.empty() : tensor<64xf32>
  %z0 = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<64xf32>) -> tensor<64xf32>
  %ys = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%y : tensor<64x128xf32>) outs(%z0 : tensor<64xf32>) {
  ^bb0(%u: f32, %acc: f32):
    %s = arith.addf %acc, %u : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %e1 = tensor.empty() : tensor<64x128xf32>
  %dz = linalg.generic {indexing_maps = [#id, #id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%lp, %y, %ys : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64xf32>) outs(%e1 : tensor<64x128xf32>) {
  ^bb0(%l: f32, %t: f32, %s: f32, %o: f32):
    %inv = arith.constant 0.015625 : f32
    %p = math.exp %l : f32
    %ps = arith.mulf %p, %s : f32
    %d = arith.subf %ps, %t : f32
    %r = arith.mulf %d, %inv : f32
    linalg.yield %r : f32
  } -> tensor<64x128xf32>
  %e2 = tensor.empty() : tensor<64x128xf32>
  %dx = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dz, %w : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e2 : tensor<64x128xf32>) {
  ^bb0(%d: f32, %v: f32, %o: f32):
    %four = arith.constant 4.0 : f32
    %m = arith.mulf %d, %v : f32
    %s = arith.mulf %m, %four : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  %e3 = tensor.empty() : tensor<64x128xf32>
  %dw = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dz, %x : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e3 : tensor<64x128xf32>) {
  ^bb0(%d: f32, %v: f32, %o: f32):
    %four = arith.constant 4.0 : f32
    %m = arith.mulf %d, %v : f32
    %s = arith.mulf %m, %four : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %loss, %dx, %dw : tensor<f32>, tensor<64x128xf32>, tensor<64x128xf32>
}
