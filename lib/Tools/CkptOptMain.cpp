//===- CkptOptMain.cpp - the main of ckpt-opt -------------------*- C++ -*-===//

#include "ckpt/Tools/CkptOptMain.h"

#include "ckpt/Tools/MemoryReportCLOptions.h"
#include "ckpt/Tools/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

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
    return success();
  });

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      openInputFile(inputFilename, &errorMessage);
  std::unique_ptr<llvm::ToolOutputFile> output =
      file ? openOutputFile(outputFilename, &errorMessage) : nullptr;
  if (!file || !output) {
    llvm::errs() << errorMessage << "\n";
    return failure();
  }
  if (failed(MlirOptMain(output->os(), std::move(file), registry, config)))
    return failure();
  output->keep();
  return success();
}
