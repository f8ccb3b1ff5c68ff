// The deallocation half of the lowering pipelines (lib/Pipelines/
// Bufferization.cpp), with and without ckpt-fresh-result-ownership.
// RUN: ckpt-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(ownership-based-buffer-deallocation,canonicalize,buffer-deallocation-simplification,ckpt-fresh-result-ownership,canonicalize,buffer-deallocation-simplification,ckpt-fresh-result-ownership))' | FileCheck %s
// RUN: ckpt-opt %s -split-input-file --pass-pipeline='builtin.module(func.func(ownership-based-buffer-deallocation,canonicalize,buffer-deallocation-simplification))' | FileCheck %s --check-prefix=UPSTREAM

// A loop over 3 layers, each yielding a buffer it allocates. Its init is a
// copy of %x (One-Shot Bufferize's copy of an init read again later); a
// second loop starts from %x itself. With the pass both results are owned
// after their loops and freed on their own, unconditionally, with no
// retain list (no run-time alias check, so ckpt-shrink-buffer-lifetimes
// can move each free to its last use), and since neither loop writes %x
// or its iter_arg, the first loop reads %x itself: the copy is gone.
// Upstream alone keeps the copy and both frees behind the loops' ownership
// flags.
// CHECK-LABEL: func @layers
// CHECK-SAME: (%[[X:.*]]: memref<8xf32>)
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK-NOT: memref.copy
// CHECK: %[[H:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[X]],
// CHECK: %[[G:.*]]:2 = scf.for {{.*}} iter_args(%{{.*}} = %[[X]],
// CHECK: linalg.add ins(%[[H]]#0, %[[G]]#0
// CHECK-NEXT: bufferization.dealloc (%[[G]]#0 : memref<8xf32>) if (%[[TRUE]]){{$}}
// CHECK-NEXT: bufferization.dealloc (%[[H]]#0 : memref<8xf32>) if (%[[TRUE]]){{$}}
// CHECK-NEXT: return
// UPSTREAM-LABEL: func @layers
// UPSTREAM: memref.copy
// UPSTREAM: %[[H:.*]]:2 = scf.for
// UPSTREAM: %[[G:.*]]:2 = scf.for
// UPSTREAM: bufferization.dealloc ({{.*}}) if (%[[G]]#1)
// UPSTREAM: bufferization.dealloc ({{.*}}) if (%{{.*}}, %[[H]]#1)
func.func @layers(%x: memref<8xf32>) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c3 = arith.constant 3 : index
  %init = memref.alloc() : memref<8xf32>
  memref.copy %x, %init : memref<8xf32> to memref<8xf32>
  %h = scf.for %i = %c0 to %c3 step %c1 iter_args(%hi = %init) -> (memref<8xf32>) {
    %n = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%n : memref<8xf32>)
    scf.yield %n : memref<8xf32>
  }
  %g = scf.for %i = %c0 to %c3 step %c1 iter_args(%hi = %x) -> (memref<8xf32>) {
    %n = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%n : memref<8xf32>)
    scf.yield %n : memref<8xf32>
  }
  %out = memref.alloc() : memref<8xf32>
  linalg.add ins(%h, %g : memref<8xf32>, memref<8xf32>) outs(%out : memref<8xf32>)
  return %out : memref<8xf32>
}

// -----

// A returned loop result: owned, so the clone-or-not scf.if goes and the
// result is returned as it is.
// CHECK-LABEL: func @returned
// CHECK: %[[H:.*]]:2 = scf.for
// CHECK-NOT: scf.if
// CHECK-NOT: retain
// CHECK: return %[[H]]#0
func.func @returned(%x: memref<8xf32>) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %init = memref.alloc() : memref<8xf32>
  memref.copy %x, %init : memref<8xf32> to memref<8xf32>
  %h = scf.for %i = %c0 to %c2 step %c1 iter_args(%hi = %init) -> (memref<8xf32>) {
    %n = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%n : memref<8xf32>)
    scf.yield %n : memref<8xf32>
  }
  return %h : memref<8xf32>
}

// -----

