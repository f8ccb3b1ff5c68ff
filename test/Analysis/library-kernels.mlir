// RUN: ckpt-opt %s -test-ckpt-library-kernels -verify-diagnostics -o /dev/null

// Tests the kernel table (LibraryKernels.h): each ByteIR kernel call's FLOPs
// and bytes (inputs read plus results written, destinations not read), each
// computed by hand; f16 takes 2 bytes, f32 4.
func.func private @conv(tensor<1x3x16x16xf16>, tensor<8x3x7x7xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
func.func private @conv_data(tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>, tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16>
func.func private @conv_filter(tensor<1x3x16x16xf16>, tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>) -> tensor<8x3x7x7xf16>
func.func private @bn(tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>, tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>)
func.func private @bn_grad(tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<1x8x8x8xf16>, tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>)
func.func private @pool(tensor<1x8x8x8xf16>, tensor<1x8x4x4xf16>) -> tensor<1x8x4x4xf16>
func.func private @pool_grad(tensor<1x8x8x8xf16>, tensor<1x8x4x4xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
func.func private @matmul(tensor<16x4xf16>, tensor<16x8xf16>, tensor<8x4xf16>) -> tensor<8x4xf16>
func.func private @sum(tensor<4x10xf32>, tensor<f32>) -> tensor<f32>
func.func private @max(tensor<4x10xf16>, tensor<4xf16>) -> tensor<4xf16>
func.func private @transpose(tensor<4x10xf16>, tensor<10x4xf16>) -> tensor<10x4xf16>
func.func @kernels(%x: tensor<1x3x16x16xf16>, %w: tensor<8x3x7x7xf16>, %y: tensor<1x8x8x8xf16>, %c: tensor<8xf32>, %p: tensor<1x8x4x4xf16>, %a: tensor<16x4xf16>, %b: tensor<16x8xf16>, %m: tensor<8x4xf16>, %s: tensor<4x10xf32>, %s0: tensor<f32>, %h: tensor<4x10xf16>, %h1: tensor<4xf16>, %t: tensor<10x4xf16>) {
  // 2 * outputs (512) * C*Kh*Kw (147); bytes 1536 + 2352 + 1024.
  // expected-remark @+1 {{ConvOp: flops 150528, bytes 4912}}
  %0 = call @conv(%x, %w, %y) {byre_compute_name = "ConvOp_f16f16_f16", input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<3> : tensor<2x2xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x3x16x16xf16>, tensor<8x3x7x7xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
  // The forward convolution's FLOPs; the same bytes.
  // expected-remark @+1 {{ConvBackwardDataOp: flops 150528, bytes 4912}}
  %1 = call @conv_data(%y, %w, %x) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<3> : tensor<4xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>, tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16>
  // expected-remark @+1 {{ConvBackwardFilterOp: flops 150528, bytes 4912}}
  %2 = call @conv_filter(%x, %y, %w) {byre_compute_name = "ConvBackwardFilterOp_f16f16_f16", input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<3> : tensor<4xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x3x16x16xf16>, tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>) -> tensor<8x3x7x7xf16>
  // 8 per element of x (512); bytes x 1024 + scale, offset 64 + y 1024 +
  // mean, variance 64.
  // expected-remark @+1 {{BatchNormTrainingOp: flops 4096, bytes 2176}}
  %3:3 = call @bn(%y, %c, %c, %y, %c, %c) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16f32f32", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>, tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>)
  // 13 per element; bytes x, dy, dx 3072 + scale, dscale, doffset 96.
  // expected-remark @+1 {{BatchNormGradOp: flops 6656, bytes 3168}}
  %4:3 = call @bn_grad(%y, %c, %y, %y, %c, %c) {byre_compute_name = "BatchNormGradOp_f16f32f16_f16f32f32", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<1x8x8x8xf16>, tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>) -> (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>)
  // 8 comparisons per output (128); bytes 1024 + 256.
  // expected-remark @+1 {{PoolMaxOp: flops 1024, bytes 1280}}
  %5 = call @pool(%y, %p) {byre_compute_name = "PoolMaxOp_f16_f16", padding = dense<[[0, 0], [0, 0], [1, 1], [1, 1]]> : tensor<4x2xi64>, window_dimensions = dense<[1, 1, 3, 3]> : tensor<4xi64>, window_strides = dense<[1, 1, 2, 2]> : tensor<4xi64>} : (tensor<1x8x8x8xf16>, tensor<1x8x4x4xf16>) -> tensor<1x8x4x4xf16>
  // 9 per element of dy (128); bytes 1024 + 256 + 1024.
  // expected-remark @+1 {{PoolMaxGradOp: flops 1152, bytes 2304}}
  %6 = call @pool_grad(%y, %p, %y) {byre_compute_name = "PoolMaxGradOp_f16f16_f16", padding = dense<[[0, 0], [0, 0], [1, 1], [1, 1]]> : tensor<4x2xi64>, window_dimensions = dense<[1, 1, 3, 3]> : tensor<4xi64>, window_strides = dense<[1, 1, 2, 2]> : tensor<4xi64>} : (tensor<1x8x8x8xf16>, tensor<1x8x4x4xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
  // (A^T B)^T: 2 * M (4) * N (8) * K (16); bytes 128 + 256 + 64.
  // expected-remark @+1 {{MatmulOp: flops 1024, bytes 448}}
  %7 = call @matmul(%a, %b, %m) {byre_compute_name = "MatmulOp_f16f16_f16", lhs_contracting_dimension = 0 : i64, output_transpose, rhs_contracting_dimension = 0 : i64} : (tensor<16x4xf16>, tensor<16x8xf16>, tensor<8x4xf16>) -> tensor<8x4xf16>
  // 40 - 1 additions; bytes 160 + 4.
  // expected-remark @+1 {{ReduceSumOp: flops 39, bytes 164}}
  %8 = call @sum(%s, %s0) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<[0, 1]> : tensor<2xi64>} : (tensor<4x10xf32>, tensor<f32>) -> tensor<f32>
  // 40 - 4 comparisons; bytes 80 + 8.
  // expected-remark @+1 {{ReduceMaxOp: flops 36, bytes 88}}
  %9 = call @max(%h, %h1) {byre_compute_name = "ReduceMaxOp_f16_f16", dimensions = dense<1> : tensor<1xi64>} : (tensor<4x10xf16>, tensor<4xf16>) -> tensor<4xf16>
  // No FLOPs; bytes 80 + 80.
  // expected-remark @+1 {{TransposeOp: flops 0, bytes 160}}
  %10 = call @transpose(%h, %t) {byre_compute_name = "TransposeOp_f16_f16", permutation = dense<[1, 0]> : tensor<2xi64>} : (tensor<4x10xf16>, tensor<10x4xf16>) -> tensor<10x4xf16>
  // A name whose types disagree with the call's is not recognized.
  // expected-error @+1 {{ByteIR kernel 'TransposeOp_f32_f32': the name's type suffix '_f32_f32' does not match the operand and result element types ('_f16_f16')}}
  %11 = call @transpose(%h, %t) {byre_compute_name = "TransposeOp_f32_f32", permutation = dense<[1, 0]> : tensor<2xi64>} : (tensor<4x10xf16>, tensor<10x4xf16>) -> tensor<10x4xf16>
  return
}
