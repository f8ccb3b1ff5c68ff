// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels | FileCheck %s

// Tests that calls without byre_compute_name are left alone, with their
// declarations, and that a declaration still called that way survives the
// rewrite of its kernel calls; a destination that has another use stays.
func.func private @ReduceMaxOp_f16_f16__sig0(tensor<4x10xf16>, tensor<4xf16>) -> tensor<4xf16>
func.func private @opaque(tensor<4x10xf16>) -> tensor<4x10xf16>
// CHECK: func.func private @ReduceMaxOp_f16_f16__sig0
// CHECK: func.func private @opaque
// CHECK-LABEL: func.func @negative_plain_calls
func.func @negative_plain_calls(%x: tensor<4x10xf16>) -> (tensor<4x10xf16>, tensor<4xf16>, tensor<4xf16>, tensor<4xf16>) {
  // CHECK: %[[E:.*]] = tensor.empty() : tensor<4xf16>
  // CHECK: call @opaque(
  // CHECK: linalg.reduce
  // CHECK: call @ReduceMaxOp_f16_f16__sig0(%{{.*}}, %[[E]]) : (
  // CHECK: return {{.*}}, %[[E]]
  %e = tensor.empty() : tensor<4xf16>
  %o = call @opaque(%x) : (tensor<4x10xf16>) -> tensor<4x10xf16>
  %m = call @ReduceMaxOp_f16_f16__sig0(%o, %e) {byre_compute_name = "ReduceMaxOp_f16_f16", dimensions = dense<1> : tensor<1xi64>} : (tensor<4x10xf16>, tensor<4xf16>) -> tensor<4xf16>
  %plain = call @ReduceMaxOp_f16_f16__sig0(%o, %e) : (tensor<4x10xf16>, tensor<4xf16>) -> tensor<4xf16>
  return %o, %m, %plain, %e : tensor<4x10xf16>, tensor<4xf16>, tensor<4xf16>, tensor<4xf16>
}

// -----

// Tests that kernel calls in nested regions are rewritten too (inside a
// ckpt.checkpoint region and an scf.for), that attributes of other
// dialects are ignored, and that the declaration goes once no call uses it.
func.func private @ReduceSumOp_f32_f32__sig0(tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
// CHECK-NOT: func.func private
// CHECK-LABEL: func.func @nested
func.func @nested(%x: tensor<4x10xf32>, %n: index) -> (tensor<4xf32>, tensor<4xf32>) {
  // CHECK: ckpt.checkpoint
  // CHECK: linalg.reduce
  // CHECK: ckpt.yield
  // CHECK: scf.for
  // CHECK: linalg.reduce
  // CHECK-NOT: call
  %r = ckpt.checkpoint "block" (%in = %x : tensor<4x10xf32>) -> (tensor<4xf32>) {
    %e = tensor.empty() : tensor<4xf32>
    %s = func.call @ReduceSumOp_f32_f32__sig0(%in, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<1> : tensor<1xi64>, foo.note = "kept apart"} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
    ckpt.yield %s : tensor<4xf32>
  }
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %init = tensor.empty() : tensor<4xf32>
  %loop = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %init) -> (tensor<4xf32>) {
    %e = tensor.empty() : tensor<4xf32>
    %s = func.call @ReduceSumOp_f32_f32__sig0(%x, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<1> : tensor<1xi64>} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
    scf.yield %s : tensor<4xf32>
  }
  return %r, %loop : tensor<4xf32>, tensor<4xf32>
}
