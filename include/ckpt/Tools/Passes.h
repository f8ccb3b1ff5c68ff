//===- Passes.h - tool passes (the memory report) ---------------*- C++ -*-===//
//
// Passes that write files or print reports: `ckpt-memory-report`, the
// memory/cost report around a nested pipeline.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TOOLS_PASSES_H
#define CKPT_TOOLS_PASSES_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mlir::ckpt {

#define GEN_PASS_DECL
#include "ckpt/Tools/Passes.h.inc"

/// `ckpt-memory-report` around `pipeline`, a pass manager anchored on
/// `builtin.module` whose passes run on the module between the two
/// snapshots; the other report options come from `options`
/// (`options.pipeline` is ignored: the pass prints `pipeline` as its
/// option). This is how `ckpt-opt --ckpt-memory-report` wraps the pipeline
/// of its command line.
std::unique_ptr<Pass>
createCkptMemoryReport(OpPassManager pipeline,
                       const CkptMemoryReportOptions &options);

#define GEN_PASS_REGISTRATION
#include "ckpt/Tools/Passes.h.inc"

} // namespace mlir::ckpt

#endif // CKPT_TOOLS_PASSES_H
