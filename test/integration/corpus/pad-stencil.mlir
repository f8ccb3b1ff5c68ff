// tensor.pad with zeros and shifted tensor.extract_slice windows (a 4-point
// Laplacian stencil, as JAX lowers jnp.pad + slicing); the backward pads the
// incoming gradient and applies the adjoint shifts, reading the region's
// tanh output.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 64)), inp(1, (64, 64)), inp(2, (64, 64))
// ORACLE: t = np.tanh(x * w); p = np.pad(t, 1)
// ORACLE: y = p[0:64, 1:65] + p[2:66, 1:65] + p[1:65, 0:64] + p[1:65, 2:66] - 4 * t
// ORACLE: q = np.pad(dy, 1)
// ORACLE: dt = q[2:66, 1:65] + q[0:64, 1:65] + q[1:65, 2:66] + q[1:65, 0:64] - 4 * dy
// ORACLE: dm = dt * (1 - t * t)
// ORACLE: results = [y, dm * w, dm * x]
func.func @step(%x: tensor<64x64xf32>, %w: tensor<64x64xf32>, %dy: tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
  %r:2 = ckpt.checkpoint "stencil" (%a = %x, %b = %w : tensor<64x64xf32>, tensor<64x64xf32>) -> (tensor<64x64xf32>, tensor<64x64xf32>) {
    %c0 = arith.constant 0.0 : f32
    %c4 = arith.constant 4.0 : f32
    %m = arith.mulf %a, %b : tensor<64x64xf32>
    %t = math.tanh %m : tensor<64x64xf32>
    %p = tensor.pad %t low[1, 1] high[1, 1] {
    ^bb0(%i: index, %j: index):
      tensor.yield %c0 : f32
    } : tensor<64x64xf32> to tensor<66x66xf32>
    %n = tensor.extract_slice %p[0, 1] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
    %s = tensor.extract_slice %p[2, 1] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
    %wst = tensor.extract_slice %p[1, 0] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
    %e = tensor.extract_slice %p[1, 2] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
    %ns = arith.addf %n, %s : tensor<64x64xf32>
    %we = arith.addf %wst, %e : tensor<64x64xf32>
    %sum = arith.addf %ns, %we : tensor<64x64xf32>
    %e4 = tensor.empty() : tensor<64x64xf32>
    %four = linalg.fill ins(%c4 : f32) outs(%e4 : tensor<64x64xf32>) -> tensor<64x64xf32>
    %t4 = arith.mulf %four, %t : tensor<64x64xf32>
    %y = arith.subf %sum, %t4 : tensor<64x64xf32>
    ckpt.yield %y, %t : tensor<64x64xf32>, tensor<64x64xf32>
  }
  %c0 = arith.constant 0.0 : f32
  %c1 = arith.constant 1.0 : f32
  %c4 = arith.constant 4.0 : f32
  %q = tensor.pad %dy low[1, 1] high[1, 1] {
  ^bb0(%i: index, %j: index):
    tensor.yield %c0 : f32
  } : tensor<64x64xf32> to tensor<66x66xf32>
  %n = tensor.extract_slice %q[2, 1] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
  %s = tensor.extract_slice %q[0, 1] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
  %wst = tensor.extract_slice %q[1, 2] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
  %e = tensor.extract_slice %q[1, 0] [64, 64] [1, 1] : tensor<66x66xf32> to tensor<64x64xf32>
  %ns = arith.addf %n, %s : tensor<64x64xf32>
  %we = arith.addf %wst, %e : tensor<64x64xf32>
  %sum = arith.addf %ns, %we : tensor<64x64xf32>
  %e4 = tensor.empty() : tensor<64x64xf32>
  %four = linalg.fill ins(%c4 : f32) outs(%e4 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %d4 = arith.mulf %four, %dy : tensor<64x64xf32>
  %dt = arith.subf %sum, %d4 : tensor<64x64xf32>
  %e1 = tensor.empty() : tensor<64x64xf32>
  %ones = linalg.fill ins(%c1 : f32) outs(%e1 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %tt = arith.mulf %r#1, %r#1 : tensor<64x64xf32>
  %dtanh = arith.subf %ones, %tt : tensor<64x64xf32>
  %dm = arith.mulf %dt, %dtanh : tensor<64x64xf32>
  %dx = arith.mulf %dm, %w : tensor<64x64xf32>
  %dw = arith.mulf %dm, %x : tensor<64x64xf32>
  return %r#0, %dx, %dw : tensor<64x64xf32>, tensor<64x64xf32>, tensor<64x64xf32>
}
