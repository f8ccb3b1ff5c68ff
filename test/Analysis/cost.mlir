// RUN: ckpt-opt %s -split-input-file -test-ckpt-cost -verify-diagnostics -o /dev/null

// Tests the FLOP model of rationale §5, each count computed by hand.
func.func private @ext(tensor<4x8xf32>) -> tensor<4x8xf32>
func.func private @callee(%v: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %e = math.exp %v : tensor<4x8xf32>
  %n = arith.negf %e : tensor<4x8xf32>
  return %n : tensor<4x8xf32>
}
// Total: 1024 + 64 + 6912 + 32 + 64 = 8096.
// expected-remark @+1 {{total flops 8096; unknown callees: [ext]}}
func.func @flops(%x: tensor<4x16xf32>, %w: tensor<16x8xf32>, %img: tensor<1x3x10x10xf32>, %k: tensor<2x3x3x3xf32>) -> tensor<4x8xf32> attributes {test.cost} {
  // expected-remark @+1 {{flops 0}}
  %e = tensor.empty() : tensor<4x8xf32>
  // expected-remark @+1 {{flops 0}}
  %cst = arith.constant 0.0 : f32
  // A fill's body is only a yield: 0.
  // expected-remark @+1 {{flops 0}}
  %z = linalg.fill ins(%cst : f32) outs(%e : tensor<4x8xf32>) -> tensor<4x8xf32>
  // matmul 2*M*N*K = 2*4*8*16 = 1024.
  // expected-remark @+1 {{flops 1024}}
  %m = linalg.matmul ins(%x, %w : tensor<4x16xf32>, tensor<16x8xf32>) outs(%z : tensor<4x8xf32>) -> tensor<4x8xf32>
  // Elementwise generic with 2 body ops over 32 elements: 64.
  // expected-remark @+1 {{flops 64}}
  %g = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]} ins(%m : tensor<4x8xf32>) outs(%e : tensor<4x8xf32>) {
  ^bb0(%in: f32, %out: f32):
    %t = math.tanh %in : f32
    %s = arith.mulf %t, %t : f32
    linalg.yield %s : f32
  } -> tensor<4x8xf32>
  // expected-remark @+1 {{flops 0}}
  %ce = tensor.empty() : tensor<1x2x8x8xf32>
  // Convolution NCHW: 2 * outputs (1*2*8*8 = 128) * reduction (3*3*3 = 27)
  // = 6912.
  // expected-remark @+1 {{flops 6912}}
  %conv = linalg.conv_2d_nchw_fchw ins(%img, %k : tensor<1x3x10x10xf32>, tensor<2x3x3x3xf32>) outs(%ce : tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  // Tensor arith: one per element (32).
  // expected-remark @+1 {{flops 32}}
  %a = arith.addf %g, %m : tensor<4x8xf32>
  // Defined callee: exp + negf over 32 elements = 64.
  // expected-remark @+1 {{flops 64}}
  %c = func.call @callee(%a) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // External callee: unknown, counted 0 and listed.
  // expected-remark @+1 {{flops 0}}
  %x2 = func.call @ext(%c) : (tensor<4x8xf32>) -> tensor<4x8xf32>
  // expected-remark @+1 {{flops 0}}
  return %x2 : tensor<4x8xf32>
}

// -----

