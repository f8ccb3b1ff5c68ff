//===- MPIToLLVM.h - the mpi dialect to MPI library calls -------*- C++ -*-===//
//
// Lowers the ops of MLIR's `mpi` dialect to calls of the MPI C library for
// one ABI (Open MPI or MPICH), fixing the defects of upstream MLIR 22.1.8's
// MPIToLLVM patterns (docs/distributed.md), and gives the `mpi` ops the
// memory effects upstream leaves undeclared.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_CONVERSION_MPITOLLVM_MPITOLLVM_H
#define CKPT_CONVERSION_MPITOLLVM_MPITOLLVM_H

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/Operation.h"
#include "mlir/Support/LLVM.h"

namespace mlir {
class LLVMTypeConverter;
class RewritePatternSet;

namespace ckpt {

/// The MPI library ABI the lowering targets: the handle types and the
/// predefined handles differ (Open MPI: pointers to the library's globals
/// `ompi_mpi_comm_world`, `ompi_mpi_float`, `ompi_mpi_op_sum`, ...; MPICH
/// and its ABI family: `int` handles such as `MPI_COMM_WORLD = 0x44000000`,
/// `MPI_FLOAT = 0x4c00040a`, `MPI_SUM = 0x58000003`). Values are those of
/// Debian's `libopenmpi-dev` 4.1 and `libmpich-dev` 4.0 `mpi.h`.
enum class MPIABI { OpenMPI, MPICH };

/// The `mpi` ops `populateCkptMPIToLLVMPatterns` (with upstream's patterns
/// for `mpi.init` and `mpi.finalize`) lowers: init, finalize, comm_world,
/// comm_rank, comm_size, comm_split, send, recv, allreduce, barrier.
bool isLowerableMPIOp(Operation *op);

/// Checks, before anything changes, that every op of the `mpi` and `shard`
/// dialects under `root` can be lowered by `ckpt-convert-mpi-to-llvm`:
/// each `mpi` op is one of `isLowerableMPIOp`'s, its buffers are contiguous
/// row-major memrefs (identity layout, or a static shape with row-major
/// strides) of f32, f64 or 8- to 64-bit integers with at most 2^31-1
/// elements (an MPI `int` count), the two buffers of `mpi.allreduce` have
/// the same element type and count and its reduction is one of MAX, MIN,
/// SUM, PROD, LAND, BAND, LOR, BOR, LXOR, BXOR; `!mpi.comm` and
/// `!mpi.retval` values are results of `mpi` ops used only by `mpi` ops
/// (a retval may stay unused); the only `shard` ops left are `shard.grid`
/// symbols no op uses (run `convert-shard-to-mpi` first). Emits a located
/// error naming the op for each violation and fails if there is any.
LogicalResult checkMPIOpsLowerable(Operation *root);

/// Adds the patterns that lower comm_world, comm_rank, comm_size,
/// comm_split, send, recv, allreduce and barrier to calls of the MPI C
/// functions of `abi`, with a higher benefit than upstream's patterns
/// (`mpi::populateMPIToLLVMConversionPatterns`, which the caller may add
/// for init and finalize). `!mpi.comm` converts to i64 (as upstream) and
/// `!mpi.retval` to i32 (the C return value). Against upstream 22.1.8 they
/// pass the element count of the whole buffer (upstream: the first
/// dimension only), pass `MPI_IN_PLACE` when an allreduce's buffers are the
/// same value, name Open MPI's reductions `ompi_mpi_op_*` (upstream:
/// `ompi_mpi_*`, undefined symbols), keep an Open MPI communicator from
/// `MPI_Comm_split` as a pointer (upstream loads an i32), and lower
/// `comm_size` and `barrier` (upstream: left as they are). Buffers must
/// satisfy `checkMPIOpsLowerable`.
void populateCkptMPIToLLVMPatterns(LLVMTypeConverter &converter,
                                   RewritePatternSet &patterns, MPIABI abi);

/// Registers memory-effect models for the `mpi` ops that declare none
/// upstream (ownership-based buffer deallocation refuses ops with unknown
/// effects on memrefs, and cleanups could reorder them): send and isend
/// read their buffer, recv and irecv write theirs, allreduce reads the
/// send buffer and writes the receive buffer; send, isend, init, finalize,
/// barrier and wait also write the default resource (they communicate or
/// synchronize with other ranks, so they are never erased as dead or
/// reordered); retval_check and
/// error_class have no effects. The Pure ops (comm_world, comm_rank,
/// comm_size, comm_split) keep their upstream declaration.
void registerMPIMemoryEffectModels(DialectRegistry &registry);

} // namespace ckpt
} // namespace mlir

#endif // CKPT_CONVERSION_MPITOLLVM_MPITOLLVM_H
