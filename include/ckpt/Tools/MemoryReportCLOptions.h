//===- MemoryReportCLOptions.h - ckpt-opt's report flags --------*- C++ -*-===//
//
// The `ckpt-opt` command-line options that ask for the memory/cost report,
// a register/apply pair like `registerPassManagerCLOptions`: a convenience
// over the `ckpt-memory-report` pass, which the apply step wraps around the
// pipeline of the command line.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_TOOLS_MEMORYREPORTCLOPTIONS_H
#define CKPT_TOOLS_MEMORYREPORTCLOPTIONS_H

namespace mlir {
class OpPassManager;
namespace ckpt {

/// Registers the `--ckpt-memory-report`, `--ckpt-memory-report-json`,
/// `--ckpt-memory-report-svg` and `--ckpt-dynamic-dim-size` options of
/// `ckpt-opt` (global LLVM command-line options: a tool's own main, never a
/// plugin). Call before parsing the command line.
void registerMemoryReportCLOptions();

/// If the options registered by `registerMemoryReportCLOptions` ask for a
/// report, moves the passes of `pm` (anchored on `builtin.module`) into a
/// `ckpt-memory-report` pass, the only pass `pm` then holds. With no pass
/// in `pm`, the report shows the unchanged module (before equals after).
/// Returns true if it did wrap the passes.
bool applyMemoryReportCLOptions(OpPassManager &pm);

} // namespace ckpt
} // namespace mlir

#endif // CKPT_TOOLS_MEMORYREPORTCLOPTIONS_H
