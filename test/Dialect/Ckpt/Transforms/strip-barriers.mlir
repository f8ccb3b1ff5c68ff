// RUN: ckpt-opt %s -split-input-file -ckpt-strip-barriers=allow-tensors | FileCheck %s
// RUN: ckpt-opt %s -split-input-file -ckpt-strip-barriers=allow-tensors -mlir-print-debuginfo | FileCheck %s --check-prefix=LOC
// Without the option, a barrier on tensors is refused (the module is left
// as it was):
// RUN: not ckpt-opt %s -split-input-file -ckpt-strip-barriers -o /dev/null 2>&1 | FileCheck %s --check-prefix=REFUSE
// REFUSE: error: 'ckpt.barrier' on tensors: stripping it before bufferization lets cse fold the recompute back into the forward, and removes the traces ckpt-verify reads; bufferize first (ckpt-lower-to-cpu does), or pass 'allow-tensors'
// REFUSE-NOT: error:

// Tests that barriers are replaced by their inputs (tensors or buffers), and
// that the ckpt.* attributes and location traces go, so no annotation
// reaches LLVM.
// CHECK-LABEL: func @strip_barriers
// CHECK-NOT: ckpt.
// CHECK: %[[E:.*]] = math.exp %arg0
// CHECK-NEXT: %[[M:.*]] = arith.mulf %[[E]], %arg1
// CHECK-NEXT: memref.copy %arg2, %arg3
// CHECK-NEXT: return %[[M]]
// LOC-LABEL: func @strip_barriers
// LOC-NOT: ckpt.region
// LOC-NOT: ckpt.recompute
func.func @strip_barriers(%x: tensor<8xf32>, %g: tensor<8xf32>, %m: memref<8xf32>, %n: memref<8xf32>) -> tensor<8xf32> attributes {ckpt.forward_results = [0]} {
  %b:2 = ckpt.barrier %x, %m after %g : tensor<8xf32>, memref<8xf32> after tensor<8xf32> loc(fused<{ckpt.recompute = "blk"}>["a.py":1:1])
  %e = math.exp %b#0 : tensor<8xf32> loc(fused<{ckpt.region = "blk", ckpt.dropped}>["a.py":2:1])
  %y = arith.mulf %e, %g : tensor<8xf32>
  memref.copy %b#1, %n : memref<8xf32> to memref<8xf32>
  return %y : tensor<8xf32>
}

// -----

// Tests that barriers on buffers (after bufferization, as the lowering
// pipelines run the pass) need no option.
// CHECK-LABEL: func @strip_buffers
// CHECK-NOT: ckpt.barrier
// CHECK: memref.copy %arg0, %arg1
func.func @strip_buffers(%m: memref<8xf32>, %n: memref<8xf32>) {
  %b = ckpt.barrier %m : memref<8xf32>
  memref.copy %b, %n : memref<8xf32> to memref<8xf32>
  return
}
