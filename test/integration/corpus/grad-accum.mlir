// Gradient accumulation into an argument: the weight gradient is a
// linalg.matmul with outs(%grad_acc) (dW_acc + x^T dh, as an optimizer step
// accumulating micro-batches writes it), so the step returns a buffer it was
// given. The region is one tanh(x W) layer; the backward reads its output.
// The report counts the matmul into a zero fill as written in place into
// the fill, and the matmul with outs(%grad_acc) as written in place into
// the argument (getInPlaceResults): measured 164096 bytes, estimated
// 163840, unannotated and checkpointed alike.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy, acc = inp(0, (64, 128)), inp(1, (128, 128)), inp(2, (64, 128)), inp(3, (128, 128))
// ORACLE: y = np.tanh(x @ w); dh = dy * (1 - y * y)
// ORACLE: results = [y, acc + x.T @ dh, dh @ w.T]
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @step(%x: tensor<64x128xf32>, %w: tensor<128x128xf32>, %dy: tensor<64x128xf32>, %grad_acc: tensor<128x128xf32>) -> (tensor<64x128xf32>, tensor<128x128xf32>, tensor<64x128xf32>) {
  %y = ckpt.checkpoint "dense" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<128x128xf32>) -> tensor<64x128xf32> {
    %c0 = arith.constant 0.0 : f32
    %e = tensor.empty() : tensor<64x128xf32>
    %z = linalg.fill ins(%c0 : f32) outs(%e : tensor<64x128xf32>) -> tensor<64x128xf32>
    %h = linalg.matmul ins(%a, %b : tensor<64x128xf32>, tensor<128x128xf32>) outs(%z : tensor<64x128xf32>) -> tensor<64x128xf32>
    %t = math.tanh %h : tensor<64x128xf32>
    ckpt.yield %t : tensor<64x128xf32>
  }
  %e0 = tensor.empty() : tensor<64x128xf32>
  %dh = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel", "parallel"]} ins(%dy, %y : tensor<64x128xf32>, tensor<64x128xf32>) outs(%e0 : tensor<64x128xf32>) {
  ^bb0(%g: f32, %t: f32, %o: f32):
    %one = arith.constant 1.0 : f32
    %t2 = arith.mulf %t, %t : f32
    %d = arith.subf %one, %t2 : f32
    %m = arith.mulf %g, %d : f32
    linalg.yield %m : f32
  } -> tensor<64x128xf32>
  %et = tensor.empty() : tensor<128x64xf32>
  %xt = linalg.transpose ins(%x : tensor<64x128xf32>) outs(%et : tensor<128x64xf32>) permutation = [1, 0]
  %dw = linalg.matmul ins(%xt, %dh : tensor<128x64xf32>, tensor<64x128xf32>) outs(%grad_acc : tensor<128x128xf32>) -> tensor<128x128xf32>
  %ewt = tensor.empty() : tensor<128x128xf32>
  %wt = linalg.transpose ins(%w : tensor<128x128xf32>) outs(%ewt : tensor<128x128xf32>) permutation = [1, 0]
  %c0 = arith.constant 0.0 : f32
  %e1 = tensor.empty() : tensor<64x128xf32>
  %z1 = linalg.fill ins(%c0 : f32) outs(%e1 : tensor<64x128xf32>) -> tensor<64x128xf32>
  %dx = linalg.matmul ins(%dh, %wt : tensor<64x128xf32>, tensor<128x128xf32>) outs(%z1 : tensor<64x128xf32>) -> tensor<64x128xf32>
  return %y, %dw, %dx : tensor<64x128xf32>, tensor<128x128xf32>, tensor<64x128xf32>
}
