// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels | FileCheck %s

// Tests that ConvOp becomes a zero tensor.pad, a linalg.conv_2d_nchw_fchw
// accumulating f16 operands in a zero-filled f32 tensor, and one rounding
// to f16; the destination tensor.empty and the declaration are gone.
func.func private @ConvOp_f16f16_f16__sig1(tensor<2x4x7x7xf16>, tensor<8x4x3x3xf16>, tensor<2x8x7x7xf16>) -> tensor<2x8x7x7xf16>
// CHECK-NOT: func.func private @ConvOp
// CHECK-LABEL: func.func @convolution_3x3s1
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x7x7xf16>, %[[W:.*]]: tensor<8x4x3x3xf16>)
func.func @convolution_3x3s1(%x: tensor<2x4x7x7xf16>, %w: tensor<8x4x3x3xf16>) -> tensor<2x8x7x7xf16> {
  // CHECK: %[[ZERO16:.*]] = arith.constant 0.000000e+00 : f16
  // CHECK: %[[XP:.*]] = tensor.pad %[[X]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: tensor.yield %[[ZERO16]] : f16
  // CHECK: } : tensor<2x4x7x7xf16> to tensor<2x4x9x9xf16>
  // CHECK: %[[ZERO32:.*]] = arith.constant 0.000000e+00 : f32
  // CHECK: %[[ACC:.*]] = linalg.fill ins(%[[ZERO32]] : f32) outs(%{{.*}} : tensor<2x8x7x7xf32>)
  // CHECK: %[[Y32:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XP]], %[[W]] : tensor<2x4x9x9xf16>, tensor<8x4x3x3xf16>) outs(%[[ACC]] : tensor<2x8x7x7xf32>)
  // CHECK: %[[Y:.*]] = linalg.generic {{.*}} ins(%[[Y32]] : tensor<2x8x7x7xf32>) outs(%{{.*}} : tensor<2x8x7x7xf16>)
  // CHECK: arith.truncf %{{.*}} : f32 to f16
  // CHECK: return %[[Y]]
  // CHECK-NOT: call
  %e = tensor.empty() : tensor<2x8x7x7xf16>
  %y = call @ConvOp_f16f16_f16__sig1(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<2x4x7x7xf16>, tensor<8x4x3x3xf16>, tensor<2x8x7x7xf16>) -> tensor<2x8x7x7xf16>
  return %y : tensor<2x8x7x7xf16>
}

// -----

// Tests that a 1x1 stride-2 convolution without padding needs no tensor.pad,
// and that an f32 convolution accumulates in f32 without a final cast.
func.func private @ConvOp_f16f16_f16__sig2(tensor<2x4x14x14xf16>, tensor<8x4x1x1xf16>, tensor<2x8x7x7xf16>) -> tensor<2x8x7x7xf16>
func.func private @ConvOp_f32f32_f32__sig0(tensor<2x4x14x14xf32>, tensor<8x4x1x1xf32>, tensor<2x8x7x7xf32>) -> tensor<2x8x7x7xf32>
// CHECK-LABEL: func.func @convolution_1x1s2
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x14x14xf16>, %[[W:.*]]: tensor<8x4x1x1xf16>, %[[X32:.*]]: tensor<2x4x14x14xf32>, %[[W32:.*]]: tensor<8x4x1x1xf32>)
func.func @convolution_1x1s2(%x: tensor<2x4x14x14xf16>, %w: tensor<8x4x1x1xf16>, %x32: tensor<2x4x14x14xf32>, %w32: tensor<8x4x1x1xf32>) -> (tensor<2x8x7x7xf16>, tensor<2x8x7x7xf32>) {
  // CHECK-NOT: tensor.pad
  // CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[X]], %[[W]] : tensor<2x4x14x14xf16>, tensor<8x4x1x1xf16>) outs(%{{.*}} : tensor<2x8x7x7xf32>)
  // CHECK: arith.truncf
  // CHECK: %[[Y32:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>} ins(%[[X32]], %[[W32]] : tensor<2x4x14x14xf32>, tensor<8x4x1x1xf32>)
  // CHECK-NEXT: return %{{.*}}, %[[Y32]]
  %e = tensor.empty() : tensor<2x8x7x7xf16>
  %y = call @ConvOp_f16f16_f16__sig2(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<0> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<2x4x14x14xf16>, tensor<8x4x1x1xf16>, tensor<2x8x7x7xf16>) -> tensor<2x8x7x7xf16>
  %e32 = tensor.empty() : tensor<2x8x7x7xf32>
  %y32 = call @ConvOp_f32f32_f32__sig0(%x32, %w32, %e32) {byre_compute_name = "ConvOp_f32f32_f32", input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<0> : tensor<2x2xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<2x4x14x14xf32>, tensor<8x4x1x1xf32>, tensor<2x8x7x7xf32>) -> tensor<2x8x7x7xf32>
  return %y, %y32 : tensor<2x8x7x7xf16>, tensor<2x8x7x7xf32>
}

