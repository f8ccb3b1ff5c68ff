// RUN: ckpt-opt %s -split-input-file '--ckpt-runner-main=buffers=true device=true' -verify-diagnostics | FileCheck %s
//
// ckpt-runner-main{buffers}: the host driver of a bufferized step (filled
// host buffers, the timed call, printed results, host and device bytes) and
// its errors.

// CHECK: func.func private @ckpt_rt_fill_f32(memref<*xf32>, i64)
// CHECK: func.func private @ckpt_rt_device_mark()
// CHECK-LABEL: func.func @main()
// CHECK: %[[A:.*]] = memref.alloc() : memref<4xf32>
// CHECK: call @ckpt_rt_fill_f32(
// CHECK: call @ckpt_rt_device_mark()
// CHECK-NEXT: call @ckpt_rt_step_begin()
// CHECK-NEXT: %[[R:.*]] = call @step(%[[A]]) {no_inline} : (memref<4xf32>) -> memref<4xf32>
// CHECK-NEXT: call @ckpt_rt_step_end()
// CHECK: call @ckpt_rt_print_memref_f32(
// CHECK: call @ckpt_rt_print_memory()
// CHECK-NEXT: call @ckpt_rt_print_device_memory()
// CHECK-NEXT: return
func.func @step(%x: memref<4xf32>) -> memref<4xf32> {
  return %x : memref<4xf32>
}

// -----

// expected-error @+1 {{argument #0 has type 'memref<4xf64>'; expected a static identity-layout memref of f32}}
func.func @f64(%x: memref<4xf64>) -> memref<4xf32> {
  %0 = memref.alloc() : memref<4xf32>
  return %0 : memref<4xf32>
}
