// RUN: ckpt-opt %s -split-input-file -ckpt-convert-mpi-to-llvm=abi=openmpi | FileCheck %s --check-prefixes=CHECK,OMPI
// RUN: ckpt-opt %s -split-input-file -ckpt-convert-mpi-to-llvm=abi=mpich | FileCheck %s --check-prefixes=CHECK,MPICH
// RUN: ckpt-opt %s -split-input-file -ckpt-convert-mpi-to-llvm="abi=openmpi init-function=main" | FileCheck %s --check-prefix=INIT

// Each mpi op becomes a call of the MPI C function of the ABI, with the
// constants of Debian's mpi.h: Open MPI's handles are the addresses of its
// globals, MPICH's are ints (MPI_COMM_WORLD 0x44000000 = 1140850688,
// MPI_FLOAT 0x4c00040a = 1275069450, MPI_DOUBLE 0x4c00080b = 1275070475,
// MPI_INT32_T 0x4c000439 = 1275069497, MPI_SUM 0x58000003 = 1476395011,
// MPI_MAX 0x58000001 = 1476395009). No dlti attribute is left (mlir-runner
// cannot parse it).

// Tests allreduce of a 2x3 buffer into another: the count is 6, all the
// elements (upstream 22.1.8 passes 2, the first dimension), and Open MPI's
// sum is ompi_mpi_op_sum (upstream: ompi_mpi_sum, an undefined symbol).
// CHECK-NOT: dlti
// OMPI-DAG: llvm.mlir.global external @ompi_mpi_op_sum() {{.*}} : !llvm.struct<"ompi_predefined_op_t", opaque>
// OMPI-DAG: llvm.mlir.global external @ompi_mpi_float() {{.*}} : !llvm.struct<"ompi_predefined_datatype_t", opaque>
// OMPI-DAG: llvm.mlir.global external @ompi_mpi_comm_world() {{.*}} : !llvm.struct<"ompi_communicator_t", opaque>
// OMPI-DAG: llvm.func @MPI_Allreduce(!llvm.ptr, !llvm.ptr, i32, !llvm.ptr, !llvm.ptr, !llvm.ptr) -> i32
// MPICH-DAG: llvm.func @MPI_Allreduce(!llvm.ptr, !llvm.ptr, i32, i32, i32, i32) -> i32
// CHECK-LABEL: func @allreduce
// CHECK-DAG: %[[OUT:.*]] = builtin.unrealized_conversion_cast %arg1
// CHECK-DAG: %[[IN:.*]] = builtin.unrealized_conversion_cast %arg0
// OMPI: %[[WORLD:.*]] = llvm.mlir.addressof @ompi_mpi_comm_world
// OMPI: %[[W64:.*]] = llvm.ptrtoint %[[WORLD]] : !llvm.ptr to i64
// MPICH: %[[W64:.*]] = llvm.mlir.constant(1140850688 : i64) : i64
// CHECK: %[[RECV:.*]] = llvm.extractvalue %[[OUT]][1]
// CHECK: %[[SIX:.*]] = llvm.mlir.constant(6 : i64) : i64
// CHECK: %[[COUNT:.*]] = llvm.trunc %[[SIX]] : i64 to i32
// CHECK: %[[SEND:.*]] = llvm.extractvalue %[[IN]][1]
// OMPI: %[[TYPE:.*]] = llvm.mlir.addressof @ompi_mpi_float
// OMPI: %[[SUM:.*]] = llvm.mlir.addressof @ompi_mpi_op_sum
// OMPI: %[[COMM:.*]] = llvm.inttoptr %[[W64]] : i64 to !llvm.ptr
// MPICH: %[[TYPE:.*]] = llvm.mlir.constant(1275069450 : i32) : i32
// MPICH: %[[SUM:.*]] = llvm.mlir.constant(1476395011 : i32) : i32
// MPICH: %[[COMM:.*]] = llvm.trunc %[[W64]] : i64 to i32
// CHECK: llvm.call @MPI_Allreduce(%[[SEND]], %[[RECV]], %[[COUNT]], %[[TYPE]], %[[SUM]], %[[COMM]])
// CHECK-NOT: mpi.
func.func @allreduce(%buf: memref<2x3xf32>, %out: memref<2x3xf32>) {
  %comm = mpi.comm_world : !mpi.comm
  mpi.allreduce(%buf, %out, MPI_SUM, %comm) : memref<2x3xf32>, memref<2x3xf32>
  return
}

// -----

