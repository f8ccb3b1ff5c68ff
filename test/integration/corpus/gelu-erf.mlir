// Exact GELU as torch-mlir lowers aten.gelu (math.erf, math.exp, arith on
// tensors, tensor constants) and its backward
// dgelu = 0.5 (1 + erf(m / sqrt 2)) + m exp(-m^2 / 2) / sqrt(2 pi);
// the backward reads the region's pre-activation and erf.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: erf = np.vectorize(__import__('math').erf)
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: m = 4 * x * w; e = erf(m * 0.7071067811865476); y = 0.5 * m * (1 + e)
// ORACLE: dm = dy * (0.5 * (1 + e) + m * np.exp(-0.5 * m * m) * 0.3989422804014327)
// ORACLE: results = [y, 4 * dm * w, 4 * dm * x]
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %four = arith.constant dense<4.0> : tensor<64x128xf32>
  %r:3 = ckpt.checkpoint "gelu" (%a = %x, %b = %w, %f = %four : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
    %half = arith.constant dense<0.5> : tensor<64x128xf32>
    %one = arith.constant dense<1.0> : tensor<64x128xf32>
    %rs2 = arith.constant dense<0.7071067811865476> : tensor<64x128xf32>
    %ab = arith.mulf %a, %b : tensor<64x128xf32>
    %m = arith.mulf %ab, %f : tensor<64x128xf32>
    %ms = arith.mulf %m, %rs2 : tensor<64x128xf32>
    %e = math.erf %ms : tensor<64x128xf32>
    %e1 = arith.addf %e, %one : tensor<64x128xf32>
    %hm = arith.mulf %m, %half : tensor<64x128xf32>
    %y = arith.mulf %hm, %e1 : tensor<64x128xf32>
    ckpt.yield %y, %m, %e : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
  }
  %half = arith.constant dense<0.5> : tensor<64x128xf32>
  %nhalf = arith.constant dense<-0.5> : tensor<64x128xf32>
  %one = arith.constant dense<1.0> : tensor<64x128xf32>
  %rs2pi = arith.constant dense<0.3989422804014327> : tensor<64x128xf32>
  %e1 = arith.addf %r#2, %one : tensor<64x128xf32>
  %cdf = arith.mulf %e1, %half : tensor<64x128xf32>
  %mm = arith.mulf %r#1, %r#1 : tensor<64x128xf32>
  %q = arith.mulf %mm, %nhalf : tensor<64x128xf32>
  %ex = math.exp %q : tensor<64x128xf32>
  %pdf = arith.mulf %ex, %rs2pi : tensor<64x128xf32>
  %mp = arith.mulf %r#1, %pdf : tensor<64x128xf32>
  %dg = arith.addf %cdf, %mp : tensor<64x128xf32>
  %dm = arith.mulf %dy, %dg : tensor<64x128xf32>
  %dm4 = arith.mulf %dm, %four : tensor<64x128xf32>
  %dx = arith.mulf %dm4, %w : tensor<64x128xf32>
  %dw = arith.mulf %dm4, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
