// A small convolution layer as torch-mlir lowers aten.convolution (padding
// 1): tensor.pad, linalg.conv_2d_nchw_fchw into a zero-filled output, tanh.
// The backward reads the region's padded input and tanh: the weight
// gradient is a linalg.generic reduction over (n, oh, ow), the input
// gradient a convolution of the padded output gradient with the flipped,
// transposed filter.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (2, 4, 32, 32)), inp(1, (8, 4, 3, 3)), inp(2, (2, 8, 32, 32))
// ORACLE: def conv(a, k):
// ORACLE:   ap = np.pad(a, ((0, 0), (0, 0), (1, 1), (1, 1)))
// ORACLE:   return sum(np.einsum('nchw,fc->nfhw', ap[:, :, i:i + 32, j:j + 32], k[:, :, i, j]) for i in range(3) for j in range(3))
// ORACLE: xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1))); t = np.tanh(conv(x, w)); dz = dy * (1 - t * t)
// ORACLE: dw = np.stack([np.stack([np.einsum('nfhw,nchw->fc', dz, xp[:, :, i:i + 32, j:j + 32]) for j in range(3)], -1) for i in range(3)], -2)
// ORACLE: dx = conv(dz, w[:, :, ::-1, ::-1].transpose(1, 0, 2, 3))
// ORACLE: results = [t, dw, dx]
func.func @step(%x: tensor<2x4x32x32xf32>, %w: tensor<8x4x3x3xf32>, %dy: tensor<2x8x32x32xf32>) -> (tensor<2x8x32x32xf32>, tensor<8x4x3x3xf32>, tensor<2x4x32x32xf32>) {
  %r:2 = ckpt.checkpoint "conv1" (%a = %x, %k = %w : tensor<2x4x32x32xf32>, tensor<8x4x3x3xf32>) -> (tensor<2x8x32x32xf32>, tensor<2x4x34x34xf32>) {
    %c0 = arith.constant 0.0 : f32
    %xp = tensor.pad %a low[0, 0, 1, 1] high[0, 0, 1, 1] {
    ^bb0(%i: index, %j: index, %k2: index, %l: index):
      tensor.yield %c0 : f32
    } : tensor<2x4x32x32xf32> to tensor<2x4x34x34xf32>
    %e = tensor.empty() : tensor<2x8x32x32xf32>
    %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<2x8x32x32xf32>) -> tensor<2x8x32x32xf32>
    %c = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%xp, %k : tensor<2x4x34x34xf32>, tensor<8x4x3x3xf32>) outs(%z : tensor<2x8x32x32xf32>) -> tensor<2x8x32x32xf32>
    %t = math.tanh %c : tensor<2x8x32x32xf32>
    ckpt.yield %t, %xp : tensor<2x8x32x32xf32>, tensor<2x4x34x34xf32>
  }
  %c0 = arith.constant 0.0 : f32
  %e0 = tensor.empty() : tensor<2x8x32x32xf32>
  %dz = linalg.generic {indexing_maps = [affine_map<(n, f, h, w) -> (n, f, h, w)>, affine_map<(n, f, h, w) -> (n, f, h, w)>, affine_map<(n, f, h, w) -> (n, f, h, w)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%dy, %r#0 : tensor<2x8x32x32xf32>, tensor<2x8x32x32xf32>) outs(%e0 : tensor<2x8x32x32xf32>) {
  ^bb0(%g: f32, %t: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %t2 = arith.mulf %t, %t : f32
    %d = arith.subf %one, %t2 : f32
    %m = arith.mulf %g, %d : f32
    linalg.yield %m : f32
  } -> tensor<2x8x32x32xf32>
  // dW[f, c, i, j] = sum_{n, h, w} dz[n, f, h, w] * xp[n, c, h + i, w + j]
  %e1 = tensor.empty() : tensor<8x4x3x3xf32>
  %z1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<8x4x3x3xf32>) -> tensor<8x4x3x3xf32>
  %dw = linalg.generic {indexing_maps = [affine_map<(f, c, i, j, n, h, w) -> (n, f, h, w)>, affine_map<(f, c, i, j, n, h, w) -> (n, c, h + i, w + j)>, affine_map<(f, c, i, j, n, h, w) -> (f, c, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction", "reduction"]} ins(%dz, %r#1 : tensor<2x8x32x32xf32>, tensor<2x4x34x34xf32>) outs(%z1 : tensor<8x4x3x3xf32>) {
  ^bb0(%g: f32, %v: f32, %acc: f32):
    %m = arith.mulf %g, %v : f32
    %s = arith.addf %acc, %m : f32
    linalg.yield %s : f32
  } -> tensor<8x4x3x3xf32>
  // dX = conv(pad(dz), flip(W)^T)
  %dzp = tensor.pad %dz low[0, 0, 1, 1] high[0, 0, 1, 1] {
  ^bb0(%i: index, %j: index, %k2: index, %l: index):
    tensor.yield %c0 : f32
  } : tensor<2x8x32x32xf32> to tensor<2x8x34x34xf32>
  %e2 = tensor.empty() : tensor<4x8x3x3xf32>
  %wf = linalg.generic {indexing_maps = [affine_map<(c, f, i, j) -> (f, c, 2 - i, 2 - j)>, affine_map<(c, f, i, j) -> (c, f, i, j)>], iterator_types = ["parallel", "parallel", "parallel", "parallel"]} ins(%w : tensor<8x4x3x3xf32>) outs(%e2 : tensor<4x8x3x3xf32>) {
  ^bb0(%v: f32, %o: f32):
    linalg.yield %v : f32
  } -> tensor<4x8x3x3xf32>
  %e3 = tensor.empty() : tensor<2x4x32x32xf32>
  %z3 = linalg.fill ins(%c0 : f32) outs(%e3 : tensor<2x4x32x32xf32>) -> tensor<2x4x32x32xf32>
  %dx = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%dzp, %wf : tensor<2x8x34x34xf32>, tensor<4x8x3x3xf32>) outs(%z3 : tensor<2x4x32x32xf32>) -> tensor<2x4x32x32xf32>
  return %r#0, %dw, %dx : tensor<2x8x32x32xf32>, tensor<8x4x3x3xf32>, tensor<2x4x32x32xf32>
}
