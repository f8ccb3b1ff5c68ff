// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels | FileCheck %s

// Tests that PoolMaxOp (3x3, stride 2, padding 1) pads with -inf (0xFC00,
// never selected) and becomes linalg.pooling_nchw_max from a -inf init.
func.func private @PoolMaxOp_f16_f16__sig0(tensor<1x2x8x8xf16>, tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16>
// CHECK-LABEL: func.func @pool_max
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x8x8xf16>)
func.func @pool_max(%x: tensor<1x2x8x8xf16>) -> tensor<1x2x4x4xf16> {
  // CHECK: %[[NEGINF:.*]] = arith.constant 0xFC00 : f16
  // CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.yield %[[NEGINF]] : f16
  // CHECK: %[[WIN:.*]] = tensor.empty() : tensor<3x3xf16>
  // CHECK: %[[INIT:.*]] = linalg.fill ins(%{{.*}} : f16) outs(%{{.*}} : tensor<1x2x4x4xf16>)
  // CHECK: %[[Y:.*]] = linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[XP]], %[[WIN]] : tensor<1x2x10x10xf16>, tensor<3x3xf16>) outs(%[[INIT]] : tensor<1x2x4x4xf16>)
  // CHECK: return %[[Y]]
  %e = tensor.empty() : tensor<1x2x4x4xf16>
  %y = call @PoolMaxOp_f16_f16__sig0(%x, %e) {byre_compute_name = "PoolMaxOp_f16_f16", base_dilations = dense<1> : tensor<4xi64>, padding = dense<[[0, 0], [0, 0], [1, 1], [1, 1]]> : tensor<4x2xi64>, window_dilations = dense<1> : tensor<4xi64>, window_dimensions = dense<[1, 1, 3, 3]> : tensor<4xi64>, window_strides = dense<[1, 1, 2, 2]> : tensor<4xi64>} : (tensor<1x2x8x8xf16>, tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16>
  return %y : tensor<1x2x4x4xf16>
}

// -----

// Tests that PoolMaxGradOp finds each window's first maximum (offset
// 3*i + j; a candidate wins if greater, or equal at a smaller offset; the
// init offset 9 loses every tie), then gathers for each element of dx the
// dy of the windows whose first maximum it is, in f32, rounded once.
func.func private @PoolMaxGradOp_f16f16_f16__sig0(tensor<1x2x8x8xf16>, tensor<1x2x4x4xf16>, tensor<1x2x8x8xf16>) -> tensor<1x2x8x8xf16>
// CHECK-DAG: #[[$WINDOW:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 * 2 + d4, d3 * 2 + d5)>
// CHECK-LABEL: func.func @pool_max_grad
// CHECK-SAME: (%[[X:.*]]: tensor<1x2x8x8xf16>, %[[DY:.*]]: tensor<1x2x4x4xf16>)
func.func @pool_max_grad(%x: tensor<1x2x8x8xf16>, %dy: tensor<1x2x4x4xf16>) -> tensor<1x2x8x8xf16> {
  // CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: %[[NINE:.*]] = arith.constant 9 : i32
  // CHECK: %[[OFFINIT:.*]] = linalg.fill ins(%[[NINE]] : i32) outs(%{{.*}} : tensor<1x2x4x4xi32>)
  // CHECK: %[[ARGMAX:.*]]:2 = linalg.generic {indexing_maps = [#[[$WINDOW]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]} ins(%[[XP]], %{{.*}} : tensor<1x2x10x10xf16>, tensor<3x3xf16>) outs(%{{.*}}, %[[OFFINIT]] : tensor<1x2x4x4xf16>, tensor<1x2x4x4xi32>)
  // CHECK: %[[GT:.*]] = arith.cmpf ogt
  // CHECK: %[[EQ:.*]] = arith.cmpf oeq
  // CHECK: %[[EARLIER:.*]] = arith.cmpi slt
  // CHECK: %[[TIE:.*]] = arith.andi %[[EQ]], %[[EARLIER]]
  // CHECK: arith.ori %[[GT]], %[[TIE]]
  // CHECK: %[[DX:.*]] = linalg.generic {{.*}} outs(%{{.*}} : tensor<1x2x8x8xf16>)
  // CHECK: scf.for
  // CHECK: scf.for
  // CHECK: scf.if
  // CHECK: tensor.extract %[[ARGMAX]]#1[
  // CHECK: tensor.extract %[[DY]][
  // CHECK: arith.addf %{{.*}}, %{{.*}} : f32
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  // CHECK: return %[[DX]]
  %e = tensor.empty() : tensor<1x2x8x8xf16>
  %dx = call @PoolMaxGradOp_f16f16_f16__sig0(%x, %dy, %e) {byre_compute_name = "PoolMaxGradOp_f16f16_f16", padding = dense<[[0, 0], [0, 0], [1, 1], [1, 1]]> : tensor<4x2xi64>, window_dimensions = dense<[1, 1, 3, 3]> : tensor<4xi64>, window_strides = dense<[1, 1, 2, 2]> : tensor<4xi64>} : (tensor<1x2x8x8xf16>, tensor<1x2x4x4xf16>, tensor<1x2x8x8xf16>) -> tensor<1x2x8x8xf16>
  return %dx : tensor<1x2x8x8xf16>
}