// Tests an in-place allreduce (the same buffer twice, as convert-shard-to-mpi
// emits it) of a dynamically shaped f64 buffer: MPI_IN_PLACE ((void *)1 in
// Open MPI, (void *)-1 in MPICH) as the send buffer, the count the product
// of the sizes.
// CHECK-LABEL: func @allreduce_in_place
// CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %arg0
// CHECK: %[[PTR:.*]] = llvm.extractvalue %[[DESC]][1]
// CHECK: %[[ROWS:.*]] = llvm.extractvalue %[[DESC]][3, 0]
// CHECK: %[[FOUR:.*]] = llvm.mlir.constant(4 : i64) : i64
// CHECK: %[[N:.*]] = llvm.mul %[[ROWS]], %[[FOUR]] : i64
// CHECK: %[[COUNT:.*]] = llvm.trunc %[[N]] : i64 to i32
// OMPI: %[[ONE:.*]] = llvm.mlir.constant(1 : i64) : i64
// OMPI: %[[INPLACE:.*]] = llvm.inttoptr %[[ONE]] : i64 to !llvm.ptr
// MPICH: %[[MONE:.*]] = llvm.mlir.constant(-1 : i64) : i64
// MPICH: %[[INPLACE:.*]] = llvm.inttoptr %[[MONE]] : i64 to !llvm.ptr
// OMPI: llvm.mlir.addressof @ompi_mpi_double
// OMPI: llvm.mlir.addressof @ompi_mpi_op_max
// MPICH: llvm.mlir.constant(1275070475 : i32) : i32
// MPICH: llvm.mlir.constant(1476395009 : i32) : i32
// CHECK: llvm.call @MPI_Allreduce(%[[INPLACE]], %[[PTR]], %[[COUNT]],
func.func @allreduce_in_place(%buf: memref<?x4xf64>) {
  %comm = mpi.comm_world : !mpi.comm
  mpi.allreduce(%buf, %buf, MPI_MAX, %comm) : memref<?x4xf64>, memref<?x4xf64>
  return
}

// -----

// Tests a buffer with a dynamic offset (a row of a matrix): the address is
// the aligned pointer advanced by the offset.
// CHECK-LABEL: func @send_offset
// CHECK: %[[DESC:.*]] = builtin.unrealized_conversion_cast %arg0
// CHECK: %[[ALIGNED:.*]] = llvm.extractvalue %[[DESC]][1]
// CHECK: %[[OFFSET:.*]] = llvm.extractvalue %[[DESC]][2]
// CHECK: %[[PTR:.*]] = llvm.getelementptr %[[ALIGNED]][%[[OFFSET]]] : (!llvm.ptr, i64) -> !llvm.ptr, f32
// CHECK: llvm.call @MPI_Send(%[[PTR]],
func.func @send_offset(%row: memref<3xf32, strided<[1], offset: ?>>, %tag: i32) {
  %comm = mpi.comm_world : !mpi.comm
  mpi.send(%row, %tag, %tag, %comm) : memref<3xf32, strided<[1], offset: ?>>, i32, i32
  return
}

// -----

