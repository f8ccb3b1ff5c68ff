// Layer norm over the last dimension (linalg.generic mean/variance
// reductions, rsqrt, per-feature gamma/beta broadcast) with its full
// backward: dgamma, dbeta (column reductions) and
// dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)).
// The backward reads the region's xhat and rstd.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 4 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 4 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, g, b, dy = inp(0, (64, 256)), inp(1, (256,)), inp(2, (256,)), inp(3, (64, 256))
// ORACLE: mu = x.mean(axis=1, keepdims=True); xc = x - mu; var = (xc * xc).mean(axis=1, keepdims=True)
// ORACLE: rstd = 1 / np.sqrt(var + 1e-5); xh = xc * rstd; y = xh * g + b
// ORACLE: dxh = dy * g
// ORACLE: dx = rstd * (dxh - dxh.mean(axis=1, keepdims=True) - xh * (dxh * xh).mean(axis=1, keepdims=True))
// ORACLE: results = [y, (dy * xh).sum(axis=0), dy.sum(axis=0), dx]
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
#col = affine_map<(d0, d1) -> (d1)>
func.func @step(%x: tensor<64x256xf32>, %gamma: tensor<256xf32>, %beta: tensor<256xf32>, %dy: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<64x256xf32>) {
  %r:3 = ckpt.checkpoint "ln" (%a = %x, %g = %gamma, %bb = %beta : tensor<64x256xf32>, tensor<256xf32>, tensor<256xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>, tensor<64xf32>) {
    %c0 = arith.constant 0.0 : f32
    %n = arith.constant 256.0 : f32
    %eps = arith.constant 1.0e-5 : f32
    %e0 = tensor.empty() : tensor<64xf32>
    %z0 = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<64xf32>) -> tensor<64xf32>
    %sum = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%a : tensor<64x256xf32>) outs(%z0 : tensor<64xf32>) {
    ^bb0(%u: f32, %acc: f32):
      %s = arith.addf %acc, %u : f32
      linalg.yield %s : f32
    } -> tensor<64xf32>
    %e1 = tensor.empty() : tensor<64x256xf32>
    %xc = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%a, %sum : tensor<64x256xf32>, tensor<64xf32>) outs(%e1 : tensor<64x256xf32>) {
    ^bb0(%u: f32, %s: f32, %o: f32):
      %mu = arith.divf %s, %n : f32
      %d = arith.subf %u, %mu : f32
      linalg.yield %d : f32
    } -> tensor<64x256xf32>
    %e2 = tensor.empty() : tensor<64xf32>
    %z2 = linalg.fill ins(%c0 : f32) outs(%e2 : tensor<64xf32>) -> tensor<64xf32>
    %ss = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%xc : tensor<64x256xf32>) outs(%z2 : tensor<64xf32>) {
    ^bb0(%u: f32, %acc: f32):
      %sq = arith.mulf %u, %u : f32
      %s = arith.addf %acc, %sq : f32
      linalg.yield %s : f32
    } -> tensor<64xf32>
    %e3 = tensor.empty() : tensor<64xf32>
    %rstd = linalg.generic {indexing_maps = [affine_map<(d0) -> (d0)>, affine_map<(d0) -> (d0)>], iterator_types = ["parallel"]} ins(%ss : tensor<64xf32>) outs(%e3 : tensor<64xf32>) {
    ^bb0(%u: f32, %o: f32):
      %v = arith.divf %u, %n : f32
      %ve = arith.addf %v, %eps : f32
      %rs = math.rsqrt %ve : f32
      linalg.yield %rs : f32
    } -> tensor<64xf32>
    %e4 = tensor.empty() : tensor<64x256xf32>
    %xh = linalg.generic {indexing_maps = [#id, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%xc, %rstd : tensor<64x256xf32>, tensor<64xf32>) outs(%e4 : tensor<64x256xf32>) {
    ^bb0(%u: f32, %s: f32, %o: f32):
      %m = arith.mulf %u, %s : f32
      linalg.yield %m : f32
    } -> tensor<64x256xf32>
    %e5 = tensor.empty() : tensor<64x256xf32>
    %y = linalg.generic {indexing_maps = [#id, #col, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%xh, %g, %bb : tensor<64x256xf32>, tensor<256xf32>, tensor<256xf32>) outs(%e5 : tensor<64x256xf32>) {
    ^bb0(%u: f32, %gv: f32, %bv: f32, %o: f32):
      %m = arith.mulf %u, %gv : f32
      %s = arith.addf %m, %bv : f32
      linalg.yield %s : f32
    } -> tensor<64x256xf32>
    ckpt.yield %y, %xh, %rstd : tensor<64x256xf32>, tensor<64x256xf32>, tensor<64xf32>
  }
  %c0 = arith.constant 0.0 : f32
  %n = arith.constant 256.0 : f32
  // dgamma = sum_rows(dy * xhat), dbeta = sum_rows(dy)
  %e0 = tensor.empty() : tensor<256xf32>
  %z0 = linalg.fill ins(%c0 : f32) outs(%e0 : tensor<256xf32>) -> tensor<256xf32>
  %dg = linalg.generic {indexing_maps = [#id, #id, #col], iterator_types = ["reduction", "parallel"]} ins(%dy, %r#1 : tensor<64x256xf32>, tensor<64x256xf32>) outs(%z0 : tensor<256xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %m = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<256xf32>
  %e1 = tensor.empty() : tensor<256xf32>
  %z1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<256xf32>) -> tensor<256xf32>
  %db = linalg.reduce ins(%dy : tensor<64x256xf32>) outs(%z1 : tensor<256xf32>) dimensions = [0]
    (%in: f32, %acc: f32) {
      %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32
    }
  // dxhat = dy * gamma; its row mean and the row mean of dxhat * xhat
  %e2 = tensor.empty() : tensor<64x256xf32>
  %dxh = linalg.generic {indexing_maps = [#id, #col, #id], iterator_types = ["parallel", "parallel"]} ins(%dy, %gamma : tensor<64x256xf32>, tensor<256xf32>) outs(%e2 : tensor<64x256xf32>) {
  ^bb0(%u: f32, %gv: f32, %o: f32):
    %m = arith.mulf %u, %gv : f32
    linalg.yield %m : f32
  } -> tensor<64x256xf32>
  %e3 = tensor.empty() : tensor<64xf32>
  %z3 = linalg.fill ins(%c0 : f32) outs(%e3 : tensor<64xf32>) -> tensor<64xf32>
  %s1 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%dxh : tensor<64x256xf32>) outs(%z3 : tensor<64xf32>) {
  ^bb0(%u: f32, %acc: f32):
    %s = arith.addf %acc, %u : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %e4 = tensor.empty() : tensor<64xf32>
  %z4 = linalg.fill ins(%c0 : f32) outs(%e4 : tensor<64xf32>) -> tensor<64xf32>
  %s2 = linalg.generic {indexing_maps = [#id, #id, #row], iterator_types = ["parallel", "reduction"]} ins(%dxh, %r#1 : tensor<64x256xf32>, tensor<64x256xf32>) outs(%z4 : tensor<64xf32>) {
  ^bb0(%u: f32, %v: f32, %acc: f32):
    %m = arith.mulf %u, %v : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<64xf32>
  %e5 = tensor.empty() : tensor<64x256xf32>
  %dx = linalg.generic {indexing_maps = [#id, #id, #row, #row, #row, #id], iterator_types = ["parallel", "parallel"]} ins(%dxh, %r#1, %r#2, %s1, %s2 : tensor<64x256xf32>, tensor<64x256xf32>, tensor<64xf32>, tensor<64xf32>, tensor<64xf32>) outs(%e5 : tensor<64x256xf32>) {
  ^bb0(%d: f32, %xhv: f32, %rs: f32, %a1: f32, %a2: f32, %o: f32):
    %m1 = arith.divf %a1, %n : f32
    %m2 = arith.divf %a2, %n : f32
    %t = arith.mulf %xhv, %m2 : f32
    %u = arith.subf %d, %m1 : f32
    %v = arith.subf %u, %t : f32
    %w = arith.mulf %rs, %v : f32
    linalg.yield %w : f32
  } -> tensor<64x256xf32>
  return %r#0, %dg, %db, %dx : tensor<64x256xf32>, tensor<256xf32>, tensor<256xf32>, tensor<64x256xf32>
}
