// RUN: ckpt-opt %s --ckpt-linalg-loop-order | FileCheck %s

// Matmul (i, j, k) -> (i, k, j): j indexes B and C with stride 1, k only A.
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @matmul
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK-NOT: linalg.matmul
func.func @matmul(%a: memref<16x32xf32>, %b: memref<32x8xf32>, %c: memref<16x8xf32>) {
  linalg.matmul ins(%a, %b : memref<16x32xf32>, memref<32x8xf32>) outs(%c : memref<16x8xf32>)
  return
}

// A . B^T keeps k innermost: both inputs are contiguous along k, and no
// parallel dimension reaches more operands than it strides through.
// CHECK-LABEL: func.func @matmul_transpose_b
// CHECK: linalg.matmul
func.func @matmul_transpose_b(%a: tensor<16x32xf32>, %b: tensor<8x32xf32>, %c: tensor<16x8xf32>) -> tensor<16x8xf32> {
  %r = linalg.matmul indexing_maps = [affine_map<(d0, d1, d2) -> (d0, d2)>, affine_map<(d0, d1, d2) -> (d1, d2)>, affine_map<(d0, d1, d2) -> (d0, d1)>]
      ins(%a, %b : tensor<16x32xf32>, tensor<8x32xf32>) outs(%c : tensor<16x8xf32>) -> tensor<16x8xf32>
  return %r : tensor<16x8xf32>
}

// A row sum keeps its contiguous reduction innermost, so does a column sum
// written as linalg.reduce (its loops already end in the parallel
// dimension); a column sum written as a generic over (column, row) gets its
// parallel dimension innermost.
// CHECK-LABEL: func.func @sums
// CHECK: linalg.reduce ins(%{{.*}} : tensor<16x32xf32>) {{.*}} dimensions = [1]
// CHECK: linalg.reduce ins(%{{.*}} : tensor<16x32xf32>) {{.*}} dimensions = [0]
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #{{.*}}], iterator_types = ["reduction", "parallel"]}
func.func @sums(%x: tensor<16x32xf32>, %r: tensor<16xf32>, %c: tensor<32xf32>) -> (tensor<16xf32>, tensor<32xf32>, tensor<32xf32>) {
  %0 = linalg.reduce ins(%x : tensor<16x32xf32>) outs(%r : tensor<16xf32>) dimensions = [1]
    (%in: f32, %acc: f32) { %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32 }
  %1 = linalg.reduce ins(%x : tensor<16x32xf32>) outs(%c : tensor<32xf32>) dimensions = [0]
    (%in: f32, %acc: f32) { %s = arith.addf %in, %acc : f32
      linalg.yield %s : f32 }
  %2 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d1, d0)>, affine_map<(d0, d1) -> (d0)>], iterator_types = ["parallel", "reduction"]}
      ins(%x : tensor<16x32xf32>) outs(%c : tensor<32xf32>) {
  ^bb0(%in: f32, %acc: f32):
    %s = arith.addf %in, %acc : f32
    linalg.yield %s : f32
  } -> tensor<32xf32>
  return %0, %1, %2 : tensor<16xf32>, tensor<32xf32>, tensor<32xf32>
}

// A convolution ends in its output-width loop (d3), reductions (c, kh, kw)
// in their order before it.
// CHECK-LABEL: func.func @conv
// CHECK: iterator_types = ["parallel", "parallel", "parallel", "reduction", "reduction", "reduction", "parallel"]
func.func @conv(%i: tensor<1x3x10x10xf32>, %f: tensor<4x3x3x3xf32>, %o: tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32> {
  %r = linalg.conv_2d_nchw_fchw ins(%i, %f : tensor<1x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%o : tensor<1x4x8x8xf32>) -> tensor<1x4x8x8xf32>
  return %r : tensor<1x4x8x8xf32>
}

// Elementwise ops and transposes are left as they are.
// CHECK-LABEL: func.func @left_alone
// CHECK: linalg.transpose
// CHECK: linalg.generic {indexing_maps = [#[[ID:.*]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
func.func @left_alone(%x: tensor<16x32xf32>, %t: tensor<32x16xf32>) -> (tensor<32x16xf32>, tensor<16x32xf32>) {
  %0 = linalg.transpose ins(%x : tensor<16x32xf32>) outs(%t : tensor<32x16xf32>) permutation = [1, 0]
  %1 = linalg.generic {indexing_maps = [affine_map<(d0, d1) -> (d0, d1)>, affine_map<(d0, d1) -> (d0, d1)>], iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<16x32xf32>) outs(%x : tensor<16x32xf32>) {
  ^bb0(%in: f32, %out: f32):
    %e = math.exp %in : f32
    linalg.yield %e : f32
  } -> tensor<16x32xf32>
  return %0, %1 : tensor<32x16xf32>, tensor<16x32xf32>
}
