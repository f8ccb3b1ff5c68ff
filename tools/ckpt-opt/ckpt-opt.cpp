//===- ckpt-opt.cpp - the ckpt driver ---------------------------*- C++ -*-===//
//
// An mlir-opt with the upstream dialects, extensions and passes plus
// everything in ckpt, and the memory/cost report over the pipeline it runs.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/MemoryReport.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/BufferizableOpInterfaceImpl.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::ckpt::test {
void registerTestPasses();
} // namespace mlir::ckpt::test

namespace {
llvm::cl::OptionCategory reportCategory(
    "ckpt memory/cost report",
    "Peak live bytes, saved bytes and FLOPs before and after the pipeline");
llvm::cl::opt<bool> memoryReport(
    "ckpt-memory-report",
    llvm::cl::desc("Print, per public function, the memory/cost report "
                   "before and after the pipeline (to stderr)"),
    llvm::cl::init(false), llvm::cl::cat(reportCategory));
llvm::cl::opt<std::string> memoryReportJson(
    "ckpt-memory-report-json",
    llvm::cl::desc("Write the memory/cost report as JSON to this file"),
    llvm::cl::value_desc("path"), llvm::cl::init(""),
    llvm::cl::cat(reportCategory));
llvm::cl::opt<std::string> memoryReportSvg(
    "ckpt-memory-report-svg",
    llvm::cl::desc("Write an SVG plot of live bytes over the schedule, "
                   "before and after, to this file"),
    llvm::cl::value_desc("path"), llvm::cl::init(""),
    llvm::cl::cat(reportCategory));
llvm::cl::opt<int64_t> dynamicDimSize(
    "ckpt-dynamic-dim-size",
    llvm::cl::desc("Elements assumed for each dynamic dimension in the "
                   "report (default 1)"),
    llvm::cl::init(1), llvm::cl::cat(reportCategory));
} // namespace

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mlir::ckpt::registerCkptPasses();
  mlir::ckpt::registerCkptPipelines();
  mlir::ckpt::test::registerTestPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary translates kernels to LLVM IR and PTX.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<mlir::ckpt::CkptDialect>();
  mlir::ckpt::registerBufferizableOpInterfaceExternalModels(registry);

  auto [inputFilename, outputFilename] = mlir::registerAndParseCLIOptions(
      argc, argv, "ckpt: activation checkpointing for MLIR training graphs\n",
      registry);

  // The pipeline from the command line, plus the report's instrumentation.
  mlir::MlirOptMainConfig config = mlir::MlirOptMainConfig::createFromCLOptions();
  mlir::MlirOptMainConfig pipeline = config;
  config.setPassPipelineSetupFn([pipeline](mlir::PassManager &pm) {
    if (mlir::failed(pipeline.setupPassPipeline(pm)))
      return mlir::failure();
    if (memoryReport || !memoryReportJson.empty() ||
        !memoryReportSvg.empty()) {
      mlir::ckpt::MemoryReportOptions options;
      options.cost.dynamicDimSize = dynamicDimSize;
      options.text = memoryReport;
      options.jsonPath = memoryReportJson;
      options.svgPath = memoryReportSvg;
      pm.addInstrumentation(
          mlir::ckpt::createMemoryReportInstrumentation(options));
    }
    return mlir::success();
  });

  std::string errorMessage;
  std::unique_ptr<llvm::MemoryBuffer> file =
      mlir::openInputFile(inputFilename, &errorMessage);
  if (!file) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  std::unique_ptr<llvm::ToolOutputFile> output =
      mlir::openOutputFile(outputFilename, &errorMessage);
  if (!output) {
    llvm::errs() << errorMessage << "\n";
    return 1;
  }
  if (mlir::failed(mlir::MlirOptMain(output->os(), std::move(file), registry,
                                     config)))
    return 1;
  output->keep();
  return 0;
}
