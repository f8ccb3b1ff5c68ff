//===- MemoryReportInstrumentation.h - the report over a pipeline -*- C++ -*-//
//
// The memory/cost report taken before and after the passes of a pass
// manager, and the `ckpt-opt` command-line options that ask for it (a
// register/apply pair, like `registerPassManagerCLOptions`).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TOOLS_MEMORYREPORTINSTRUMENTATION_H
#define CKPT_TOOLS_MEMORYREPORTINSTRUMENTATION_H

#include "ckpt/Analysis/CostModel.h"
#include "mlir/Pass/PassInstrumentation.h"
#include <memory>
#include <string>

namespace mlir {
class PassManager;
namespace ckpt {

/// Where the report goes; an empty path means not wanted.
struct MemoryReportOptions {
  CostModelOptions cost;
  /// Print the text report to stderr.
  bool text = false;
  std::string jsonPath;
  std::string svgPath;
};

/// A pass instrumentation that takes the figures before the first pass and
/// after each top-level pass on the module, and writes the report when it is
/// destroyed (after the pipeline), unless a pass failed. This is how
/// `ckpt-opt --ckpt-memory-report` reports on the pipeline it is given.
std::unique_ptr<PassInstrumentation>
createMemoryReportInstrumentation(const MemoryReportOptions &options);

/// Registers the `--ckpt-memory-report`, `--ckpt-memory-report-json`,
/// `--ckpt-memory-report-svg` and `--ckpt-dynamic-dim-size` options of
/// `ckpt-opt`. Call before parsing the command line.
void registerMemoryReportCLOptions();

/// Adds the memory report instrumentation to `pm` if the options registered
/// by `registerMemoryReportCLOptions` ask for a report.
void applyMemoryReportCLOptions(PassManager &pm);

} // namespace ckpt
} // namespace mlir

#endif // CKPT_TOOLS_MEMORYREPORTINSTRUMENTATION_H
