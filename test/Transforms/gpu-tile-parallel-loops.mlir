// RUN: ckpt-opt %s -split-input-file --ckpt-gpu-tile-parallel-loops | FileCheck %s
// RUN: ckpt-opt %s -split-input-file '--ckpt-gpu-tile-parallel-loops=block-size=64' | FileCheck %s --check-prefix=B64

// A 16x64 loop: the inner (contiguous) dimension takes its 64 iterations,
// the outer one 4, a block of 256 threads; the inner loop has constant
// bounds.
// CHECK-LABEL: func.func @two_d
// CHECK-DAG: %[[C4:.*]] = arith.constant 4 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK: scf.parallel ({{.*}}) = ({{.*}}) to ({{.*}}) step (%[[C4]], %[[C64]])
// CHECK:   scf.parallel ({{.*}}) = ({{.*}}) to (%[[C4]], %[[C64]])
// CHECK:     memref.store
// B64-LABEL: func.func @two_d
// B64-DAG: %[[C1:.*]] = arith.constant 1 : index
// B64-DAG: %[[C64:.*]] = arith.constant 64 : index
// B64: scf.parallel ({{.*}}) = ({{.*}}) to ({{.*}}) step (%[[C1]], %[[C64]])
func.func @two_d(%a: memref<16x64xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %c64 = arith.constant 64 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i, %j) = (%c0, %c0) to (%c16, %c64) step (%c1, %c1) {
    memref.store %f, %a[%i, %j] : memref<16x64xf32>
  }
  return
}

// -----

// A 4-d loop (a convolution's n, c, h, w): the leading dimensions are
// combined into one first (2 x 3 = 6), so the kernel has three, and the
// block takes 8 x 30 = 240 threads.
// CHECK-LABEL: func.func @four_d
// CHECK-DAG: %[[C6:.*]] = arith.constant 6 : index
// CHECK-DAG: %[[C8:.*]] = arith.constant 8 : index
// CHECK-DAG: %[[C30:.*]] = arith.constant 30 : index
// CHECK: scf.parallel ({{.*}}) to (%[[C6]], %[[C8]], %[[C30]]) step (%{{.*}}, %[[C8]], %[[C30]])
// CHECK:   scf.parallel ({{.*}}) to (%{{.*}}, %[[C8]], %[[C30]])
func.func @four_d(%a: memref<2x3x8x30xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %c3 = arith.constant 3 : index
  %c8 = arith.constant 8 : index
  %c30 = arith.constant 30 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%n, %c, %h, %w) = (%c0, %c0, %c0, %c0) to (%c2, %c3, %c8, %c30) step (%c1, %c1, %c1, %c1) {
    memref.store %f, %a[%n, %c, %h, %w] : memref<2x3x8x30xf32>
  }
  return
}

// -----

// Nested parallel loops: only the outermost is tiled.
// CHECK-LABEL: func.func @nested
// CHECK-COUNT-3: scf.parallel
// CHECK-NOT: scf.parallel
func.func @nested(%a: memref<256x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c256 = arith.constant 256 : index
  %f = arith.constant 1.0 : f32
  scf.parallel (%i) = (%c0) to (%c256) step (%c1) {
    scf.parallel (%j) = (%c0) to (%c4) step (%c1) {
      memref.store %f, %a[%i, %j] : memref<256x4xf32>
    }
  }
  return
}