// -----

// Tests that a stride-1 ConvBackwardDataOp (the forward's 3x3, padding 1)
// pads dy by K-1-p = 1 on both sides and convolves it with the filter
// rotated by 180 degrees and transposed to [C, F, Kh, Kw].
func.func private @ConvBackwardDataOp_f16f16_f16__sig9(tensor<2x8x7x7xf16>, tensor<8x4x3x3xf16>, tensor<2x4x7x7xf16>) -> tensor<2x4x7x7xf16>
// CHECK-DAG: #[[$ROTATE3:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, -d2 + 2, -d3 + 2)>
// CHECK-LABEL: func.func @convolution_backward_data_3x3s1
// CHECK-SAME: (%[[DY:.*]]: tensor<2x8x7x7xf16>, %[[W:.*]]: tensor<8x4x3x3xf16>)
func.func @convolution_backward_data_3x3s1(%dy: tensor<2x8x7x7xf16>, %w: tensor<8x4x3x3xf16>) -> tensor<2x4x7x7xf16> {
  // CHECK: %[[DYP:.*]] = tensor.pad %[[DY]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: } : tensor<2x8x7x7xf16> to tensor<2x8x9x9xf16>
  // CHECK: %[[WR:.*]] = linalg.generic {indexing_maps = [#[[$ROTATE3]], {{.*}}]{{.*}} ins(%[[W]] : tensor<8x4x3x3xf16>) outs(%{{.*}} : tensor<4x8x3x3xf16>)
  // CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[DYP]], %[[WR]] : tensor<2x8x9x9xf16>, tensor<4x8x3x3xf16>) outs(%{{.*}} : tensor<2x4x7x7xf32>)
  // CHECK: arith.truncf
  %e = tensor.empty() : tensor<2x4x7x7xf16>
  %dx = call @ConvBackwardDataOp_f16f16_f16__sig9(%dy, %w, %e) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<1> : tensor<4xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<2x8x7x7xf16>, tensor<8x4x3x3xf16>, tensor<2x4x7x7xf16>) -> tensor<2x4x7x7xf16>
  return %dx : tensor<2x4x7x7xf16>
}

// -----

