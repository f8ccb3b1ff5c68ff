// Fuzz reproducer (issue 19): gen_graph.py --seed 1 --ops loop
// --no-annotations --static --joint --dtype f32: y = x + 3 sin(x) as an
// scf.for whose body computes sin(x) (loop-invariant), and a backward
// scf.for whose body computes dy * cos(x). No annotation at all.
// Was a defect: the standard pipeline raised the estimated peak of this
// unannotated step, 16384 -> 24576 bytes, because loop-invariant-code-motion
// hoists the bodies' math.sin / math.cos and the report did not count
// tensors living inside an scf.for body. The report now counts one
// iteration of each body (getNestedBytes), so hoisting moves the bytes
// without changing the figure: 32768 -> 32768, as with ckpt-rematerialize
// alone. (Measured 49536 bytes: the lowering's copy of the loop init %x0,
// corpus loop-matmul-layers.mlir.)
// RUN: ckpt-opt %s --ckpt-rematerialize --cse --canonicalize --loop-invariant-code-motion --ckpt-verify --ckpt-memory-report -o /dev/null 2>&1 | FileCheck %s
// CHECK: peak live bytes 32768 32768 x1.000
func.func @step(%x0: tensor<32x64xf32>, %dy1: tensor<32x64xf32>) -> (tensor<32x64xf32>, tensor<32x64xf32>) {
  %c1 = arith.constant 0 : index
  %c2 = arith.constant 3 : index
  %c3 = arith.constant 1 : index
  %v4 = scf.for %i5 = %c1 to %c2 step %c3 iter_args(%it6 = %x0) -> (tensor<32x64xf32>) {
    %v7 = math.sin %x0 : tensor<32x64xf32>
    %v8 = arith.addf %it6, %v7 : tensor<32x64xf32>
    scf.yield %v8 : tensor<32x64xf32>
  }
  %c9 = arith.constant 0 : index
  %c10 = arith.constant 3 : index
  %c11 = arith.constant 1 : index
  %v12 = scf.for %i13 = %c9 to %c10 step %c11 iter_args(%it14 = %dy1) -> (tensor<32x64xf32>) {
    %v15 = math.cos %x0 : tensor<32x64xf32>
    %v16 = arith.mulf %dy1, %v15 : tensor<32x64xf32>
    %v17 = arith.addf %it14, %v16 : tensor<32x64xf32>
    scf.yield %v17 : tensor<32x64xf32>
  }
  return %v4, %v12 : tensor<32x64xf32>, tensor<32x64xf32>
}