// Tests rank, size, split, barrier, send and recv. The rank and size are
// read from stack slots in the entry block; the split's communicator is
// stored as the native handle (a pointer under Open MPI: upstream loads an
// i32 from the slot) and widened to i64; comm_size and barrier are lowered
// (upstream leaves them). MPI_STATUS_IGNORE is (MPI_Status *)0 in Open MPI,
// (MPI_Status *)1 in MPICH.
// OMPI-DAG: llvm.func @MPI_Comm_split(!llvm.ptr, i32, i32, !llvm.ptr) -> i32
// OMPI-DAG: llvm.func @MPI_Barrier(!llvm.ptr) -> i32
// OMPI-DAG: llvm.func @MPI_Send(!llvm.ptr, i32, !llvm.ptr, i32, i32, !llvm.ptr) -> i32
// OMPI-DAG: llvm.func @MPI_Recv(!llvm.ptr, i32, !llvm.ptr, i32, i32, !llvm.ptr, !llvm.ptr) -> i32
// OMPI-DAG: llvm.func @MPI_Comm_size(!llvm.ptr, !llvm.ptr) -> i32
// OMPI-DAG: llvm.func @MPI_Comm_rank(!llvm.ptr, !llvm.ptr) -> i32
// MPICH-DAG: llvm.func @MPI_Comm_split(i32, i32, i32, !llvm.ptr) -> i32
// MPICH-DAG: llvm.func @MPI_Barrier(i32) -> i32
// MPICH-DAG: llvm.func @MPI_Send(!llvm.ptr, i32, i32, i32, i32, i32) -> i32
// MPICH-DAG: llvm.func @MPI_Recv(!llvm.ptr, i32, i32, i32, i32, i32, !llvm.ptr) -> i32
// MPICH-DAG: llvm.func @MPI_Comm_size(i32, !llvm.ptr) -> i32
// MPICH-DAG: llvm.func @MPI_Comm_rank(i32, !llvm.ptr) -> i32
// CHECK-LABEL: func @comm
// OMPI: %[[SPLIT_SLOT:.*]] = llvm.alloca %{{.*}} x !llvm.ptr
// MPICH: %[[SPLIT_SLOT:.*]] = llvm.alloca %{{.*}} x i32
// CHECK: %[[SIZE_SLOT:.*]] = llvm.alloca %{{.*}} x i32
// CHECK: %[[RANK_SLOT:.*]] = llvm.alloca %{{.*}} x i32
// CHECK: llvm.call @MPI_Comm_rank(%{{.*}}, %[[RANK_SLOT]])
// CHECK: %[[RANK:.*]] = llvm.load %[[RANK_SLOT]] : !llvm.ptr -> i32
// CHECK: llvm.call @MPI_Comm_size(%{{.*}}, %[[SIZE_SLOT]])
// CHECK: %[[SIZE:.*]] = llvm.load %[[SIZE_SLOT]] : !llvm.ptr -> i32
// CHECK: llvm.call @MPI_Comm_split(%{{.*}}, %{{.*}}, %[[RANK]], %[[SPLIT_SLOT]])
// OMPI: %[[NATIVE:.*]] = llvm.load %[[SPLIT_SLOT]] : !llvm.ptr -> !llvm.ptr
// OMPI: %[[SUB:.*]] = llvm.ptrtoint %[[NATIVE]] : !llvm.ptr to i64
// MPICH: %[[NATIVE:.*]] = llvm.load %[[SPLIT_SLOT]] : !llvm.ptr -> i32
// MPICH: %[[SUB:.*]] = llvm.zext %[[NATIVE]] : i32 to i64
// OMPI: %[[B:.*]] = llvm.inttoptr %[[SUB]] : i64 to !llvm.ptr
// MPICH: %[[B:.*]] = llvm.trunc %[[SUB]] : i64 to i32
// CHECK: llvm.call @MPI_Barrier(%[[B]])
// OMPI: llvm.mlir.addressof @ompi_mpi_int32_t
// MPICH: llvm.mlir.constant(1275069497 : i32) : i32
// CHECK: llvm.call @MPI_Send(
// OMPI: %[[IGNORE:.*]] = llvm.mlir.constant(0 : i64) : i64
// MPICH: %[[IGNORE:.*]] = llvm.mlir.constant(1 : i64) : i64
// CHECK: %[[STATUS:.*]] = llvm.inttoptr %[[IGNORE]] : i64 to !llvm.ptr
// CHECK: llvm.call @MPI_Recv({{.*}}, %[[STATUS]])
// CHECK: return %[[RANK]], %[[SIZE]] : i32, i32
func.func @comm(%buf: memref<5xi32>) -> (i32, i32) {
  %world = mpi.comm_world : !mpi.comm
  %retval, %rank = mpi.comm_rank(%world) : !mpi.retval, i32
  %size = mpi.comm_size(%world) : i32
  %c0 = arith.constant 0 : i32
  %sub = mpi.comm_split(%world, %c0, %rank) : !mpi.comm
  mpi.barrier(%sub)
  mpi.send(%buf, %c0, %c0, %sub) : memref<5xi32>, i32, i32
  mpi.recv(%buf, %c0, %c0, %sub) : memref<5xi32>, i32, i32
  return %rank, %size : i32, i32
}

// -----

// Tests that a grid convert-shard-to-mpi left behind is erased, that init
// and finalize use upstream's patterns, and that init-function=main wraps
// the entry point in MPI_Init/MPI_Finalize only when it does not initialize
// MPI itself (here it does: one MPI_Init).
// CHECK-NOT: shard.grid
// CHECK-LABEL: func @main
// CHECK: llvm.call @MPI_Init
// CHECK: llvm.call @MPI_Barrier
// CHECK: llvm.call @MPI_Finalize
// INIT-LABEL: func @main
// INIT-COUNT-1: llvm.call @MPI_Init
// INIT-NOT: llvm.call @MPI_Init
shard.grid @grid(shape = 2)
func.func @main() {
  mpi.init
  %comm = mpi.comm_world : !mpi.comm
  mpi.barrier(%comm)
  mpi.finalize
  return
}

// -----

// Tests init-function=main on an entry point that calls a step using MPI:
// MPI_Init first, MPI_Finalize before the return (INIT); without the
// option nothing is added.
// INIT-LABEL: func @step
// INIT-NOT: MPI_Init
// INIT-LABEL: func @main
// INIT-NEXT: llvm.mlir.zero
// INIT-NEXT: llvm.call @MPI_Init
// INIT-NEXT: call @step
// INIT-NEXT: llvm.call @MPI_Finalize
// INIT-NEXT: return
// CHECK-LABEL: func @main
// CHECK-NOT: MPI_Init
func.func @step() {
  %comm = mpi.comm_world : !mpi.comm
  mpi.barrier(%comm)
  return
}
func.func @main() {
  call @step() : () -> ()
  return
}

// -----

// Tests that a dlti map the module had is kept as it was (the pass adds the
// MPI:Implementation entry only while it converts).
// CHECK-LABEL: module attributes {dlti.map = #dlti.map<"cache" = 64 : i32>}
// CHECK-NOT: MPI:Implementation
// CHECK: llvm.call @MPI_Barrier
module attributes {dlti.map = #dlti.map<"cache" = 64 : i32>} {
  func.func @keeps_user_map() {
    %comm = mpi.comm_world : !mpi.comm
    mpi.barrier(%comm)
    return
  }
}