// Tests that a stride-2 ConvBackwardDataOp inserts dy with stride 2 into a
// zero tensor of size I + K - 1 at offset K-1-p: for 3x3, padding 1, 14 ->
// 7 the high side gets K-1-p+a = 2 with the output padding a = 1 (mhlo's
// [1, 2]); for 1x1, padding 0, [0, 1].
func.func private @ConvBackwardDataOp_f16f16_f16__sig1(tensor<2x8x7x7xf16>, tensor<8x4x3x3xf16>, tensor<2x4x14x14xf16>) -> tensor<2x4x14x14xf16>
func.func private @ConvBackwardDataOp_f16f16_f16__sig2(tensor<2x8x7x7xf16>, tensor<8x4x1x1xf16>, tensor<2x4x14x14xf16>) -> tensor<2x4x14x14xf16>
// CHECK-LABEL: func.func @convolution_backward_data_s2
// CHECK-SAME: (%[[DY:.*]]: tensor<2x8x7x7xf16>
func.func @convolution_backward_data_s2(%dy: tensor<2x8x7x7xf16>, %w3: tensor<8x4x3x3xf16>, %w1: tensor<8x4x1x1xf16>) -> (tensor<2x4x14x14xf16>, tensor<2x4x14x14xf16>) {
  // CHECK: %[[Z:.*]] = linalg.fill ins(%{{.*}} : f16) outs(%{{.*}} : tensor<2x8x16x16xf16>)
  // CHECK: %[[DZ:.*]] = tensor.insert_slice %[[DY]] into %[[Z]][0, 0, 1, 1] [2, 8, 7, 7] [1, 1, 2, 2] : tensor<2x8x7x7xf16> into tensor<2x8x16x16xf16>
  // CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[DZ]], %{{.*}} : tensor<2x8x16x16xf16>, tensor<4x8x3x3xf16>) outs(%{{.*}} : tensor<2x4x14x14xf32>)
  // CHECK: %[[Z1:.*]] = linalg.fill ins(%{{.*}} : f16) outs(%{{.*}} : tensor<2x8x14x14xf16>)
  // CHECK: tensor.insert_slice %[[DY]] into %[[Z1]][0, 0, 0, 0] [2, 8, 7, 7] [1, 1, 2, 2] : tensor<2x8x7x7xf16> into tensor<2x8x14x14xf16>
  %e = tensor.empty() : tensor<2x4x14x14xf16>
  %dx3 = call @ConvBackwardDataOp_f16f16_f16__sig1(%dy, %w3, %e) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<1> : tensor<4xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<2x8x7x7xf16>, tensor<8x4x3x3xf16>, tensor<2x4x14x14xf16>) -> tensor<2x4x14x14xf16>
  %e1 = tensor.empty() : tensor<2x4x14x14xf16>
  %dx1 = call @ConvBackwardDataOp_f16f16_f16__sig2(%dy, %w1, %e1) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<0> : tensor<4xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<2x8x7x7xf16>, tensor<8x4x1x1xf16>, tensor<2x4x14x14xf16>) -> tensor<2x4x14x14xf16>
  return %dx3, %dx1 : tensor<2x4x14x14xf16>, tensor<2x4x14x14xf16>
}

// -----

// Tests that ConvBackwardFilterOp becomes a stride-1 convolution dilated by
// the forward stride on [C, N, H, W] x [F, N, Oh, Ow], transposed back to
// [F, C, Kh, Kw] while rounding.
func.func private @ConvBackwardFilterOp_f16f16_f16__sig1(tensor<2x4x14x14xf16>, tensor<2x8x7x7xf16>, tensor<8x4x3x3xf16>) -> tensor<8x4x3x3xf16>
// CHECK-DAG: #[[$SWAP:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2, d3)>
// CHECK-LABEL: func.func @convolution_backward_filter_3x3s2
// CHECK-SAME: (%[[X:.*]]: tensor<2x4x14x14xf16>, %[[DY:.*]]: tensor<2x8x7x7xf16>)
func.func @convolution_backward_filter_3x3s2(%x: tensor<2x4x14x14xf16>, %dy: tensor<2x8x7x7xf16>) -> tensor<8x4x3x3xf16> {
  // CHECK: %[[XT:.*]] = linalg.transpose ins(%[[X]] : tensor<2x4x14x14xf16>) outs(%{{.*}} : tensor<4x2x14x14xf16>) permutation = [1, 0, 2, 3]
  // CHECK: %[[XP:.*]] = tensor.pad %[[XT]] low[0, 0, 1, 1] high[0, 0, 1, 1]
  // CHECK: %[[DYT:.*]] = linalg.transpose ins(%[[DY]] : tensor<2x8x7x7xf16>) outs(%{{.*}} : tensor<8x2x7x7xf16>) permutation = [1, 0, 2, 3]
  // CHECK: %[[R:.*]] = linalg.conv_2d_nchw_fchw {dilations = dense<2> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%[[XP]], %[[DYT]] : tensor<4x2x16x16xf16>, tensor<8x2x7x7xf16>) outs(%{{.*}} : tensor<4x8x3x3xf32>)
  // CHECK: linalg.generic {indexing_maps = [#[[$SWAP]], {{.*}}]{{.*}} ins(%[[R]] : tensor<4x8x3x3xf32>) outs(%{{.*}} : tensor<8x4x3x3xf16>)
  // CHECK: arith.truncf
  %e = tensor.empty() : tensor<8x4x3x3xf16>
  %dw = call @ConvBackwardFilterOp_f16f16_f16__sig1(%x, %dy, %e) {byre_compute_name = "ConvBackwardFilterOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<1> : tensor<4xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<2x4x14x14xf16>, tensor<2x8x7x7xf16>, tensor<8x4x3x3xf16>) -> tensor<8x4x3x3xf16>
  return %dw : tensor<8x4x3x3xf16>
}
