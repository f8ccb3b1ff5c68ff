//===- PipelineHelpers.h - pieces shared by the pipelines ---------*- C++
//-*-===//

#ifndef CKPT_LIB_PIPELINES_PIPELINEHELPERS_H
#define CKPT_LIB_PIPELINES_PIPELINEHELPERS_H

#include <optional>
#include <string>

namespace mlir {
class OpPassManager;
namespace ckpt::detail {
/// A host driver to add after bufferization (ckpt-runner-main{buffers}).
struct RunnerMain {
  std::string entry;
  bool device = false;
};

/// What both pipelines do on tensors first: `ckpt-check-lowering-input`,
/// with `inlineCalls` inlining of calls to defined functions (and removal
/// of the private ones left unused), `ckpt-elementwise-to-linalg` and
/// `ckpt-decompose-aggregate-ops`.
void addTensorPreparation(OpPassManager &pm, bool inlineCalls);

/// `addTensorPreparation`, One-Shot Bufferize with function boundaries (identity layouts), the
/// runner's @main if asked for, then `ckpt-strip-barriers`,
/// ownership-based deallocation, `ckpt-shrink-buffer-lifetimes` and
/// `convert-bufferization-to-memref` (the clones deallocation leaves).
void addBufferization(OpPassManager &pm,
                      const std::optional<RunnerMain> &runner,
                      bool inlineCalls);
} // namespace ckpt::detail
} // namespace mlir

#endif // CKPT_LIB_PIPELINES_PIPELINEHELPERS_H
