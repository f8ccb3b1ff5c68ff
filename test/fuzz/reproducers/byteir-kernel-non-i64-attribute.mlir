// libFuzzer reproducer (issue 19 item 4, tools/ckpt-fuzz): ByteIR kernel
// calls whose integer attributes are dense tensors of i32 (the fuzzer's
// byte mutator wrote i68 and i63). Reduced by hand from two crash files
// (ASan stack-buffer-underflow in KernelMatcher::matchReduce,
// lib/Analysis/LibraryKernelFamilies.cpp:264, and stack-buffer-overflow
// in KernelMatcher::getInts, lib/Analysis/LibraryKernelMatcher.cpp:146,
// reached from the cost model in ckpt-rematerialize and the memory report).
// Fixed: the matcher reads integer attributes as APInt (any width up to 64 bits; wider is a located error). A regression test now.
// Was: both read the attribute with `getValues<int64_t>()`, which
// assumes 64-bit elements: on i32 they read past the attribute's data and
// ckpt-opt refuses the calls with errors about garbage values ("dimensions
// must be distinct and in [0, 2)", "padding must be non-negative ...").
// The fix should read the values as APInt (any width) or refuse a non-i64
// element type with an error that says so; the remarks below are those of
// the same calls with i64 attributes.
// RUN: ckpt-opt %s --test-ckpt-library-kernels -o /dev/null 2>&1 | FileCheck %s
// CHECK-NOT: must be distinct
// CHECK-NOT: must be non-negative
// CHECK: remark: ReduceSumOp: flops 3999, bytes 16004
// CHECK: remark: ConvBackwardDataOp: flops 150528, bytes 4912
func.func private @ReduceSumOp_f32_f32__sig0(tensor<4x1000xf32>, tensor<f32>) -> tensor<f32>
func.func @f(%x: tensor<4x1000xf32>, %o: tensor<f32>) -> tensor<f32> {
  %r = call @ReduceSumOp_f32_f32__sig0(%x, %o) {byre_compute_name = "ReduceSumOp_f32_f32", dimensions = dense<[0, 1]> : tensor<2xi32>} : (tensor<4x1000xf32>, tensor<f32>) -> tensor<f32>
  return %r : tensor<f32>
}
func.func private @conv_data(tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>, tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16>
func.func @g(%dy: tensor<1x8x8x8xf16>, %w: tensor<8x3x7x7xf16>, %o: tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16> {
  %r = call @conv_data(%dy, %w, %o) {byre_compute_name = "ConvBackwardDataOp_f16f16_f16", input_layout = "NCHW", kernel_layout = "NCHW", output_layout = "NCHW", padding = dense<3> : tensor<4xi32>, window_strides = dense<2> : tensor<2xi64>} : (tensor<1x8x8x8xf16>, tensor<8x3x7x7xf16>, tensor<1x3x16x16xf16>) -> tensor<1x3x16x16xf16>
  return %r : tensor<1x3x16x16xf16>
}
