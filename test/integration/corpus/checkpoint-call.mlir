// One func.call annotated {ckpt.checkpoint} (that call only) and a second
// call of the same defined callee left unannotated; the backward reads the
// exp of both calls.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: e1 = np.exp(np.sin(x * w)); h = e1 * x; e2 = np.exp(np.sin(h * w)); y = e2 * h
// ORACLE: dh = dy * e2 + dy * h * e2 * np.cos(h * w) * w
// ORACLE: dx = dh * e1 + dh * x * e1 * np.cos(x * w) * w
// ORACLE: results = [y, dh, dx]
func.func private @gate(%v: tensor<64x128xf32>, %w: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %m = arith.mulf %v, %w : tensor<64x128xf32>
  %s = math.sin %m : tensor<64x128xf32>
  %c = math.cos %m : tensor<64x128xf32>
  %e = math.exp %s : tensor<64x128xf32>
  %y = arith.mulf %e, %v : tensor<64x128xf32>
  return %y, %e, %c : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %g1:3 = call @gate(%x, %w) {ckpt.checkpoint} : (tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>)
  %g2:3 = call @gate(%g1#0, %w) : (tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>)
  // dy/dh for y = exp(sin(h w)) h
  %a2 = arith.mulf %dy, %g2#1 : tensor<64x128xf32>
  %b2 = arith.mulf %a2, %g1#0 : tensor<64x128xf32>
  %c2 = arith.mulf %b2, %g2#2 : tensor<64x128xf32>
  %d2 = arith.mulf %c2, %w : tensor<64x128xf32>
  %dh = arith.addf %a2, %d2 : tensor<64x128xf32>
  %a1 = arith.mulf %dh, %g1#1 : tensor<64x128xf32>
  %b1 = arith.mulf %a1, %x : tensor<64x128xf32>
  %c1 = arith.mulf %b1, %g1#2 : tensor<64x128xf32>
  %d1 = arith.mulf %c1, %w : tensor<64x128xf32>
  %dx = arith.addf %a1, %d1 : tensor<64x128xf32>
  return %g2#0, %dh, %dx : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
