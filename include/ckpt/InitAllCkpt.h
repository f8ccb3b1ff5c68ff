//===- InitAllCkpt.h - register everything ckpt provides --------*- C++ -*-===//
//
// One place that registers the ckpt dialect with its interface models, every
// ckpt pass and both lowering pipelines, for `ckpt-opt`, the `mlir-opt`
// plugin and other drivers (as upstream's InitAllDialects.h/InitAllPasses.h).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_INITALLCKPT_H
#define CKPT_INITALLCKPT_H

#include "ckpt/Conversion/Passes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/BufferizableOpInterfaceImpl.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Pipelines/Pipelines.h"
#include "ckpt/Runner/Passes.h"
#include "ckpt/Tools/Passes.h"
#include "ckpt/Transforms/Passes.h"
#include "mlir/Dialect/MPI/IR/MPI.h"
#include "mlir/Dialect/Shard/IR/ShardDialect.h"
#include "mlir/IR/DialectRegistry.h"

namespace mlir::ckpt {

/// Adds the ckpt dialect and its external interface models (bufferization
/// of `ckpt.barrier`) to `registry`, and the `mpi` and `shard` dialects
/// that distributed steps use, with the memory effects of the mpi ops
/// (docs/distributed.md).
inline void registerAllCkptDialects(DialectRegistry &registry) {
  registry.insert<CkptDialect, mpi::MPIDialect, shard::ShardDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
  registerMPIMemoryEffectModels(registry);
}

/// Registers every ckpt pass (`ckpt-*`, the conversions included) but
/// `ckpt-memory-report`, and the `ckpt-lower-to-cpu` and `ckpt-lower-to-nvvm`
/// pipelines, with the global pass registry. For `ckpt-opt`, whose own
/// `--ckpt-memory-report` flag has the pass's name: `CkptOptMain` registers
/// the pass once the command line is parsed.
inline void registerAllCkptPassesExceptMemoryReport() {
  registerCkptConversionPasses();
  registerCkptPasses();
  registerCkptTransformsPasses();
  registerCkptRunnerPasses();
  registerCkptPipelines();
}

/// Registers every ckpt pass, `ckpt-memory-report` included, and both
/// pipelines: for the plugin, the C API and other drivers.
inline void registerAllCkptPasses() {
  registerAllCkptPassesExceptMemoryReport();
  registerCkptToolsPasses();
}

} // namespace mlir::ckpt

#endif // CKPT_INITALLCKPT_H
