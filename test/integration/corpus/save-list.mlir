// A region with a save list (save ["math.exp"], PyTorch's selective
// checkpointing policy): a GELU-like chain x*w -> tanh -> exp -> product; the
// backward reads the tanh (dropped, recomputed) and the exp (kept).
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: m = x * w; t = np.tanh(m); e = np.exp(t); y = e * m
// ORACLE: dm = dy * e + dy * m * e * (1 - t * t)
// ORACLE: results = [y, dm * w, dm * x]
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %r:4 = ckpt.checkpoint "act" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<64x128xf32>) save ["math.exp"] -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
    %m = arith.mulf %a, %b : tensor<64x128xf32>
    %t = math.tanh %m : tensor<64x128xf32>
    %e = math.exp %t : tensor<64x128xf32>
    %y = arith.mulf %e, %m : tensor<64x128xf32>
    ckpt.yield %y, %m, %t, %e : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
  }
  %g1 = arith.mulf %dy, %r#3 : tensor<64x128xf32>
  %tt = arith.mulf %r#2, %r#2 : tensor<64x128xf32>
  %dme = arith.mulf %g1, %r#1 : tensor<64x128xf32>
  %dmett = arith.mulf %dme, %tt : tensor<64x128xf32>
  %g2 = arith.subf %dme, %dmett : tensor<64x128xf32>
  %dm = arith.addf %g1, %g2 : tensor<64x128xf32>
  %dx = arith.mulf %dm, %w : tensor<64x128xf32>
  %dw = arith.mulf %dm, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
