//===- MemoryReportCLOptions.cpp - ckpt-opt's report flags ----------------===//
//
// The command-line options of `ckpt-opt` that ask for the memory/cost
// report, applied by wrapping the command line's pipeline in the
// `ckpt-memory-report` pass.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Tools/MemoryReportCLOptions.h"

#include "ckpt/Tools/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ManagedStatic.h"

using namespace mlir;
using namespace mlir::ckpt;

namespace {
/// The options of `ckpt-opt` that ask for the report, constructed (and so
/// registered with LLVM's command line) by `registerMemoryReportCLOptions`.
struct MemoryReportCLOptions {
  llvm::cl::OptionCategory category{
      "ckpt memory/cost report",
      "Peak live bytes, saved bytes and FLOPs before and after the pipeline "
      "(the ckpt-memory-report pass around the pipeline)"};
  llvm::cl::opt<bool> text{
      "ckpt-memory-report",
      llvm::cl::desc("Print, per public function, the memory/cost report "
                     "before and after the pipeline (to stderr)"),
      llvm::cl::init(false), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> json{
      "ckpt-memory-report-json",
      llvm::cl::desc("Write the memory/cost report as JSON to this file "
                     "('-': stdout)"),
      llvm::cl::value_desc("path"), llvm::cl::init(""),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> svg{
      "ckpt-memory-report-svg",
      llvm::cl::desc("Write an SVG plot of live bytes over the schedule, "
                     "before and after, to this file ('-': stdout)"),
      llvm::cl::value_desc("path"), llvm::cl::init(""),
      llvm::cl::cat(category)};
  llvm::cl::opt<int64_t> dynamicDimSize{
      "ckpt-dynamic-dim-size",
      llvm::cl::desc("Elements assumed for each dynamic dimension in the "
                     "report (default 1)"),
      llvm::cl::init(1), llvm::cl::cat(category)};
};
llvm::ManagedStatic<MemoryReportCLOptions> clOptions;
} // namespace

void mlir::ckpt::registerMemoryReportCLOptions() {
  // Constructing the options registers them.
  *clOptions;
}

bool mlir::ckpt::applyMemoryReportCLOptions(OpPassManager &pm) {
  if (!clOptions.isConstructed())
    return false;
  if (!clOptions->text && clOptions->json.empty() && clOptions->svg.empty())
    return false;
  CkptMemoryReportOptions options;
  options.text = clOptions->text;
  options.jsonPath = clOptions->json;
  options.svgPath = clOptions->svg;
  options.dynamicDimSize = clOptions->dynamicDimSize;
  // The copy clones the passes, with their options.
  OpPassManager pipeline = pm;
  pm.clear();
  pm.addPass(createCkptMemoryReport(std::move(pipeline), options));
  return true;
}