// A dynamic trip count: the loop may run zero times and return its init,
// so nothing changes (the retain and the clone-or-not scf.if stay).
// CHECK-LABEL: func @dynamic
// CHECK: %[[H:.*]]:2 = scf.for
// CHECK: %[[R:.*]] = scf.if %[[H]]#1
// CHECK: bufferization.clone
// CHECK: bufferization.dealloc ({{.*}}) if (%{{.*}}, %[[H]]#1) retain (%[[R]] : memref<8xf32>)
// CHECK: return %[[R]]
func.func @dynamic(%x: memref<8xf32>, %n: index) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %init = memref.alloc() : memref<8xf32>
  memref.copy %x, %init : memref<8xf32> to memref<8xf32>
  %h = scf.for %i = %c0 to %n step %c1 iter_args(%hi = %init) -> (memref<8xf32>) {
    %a = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%a : memref<8xf32>)
    scf.yield %a : memref<8xf32>
  }
  return %h : memref<8xf32>
}

// -----

// A loop that yields a buffer allocated before it: not fresh, unchanged.
// CHECK-LABEL: func @outer_buffer
// CHECK: %[[H:.*]]:2 = scf.for
// CHECK: scf.if %[[H]]#1
func.func @outer_buffer(%x: memref<8xf32>, %y: memref<8xf32>) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %h = scf.for %i = %c0 to %c2 step %c1 iter_args(%hi = %x) -> (memref<8xf32>) {
    linalg.copy ins(%hi : memref<8xf32>) outs(%y : memref<8xf32>)
    scf.yield %y : memref<8xf32>
  }
  return %h : memref<8xf32>
}

// -----

// The body writes its iter_arg in place before reading it: the init copy
// stays (the loop must not write %x), though its free no longer waits for
// an alias check.
// CHECK-LABEL: func @writes_init
// CHECK: %[[INIT:.*]] = memref.alloc()
// CHECK: memref.copy %{{.*}}, %[[INIT]]
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[INIT]],
// CHECK: bufferization.dealloc (%[[INIT]] : memref<8xf32>) if (%true){{$}}
func.func @writes_init(%x: memref<8xf32>, %f: f32) -> memref<8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c2 = arith.constant 2 : index
  %init = memref.alloc() : memref<8xf32>
  memref.copy %x, %init : memref<8xf32> to memref<8xf32>
  %h = scf.for %i = %c0 to %c2 step %c1 iter_args(%hi = %init) -> (memref<8xf32>) {
    linalg.fill ins(%f : f32) outs(%hi : memref<8xf32>)
    %n = memref.alloc() : memref<8xf32>
    linalg.copy ins(%hi : memref<8xf32>) outs(%n : memref<8xf32>)
    scf.yield %n : memref<8xf32>
  }
  %out = memref.alloc() : memref<8xf32>
  linalg.add ins(%h, %x : memref<8xf32>, memref<8xf32>) outs(%out : memref<8xf32>)
  return %out : memref<8xf32>
}

// -----

// A two-way branch whose branches each allocate their result: the result is
// owned after the scf.if and freed on its own, unconditionally; upstream
// alone frees it under the branch's ownership flag.
// CHECK-LABEL: func @branch
// CHECK: %[[TRUE:.*]] = arith.constant true
// CHECK: %[[B:.*]] = scf.if
// CHECK: linalg.add ins(%[[B]],
// CHECK-NEXT: bufferization.dealloc (%[[B]] : memref<8xf32>) if (%[[TRUE]]){{$}}
// UPSTREAM-LABEL: func @branch
// UPSTREAM: %[[B:.*]]:2 = scf.if
// UPSTREAM: bufferization.dealloc ({{.*}}) if (%[[B]]#1)
func.func @branch(%x: memref<8xf32>, %c: i1) -> memref<8xf32> {
  %b = scf.if %c -> (memref<8xf32>) {
    %t = memref.alloc() : memref<8xf32>
    linalg.copy ins(%x : memref<8xf32>) outs(%t : memref<8xf32>)
    scf.yield %t : memref<8xf32>
  } else {
    %e = memref.alloc() : memref<8xf32>
    linalg.add ins(%x, %x : memref<8xf32>, memref<8xf32>) outs(%e : memref<8xf32>)
    scf.yield %e : memref<8xf32>
  }
  %out = memref.alloc() : memref<8xf32>
  linalg.add ins(%b, %x : memref<8xf32>, memref<8xf32>) outs(%out : memref<8xf32>)
  return %out : memref<8xf32>
}
