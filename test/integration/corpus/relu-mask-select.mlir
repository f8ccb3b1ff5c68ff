// ReLU as cmpf/select on tensors, rsqrt, division and maximumf in the
// forward; the backward masks with the same comparisons (a ReLU backward as
// torch-mlir writes it) and reads every forward intermediate the region yields.
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dout = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: m = x * w; r = np.where(m > 0, m, 0.0); s = m * m + 1.0; n = 1.0 / np.sqrt(s)
// ORACLE: y = r * n; q = m / s; out = np.maximum(y, q); take = y >= q
// ORACLE: dy = np.where(take, dout, 0.0); dq = np.where(take, 0.0, dout)
// ORACLE: dm = dy * (np.where(m > 0, n, 0.0) - r * m * n * n * n) + dq * (1.0 - m * m) / (s * s)
// ORACLE: results = [out, dm * w, dm * x]
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dout: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %zero = arith.constant dense<0.0> : tensor<64x128xf32>
  %one = arith.constant dense<1.0> : tensor<64x128xf32>
  %r:7 = ckpt.checkpoint "act" (%a = %x, %b = %w, %z = %zero, %o = %one : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
    %m = arith.mulf %a, %b : tensor<64x128xf32>
    %pos = arith.cmpf ogt, %m, %z : tensor<64x128xf32>
    %relu = arith.select %pos, %m, %z : tensor<64x128xi1>, tensor<64x128xf32>
    %m2 = arith.mulf %m, %m : tensor<64x128xf32>
    %s = arith.addf %m2, %o : tensor<64x128xf32>
    %n = math.rsqrt %s : tensor<64x128xf32>
    %y = arith.mulf %relu, %n : tensor<64x128xf32>
    %q = arith.divf %m, %s : tensor<64x128xf32>
    %out = arith.maximumf %y, %q : tensor<64x128xf32>
    ckpt.yield %out, %m, %relu, %s, %n, %y, %q : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
  }
  // backward of maximumf: the gradient goes to the larger operand
  %take = arith.cmpf oge, %r#5, %r#6 : tensor<64x128xf32>
  %dy = arith.select %take, %dout, %zero : tensor<64x128xi1>, tensor<64x128xf32>
  %dq = arith.select %take, %zero, %dout : tensor<64x128xi1>, tensor<64x128xf32>
  // d(relu(m) * rsqrt(s))/dm = relu'(m) n - relu(m) m n^3
  %pos = arith.cmpf ogt, %r#1, %zero : tensor<64x128xf32>
  %rn = arith.select %pos, %r#4, %zero : tensor<64x128xi1>, tensor<64x128xf32>
  %n2 = arith.mulf %r#4, %r#4 : tensor<64x128xf32>
  %n3 = arith.mulf %n2, %r#4 : tensor<64x128xf32>
  %rm = arith.mulf %r#2, %r#1 : tensor<64x128xf32>
  %rmn3 = arith.mulf %rm, %n3 : tensor<64x128xf32>
  %dydm = arith.subf %rn, %rmn3 : tensor<64x128xf32>
  %g1 = arith.mulf %dy, %dydm : tensor<64x128xf32>
  // d(m / s)/dm = (1 - m^2) / s^2
  %mm = arith.mulf %r#1, %r#1 : tensor<64x128xf32>
  %num = arith.subf %one, %mm : tensor<64x128xf32>
  %ss = arith.mulf %r#3, %r#3 : tensor<64x128xf32>
  %dqdm = arith.divf %num, %ss : tensor<64x128xf32>
  %g2 = arith.mulf %dq, %dqdm : tensor<64x128xf32>
  %dm = arith.addf %g1, %g2 : tensor<64x128xf32>
  %dx = arith.mulf %dm, %w : tensor<64x128xf32>
  %dw = arith.mulf %dm, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
