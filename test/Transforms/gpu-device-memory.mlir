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

// Tests that a scalar the host returns, read from device memory, is read
// in a kernel and copied back; a vector is refused.
// CHECK-LABEL: func @reads
// CHECK: %[[D:.*]] = gpu.alloc () : memref<f32>
// CHECK: gpu.launch
// CHECK:   %[[V:.*]] = memref.load
// CHECK:   memref.store %[[V]], %[[D]][]
// CHECK: %[[H:.*]] = memref.alloc() : memref<f32>
// CHECK: gpu.memcpy %[[H]], %[[D]]
// CHECK: %[[R:.*]] = memref.load %[[H]][]
// CHECK: return %[[R]] : f32
func.func @reads(%arg: memref<4xf32>) -> f32 {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  %v = memref.load %arg[%c0] : memref<4xf32>
  return %v : f32
}

// -----

func.func @reads_vector(%arg: memref<4xf32>) -> vector<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %pad = arith.constant 0.0 : f32
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    gpu.terminator
  }
  // expected-error @+1 {{the host needs this result computed from device memory; not supported (only scalars are copied back)}}
  %v = vector.transfer_read %arg[%c0], %pad : memref<4xf32>, vector<4xf32>
  return %v : vector<4xf32>
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

// -----

// Tests that the bookkeeping of ownership-based deallocation stays on the
// host: the pointer and ownership-flag buffers passed to @dealloc_helper
// (what `bufferization.dealloc` lowers into around a loop) remain host
// allocations, filled and read by host code, and the flag read back decides
// on the host whether the step's device buffer is freed. The compute still
// moves into a kernel.
// CHECK-LABEL: func @ownership
// CHECK: %[[BUF:.*]] = gpu.alloc () : memref<4xf32>
// CHECK: gpu.launch
// CHECK:   memref.store {{.*}}, %[[BUF]]
// CHECK: %[[PTRS:.*]] = memref.alloc() : memref<1xindex>
// CHECK-NOT: gpu.launch
// CHECK: memref.store {{.*}}, %[[PTRS]]
// CHECK: %[[FLAGS:.*]] = memref.alloc() : memref<1xi1>
// CHECK: call @dealloc_helper
// CHECK: %[[OWNED:.*]] = memref.load %[[FLAGS]]
// CHECK: memref.dealloc %[[FLAGS]]
// CHECK: memref.dealloc %[[PTRS]]
// CHECK: scf.if %[[OWNED]] {
// CHECK:   gpu.dealloc %[[BUF]]
func.func private @dealloc_helper(memref<?xindex>, memref<?xi1>)
func.func @ownership(%arg: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %buf = memref.alloc() : memref<4xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %arg[%bx] : memref<4xf32>
    memref.store %v, %buf[%bx] : memref<4xf32>
    gpu.terminator
  }
  %p = memref.extract_aligned_pointer_as_index %buf : memref<4xf32> -> index
  %ptrs = memref.alloc() : memref<1xindex>
  memref.store %p, %ptrs[%c0] : memref<1xindex>
  %flags = memref.alloc() : memref<1xi1>
  %ptrs_cast = memref.cast %ptrs : memref<1xindex> to memref<?xindex>
  %flags_cast = memref.cast %flags : memref<1xi1> to memref<?xi1>
  call @dealloc_helper(%ptrs_cast, %flags_cast) : (memref<?xindex>, memref<?xi1>) -> ()
  %owned = memref.load %flags[%c0] : memref<1xi1>
  memref.dealloc %flags : memref<1xi1>
  memref.dealloc %ptrs : memref<1xindex>
  scf.if %owned {
    memref.dealloc %buf : memref<4xf32>
  }
  return
}

// -----

// Tests that a scalar the host needs from the step's data (an scf.if
// condition computed from a buffer) comes back through device memory: the
// kernel stores it into a 0-d device buffer, copied to a host buffer and
// loaded there; and that a copy between strided views (gpu.memcpy lowers
// only identity layouts) becomes a kernel of 256-thread blocks, one thread
// per element.
// CHECK-LABEL: func @host_condition
// CHECK: %[[D:.*]] = gpu.alloc () : memref<i1>
// CHECK: gpu.launch
// CHECK:   %[[C:.*]] = arith.cmpf ogt
// CHECK:   memref.store %[[C]], %[[D]][]
// CHECK: %[[H:.*]] = memref.alloc() : memref<i1>
// CHECK: gpu.memcpy %[[H]], %[[D]]
// CHECK: %[[V:.*]] = memref.load %[[H]][]
// CHECK: memref.dealloc %[[H]]
// CHECK: gpu.dealloc %[[D]]
// CHECK: scf.if %[[V]] {
// CHECK:   %[[SRC:.*]] = memref.subview
// CHECK:   %[[DST:.*]] = memref.subview
// CHECK-NOT: gpu.memcpy
// CHECK:   %[[BLOCKS:.*]] = arith.maxui
// CHECK:   gpu.launch blocks({{.*}}) in ({{.*}} = %[[BLOCKS]], {{.*}}) threads({{.*}}) in ({{.*}} = %c256
// CHECK:     arith.cmpi ult
// CHECK:     scf.if
// CHECK:       %[[E:.*]] = memref.load %[[SRC]]
// CHECK:       memref.store %[[E]], %[[DST]]
func.func @host_condition(%arg: memref<4x8xf32>) -> memref<4x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %zero = arith.constant 0.0 : f32
  %buf = memref.alloc() : memref<4x8xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%gx = %c1, %gy = %c1, %gz = %c1) threads(%tx, %ty, %tz) in (%sx = %c1, %sy = %c1, %sz = %c1) {
    %v = memref.load %arg[%bx, %tx] : memref<4x8xf32>
    memref.store %v, %buf[%bx, %tx] : memref<4x8xf32>
    gpu.terminator
  }
  %x = memref.load %buf[%c0, %c0] : memref<4x8xf32>
  %cond = arith.cmpf ogt, %x, %zero : f32
  scf.if %cond {
    %src = memref.subview %arg[0, 0] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1]>>
    %dst = memref.subview %buf[0, 4] [4, 4] [1, 1] : memref<4x8xf32> to memref<4x4xf32, strided<[8, 1], offset: 4>>
    memref.copy %src, %dst : memref<4x4xf32, strided<[8, 1]>> to memref<4x4xf32, strided<[8, 1], offset: 4>>
  }
  return %buf : memref<4x8xf32>
}
