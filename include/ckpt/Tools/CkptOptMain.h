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
/// pipeline it names on the input file with the report's instrumentation
/// when asked for, and writes the output. Dialects and passes must be
/// registered before the call. Fails if the input or output cannot be
/// opened or the pipeline fails.
LogicalResult CkptOptMain(int argc, char **argv, llvm::StringRef toolName,
                          DialectRegistry &registry);

} // namespace ckpt
} // namespace mlir

#endif // CKPT_TOOLS_CKPTOPTMAIN_H
