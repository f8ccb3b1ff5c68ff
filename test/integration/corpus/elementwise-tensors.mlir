// arith/math ops applied to whole tensors (the guide's worked example), a
// region whose forward value the backward reads.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 2 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 2 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 256)), inp(1, (64, 256)), inp(2, (64, 256))
// ORACLE: t = np.tanh(x * w)
// ORACLE: results = [np.exp(t), dy * t]
func.func @step(%x: tensor<64x256xf32>, %w: tensor<64x256xf32>, %dy: tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>) {
  %r:2 = ckpt.checkpoint "block0" (%a = %x, %b = %w : tensor<64x256xf32>, tensor<64x256xf32>) -> (tensor<64x256xf32>, tensor<64x256xf32>) {
    %m = arith.mulf %a, %b : tensor<64x256xf32>
    %t = math.tanh %m : tensor<64x256xf32>
    %y = math.exp %t : tensor<64x256xf32>
    ckpt.yield %y, %t : tensor<64x256xf32>, tensor<64x256xf32>
  }
  %g = arith.mulf %dy, %r#1 : tensor<64x256xf32>
  return %r#0, %g : tensor<64x256xf32>, tensor<64x256xf32>
}
