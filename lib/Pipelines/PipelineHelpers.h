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

/// One-Shot Bufferize with function boundaries (identity layouts), the
/// runner's @main if asked for, then `ckpt-strip-barriers`,
/// ownership-based deallocation and `ckpt-shrink-buffer-lifetimes`.
void addBufferization(OpPassManager &pm,
                      const std::optional<RunnerMain> &runner);
} // namespace ckpt::detail
} // namespace mlir

#endif // CKPT_LIB_PIPELINES_PIPELINEHELPERS_H
