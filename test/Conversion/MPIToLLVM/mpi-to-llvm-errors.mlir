// RUN: ckpt-opt %s -split-input-file -ckpt-convert-mpi-to-llvm -verify-diagnostics

// Every mpi op is checked before anything is lowered: an op the pass does
// not lower, or one it would lower wrongly, is a located error and the
// module is left as it was.

// Tests that an mpi op without a lowering is refused, naming it (upstream
// leaves it in place without an error).
func.func @negative_isend(%buf: memref<4xf32>, %tag: i32) {
  %comm = mpi.comm_world : !mpi.comm
  // expected-error @+1 {{'mpi.isend' is not lowered by ckpt-convert-mpi-to-llvm (lowered: mpi.init, mpi.finalize, mpi.comm_world, mpi.comm_rank, mpi.comm_size, mpi.comm_split, mpi.send, mpi.recv, mpi.allreduce, mpi.barrier)}}
  %req = mpi.isend(%buf, %tag, %tag, %comm) : memref<4xf32>, i32, i32 -> !mpi.request
  return
}

// -----

// Tests that a strided view is refused: MPI reads count contiguous elements.
func.func @negative_strided(%buf: memref<4x4xf32>) {
  %comm = mpi.comm_world : !mpi.comm
  %col = memref.subview %buf[0, 0] [4, 1] [1, 1] : memref<4x4xf32> to memref<4xf32, strided<[4]>>
  // expected-error @+1 {{cannot lower 'mpi.allreduce': the send buffer of type 'memref<4xf32, strided<[4]>>' is not one contiguous row-major block (identity layout, or a static shape with row-major strides)}}
  mpi.allreduce(%col, %col, MPI_SUM, %comm) : memref<4xf32, strided<[4]>>, memref<4xf32, strided<[4]>>
  return
}

// -----

// Tests that an element type without a predefined MPI datatype is refused.
func.func @negative_f16(%buf: memref<4xf16>, %tag: i32) {
  %comm = mpi.comm_world : !mpi.comm
  // expected-error @+1 {{cannot lower 'mpi.send': the buffer has element type 'f16' (supported: f32, f64, i8, i16, i32, i64, signed or unsigned)}}
  mpi.send(%buf, %tag, %tag, %comm) : memref<4xf16>, i32, i32
  return
}

// -----

// Tests that allreduce buffers of different sizes are refused.
func.func @negative_sizes(%a: memref<4xf32>, %b: memref<8xf32>) {
  %comm = mpi.comm_world : !mpi.comm
  // expected-error @+1 {{cannot lower 'mpi.allreduce': the send buffer has 4 elements, the receive buffer 8}}
  mpi.allreduce(%a, %b, MPI_SUM, %comm) : memref<4xf32>, memref<8xf32>
  return
}

// -----

// Tests that a reduction needing a pair datatype is refused.
func.func @negative_minloc(%a: memref<4xf32>) {
  %comm = mpi.comm_world : !mpi.comm
  // expected-error @+1 {{cannot lower 'mpi.allreduce' with MPI_MINLOC (lowered: MPI_MAX, MPI_MIN, MPI_SUM, MPI_PROD, MPI_LAND, MPI_BAND, MPI_LOR, MPI_BOR, MPI_LXOR, MPI_BXOR)}}
  mpi.allreduce(%a, %a, MPI_MINLOC, %comm) : memref<4xf32>, memref<4xf32>
  return
}

// -----

// Tests that a shard collective left in the module is refused: it must
// become mpi ops on tensors first.
shard.grid @grid(shape = 2)
func.func @negative_shard(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'shard.all_reduce' is not lowered to MPI calls: run convert-shard-to-mpi (on tensors, before bufferization) first}}
  %y = shard.all_reduce %x on @grid grid_axes = [0] : tensor<4xf32> -> tensor<4xf32>
  return %y : tensor<4xf32>
}

// -----

// Tests that a communicator passed to a function is refused: its type
// would have no lowering outside the mpi ops.
// expected-error @+1 {{cannot lower a '!mpi.comm' block argument of 'func.func': MPI handles must be created by mpi ops in the function that uses them}}
func.func @negative_comm_argument(%comm: !mpi.comm) {
  mpi.barrier(%comm)
  return
}

// -----

// Tests that a return value checked by a non-mpi op is refused.
func.func @negative_retval_use() -> !mpi.retval {
  %comm = mpi.comm_world : !mpi.comm
  %r = mpi.barrier(%comm) -> !mpi.retval
  // expected-error @+1 {{'func.return' uses a '!mpi.retval' value of 'mpi.barrier': MPI handles and return values may only be used by mpi ops}}
  return %r : !mpi.retval
}