// Tests that calls of ByteIR library kernels count the FLOPs of the kernel
// table (LibraryKernels.h), and that a kernel call the table refuses stays
// unknown.
func.func private @ConvOp_f16f16_f16__sig0(tensor<1x3x16x16xf16>, tensor<8x3x7x7xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
func.func private @ConvBackwardDataOp_f16f16_f16__sig0(tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>, tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16>
func.func private @BatchNormTrainingOp_f16f32f32_f16__sig0(tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
func.func private @MatmulOp_f16f16_f16__sig0(tensor<16x4xf16>, tensor<16x8xf16>, tensor<8x4xf16>) -> tensor<8x4xf16>
func.func private @PoolMaxOp_f16_f16__sig0(tensor<1x8x8x8xf16>, tensor<1x8x4x4xf16>) -> tensor<1x8x4x4xf16>
func.func private @ReduceSumOp_f32_f32__sig0(tensor<4x10xf32>, tensor<f32>) -> tensor<f32>
// Total: 150528 + 150528 + 4096 + 1024 + 1024 + 39 = 307239.
// expected-remark @+1 {{total flops 307239; unknown callees: [ConvOp_f16f16_f16__sig0]}}
func.func @library_kernels(%x: tensor<1x3x16x16xf16>, %w: tensor<8x3x7x7xf16>, %g: tensor<8xf32>, %a: tensor<16x4xf16>, %b: tensor<16x8xf16>, %r: tensor<4x10xf32>) -> (tensor<1x8x8x8xf16>, tensor<1x3x16x16xf16>, tensor<8x4xf16>, tensor<1x8x4x4xf16>, tensor<f32>, tensor<1x8x8x8xf16>) attributes {test.cost} {
  // expected-remark @+1 {{flops 0}}
  %e = tensor.empty() : tensor<1x8x8x8xf16>
  // 2 * outputs (1*8*8*8 = 512) * C*Kh*Kw (3*7*7 = 147) = 150528.
  // expected-remark @+1 {{flops 150528}}
  %y = call @ConvOp_f16f16_f16__sig0(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", lhs_dilation = dense<1> : tensor<2xi64>, output_layout = "NCHW", padding = dense<3> : tensor<2x2xi64>, rhs_dilation = dense<1> : tensor<2xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x3x16x16xf16>, tensor<8x3x7x7xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
  // expected-remark @+1 {{flops 0}}
  %ex = tensor.empty() : tensor<1x3x16x16xf16>
  // The forward convolution's FLOPs: 150528.
  // expected-remark @+1 {{flops 150528}}
  %dx = call @ConvBackwardDataOp_f16f16_f16__sig0(%y, %w, %ex) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", batch_group_count = 1 : i64, feature_group_count = 1 : i64, input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<3> : tensor<4xi64>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>, tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16>
  // 8 per element of x: 8 * 512 = 4096.
  // expected-remark @+1 {{flops 4096}}
  %bn = call @BatchNormTrainingOp_f16f32f32_f16__sig0(%y, %g, %g, %e) {byre_compute_name = "BatchNormTrainingOp_f16f32f32_f16", epsilon = 9.99999974E-6 : f32, feature_index = 1 : i64} : (tensor<1x8x8x8xf16>, tensor<8xf32>, tensor<8xf32>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
  // expected-remark @+1 {{flops 0}}
  %em = tensor.empty() : tensor<8x4xf16>
  // (A^T B)^T with A 16x4, B 16x8: M = 4, N = 8, K = 16; 2*M*N*K = 1024.
  // expected-remark @+1 {{flops 1024}}
  %m = call @MatmulOp_f16f16_f16__sig0(%a, %b, %em) {byre_compute_name = "MatmulOp_f16f16_f16", lhs_contracting_dimension = 0 : i64, output_transpose, rhs_contracting_dimension = 0 : i64} : (tensor<16x4xf16>, tensor<16x8xf16>, tensor<8x4xf16>) -> tensor<8x4xf16>
  // expected-remark @+1 {{flops 0}}
  %ep = tensor.empty() : tensor<1x8x4x4xf16>
  // 3x3 window: 8 comparisons per output, 8 * 128 = 1024.
  // expected-remark @+1 {{flops 1024}}
  %p = call @PoolMaxOp_f16_f16__sig0(%y, %ep) {byre_compute_name = "PoolMaxOp_f16_f16", base_dilations = dense<1> : tensor<4xi64>, padding = dense<[[0, 0], [0, 0], [1, 1], [1, 1]]> : tensor<4x2xi64>, window_dilations = dense<1> : tensor<4xi64>, window_dimensions = dense<[1, 1, 3, 3]> : tensor<4xi64>, window_strides = dense<[1, 1, 2, 2]> : tensor<4xi64>} : (tensor<1x8x8x8xf16>, tensor<1x8x4x4xf16>) -> tensor<1x8x4x4xf16>
  // expected-remark @+1 {{flops 0}}
  %er = tensor.empty() : tensor<f32>
  // 40 inputs to 1 output: 39 additions.
  // expected-remark @+1 {{flops 39}}
  %s = call @ReduceSumOp_f32_f32__sig0(%r, %er) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<[0, 1]> : tensor<2xi64>} : (tensor<4x10xf32>, tensor<f32>) -> tensor<f32>
  // A stride of 0 is refused by the table: unknown, 0, listed.
  // expected-remark @+1 {{flops 0}}
  %bad = call @ConvOp_f16f16_f16__sig0(%x, %w, %e) {byre_compute_name = "ConvOp_f16f16_f16", input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<3> : tensor<2x2xi64>, window_strides = dense<0> : tensor<2xi64>} : (tensor<1x3x16x16xf16>, tensor<8x3x7x7xf16>, tensor<1x8x8x8xf16>) -> tensor<1x8x8x8xf16>
  // expected-remark @+1 {{flops 0}}
  return %y, %dx, %m, %p, %s, %bad : tensor<1x8x8x8xf16>, tensor<1x3x16x16xf16>, tensor<8x4xf16>, tensor<1x8x4x4xf16>, tensor<f32>, tensor<1x8x8x8xf16>
}
