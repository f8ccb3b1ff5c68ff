// RUN: ckpt-opt %s -split-input-file --ckpt-convert-byteir-kernels -verify-diagnostics -o /dev/null

// Tests that an unknown kernel is refused, naming the known ones.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_unknown_kernel(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{ByteIR kernel 'ConvTransposeOp_f16f16_f16': unknown kernel (known: ConvOp, ConvBackwardDataOp, ConvBackwardFilterOp, BatchNormTrainingOp, BatchNormGradOp, PoolMaxOp, PoolMaxGradOp, MatmulOp, ReduceSumOp, ReduceMaxOp, TransposeOp)}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvTransposeOp_f16f16_f16"} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that a name whose type suffix disagrees with the operand types is refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_type_suffix(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{the name's type suffix '_f32f32_f32' does not match the operand and result element types ('_f16f16_f16')}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f32f32_f32", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that an attribute the kernel does not read is refused (the runtime might read it).
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_unknown_attribute(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{unsupported attribute 'compute_type'}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", compute_type = f16, batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that unequal low and high padding is refused, as ByteIR's runtime does.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x4x4xf16>) -> tensor<1x3x4x4xf16>
func.func @negative_asymmetric_padding(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x4x4xf16>) -> tensor<1x3x4x4xf16> {
  // expected-error @+1 {{padding must be non-negative and equal on both sides of each dimension (ByteIR's runtime requires it), got [1, 0, 1, 0]}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<[[1, 0], [1, 0]]> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x4x4xf16>) -> tensor<1x3x4x4xf16>
  return %y : tensor<1x3x4x4xf16>
}

// -----

// Tests that a layout other than NCHW is refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_layout(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{unsupported input_layout "NHWC" (supported: "NCHW")}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NHWC", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that grouped convolutions are refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_groups(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{unsupported feature_group_count 2 (supported: 1)}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 2 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that dilated convolutions are refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_dilation(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{unsupported rhs_dilation [2, 2] (supported: all 1)}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<2> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that a missing stride attribute is refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_missing_strides(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{missing attribute 'window_strides'}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that an output shape that the window does not give is refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_output_shape(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{height: a window of 3 with stride 2 and padding 1 over 5 gives 3, not 5}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that ConvOp's padding must come as [[h_lo, h_hi], [w_lo, w_hi]].
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_padding_shape(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{attribute 'padding' must be a dense integer tensor of shape [2, 2]}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<4xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that a checkpointed kernel call is refused: the rewrite would drop the annotation.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
func.func @negative_annotated_call(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{ByteIR kernel 'ConvOp_f16f16_f16': the call carries 'ckpt.checkpoint', which the rewrite would drop; convert the kernels before annotating}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", ckpt.checkpoint, batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that a kernel whose declaration is checkpointed is refused.
func.func private @K(tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> attributes {ckpt.checkpoint}
func.func @negative_annotated_declaration(%x: tensor<1x2x5x5xf16>, %w: tensor<3x2x3x3xf16>, %e: tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16> {
  // expected-error @+1 {{ByteIR kernel 'ConvOp_f16f16_f16': its callee carries 'ckpt.checkpoint', which the rewrite would drop; convert the kernels before annotating}}
  %y = call @K(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<1> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x2x5x5xf16>, tensor<3x2x3x3xf16>, tensor<1x3x5x5xf16>) -> tensor<1x3x5x5xf16>
  return %y : tensor<1x3x5x5xf16>
}

// -----

// Tests that a kernel call to a function with a body is refused.
func.func private @K(%x: tensor<4x10xf32>, %e: tensor<4xf32>) -> tensor<4xf32> {
  return %e : tensor<4xf32>
}
func.func @negative_defined_callee(%x: tensor<4x10xf32>, %e: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{ByteIR kernel 'ReduceSumOp_f32_f32': the callee must be an external declaration}}
  %s = call @K(%x, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<1> : tensor<1xi64>} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// Tests that dynamic shapes are refused.
func.func private @K(tensor<?x10xf32>, tensor<?xf32>) -> tensor<?xf32>
func.func @negative_dynamic(%x: tensor<?x10xf32>, %e: tensor<?xf32>) -> tensor<?xf32> {
  // expected-error @+1 {{input 0 must be a statically shaped tensor, got 'tensor<?x10xf32>'}}
  %s = call @K(%x, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<1> : tensor<1xi64>} : (tensor<?x10xf32>, tensor<?xf32>) -> tensor<?xf32>
  return %s : tensor<?xf32>
}

// -----

// Tests that reduced dimensions out of range, or repeated, are refused, and
// that every refused call of a module is reported.
func.func private @K(tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
func.func @negative_reduce_dimensions(%x: tensor<4x10xf32>, %e: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  // expected-error @+1 {{dimensions must be distinct and in [0, 2)}}
  %a = call @K(%x, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<2> : tensor<1xi64>} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
  // expected-error @+1 {{dimensions must be distinct and in [0, 2)}}
  %b = call @K(%x, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<[1, 1]> : tensor<2xi64>} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %a, %b : tensor<4xf32>, tensor<4xf32>
}

// -----

// Tests that a batch-norm feature_index other than NCHW's C is refused.
func.func private @K(tensor<2x3x4x4xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16>
func.func @negative_feature_index(%x: tensor<2x3x4x4xf16>, %g: tensor<3xf32>, %e: tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16> {
  // expected-error @+1 {{unsupported feature_index 3 (supported: 1, the C of NCHW)}}
  %y = call @K(%x, %g, %g, %e) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16", epsilon = 9.99999974E-6 : f32, feature_index = 3 : i64} : (tensor<2x3x4x4xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16>
  return %y : tensor<2x3x4x4xf16>
}

// -----

// Tests that an epsilon that is not f32 is refused.
func.func private @K(tensor<2x3x4x4xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16>
func.func @negative_epsilon(%x: tensor<2x3x4x4xf16>, %g: tensor<3xf32>, %e: tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16> {
  // expected-error @+1 {{attribute 'epsilon' must be an f32 float}}
  %y = call @K(%x, %g, %g, %e) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16", epsilon = 1.0E-5 : f64, feature_index = 1 : i64} : (tensor<2x3x4x4xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16>
  return %y : tensor<2x3x4x4xf16>
}

// -----

// Tests that a batch-norm call with two results (neither form) is refused.
func.func private @K(tensor<2x3x4x4xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x4xf16>, tensor<3xf32>) -> (tensor<2x3x4x4xf16>, tensor<3xf32>)
func.func @negative_batch_norm_results(%x: tensor<2x3x4x4xf16>, %g: tensor<3xf32>, %e: tensor<2x3x4x4xf16>) -> tensor<2x3x4x4xf16> {
  // expected-error @+1 {{unsupported number of results 2}}
  %y:2 = call @K(%x, %g, %g, %e, %g) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16f32", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<2x3x4x4xf16>, tensor<3xf32>, tensor<3xf32>, tensor<2x3x4x4xf16>, tensor<3xf32>) -> (tensor<2x3x4x4xf16>, tensor<3xf32>)
  return %y#0 : tensor<2x3x4x4xf16>
}

// -----

// Tests that a pooling window over N or C is refused.
func.func private @K(tensor<1x2x8x8xf16>, tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16>
func.func @negative_pool_window(%x: tensor<1x2x8x8xf16>, %e: tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16> {
  // expected-error @+1 {{window_dimensions must be [1, 1, Kh, Kw], got [1, 2, 3, 3]}}
  %y = call @K(%x, %e) {byre_compute_name = "PoolMaxOp_f16_f16", padding = dense<[[0, 0], [0, 0], [1, 1], [1, 1]]> : tensor<4x2xi64>, window_dimensions = dense<[1, 2, 3, 3]> : tensor<4xi64>, window_strides = dense<[1, 1, 2, 2]> : tensor<4xi64>} : (tensor<1x2x8x8xf16>, tensor<1x2x4x4xf16>) -> tensor<1x2x4x4xf16>
  return %y : tensor<1x2x4x4xf16>
}

// -----

// Tests that pooling padding as large as the window is refused.
func.func private @K(tensor<1x2x8x8xf16>, tensor<1x2x10x10xf16>) -> tensor<1x2x10x10xf16>
func.func @negative_pool_padding(%x: tensor<1x2x8x8xf16>, %e: tensor<1x2x10x10xf16>) -> tensor<1x2x10x10xf16> {
  // expected-error @+1 {{padding must be smaller than the window}}
  %y = call @K(%x, %e) {byre_compute_name = "PoolMaxOp_f16_f16", padding = dense<[[0, 0], [0, 0], [2, 2], [2, 2]]> : tensor<4x2xi64>, window_dimensions = dense<[1, 1, 2, 2]> : tensor<4xi64>, window_strides = dense<1> : tensor<4xi64>} : (tensor<1x2x8x8xf16>, tensor<1x2x10x10xf16>) -> tensor<1x2x10x10xf16>
  return %y : tensor<1x2x10x10xf16>
}

// -----

// Tests that a matmul contracting dimension other than 0 or 1 is refused.
func.func private @K(tensor<4x8xf16>, tensor<8x2xf16>, tensor<4x2xf16>) -> tensor<4x2xf16>
func.func @negative_matmul_contracting(%a: tensor<4x8xf16>, %b: tensor<8x2xf16>, %e: tensor<4x2xf16>) -> tensor<4x2xf16> {
  // expected-error @+1 {{contracting dimensions must be 0 or 1, got 2 and 0}}
  %c = call @K(%a, %b, %e) {byre_compute_name = "MatmulOp_f16f16_f16", lhs_contracting_dimension = 2 : i64, rhs_contracting_dimension = 0 : i64} : (tensor<4x8xf16>, tensor<8x2xf16>, tensor<4x2xf16>) -> tensor<4x2xf16>
  return %c : tensor<4x2xf16>
}

// -----

// Tests that a matmul whose contracting sizes differ is refused.
func.func private @K(tensor<4x8xf16>, tensor<8x2xf16>, tensor<4x8xf16>) -> tensor<4x8xf16>
func.func @negative_matmul_sizes(%a: tensor<4x8xf16>, %b: tensor<8x2xf16>, %e: tensor<4x8xf16>) -> tensor<4x8xf16> {
  // expected-error @+1 {{contracting sizes differ: 8 and 2}}
  %c = call @K(%a, %b, %e) {byre_compute_name = "MatmulOp_f16f16_f16", lhs_contracting_dimension = 1 : i64, rhs_contracting_dimension = 1 : i64} : (tensor<4x8xf16>, tensor<8x2xf16>, tensor<4x8xf16>) -> tensor<4x8xf16>
  return %c : tensor<4x8xf16>
}

// -----

// Tests that a transpose permutation that is not one is refused.
func.func private @K(tensor<4x8xf16>, tensor<8x4xf16>) -> tensor<8x4xf16>
func.func @negative_permutation(%a: tensor<4x8xf16>, %e: tensor<8x4xf16>) -> tensor<8x4xf16> {
  // expected-error @+1 {{permutation [1, 1] is not a permutation}}
  %t = call @K(%a, %e) {byre_compute_name = "TransposeOp_f16_f16", permutation = dense<[1, 1]> : tensor<2xi64>} : (tensor<4x8xf16>, tensor<8x4xf16>) -> tensor<8x4xf16>
  return %t : tensor<8x4xf16>
}

// -----

// Tests that a destination whose type is not its result's is refused.
func.func private @K(tensor<4x10xf32>, tensor<4xf16>) -> tensor<4xf32>
func.func @negative_destination(%x: tensor<4x10xf32>, %e: tensor<4xf16>) -> tensor<4xf32> {
  // expected-error @+1 {{destination operand 1 has type 'tensor<4xf16>', result 0 'tensor<4xf32>'}}
  %s = call @K(%x, %e) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<1> : tensor<1xi64>} : (tensor<4x10xf32>, tensor<4xf16>) -> tensor<4xf32>
  return %s : tensor<4xf32>
}

// -----

// Tests that a backward convolution whose padding reaches the filter size
// is refused (the gradient would be padded by K - 1 - p < 0).
func.func private @K(tensor<1x3x5x5xf16>, tensor<3x2x1x1xf16>, tensor<1x2x3x3xf16>) -> tensor<1x2x3x3xf16>
func.func @negative_backward_padding(%dy: tensor<1x3x5x5xf16>, %w: tensor<3x2x1x1xf16>, %e: tensor<1x2x3x3xf16>) -> tensor<1x2x3x3xf16> {
  // expected-error @+1 {{padding must be smaller than the filter}}
  %dx = call @K(%dy, %w, %e) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<1> : tensor<4xi64>, window_strides = dense<1> : tensor<2xi64>} : (tensor<1x3x5x5xf16>, tensor<3x2x1x1xf16>, tensor<1x2x3x3xf16>) -> tensor<1x2x3x3xf16>
  return %dx : tensor<1x2x3x3xf16>
}
