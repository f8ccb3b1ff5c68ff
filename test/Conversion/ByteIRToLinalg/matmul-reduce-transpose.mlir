// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels | FileCheck %s

// Tests that MatmulOp becomes one linalg.matmul whose indexing maps read the
// operands as stored: lhs contracting dimension 1 reads A as (m, k), 0 as
// (k, m); rhs contracting dimension 0 reads B as (k, n), 1 as (n, k);
// output_transpose writes C as (n, m). f16 accumulates in f32, rounded once.
func.func private @MatmulOp_f16f16_f16__sig0(tensor<4x512xf16>, tensor<1000x512xf16>, tensor<4x1000xf16>) -> tensor<4x1000xf16>
func.func private @MatmulOp_f16f16_f16__sig2(tensor<4x512xf16>, tensor<4x1000xf16>, tensor<1000x512xf16>) -> tensor<1000x512xf16>
// CHECK-DAG: #[[$MK:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[$NK:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[$MN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[$KM:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[$KN:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[$NM:.*]] = affine_map<(d0, d1, d2) -> (d1, d0)>
// CHECK-LABEL: func.func @matmul
// CHECK-SAME: (%[[X:.*]]: tensor<4x512xf16>, %[[W:.*]]: tensor<1000x512xf16>, %[[DY:.*]]: tensor<4x1000xf16>)
func.func @matmul(%x: tensor<4x512xf16>, %w: tensor<1000x512xf16>, %dy: tensor<4x1000xf16>) -> (tensor<4x1000xf16>, tensor<1000x512xf16>) {
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%{{.*}} : f32) outs(%{{.*}} : tensor<4x1000xf32>)
  // CHECK: %[[Y32:.*]] = linalg.matmul indexing_maps = [#[[$MK]], #[[$NK]], #[[$MN]]] ins(%[[X]], %[[W]] : tensor<4x512xf16>, tensor<1000x512xf16>) outs(%[[ACC]] : tensor<4x1000xf32>)
  // CHECK: linalg.generic {{.*}} ins(%[[Y32]] : tensor<4x1000xf32>) outs(%{{.*}} : tensor<4x1000xf16>)
  // CHECK: arith.truncf
  // CHECK: linalg.matmul indexing_maps = [#[[$KM]], #[[$KN]], #[[$NM]]] ins(%[[X]], %[[DY]] : tensor<4x512xf16>, tensor<4x1000xf16>) outs(%{{.*}} : tensor<1000x512xf32>)
  %e = tensor.empty() : tensor<4x1000xf16>
  %y = call @MatmulOp_f16f16_f16__sig0(%x, %w, %e) {byre_compute_name = "MatmulOp_f16f16_f16", lhs_contracting_dimension = 1 : i64, rhs_contracting_dimension = 1 : i64} : (tensor<4x512xf16>, tensor<1000x512xf16>, tensor<4x1000xf16>) -> tensor<4x1000xf16>
  %e2 = tensor.empty() : tensor<1000x512xf16>
  %dw = call @MatmulOp_f16f16_f16__sig2(%x, %dy, %e2) {byre_compute_name = "MatmulOp_f16f16_f16", lhs_contracting_dimension = 0 : i64, output_transpose, rhs_contracting_dimension = 0 : i64} : (tensor<4x512xf16>, tensor<4x1000xf16>, tensor<1000x512xf16>) -> tensor<1000x512xf16>
  return %y, %dw : tensor<4x1000xf16>, tensor<1000x512xf16>
}

// -----

