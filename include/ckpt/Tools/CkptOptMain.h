//===- CkptOptMain.h - the main of ckpt-opt ---------------------*- C++ -*-===//

#ifndef CKPT_TOOLS_CKPTOPTMAIN_H
#define CKPT_TOOLS_CKPTOPTMAIN_H

#include "mlir/Support/LogicalResult.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class DialectRegistry;
namespace ckpt {

/// `mlir-opt`'s main (`MlirOptMain`) plus the memory report options
/// (`registerMemoryReportCLOptions`): parses the command line, runs the
/// pipeline it names on the input file, inside a `ckpt-memory-report` pass
/// when the options ask for a report, and writes the output. Dialects and
/// passes must be registered before the call, `ckpt-memory-report` excepted
/// (`registerAllCkptPassesExceptMemoryReport`): its name is also the
/// `--ckpt-memory-report` flag, so it is registered here once the command
/// line is parsed (it still works in `--pass-pipeline`, not as a flag).
/// Fails if the input or output cannot be opened or the pipeline fails.
LogicalResult CkptOptMain(int argc, char **argv, llvm::StringRef toolName,
                          DialectRegistry &registry);

} // namespace ckpt
} // namespace mlir

#endif // CKPT_TOOLS_CKPTOPTMAIN_H
