//===- Passes.h - ckpt transformation passes --------------------*- C++ -*-===//
//
// The passes of the ckpt dialect: annotate, rematerialize, verify, strip
// barriers, drop annotations.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_H

#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mlir::ckpt {

#define GEN_PASS_DECL
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_PASSES_H
