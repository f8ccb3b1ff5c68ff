//===- MemoryReport.h - before/after memory and cost report ------*- C++
//-*-===//
//
// The figures of the memory/cost report of rationale §5: per function, peak
// live bytes and where, the saved set (bytes the backward reads from the
// forward), FLOPs, recompute FLOPs, and a row per checkpointed region. The
// printers (text, JSON, SVG) live in ckpt/Tools.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_MEMORYREPORT_H
#define CKPT_ANALYSIS_MEMORYREPORT_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "mlir/IR/BuiltinOps.h"
#include <string>
#include <vector>

namespace mlir::ckpt {

/// One checkpointed region of a rewritten function, read from the traces
/// `ckpt-rematerialize` leaves (instances with the same name are summed).
struct RegionReport {
  std::string name;
  /// Bytes of forward values the region's recompute or the backward reads
  /// from it (its saved inputs and kept values).
  int64_t savedBytes = 0;
  /// Values the backward now gets from the recompute, and their bytes.
  int64_t droppedValues = 0;
  int64_t droppedBytes = 0;
  /// FLOPs and op count of the recompute (the barrier excluded).
  int64_t recomputeFlops = 0;
  int64_t clonedOps = 0;
};

/// The figures of one function (rationale §5). Bytes are those of
/// MemoryProfile; FLOPs those of FlopModel.
struct FunctionReport {
  std::string name;
  int64_t numOps = 0;
  int64_t peakBytes = 0;
  int64_t peakPosition = -1;
  /// Name and location of the op where the peak first occurs.
  std::string peakOp;
  std::string peakLoc;
  int64_t argumentBytes = 0;
  /// The saved set: forward values (not arguments, not constants) that a
  /// backward op reads, directly or through a view.
  int64_t savedBytes = 0;
  int64_t savedValues = 0;
  int64_t totalFlops = 0;
  int64_t forwardFlops = 0;
  /// FLOPs of ops that carry a recompute trace.
  int64_t recomputeFlops = 0;
  std::vector<std::string> unknownCallees;
  bool assumedDynamic = false;
  /// Live bytes at each op of the body, in program order.
  std::vector<int64_t> liveBytes;
  std::vector<RegionReport> regions;
};

/// Figures for one function with a single-block body that is a training
/// step or public (std::nullopt otherwise); the saved set only for a
/// training step.
std::optional<FunctionReport>
buildFunctionReport(func::FuncOp func, const SplitFormPairs &pairs,
                    const CostModelOptions &options);

/// Figures for one function with a single-block body that is a training
/// step or public (std::nullopt otherwise); the saved set only for a
/// training step.
std::optional<FunctionReport>
buildFunctionReport(func::FuncOp func, const SplitFormPairs &pairs,
                    const CostModelOptions &options);

/// Figures (`buildFunctionReport`) for every training step and every public
/// function with a single-block body. Never fails.
std::vector<FunctionReport> buildMemoryReport(ModuleOp module,
                                              const CostModelOptions &options);

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_MEMORYREPORT_H
