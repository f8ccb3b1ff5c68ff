// Fuzz reproducer (issue 19; gen_graph.py --seed 1 --ops slicecat
// --no-annotations --static --joint --dtype f32, reduced by hand), now a
// regression test: ckpt-lower-to-nvvm could not lower a tensor.concat one
// of whose operands is a tensor.extract_slice of a function argument (a
// strided view): the copy into the concat's buffer became a gpu.memcpy
// between memref<32x32xf32, strided<[64, 1], offset: 32>> views, which
// gpu-to-llvm lowers only for identity layouts ("'gpu.memcpy' was not
// lowered", unrealized casts left). ckpt-gpu-device-memory now copies
// between views in a kernel, one thread per element.
// RUN: ckpt-opt %s --ckpt-rematerialize --ckpt-lower-to-nvvm -o %t.mlir --mlir-print-ir-after=ckpt-gpu-device-memory 2>&1 | FileCheck %s
// RUN: FileCheck %s --check-prefix=LOWERED < %t.mlir
// CHECK: memref.subview %{{.*}}[0, 32] [32, 32] [1, 1] : memref<32x64xf32> to memref<32x32xf32, strided<[64, 1], offset: 32>>
// CHECK: gpu.launch blocks
// CHECK: arith.remui
// CHECK: memref.load {{.*}} : memref<32x32xf32, strided<[64, 1], offset: 32>>
// CHECK: memref.store {{.*}} : memref<32x32xf32, strided<[64, 1], offset: 32>>
// LOWERED: gpu.binary
// LOWERED-NOT: unrealized_conversion_cast
// LOWERED-NOT: gpu.memcpy
func.func @step(%x: tensor<32x64xf32>) -> tensor<32x64xf32> {
  %a = tensor.extract_slice %x[0, 0] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %b = tensor.extract_slice %x[0, 32] [32, 32] [1, 1] : tensor<32x64xf32> to tensor<32x32xf32>
  %t = math.tanh %a : tensor<32x32xf32>
  %y = tensor.concat dim(1) %t, %b : (tensor<32x32xf32>, tensor<32x32xf32>) -> tensor<32x64xf32>
  return %y : tensor<32x64xf32>
}