// Tests that ReduceSumOp on f16 reduces the sorted dimensions ([3, 2] ->
// [2, 3]) in f32 from 0 and rounds once, that ReduceMaxOp reduces in f16
// from -inf with NaN-propagating maximumf, and that an f32 sum over every
// dimension gives a 0-d tensor without a cast.
func.func private @ReduceSumOp_f16_f16__sig1(tensor<4x512x7x7xf16>, tensor<4x512xf16>) -> tensor<4x512xf16>
func.func private @ReduceMaxOp_f16_f16__sig0(tensor<4x1000xf16>, tensor<4xf16>) -> tensor<4xf16>
func.func private @ReduceSumOp_f32_f32__sig0(tensor<4x1000xf32>, tensor<f32>) -> tensor<f32>
// CHECK-LABEL: func.func @reduce
// CHECK-SAME: (%[[X:.*]]: tensor<4x512x7x7xf16>, %[[L:.*]]: tensor<4x1000xf16>, %[[S:.*]]: tensor<4x1000xf32>)
func.func @reduce(%x: tensor<4x512x7x7xf16>, %l: tensor<4x1000xf16>, %s: tensor<4x1000xf32>) -> (tensor<4x512xf16>, tensor<4xf16>, tensor<f32>) {
  // CHECK: %[[ZERO:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO]] : f32) outs(%{{.*}} : tensor<4x512xf32>)
  // CHECK: %[[SUM:.*]] = linalg.reduce ins(%[[X]] : tensor<4x512x7x7xf16>) outs(%[[ACC]] : tensor<4x512xf32>) dimensions = [2, 3]
  // CHECK: arith.extf
  // CHECK: arith.addf
  // CHECK: %[[SUM16:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<4x512xf32>) outs(%{{.*}} : tensor<4x512xf16>)
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFC00 : f16
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%[[NEGINF]] : f16) outs(%{{.*}} : tensor<4xf16>)
  // CHECK: %[[MAX:.*]] = linalg.reduce { arith.maximumf } ins(%[[L]] : tensor<4x1000xf16>) outs(%[[INIT]] : tensor<4xf16>) dimensions = [1]
  // CHECK: %[[TOTAL:.*]] = linalg.reduce { arith.addf } ins(%[[S]] : tensor<4x1000xf32>) outs(%{{.*}} : tensor<f32>) dimensions = [0, 1]
  // CHECK-NEXT: return %[[SUM16]], %[[MAX]], %[[TOTAL]]
  %e = tensor.empty() : tensor<4x512xf16>
  %sum = call @ReduceSumOp_f16_f16__sig1(%x, %e) {byre_compute_name = "ReduceSumOp_f16_f16", dimensions = dense<[3, 2]> : tensor<2xi64>} : (tensor<4x512x7x7xf16>, tensor<4x512xf16>) -> tensor<4x512xf16>
  %e2 = tensor.empty() : tensor<4xf16>
  %max = call @ReduceMaxOp_f16_f16__sig0(%l, %e2) {byre_compute_name = "ReduceMaxOp_f16_f16", dimensions = dense<1> : tensor<1xi64>} : (tensor<4x1000xf16>, tensor<4xf16>) -> tensor<4xf16>
  %e3 = tensor.empty() : tensor<f32>
  %total = call @ReduceSumOp_f32_f32__sig0(%s, %e3) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<[0, 1]> : tensor<2xi64>} : (tensor<4x1000xf32>, tensor<f32>) -> tensor<f32>
  return %sum, %max, %total : tensor<4x512xf16>, tensor<4xf16>, tensor<f32>
}

// -----

// Tests that TransposeOp becomes linalg.transpose with its permutation
// (minor_to_major is ignored, as ByteIR's runtime does).
func.func private @TransposeOp_f16_f16__sig0(tensor<1000x512xf16>, tensor<512x1000xf16>) -> tensor<512x1000xf16>
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[W:.*]]: tensor<1000x512xf16>)
func.func @transpose(%w: tensor<1000x512xf16>) -> tensor<512x1000xf16> {
  // CHECK: %[[T:.*]] = linalg.transpose ins(%[[W]] : tensor<1000x512xf16>) outs(%{{.*}} : tensor<512x1000xf16>) permutation = [1, 0]
  // CHECK: return %[[T]]
  %e = tensor.empty() : tensor<512x1000xf16>
  %t = call @TransposeOp_f16_f16__sig0(%w, %e) {byre_compute_name = "TransposeOp_f16_f16", minor_to_major = dense<[0, 1]> : tensor<2xindex>, permutation = dense<[1, 0]> : tensor<2xi64>} : (tensor<1000x512xf16>, tensor<512x1000xf16>) -> tensor<512x1000xf16>
  return %t : tensor<512x1000xf16>
}
