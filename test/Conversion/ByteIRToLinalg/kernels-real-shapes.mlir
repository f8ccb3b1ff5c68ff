// Tests each ByteIR kernel of the ResNet-18 graphs once at a real shape of
// those graphs (split pair, batch 1, or joint step, batch 4), through
// ckpt-convert-byteir-kernels and ckpt-lower-to-cpu, against PyTorch in
// float64: f16 results rounded to f16 within 1 ulp for >= 99.9% of the
// elements, f32 results within 1e-5 relative (kernel_check.py says how).
// About 1 GFLOP of convolutions: a few seconds.
// REQUIRES: torch
// RUN: %torch_python %S/kernel_check.py --group real | FileCheck %s

// CHECK: conv_7x7s2_stem result 0 [1x64x112x112 f16]: 802816 elements, {{.*}}: ok
// CHECK: conv_bwd_data_3x3s2 result 0 [1x256x14x14 f16]: 50176 elements, {{.*}}: ok
// CHECK: conv_bwd_filter_7x7s2_stem result 0 [64x3x7x7 f16]: 9408 elements, {{.*}}: ok
// CHECK: bn_training_stats result 0 [1x64x56x56 f16]: 200704 elements, {{.*}}: ok
// CHECK: bn_training_stats result 1 [64 f32]: 64 elements, {{.*}}: ok
// CHECK: bn_training_stats result 2 [64 f32]: 64 elements, {{.*}}: ok
// CHECK: bn_grad result 0 [1x128x28x28 f16]: 100352 elements, {{.*}}: ok
// CHECK: bn_grad result 1 [128 f32]: 128 elements, {{.*}}: ok
// CHECK: bn_grad result 2 [128 f32]: 128 elements, {{.*}}: ok
// CHECK: pool_max result 0 [1x64x56x56 f16]: 200704 elements, {{.*}}: ok
// CHECK: pool_max_grad result 0 [1x64x112x112 f16]: 802816 elements, {{.*}}: ok
// CHECK: matmul_output_transpose result 0 [1000x512 f16]: 512000 elements, {{.*}}: ok
// CHECK: reduce_sum_hw result 0 [4x512 f16]: 2048 elements, {{.*}}: ok
// CHECK: reduce_max result 0 [4 f16]: 4 elements, {{.*}}: ok
// CHECK: reduce_sum_f32_all result 0 [scalar f32]: 1 elements, {{.*}}: ok
// CHECK: transpose result 0 [512x1000 f16]: 512000 elements, {{.*}}: ok
// CHECK: kernel_check --group real: 12 cases, 16 results, all ok
