// Nested regions: an outer block region holding an inner region (a
// transformer block's "mlp" inside "block"); the backward reads the outer
// region's product and the inner region's tanh, so the inner region is
// rewritten both in the forward and inside the outer recompute.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 4 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 4 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w1, w2, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128)), inp(3, (64, 128))
// ORACLE: m = x * w1; t = np.tanh(m * w2); y = t + m
// ORACLE: dz = dy * (1 - t * t); dm = dz * w2 + dy
// ORACLE: results = [y, dm * w1, dz * m, dm * x]
func.func @step(%x: tensor<64x128xf32>, %w1: tensor<64x128xf32>, %w2: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %r:3 = ckpt.checkpoint "block" (%a = %x, %b = %w1, %c = %w2 : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
    %m = arith.mulf %a, %b : tensor<64x128xf32>
    %t = ckpt.checkpoint "mlp" (%u = %m, %v = %c : tensor<64x128xf32>, tensor<64x128xf32>) -> tensor<64x128xf32> {
      %z = arith.mulf %u, %v : tensor<64x128xf32>
      %tz = math.tanh %z : tensor<64x128xf32>
      ckpt.yield %tz : tensor<64x128xf32>
    }
    %y = arith.addf %t, %m : tensor<64x128xf32>
    ckpt.yield %y, %m, %t : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
  }
  %tt = arith.mulf %r#2, %r#2 : tensor<64x128xf32>
  %dtt = arith.mulf %dy, %tt : tensor<64x128xf32>
  %dz = arith.subf %dy, %dtt : tensor<64x128xf32>
  %dw2 = arith.mulf %dz, %r#1 : tensor<64x128xf32>
  %dzw = arith.mulf %dz, %w2 : tensor<64x128xf32>
  %dm = arith.addf %dzw, %dy : tensor<64x128xf32>
  %dx = arith.mulf %dm, %w1 : tensor<64x128xf32>
  %dw1 = arith.mulf %dm, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw2, %dw1 : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
