// The split form (the AOTAutograd partitioner's convention): @fwd returns its
// output then the saved values (ckpt.num_outputs = 1), @bwd takes the saved
// values first, then the incoming gradient; a private @step calls fwd then
// bwd and is the entry that runs. The region in @fwd is a two-layer
// elementwise block whose intermediates @bwd reads.
// The report covers the private @step (nothing calls it) with @fwd and
// @bwd inlined, as the lowering runs it: 163840 bytes estimated against
// 164160 measured, with and without checkpointing; check_step.py --entry
// reads @step's figures (the report of @fwd alone, 98304 -> 65536, is not
// the step's).
// RUN: %torch_python %S/check_step.py --entry step --nvvm %s | FileCheck %s
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: measured {{[0-9]+}} estimate 163840 within 5%
// CHECK: checkpointed peak: measured {{[0-9]+}} estimate 163840 within 5%
// CHECK: oracle: 3 results match
// CHECK: nvvm: compiled for sm_90
// CHECK: PASS
// ORACLE: x, w, dy = inp(0, (64, 128)), inp(1, (64, 128)), inp(2, (64, 128))
// ORACLE: m = x * w; t = np.tanh(m); y = t * t * w
// ORACLE: dt = dy * 2 * t * w; dm = dt * (1 - t * t)
// ORACLE: results = [y, dm * w, dm * x + dy * t * t]
func.func @fwd(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>)
    attributes {ckpt.backward = @bwd, ckpt.num_outputs = 1 : i64} {
  %r:2 = ckpt.checkpoint "block" (%a = %x, %b = %w : tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>) {
    %m = arith.mulf %a, %b : tensor<64x128xf32>
    %t = math.tanh %m : tensor<64x128xf32>
    %tt = arith.mulf %t, %t : tensor<64x128xf32>
    %y = arith.mulf %tt, %b : tensor<64x128xf32>
    ckpt.yield %y, %t : tensor<64x128xf32>, tensor<64x128xf32>
  }
  return %r#0, %x, %w, %r#1 : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
func.func @bwd(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %t: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>) {
  %tt = arith.mulf %t, %t : tensor<64x128xf32>
  %dyt = arith.mulf %dy, %t : tensor<64x128xf32>
  %dyt2 = arith.addf %dyt, %dyt : tensor<64x128xf32>
  %dt = arith.mulf %dyt2, %w : tensor<64x128xf32>
  %dtt = arith.mulf %dt, %tt : tensor<64x128xf32>
  %dm = arith.subf %dt, %dtt : tensor<64x128xf32>
  %dx = arith.mulf %dm, %w : tensor<64x128xf32>
  %dwm = arith.mulf %dm, %x : tensor<64x128xf32>
  %dwy = arith.mulf %dy, %tt : tensor<64x128xf32>
  %dw = arith.addf %dwm, %dwy : tensor<64x128xf32>
  return %dx, %dw : tensor<64x128xf32>, tensor<64x128xf32>
}
func.func private @step(%x: tensor<64x128xf32>, %w: tensor<64x128xf32>, %dy: tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) {
  %f:4 = call @fwd(%x, %w) : (tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>)
  %g:2 = call @bwd(%f#1, %f#2, %f#3, %dy) : (tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>) -> (tensor<64x128xf32>, tensor<64x128xf32>)
  return %f#0, %g#0, %g#1 : tensor<64x128xf32>, tensor<64x128xf32>, tensor<64x128xf32>
}
