//===- Passes.h - ckpt transformation passes --------------------*- C++ -*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_H

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ckpt {

/// Which region values a region stores instead of recomputing, beyond the
/// saved set that correctness requires. Mirrors PyTorch's selective
/// activation checkpointing policies (`context_fn`).
enum class SavePolicy {
  /// Recompute everything that may be recomputed (PyTorch's default).
  RecomputeAll,
  /// Store results of linalg contractions (matmul, batch_matmul, ...) and
  /// convolutions; recompute the cheap elementwise work around them.
  SaveMatmuls,
};

#define GEN_PASS_DECL
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_H
