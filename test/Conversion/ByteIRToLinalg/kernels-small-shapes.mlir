// Tests the other configurations the ResNet-18 graphs use (every
// convolution stride/padding/filter, the output padding of stride-2
// backward data, f32 kernels, batch-norm without statistics and with the
// biased-variance option, tie-heavy pooling gradients, every matmul
// contracting combination, reductions) at small shapes against PyTorch in
// float64, as kernels-real-shapes.mlir does.
// REQUIRES: torch
// RUN: %torch_python %S/kernel_check.py --group small | FileCheck %s

// CHECK: conv_3x3s1_i7 result 0 [2x4x7x7 f16]: 392 elements, {{.*}}: ok
// CHECK: conv_bwd_data_3x3s1_i7 result 0 [2x3x7x7 f16]: 294 elements, {{.*}}: ok
// CHECK: conv_bwd_filter_3x3s1_i7 result 0 [4x3x3x3 f16]: 108 elements, {{.*}}: ok
// CHECK: conv_1x1s2_i14 result 0 [2x4x7x7 f16]: 392 elements, {{.*}}: ok
// CHECK: conv_bwd_data_1x1s2_i14 result 0 [2x3x14x14 f16]: 1176 elements, {{.*}}: ok
// CHECK: conv_bwd_filter_1x1s2_i14 result 0 [4x3x1x1 f16]: 12 elements, {{.*}}: ok
// CHECK: conv_3x3s2_i14 result 0 [2x4x7x7 f16]: 392 elements, {{.*}}: ok
// CHECK: conv_bwd_data_3x3s2_i14 result 0 [2x3x14x14 f16]: 1176 elements, {{.*}}: ok
// CHECK: conv_bwd_filter_3x3s2_i14 result 0 [4x3x3x3 f16]: 108 elements, {{.*}}: ok
// CHECK: conv_3x3s2_i15 result 0 [2x4x8x8 f16]: 512 elements, {{.*}}: ok
// CHECK: conv_bwd_data_3x3s2_i15 result 0 [2x3x15x15 f16]: 1350 elements, {{.*}}: ok
// CHECK: conv_bwd_filter_3x3s2_i15 result 0 [4x3x3x3 f16]: 108 elements, {{.*}}: ok
// CHECK: conv_bwd_data_7x7s2_i16 result 0 [2x3x16x16 f16]: 1536 elements, {{.*}}: ok
// CHECK: conv_3x3s2_f32 result 0 [2x4x5x5 f32]: 200 elements, {{.*}}: ok
// CHECK: bn_training result 0 [2x3x5x5 f16]: 150 elements, {{.*}}: ok
// CHECK: bn_training_stats_small result 0 [2x8x7x7 f16]: 784 elements, {{.*}}: ok
// CHECK: bn_training_stats_small result 1 [8 f32]: 8 elements, {{.*}}: ok
// CHECK: bn_training_stats_small result 2 [8 f32]: 8 elements, {{.*}}: ok
// CHECK: bn_grad_small result 0 [2x8x7x7 f16]: 784 elements, {{.*}}: ok
// CHECK: bn_grad_small result 1 [8 f32]: 8 elements, {{.*}}: ok
// CHECK: bn_grad_small result 2 [8 f32]: 8 elements, {{.*}}: ok
// CHECK: pool_max_grad_small result 0 [2x3x12x12 f16]: 864 elements, {{.*}}: ok
// CHECK: pool_max_grad_odd result 0 [1x2x11x11 f16]: 242 elements, {{.*}}: ok
// CHECK: matmul_x_wT result 0 [4x1000 f16]: 4000 elements, {{.*}}: ok
// CHECK: matmul_dy_w result 0 [4x512 f16]: 2048 elements, {{.*}}: ok
// CHECK: matmul_outer result 0 [1000x512 f16]: 512000 elements, {{.*}}: ok
// CHECK: matmul_f32 result 0 [3x2 f32]: 6 elements, {{.*}}: ok
// CHECK: reduce_sum_rows result 0 [4 f16]: 4 elements, {{.*}}: ok
// CHECK: reduce_sum_f32_batch result 0 [1000 f32]: 1000 elements, {{.*}}: ok
// CHECK: bn_training_stats_biased result 0 [2x8x7x7 f16]: 784 elements, {{.*}}: ok
// CHECK: bn_training_stats_biased result 1 [8 f32]: 8 elements, {{.*}}: ok
// CHECK: bn_training_stats_biased result 2 [8 f32]: 8 elements, {{.*}}: ok
// CHECK: kernel_check --group small: 26 cases, 32 results, all ok
