// An scf.if inside a region, its condition computed from the data
// (tensor.extract of x[0, 0] > 0, as a data-dependent branch that JAX's
// lax.cond lowers to): tanh(x * w) or (x * w)^2. The backward branches on the
// same condition and reads the region's product and branch output.
// The report counts the larger branch's temporaries; scf.if results get
// identity layouts in bufferization, so no extra copy of a returned branch
// result: measured peak 131328 bytes, estimated 131072 (164160 measured
// before, with the copy).
// RUN: %torch_python %S/check_step.py --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
// CHECK: oracle: 3 results match
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: m = x * w
// ORACLE: y = np.tanh(m) if x[0, 0] > 0 else m * m
// ORACLE: dm = dy * (1 - y * y) if x[0, 0] > 0 else dy * 2 * m
// ORACLE: results = [y, dm * w, dm * x]
func.func @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %c0 = arith.constant 0 : index
  %f0 = arith.constant 0.0 : f32
  %x00 = tensor.extract %x[%c0, %c0] : tensor<64x128xf32>
  %cond = arith.cmpf ogt, %x00, %f0 : f32
  %r:2 = ckpt.checkpoint "branch" (%a = %x, %b = %w, %c = %cond : tensor<64x128xf32>, tensor<64x128xf32>, i1) -> (tensor<64x128xf32>, tensor<64x128xf32>) {
    %m = arith.mulf %a, %b : tensor<64x128xf32>
    %y = scf.if %c -> tensor<64x128xf32> {
      %t = math.tanh %m : tensor<64x128xf32>
      scf.yield %t : tensor<64x128xf32>
    } else {
      %s = arith.mulf %m, %m : tensor<64x128xf32>
      scf.yield %s : tensor<64x128xf32>
    }
    ckpt.yield %y, %m : tensor<64x128xf32>, tensor<64x128xf32>
  }
  %dm = scf.if %cond -> tensor<64x128xf32> {
    %yy = arith.mulf %r#0, %r#0 : tensor<64x128xf32>
    %dyy = arith.mulf %dy, %yy : tensor<64x128xf32>
    %d = arith.subf %dy, %dyy : tensor<64x128xf32>
    scf.yield %d : tensor<64x128xf32>
  } else {
    %m2 = arith.addf %r#1, %r#1 : tensor<64x128xf32>
    %d = arith.mulf %dy, %m2 : tensor<64x128xf32>
    scf.yield %d : tensor<64x128xf32>
  }
  %dx = arith.mulf %dm, %w : tensor<64x128xf32>
  %dw = arith.mulf %dm, %x : tensor<64x128xf32>
  return %r#0, %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
