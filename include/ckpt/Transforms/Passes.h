//===- Passes.h - dialect-independent lowering support ----------*- C++ -*-===//
//
// Passes that the lowering pipelines use and that touch no `ckpt` op:
// allocation sinking / early frees and device memory for GPU kernels.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TRANSFORMS_PASSES_H
#define CKPT_TRANSFORMS_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ckpt {

#define GEN_PASS_DECL
#include "ckpt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ckpt/Transforms/Passes.h.inc"

} // namespace mlir::ckpt

#endif // CKPT_TRANSFORMS_PASSES_H
