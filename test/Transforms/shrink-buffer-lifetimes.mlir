// RUN: ckpt-opt %s -split-input-file -allow-unregistered-dialect -ckpt-shrink-buffer-lifetimes | FileCheck %s
// Upstream optimize-allocation-liveness on the same input, for the
// difference the pass description states: it frees after the last user as
// this pass does, but leaves allocations where they are, and frees a buffer
// right after a call that was handed it.
// RUN: ckpt-opt %s -split-input-file -allow-unregistered-dialect --pass-pipeline='builtin.module(func.func(optimize-allocation-liveness))' | FileCheck %s --check-prefix=UPSTREAM

// Tests that each alloc moves to just before the first use of its buffer and
// each dealloc to just after the last use of the buffer or of a view of it.
// CHECK-LABEL: func @sink
// CHECK-NEXT: %[[A:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: linalg.copy ins(%arg0 : memref<8xf32>) outs(%[[A]] : memref<8xf32>)
// CHECK-NEXT: %[[V:.*]] = memref.subview %[[A]][0] [4] [1]
// CHECK-NEXT: linalg.copy ins(%[[V]] : {{.*}}) outs(%arg1 : memref<4xf32>)
// CHECK-NEXT: memref.dealloc %[[A]]
// CHECK-NEXT: %[[B:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: linalg.copy ins(%arg0 : memref<8xf32>) outs(%[[B]] : memref<8xf32>)
// CHECK-NEXT: linalg.copy ins(%[[B]] : memref<8xf32>) outs(%arg2 : memref<8xf32>)
// CHECK-NEXT: memref.dealloc %[[B]]
// CHECK-NEXT: return
// UPSTREAM-LABEL: func @sink
// UPSTREAM-NEXT: memref.alloc
// UPSTREAM-NEXT: memref.alloc
// UPSTREAM-NEXT: linalg.copy
func.func @sink(%in: memref<8xf32>, %out1: memref<4xf32>, %out2: memref<8xf32>) {
  %a = memref.alloc() : memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  linalg.copy ins(%in : memref<8xf32>) outs(%a : memref<8xf32>)
  %v = memref.subview %a[0] [4] [1] : memref<8xf32> to memref<4xf32, strided<[1]>>
  linalg.copy ins(%v : memref<4xf32, strided<[1]>>) outs(%out1 : memref<4xf32>)
  linalg.copy ins(%in : memref<8xf32>) outs(%b : memref<8xf32>)
  linalg.copy ins(%b : memref<8xf32>) outs(%out2 : memref<8xf32>)
  memref.dealloc %a : memref<8xf32>
  memref.dealloc %b : memref<8xf32>
  return
}

// -----

// Tests that a buffer handed to a call (which could return an alias) is
// not freed early.
// CHECK-LABEL: func @negative_call
// CHECK: call @keep
// CHECK: linalg.copy
// CHECK-NEXT: memref.dealloc
// CHECK-NEXT: return
// UPSTREAM-LABEL: func @negative_call
// UPSTREAM: call @keep
// UPSTREAM-NEXT: memref.dealloc
// UPSTREAM-NEXT: linalg.copy
func.func private @keep(memref<8xf32>) -> memref<8xf32>
func.func @negative_call(%in: memref<8xf32>, %out: memref<8xf32>) {
  %a = memref.alloc() : memref<8xf32>
  %r = func.call @keep(%a) : (memref<8xf32>) -> memref<8xf32>
  linalg.copy ins(%in : memref<8xf32>) outs(%out : memref<8xf32>)
  memref.dealloc %a : memref<8xf32>
  return
}

// -----

// Tests that several allocations whose first use is the same op all move
// next to it, in their order, and the pass ends (it used to revisit moved
// allocations forever).
// CHECK-LABEL: func @same_first_use
// CHECK: linalg.copy ins(%arg0 : memref<8xf32>) outs(%arg1 : memref<8xf32>)
// CHECK-NEXT: %[[A:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: %[[B:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: %[[C:.*]] = memref.alloc() : memref<8xf32>
// CHECK-NEXT: "test.use3"(%[[A]], %[[B]], %[[C]])
func.func @same_first_use(%in: memref<8xf32>, %out: memref<8xf32>) {
  %a = memref.alloc() : memref<8xf32>
  %b = memref.alloc() : memref<8xf32>
  %c = memref.alloc() : memref<8xf32>
  linalg.copy ins(%in : memref<8xf32>) outs(%out : memref<8xf32>)
  "test.use3"(%a, %b, %c) : (memref<8xf32>, memref<8xf32>, memref<8xf32>) -> ()
  return
}

// -----

// Tests that a loop's init is freed right after the loop when the loop runs
// at least once and yields a buffer it allocates (its result aliases no
// operand: isFreshResult), and stays at the end when the trip count is
// dynamic (zero iterations would return the init itself).
// CHECK-LABEL: func @loop_init
// CHECK: %[[I:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[H:.*]]:2 = scf.for
// CHECK: }
// CHECK-NEXT: memref.dealloc %[[I]]
// CHECK-NEXT: "test.use"(%[[H]]#0)
// CHECK: %[[J:.*]] = memref.alloc() : memref<8xf32>
// CHECK: %[[D:.*]]:2 = scf.for
// CHECK: "test.use"(%[[D]]#0)
// CHECK-NEXT: memref.dealloc %[[J]]
// CHECK-NEXT: return
func.func @loop_init(%x: memref<8xf32>, %n: index) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %true = arith.constant true
  %false = arith.constant false
  %init = memref.alloc() : memref<8xf32>
  memref.copy %x, %init : memref<8xf32> to memref<8xf32>
  %h:2 = scf.for %i = %c0 to %c3 step %c1 iter_args(%hi = %init, %o = %false) -> (memref<8xf32>, i1) {
    %a = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%a : memref<8xf32>)
    scf.yield %a, %true : memref<8xf32>, i1
  }
  "test.use"(%h#0) : (memref<8xf32>) -> ()
  %init2 = memref.alloc() : memref<8xf32>
  memref.copy %x, %init2 : memref<8xf32> to memref<8xf32>
  %d:2 = scf.for %i = %c0 to %n step %c1 iter_args(%hi = %init2, %o = %false) -> (memref<8xf32>, i1) {
    %a = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%a : memref<8xf32>)
    scf.yield %a, %true : memref<8xf32>, i1
  }
  "test.use"(%d#0) : (memref<8xf32>) -> ()
  memref.dealloc %init : memref<8xf32>
  memref.dealloc %init2 : memref<8xf32>
  return
}
