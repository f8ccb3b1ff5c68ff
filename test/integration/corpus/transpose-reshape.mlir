// linalg.transpose and tensor.collapse_shape / tensor.expand_shape around a
// per-head product (multi-head attention's split into heads, as torch-mlir
// lowers aten.view + aten.transpose): x (64x128) -> 64x4x32 -> heads-first
// 4x64x32, times a per-head scale, tanh, transposed back and collapsed. The
// backward reverses the reshapes and reads the region's tanh.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (4, 64, 32)), inp(2, (64, 128))
// ORACLE: xh = x.reshape(64, 4, 32).transpose(1, 0, 2); t = np.tanh(xh * w)
// ORACLE: y = t.transpose(1, 0, 2).reshape(64, 128)
// ORACLE: dyh = dy.reshape(64, 4, 32).transpose(1, 0, 2); dm = dyh * (1 - t * t)
// ORACLE: results = [y, (dm * w).transpose(1, 0, 2).reshape(64, 128), dm * xh]
func.func @step(%x: tensor<64x128xf32>, %w: tensor<4x64x32xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<4x64x32xf32>) {
  %r:3 = ckpt.checkpoint "heads" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<4x64x32xf32>) -> (tensor<64x128xf32>, tensor<4x64x32xf32>, tensor<4x64x32xf32>) {
    %e3 = tensor.expand_shape %a [[0], [1, 2]] output_shape [64, 4, 32] : tensor<64x128xf32> into tensor<64x4x32xf32>
    %et = tensor.empty() : tensor<4x64x32xf32>
    %xh = linalg.transpose ins(%e3 : tensor<64x4x32xf32>) outs(%et : tensor<4x64x32xf32>) permutation = [1, 0, 2]
    %m = arith.mulf %xh, %b : tensor<4x64x32xf32>
    %t = math.tanh %m : tensor<4x64x32xf32>
    %eb = tensor.empty() : tensor<64x4x32xf32>
    %tb = linalg.transpose ins(%t : tensor<4x64x32xf32>) outs(%eb : tensor<64x4x32xf32>) permutation = [1, 0, 2]
    %y = tensor.collapse_shape %tb [[0], [1, 2]] : tensor<64x4x32xf32> into tensor<64x128xf32>
    ckpt.yield %y, %xh, %t : tensor<64x128xf32>, tensor<4x64x32xf32>, tensor<4x64x32xf32>
  }
  %d3 = tensor.expand_shape %dy [[0], [1, 2]] output_shape [64, 4, 32] : tensor<64x128xf32> into tensor<64x4x32xf32>
  %et = tensor.empty() : tensor<4x64x32xf32>
  %dyh = linalg.transpose ins(%d3 : tensor<64x4x32xf32>) outs(%et : tensor<4x64x32xf32>) permutation = [1, 0, 2]
  %tt = arith.mulf %r#2, %r#2 : tensor<4x64x32xf32>
  %dtt = arith.mulf %dyh, %tt : tensor<4x64x32xf32>
  %dm = arith.subf %dyh, %dtt : tensor<4x64x32xf32>
  %dw = arith.mulf %dm, %r#1 : tensor<4x64x32xf32>
  %dxh = arith.mulf %dm, %w : tensor<4x64x32xf32>
  %eb = tensor.empty() : tensor<64x4x32xf32>
  %dxb = linalg.transpose ins(%dxh : tensor<4x64x32xf32>) outs(%eb : tensor<64x4x32xf32>) permutation = [1, 0, 2]
  %dx = tensor.collapse_shape %dxb [[0], [1, 2]] : tensor<64x4x32xf32> into tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<4x64x32xf32>
}
