//===- CkptOptMain.cpp - the main of ckpt-opt -------------------*- C++ -*-===//

#include "ckpt/Tools/CkptOptMain.h"

#include "ckpt/Tools/MemoryReportCLOptions.h"
#include "ckpt/Tools/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassInstrumentation.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Signals.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

namespace {
/// Flushes the buffered diagnostics stream after each top-level pass, so
/// remarks come out in batches (one `write` per pass instead of several per
/// remark: on a 96k-op graph with 640 regions those writes cost about half
/// of ckpt-rematerialize's time) and before the output is printed.
struct FlushDiagnostics : public PassInstrumentation {
  void runAfterPass(Pass *, Operation *op) override {
    if (!op->getParentOp())
      llvm::errs().flush();
  }
  void runAfterPassFailed(Pass *, Operation *) override {
    llvm::errs().flush();
  }
};
} // namespace

LogicalResult mlir::ckpt::CkptOptMain(int argc, char **argv,
                                      llvm::StringRef toolName,
                                      DialectRegistry &registry) {
  registerMemoryReportCLOptions();
  auto [inputFilename, outputFilename] =
      registerAndParseCLIOptions(argc, argv, toolName, registry);
  // After parsing: a registered pass is also a flag of the same name.
  registerCkptMemoryReport();
  // The pipeline from the command line, inside the report when asked for.
  MlirOptMainConfig config = MlirOptMainConfig::createFromCLOptions();
  MlirOptMainConfig pipeline = config;
  config.setPassPipelineSetupFn([pipeline](PassManager &pm) {
    if (failed(pipeline.setupPassPipeline(pm)))
      return failure();
    // --dump-pass-pipeline has shown the command line's pipeline; show
    // what runs too.
    if (applyMemoryReportCLOptions(pm) && pipeline.shouldDumpPassPipeline()) {
      pm.dump();
      llvm::errs() << "\n";
    }
    pm.addInstrumentation(std::make_unique<FlushDiagnostics>());
    return success();
  });
  // Diagnostics are buffered (see FlushDiagnostics); a crash flushes them
  // before its stack trace.
  llvm::errs().SetBuffered();
  llvm::sys::AddSignalHandler([](void *) { llvm::errs().flush(); }, nullptr);

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &errorMessage);
  std::unique_ptr<llvm::ToolOutputFile> output =
      file ? openOutputFile(outputFilename, &errorMessage) : nullptr;
  if (!file || !output) {
    llvm::errs() << errorMessage << "\n";
    return failure();
  }
  LogicalResult result =
      MlirOptMain(output->os(), std::move(file), registry, config);
  llvm::errs().flush();
  if (failed(result))
    return failure();
  output->keep();
  return success();
}
