// RUN: ckpt-opt %s -split-input-file --ownership-based-buffer-deallocation --canonicalize | FileCheck %s
// RUN: ckpt-opt %s -split-input-file --cse --canonicalize | FileCheck %s --check-prefix=KEEP

// The mpi ops carry memory effects (registered with the dialects by
// registerAllCkptDialects): ownership-based deallocation accepts them
// (without a model it refuses "ops with unknown memory side effects") and
// frees a buffer after the last op that reads or writes it; cleanups keep
// the synchronizing ops and the sends whose results nobody uses.

// Tests that the buffer an allreduce writes is freed after it and after
// the send that reads it, not before, and that the send (whose results
// nobody uses) survives the cleanups.
// CHECK-LABEL: func @dealloc_after_mpi
// CHECK: %[[BUF:.*]] = memref.alloc
// CHECK: mpi.allreduce(%[[BUF]], %[[BUF]], MPI_SUM
// CHECK: mpi.send(%[[BUF]]
// CHECK: bufferization.dealloc (%[[BUF]]
// KEEP-LABEL: func @dealloc_after_mpi
// KEEP: mpi.barrier
// KEEP: mpi.allreduce
// KEEP: mpi.send
func.func @dealloc_after_mpi(%x: memref<4xf32>, %tag: i32) {
  %buf = memref.alloc() : memref<4xf32>
  memref.copy %x, %buf : memref<4xf32> to memref<4xf32>
  %comm = mpi.comm_world : !mpi.comm
  mpi.barrier(%comm)
  mpi.allreduce(%buf, %buf, MPI_SUM, %comm) : memref<4xf32>, memref<4xf32>
  mpi.send(%buf, %tag, %tag, %comm) : memref<4xf32>, i32, i32
  return
}
