//===- MemoryReportPrinters.h - the report as text, JSON, SVG ---*- C++ -*-===//
//
// The memory/cost report of rationale §5 printed before and after a pipeline:
// as text, as JSON and as an SVG plot of live bytes over the schedule.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TOOLS_MEMORYREPORTPRINTERS_H
#define CKPT_TOOLS_MEMORYREPORTPRINTERS_H

#include "ckpt/Analysis/MemoryReport.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::ckpt {

/// Text report, before and after side by side (functions matched by name).
void printMemoryReport(llvm::raw_ostream &os,
                       const std::vector<FunctionReport> &before,
                       const std::vector<FunctionReport> &after,
                       const CostModelOptions &options);

/// The same figures as JSON: {"dynamic_dim_size": N, "functions": [{"name",
/// "before": {...}, "after": {...}}]}; each side has the scalar fields of
/// FunctionReport (snake_case), "live_bytes" and "regions".
void printMemoryReportJSON(llvm::raw_ostream &os,
                           const std::vector<FunctionReport> &before,
                           const std::vector<FunctionReport> &after,
                           const CostModelOptions &options);

/// An SVG chart per function: live bytes (y) over op index (x), before and
/// after on the same axes.
void printMemoryReportSVG(llvm::raw_ostream &os,
                          const std::vector<FunctionReport> &before,
                          const std::vector<FunctionReport> &after);

} // namespace mlir::ckpt

#endif // CKPT_TOOLS_MEMORYREPORTPRINTERS_H
