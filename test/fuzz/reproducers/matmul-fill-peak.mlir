// Fuzz reproducer (issue 19): gen_graph.py --seed 1 --ops matmul
// --no-annotations --static --joint --dtype f32 (a single x @ W with its
// VJP, dx = dy W^T and dW = x^T dy; no annotation).
// Fixed: the memory report counts the matmul as written in place into its
// zero-filled init (getInPlaceResults), as bufferization writes it:
// measured 41216 bytes, estimated 40960 (before: 57344, fill and result
// counted as two buffers).
// RUN: %numpy_python %S/../../integration/corpus/check_step.py %s | FileCheck %s
// REQUIRES: numpy
// CHECK: bits identical: 3 results
// CHECK: unannotated peak: {{.*}} within 5%
// CHECK: checkpointed peak: {{.*}} within 5%
func.func @step(%x0: tensor<32x64xf32>, %m1: tensor<64x64xf32>, %dy2: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>) {
  %e1 = tensor.empty() : tensor<32x64xf32>
  %k2 = arith.constant 0.0 : f32
  %f3 = linalg.fill ins(%k2 : f32) outs(%e1 : tensor<32x64xf32>) -> tensor<32x64xf32>
  %v4 = linalg.matmul ins(%x0, %m1 : tensor<32x64xf32>, tensor<64x64xf32>) outs(%f3 : tensor<32x64xf32>) -> tensor<32x64xf32>
  %e5 = tensor.empty() : tensor<64x64xf32>
  %v6 = linalg.transpose ins(%m1 : tensor<64x64xf32>) outs(%e5 : tensor<64x64xf32>) permutation = [1, 0]
  %e7 = tensor.empty() : tensor<32x64xf32>
  %k8 = arith.constant 0.0 : f32
  %f9 = linalg.fill ins(%k8 : f32) outs(%e7 : tensor<32x64xf32>) -> tensor<32x64xf32>
  %v10 = linalg.matmul ins(%dy2, %v6 : tensor<32x64xf32>, tensor<64x64xf32>) outs(%f9 : tensor<32x64xf32>) -> tensor<32x64xf32>
  %e11 = tensor.empty() : tensor<64x32xf32>
  %v12 = linalg.transpose ins(%x0 : tensor<32x64xf32>) outs(%e11 : tensor<64x32xf32>) permutation = [1, 0]
  %e13 = tensor.empty() : tensor<64x64xf32>
  %k14 = arith.constant 0.0 : f32
  %f15 = linalg.fill ins(%k14 : f32) outs(%e13 : tensor<64x64xf32>) -> tensor<64x64xf32>
  %v16 = linalg.matmul ins(%v12, %dy2 : tensor<64x32xf32>, tensor<32x64xf32>) outs(%f15 : tensor<64x64xf32>) -> tensor<64x64xf32>
  return %v4, %v10, %v16 : tensor<32x64xf32>, tensor<32x64xf32>, tensor<64x64xf32>
}
