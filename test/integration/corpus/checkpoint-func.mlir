// A function annotated {ckpt.checkpoint} (a layer, as torch's
// checkpoint(module) wraps it) called twice from the step: each call is its
// own region instance. The layer returns its output and its tanh, which the
// backward reads.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 4 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 4 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w1, w2, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128)), inp(3, (64, 128))
// ORACLE: t1 = np.tanh(x * w1); h = t1 * x; t2 = np.tanh(h * w2); y = t2 * h
// ORACLE: dm2 = dy * h * (1 - t2 * t2); dh = dy * t2 + dm2 * w2
// ORACLE: dm1 = dh * x * (1 - t1 * t1); dx = dh * t1 + dm1 * w1
// ORACLE: results = [y, dm1 * x, dm2 * h, dx]
func.func private @layer(%v: tensor<64x128xf32>, %w: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>) attributes {ckpt.checkpoint} {
  %m = arith.mulf %v, %w : tensor<64x128xf32>
  %t = math.tanh %m : tensor<64x128xf32>
  %y = arith.mulf %t, %v : tensor<64x128xf32>
  return %y, %t : tensor<64x128xf32>, tensor<64x128xf32>
}
func.func @step(%x: tensor<64x128xf32>, %w1: tensor<64x128xf32>, %w2: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %l1:2 = call @layer(%x, %w1) : (tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>)
  %l2:2 = call @layer(%l1#0, %w2) : (tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>)
  // layer 2 backward
  %a2 = arith.mulf %dy, %l1#0 : tensor<64x128xf32>
  %s2 = arith.mulf %l2#1, %l2#1 : tensor<64x128xf32>
  %b2 = arith.mulf %a2, %s2 : tensor<64x128xf32>
  %dm2 = arith.subf %a2, %b2 : tensor<64x128xf32>
  %dw2 = arith.mulf %dm2, %l1#0 : tensor<64x128xf32>
  %c2 = arith.mulf %dy, %l2#1 : tensor<64x128xf32>
  %d2 = arith.mulf %dm2, %w2 : tensor<64x128xf32>
  %dh = arith.addf %c2, %d2 : tensor<64x128xf32>
  // layer 1 backward
  %a1 = arith.mulf %dh, %x : tensor<64x128xf32>
  %s1 = arith.mulf %l1#1, %l1#1 : tensor<64x128xf32>
  %b1 = arith.mulf %a1, %s1 : tensor<64x128xf32>
  %dm1 = arith.subf %a1, %b1 : tensor<64x128xf32>
  %dw1 = arith.mulf %dm1, %x : tensor<64x128xf32>
  %c1 = arith.mulf %dh, %l1#1 : tensor<64x128xf32>
  %d1 = arith.mulf %dm1, %w1 : tensor<64x128xf32>
  %dx = arith.addf %c1, %d1 : tensor<64x128xf32>
  return %l2#0, %dw1, %dw2, %dx : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
