//===- PipelineHelpers.h - pieces shared by the pipelines ---------*- C++ -*-===//

#ifndef CKPT_LIB_PIPELINES_PIPELINEHELPERS_H
#define CKPT_LIB_PIPELINES_PIPELINEHELPERS_H

namespace mlir {
class OpPassManager;
namespace ckpt::detail {
/// One-Shot Bufferize with function boundaries (identity layouts), then
/// `ckpt-strip-barriers`, ownership-based deallocation and
/// `ckpt-shrink-buffer-lifetimes`.
void addBufferization(OpPassManager &pm);
} // namespace ckpt::detail
} // namespace mlir

#endif // CKPT_LIB_PIPELINES_PIPELINEHELPERS_H
