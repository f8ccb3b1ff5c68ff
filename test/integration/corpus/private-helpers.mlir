// Defined private helper functions as JAX emits them (func.func private
// @relu, @dense_act, @relu_vjp), called inside a region and outside it (the
// backward calls the VJP helper). The backward reads the region's pre-
// activation; the activation of the second layer is computed by a call
// outside any region.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 4 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 4 results match
// CHECK: PASS
// ORACLE: x, w1, w2, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128)), inp(3, (64, 128))
// ORACLE: m1 = x * w1; h1 = np.maximum(m1, 0); m2 = h1 * w2; y = np.maximum(m2, 0)
// ORACLE: dm2 = np.where(m2 > 0, dy, 0); dh1 = dm2 * w2; dm1 = np.where(m1 > 0, dh1, 0)
// ORACLE: results = [y, dm1 * x, dm2 * h1, dm1 * w1]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func private @relu(%t: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel", "parallel"]} ins(%t : tensor<64x128xf32>) outs(%e : tensor<64x128xf32>) {
  ^bb0(%v: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %m = arith.maximumf %v, %z : f32
    linalg.yield %m : f32
  } -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}
func.func private @dense_act(%h: tensor<64x128xf32>, %w: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>) {
  %m = arith.mulf %h, %w : tensor<64x128xf32>
  %y = call @relu(%m) : (tensor<64x128xf32>) -> tensor<64x128xf32>
  return %y, %m : tensor<64x128xf32>, tensor<64x128xf32>
}
func.func private @relu_vjp(%m: tensor<64x128xf32>, %g: tensor<64x128xf32>) -> tensor<64x128xf32> {
  %e = tensor.empty() : tensor<64x128xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%m, %g : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e : tensor<64x128xf32>) {
  ^bb0(%v: f32, %d: f32, %o: f32):
    %z = arith.constant 0.0 : f32
    %p = arith.cmpf ogt, %v, %z : f32
    %s = arith.select %p, %d, %z : f32
    linalg.yield %s : f32
  } -> tensor<64x128xf32>
  return %r : tensor<64x128xf32>
}
func.func @step(%x: tensor<64x128xf32>, %w1: tensor<64x128xf32>, %w2: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %r:2 = ckpt.checkpoint "layer1" (%a = %x, %b = %w1 : tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>) {
    %y:2 = func.call @dense_act(%a, %b) : (tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>)
    ckpt.yield %y#0, %y#1 : tensor<64x128xf32>, tensor<64x128xf32>
  }
  %m2 = arith.mulf %r#0, %w2 : tensor<64x128xf32>
  %y = call @relu(%m2) : (tensor<64x128xf32>) -> tensor<64x128xf32>
  %dm2 = call @relu_vjp(%m2, %dy) : (tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32>
  %dw2 = arith.mulf %dm2, %r#0 : tensor<64x128xf32>
  %dh1 = arith.mulf %dm2, %w2 : tensor<64x128xf32>
  %dm1 = call @relu_vjp(%r#1, %dh1) : (tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32>
  %dw1 = arith.mulf %dm1, %x : tensor<64x128xf32>
  %dx = arith.mulf %dm1, %w1 : tensor<64x128xf32>
  return %y, %dw1, %dw2, %dx : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
