// RUN: ckpt-opt %s -split-input-file -ckpt-gpu-device-memory -verify-diagnostics | FileCheck %s

// Tests that buffers move to device memory, arguments are copied in and
// results copied out, and the host compute left (a 0-d store) runs in a
// one-thread kernel; no host buffer reaches a kernel.
// CHECK-LABEL: func @step
// CHECK-SAME: (%[[ARG:.*]]: memref<4xf32>)
// CHECK: %[[DIN:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[DIN]], %[[ARG]]
// CHECK: %[[BUF:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.launch {{.*}} {
// CHECK:   memref.load %[[DIN]]
// CHECK:   memref.store {{.*}}, %[[BUF]]
// CHECK: %[[ACC:.*]] = gpu.alloc () : memref<f32>
// CHECK: gpu.launch blocks({{.*}}) in ({{.*}} = %[[ONE:.*]], {{.*}} = %[[ONE]], {{.*}} = %[[ONE]]) threads({{.*}}) in ({{.*}} = %[[ONE]], {{.*}} = %[[ONE]], {{.*}} = %[[ONE]])
// CHECK:   memref.store {{.*}}, %[[ACC]][]
// CHECK: %[[OUT:.*]] = memref.alloc() : memref<4xf32>
// CHECK: gpu.memcpy %[[OUT]], %[[BUF]]
// CHECK: gpu.dealloc %[[BUF]]
// CHECK: gpu.dealloc %[[DIN]]
// CHECK: return %[[OUT]]
func.func @step(%arg: memref<4xf32>) -> (memref<4xf32>, memref<f32>) {
  %c1 = arith.constant 1 : index
  %buf = memref.alloc() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %arg[%bx] : memref<4xf32>
    memref.store %v, %buf[%bx] : memref<4xf32>
    gpu.terminator
  }
  %acc = memref.alloc() : memref<f32>
  %zero = arith.constant 0.0 : f32
  memref.store %zero, %acc[] : memref<f32>
  return %buf, %acc : memref<4xf32>, memref<f32>
}

// -----

// Tests that a host driver without kernels is left alone.
// CHECK-LABEL: func @driver
// CHECK: memref.alloc
// CHECK-NOT: gpu.
func.func @driver() {
  %a = memref.alloc() : memref<4xf32>
  return
}

// -----

// Tests that host code reading a scalar from device memory is refused.
func.func @reads(%arg: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  // expected-error @+1 {{the host needs this result computed from device memory; not supported}}
  %v = memref.load %arg[%c0] : memref<4xf32>
  return %v : f32
}

// -----

// Tests that a dynamically shaped argument and result are copied with the
// host buffer's sizes, a constant (a host global) gets a device copy freed
// at the return, and host control flow around kernels (an scf.for, and the
// integer checks deallocation leaves) stays on the host.
// CHECK-LABEL: func @dynamic
// CHECK-SAME: (%[[A:.*]]: memref<?xf32>)
// CHECK: %[[N:.*]] = memref.dim %[[A]], %c0
// CHECK: %[[DA:.*]] = gpu.alloc (%[[N]]) : memref<?xf32>
// CHECK: gpu.memcpy %[[DA]], %[[A]]
// CHECK: %[[G:.*]] = memref.get_global @ones
// CHECK: %[[DG:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.memcpy %[[DG]], %[[G]]
// CHECK: scf.for
// CHECK:   arith.cmpi
// CHECK:   scf.if
// CHECK:     gpu.launch
// CHECK:       memref.load %[[DG]]
// CHECK: %[[M:.*]] = memref.dim %[[DA]], %c0
// CHECK: %[[OUT:.*]] = memref.alloc(%[[M]]) : memref<?xf32>
// CHECK: gpu.memcpy %[[OUT]], %[[DA]]
// CHECK: gpu.dealloc %[[DA]]
// CHECK: gpu.dealloc %[[DG]]
// CHECK: return %[[OUT]]
memref.global "private" constant @ones : memref<4xf32> = dense<1.0>
func.func @dynamic(%a: memref<?xf32>) -> memref<?xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %g = memref.get_global @ones : memref<4xf32>
  scf.for %i = %c0 to %c3 step %c1 {
    %odd = arith.cmpi eq, %i, %c1 : index
    scf.if %odd {
      gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
        %v = memref.load %g[%bx] : memref<4xf32>
        memref.store %v, %a[%bx] : memref<?xf32>
        gpu.terminator
      }
    }
  }
  return %a : memref<?xf32>
}

// -----

// Tests that a strided result is refused.
// expected-error @+1 {{result #0 must be an identity-layout memref}}
func.func @strided(%a: memref<8xf32>) -> memref<4xf32, strided<[2]>> {
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  %v = memref.subview %a[0] [4] [2] : memref<8xf32> to memref<4xf32, strided<[2]>>
  return %v : memref<4xf32, strided<[2]>>
}
