// tensor.extract_slice / tensor.concat in the forward (two halves of the
// features through different nonlinearities, joined again, as torch-mlir
// lowers aten.chunk + aten.cat) and tensor.insert_slice in the backward to
// assemble the gradient of the split; the backward reads the region's halves.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: p = x * w; l, r = p[:, :64], p[:, 64:]; tl = np.tanh(l)
// ORACLE: y = np.concatenate([tl, r * r], axis=1)
// ORACLE: dp = np.concatenate([dy[:, :64] * (1 - tl * tl), dy[:, 64:] * 2 * r], axis=1)
// ORACLE: results = [y, dp * w, dp * x]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %r:3 = ckpt.checkpoint "split" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x64xf32>, tensor<64x64xf32>) {
    %p = arith.mulf %a, %b : tensor<64x128xf32>
    %l = tensor.extract_slice %p[0, 0] [64, 64] [1, 1] : tensor<64x128xf32> to tensor<64x64xf32>
    %rr = tensor.extract_slice %p[0, 64] [64, 64] [1, 1] : tensor<64x128xf32> to tensor<64x64xf32>
    %tl = math.tanh %l : tensor<64x64xf32>
    %sq = arith.mulf %rr, %rr : tensor<64x64xf32>
    %y = tensor.concat dim(1) %tl, %sq : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x128xf32>
    ckpt.yield %y, %tl, %rr : tensor<64x128xf32>, tensor<64x64xf32>, tensor<64x64xf32>
  }
  %dyl = tensor.extract_slice %dy[0, 0] [64, 64] [1, 1] : tensor<64x128xf32> to tensor<64x64xf32>
  %dyr = tensor.extract_slice %dy[0, 64] [64, 64] [1, 1] : tensor<64x128xf32> to tensor<64x64xf32>
  %e0 = tensor.empty() : tensor<64x64xf32>
  %dl = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dyl, %r#1 : tensor<64x64xf32>, tensor<64x64xf32>) outs(%e0 : tensor<64x64xf32>) {
  ^bb0(%g: f32, %t: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %t2 = arith.mulf %t, %t : f32
    %d = arith.subf %one, %t2 : f32
    %m = arith.mulf %g, %d : f32
    linalg.yield %m : f32
  } -> tensor<64x64xf32>
  %e1 = tensor.empty() : tensor<64x64xf32>
  %dr = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dyr, %r#2 : tensor<64x64xf32>, tensor<64x64xf32>) outs(%e1 : tensor<64x64xf32>) {
  ^bb0(%g: f32, %v: f32, %o: f32):
    %two = arith.constant 2.0 : f32
    %v2 = arith.mulf %v, %two : f32
    %m = arith.mulf %g, %v2 : f32
    linalg.yield %m : f32
  } -> tensor<64x64xf32>
  %e2 = tensor.empty() : tensor<64x128xf32>
  %dp0 = tensor.insert_slice %dl into %e2[0, 0] [64, 64] [1, 1] : tensor<64x64xf32> into tensor<64x128xf32>
  %dp = tensor.insert_slice %dr into %dp0[0, 64] [64, 64] [1, 1] : tensor<64x64xf32> into tensor<64x128xf32>
  %dx = arith.mulf %dp, %w : tensor<64x128xf32>
  %dw = arith.mulf %dp, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
