//===- Passes.h - making a training step runnable ---------------*- C++ -*-===//
//
// `ckpt-runner-main`: a host driver that runs a step under `mlir-runner`
// with the ckpt runtime libraries (torch-mlir's RefBackend plays the same
// role for its lowering).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_RUNNER_PASSES_H
#define CKPT_RUNNER_PASSES_H

#include "mlir/Pass/Pass.h"

namespace mlir::ckpt {

#define GEN_PASS_DECL
#include "ckpt/Runner/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "ckpt/Runner/Passes.h.inc"

} // namespace mlir::ckpt

#endif // CKPT_RUNNER_PASSES_H
