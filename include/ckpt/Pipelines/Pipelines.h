//===- Pipelines.h - ckpt lowering pipelines ---------------------*- C++ -*-===//

#ifndef CKPT_PIPELINES_PIPELINES_H
#define CKPT_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace ckpt {

/// Options of `ckpt-lower-to-cpu`.
struct LowerToCpuOptions : public PassPipelineOptions<LowerToCpuOptions> {
  PassOptions::Option<bool> countAllocations{
      *this, "count-allocations",
      llvm::cl::desc("Allocate and free through _mlir_memref_to_llvm_* so "
                     "that the ckpt CPU runtime counts the bytes"),
      llvm::cl::init(true)};
};

/// Tensors to the LLVM dialect on the CPU (DESIGN §6): One-Shot Bufferize
/// (function boundaries included, identity layouts), then
/// `ckpt-strip-barriers` (barriers are removed after bufferization, never
/// before), ownership-based buffer deallocation followed by
/// `ckpt-shrink-buffer-lifetimes` (free after last use), linalg to loops, and the
/// standard conversions to LLVM. Allocation goes through the generic
/// `_mlir_memref_to_llvm_alloc/free` entry points unless
/// `count-allocations=false`.
void buildLowerToCpuPipeline(OpPassManager &pm,
                             const LowerToCpuOptions &options);

/// Registers `ckpt-lower-to-cpu`.
void registerCkptPipelines();

} // namespace ckpt
} // namespace mlir

#endif // CKPT_PIPELINES_PIPELINES_H
