// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels | FileCheck %s --check-prefixes=CHECK,UNBIASED
// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels=biased-variance | FileCheck %s --check-prefixes=CHECK,BIASED

// Tests that BatchNormTrainingOp with mean and variance results computes
// the statistics over N, H, W in f32 (sum, mean = sum / M with M = 2*5*5 =
// 50, then the centred square sum: two passes), normalises with the biased
// variance and epsilon, rounds only y to f16, and returns the batch mean
// and the unbiased variance (divided by M - 1 = 49; with biased-variance by
// M = 50).
func.func private @BatchNormTrainingOp_f16f32f32_f16f32f32__sig0(tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>)
// CHECK-LABEL: func.func @batch_norm_training_statistics
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf16>, %[[G:.*]]: tensor<3xf32>, %[[B:.*]]: tensor<3xf32>)
func.func @batch_norm_training_statistics(%x: tensor<2x3x5x5xf16>, %g: tensor<3xf32>, %b: tensor<3xf32>) -> (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[M:.*]] = arith.constant 5.000000e+01 : f32
  // CHECK: %[[SUM:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]} ins(%[[X]] : tensor<2x3x5x5xf16>) outs(%{{.*}} : tensor<3xf32>)
  // CHECK: arith.extf
  // CHECK: arith.addf
  // CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf32>)
  // CHECK: arith.divf %{{.*}}, %[[M]] : f32
  // CHECK: %[[SQ:.*]] = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]} ins(%[[X]], %[[MEAN]] : tensor<2x3x5x5xf16>, tensor<3xf32>)
  // CHECK: %[[D:.*]] = arith.subf
  // CHECK: arith.mulf %[[D]], %[[D]] : f32
  // CHECK: %[[EPS:.*]] = arith.constant 9.99999974E-6 : f32
  // CHECK: %[[RSTD:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<3xf32>)
  // CHECK: %[[VAR:.*]] = arith.divf %{{.*}}, %[[M]] : f32
  // CHECK: %[[SHIFTED:.*]] = arith.addf %[[VAR]], %[[EPS]] : f32
  // CHECK: math.rsqrt %[[SHIFTED]] : f32
  // CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[MEAN]], %[[RSTD]], %[[G]], %[[B]] : {{.*}}) outs(%{{.*}} : tensor<2x3x5x5xf16>)
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  // BIASED-NOT: arith.constant 4.900000e+01
  // UNBIASED: %[[DIV:.*]] = arith.constant 4.900000e+01 : f32
  // CHECK: %[[UNBIASED:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<3xf32>)
  // UNBIASED: arith.divf %{{.*}}, %[[DIV]] : f32
  // BIASED: arith.divf %{{.*}}, %[[M]] : f32
  // CHECK: return %[[Y]], %[[MEAN]], %[[UNBIASED]]
  %e = tensor.empty() : tensor<2x3x5x5xf16>
  %m = tensor.empty() : tensor<3xf32>
  %v = tensor.empty() : tensor<3xf32>
  %r:3 = call @BatchNormTrainingOp_f16f32f32_f16f32f32__sig0(%x, %g, %b, %e, %m, %v) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16f32f32", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>)
  return %r#0, %r#1, %r#2 : tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>
}

// -----

// Tests that the variant returning only y computes no variance result.
func.func private @BatchNormTrainingOp_f16f32f32_f16__sig0(tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x5x5xf16>) -> tensor<2x3x5x5xf16>
// CHECK-LABEL: func.func @batch_norm_training
func.func @batch_norm_training(%x: tensor<2x3x5x5xf16>, %g: tensor<3xf32>, %b: tensor<3xf32>) -> tensor<2x3x5x5xf16> {
  // CHECK: math.rsqrt
  // CHECK: %[[Y:.*]] = linalg.generic
  // CHECK: arith.truncf
  // CHECK-NOT: linalg.generic
  // CHECK: return %[[Y]]
  %e = tensor.empty() : tensor<2x3x5x5xf16>
  %y = call @BatchNormTrainingOp_f16f32f32_f16__sig0(%x, %g, %b, %e) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x5x5xf16>) -> tensor<2x3x5x5xf16>
  return %y : tensor<2x3x5x5xf16>
}

// -----

// Tests that BatchNormGradOp recomputes mean and rstd from x (its only
// statistics source), sums dy and dy * xhat in one reduction with two f32
// results (dbeta, dgamma), forms the per-channel coefficients gamma * rstd,
// dbeta / M, dgamma / M, and rounds only dx; results are (dx, dgamma,
// dbeta).
func.func private @BatchNormGradOp_f16f32f16_f16f32f32__sig0(tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<2x3x5x5xf16>, tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>)
// CHECK-LABEL: func.func @batch_norm_grad
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x5x5xf16>, %[[G:.*]]: tensor<3xf32>, %[[DY:.*]]: tensor<2x3x5x5xf16>)
func.func @batch_norm_grad(%x: tensor<2x3x5x5xf16>, %g: tensor<3xf32>, %dy: tensor<2x3x5x5xf16>) -> (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>) {
  // CHECK: %[[SUM:.*]] = linalg.generic {{.*}} ins(%[[X]] : tensor<2x3x5x5xf16>)
  // CHECK: %[[MEAN:.*]] = linalg.generic {{.*}} ins(%[[SUM]] : tensor<3xf32>)
  // CHECK: %[[SQ:.*]] = linalg.generic {{.*}} ins(%[[X]], %[[MEAN]] : tensor<2x3x5x5xf16>, tensor<3xf32>)
  // CHECK: %[[RSTD:.*]] = linalg.generic {{.*}} ins(%[[SQ]] : tensor<3xf32>)
  // CHECK: math.rsqrt
  // CHECK: %[[SUMS:.*]]:2 = linalg.generic {{.*}} iterator_types = ["reduction", "parallel", "reduction", "reduction"]} ins(%[[DY]], %[[X]], %[[MEAN]], %[[RSTD]] : {{.*}}) outs(%{{.*}}, %{{.*}} : tensor<3xf32>, tensor<3xf32>)
  // CHECK: %[[COEF:.*]]:3 = linalg.generic {{.*}} ins(%[[G]], %[[RSTD]], %[[SUMS]]#0, %[[SUMS]]#1 : {{.*}})
  // CHECK: %[[DX:.*]] = linalg.generic {{.*}} ins(%[[DY]], %[[X]], %[[MEAN]], %[[RSTD]], %[[COEF]]#0, %[[COEF]]#1, %[[COEF]]#2 : {{.*}}) outs(%{{.*}} : tensor<2x3x5x5xf16>)
  // CHECK: arith.truncf
  // CHECK: return %[[DX]], %[[SUMS]]#1, %[[SUMS]]#0
  %e = tensor.empty() : tensor<2x3x5x5xf16>
  %m = tensor.empty() : tensor<3xf32>
  %v = tensor.empty() : tensor<3xf32>
  %r:3 = call @BatchNormGradOp_f16f32f16_f16f32f32__sig0(%x, %g, %dy, %e, %m, %v) {byre_compute_name = "BatchNormGradOp_f16f32f16_f16f32f32", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<2x3x5x5xf16>, tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>) -> (tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>)
  return %r#0, %r#1, %r#2 : tensor<2x3x5x5xf16>, tensor<3xf32>, tensor<3xf32>
}
