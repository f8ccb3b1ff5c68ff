//===- MemoryReportInstrumentation.cpp - the report over a pipeline -------===//
//
// Takes the figures of the memory/cost report before and after the passes
// of a pass manager and writes them out, and the command-line options of
// `ckpt-opt` that ask for it.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Tools/MemoryReportInstrumentation.h"

#include "ckpt/Tools/MemoryReportPrinters.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/ManagedStatic.h"

using namespace mlir;
using namespace mlir::ckpt;

namespace {
class MemoryReportInstrumentation : public PassInstrumentation {
public:
  explicit MemoryReportInstrumentation(const MemoryReportOptions &options)
      : options(options) {}

  void runBeforePass(Pass *, Operation *op) override {
    auto module = dyn_cast<ModuleOp>(op);
    if (!module || module->getParentOp() || before)
      return;
    before = buildMemoryReport(module, options.cost);
  }
  void runAfterPass(Pass *, Operation *op) override {
    auto module = dyn_cast<ModuleOp>(op);
    if (!module || module->getParentOp())
      return;
    after = buildMemoryReport(module, options.cost);
  }
  void runAfterPassFailed(Pass *, Operation *) override { passFailed = true; }

  ~MemoryReportInstrumentation() override {
    if (passFailed || !before || !after)
      return;
    if (options.text)
      printMemoryReport(llvm::errs(), *before, *after, options.cost);
    writeFile(options.jsonPath, [&](llvm::raw_ostream &os) {
      printMemoryReportJSON(os, *before, *after, options.cost);
    });
    writeFile(options.svgPath, [&](llvm::raw_ostream &os) {
      printMemoryReportSVG(os, *before, *after);
    });
  }

private:
  void writeFile(StringRef path,
                 llvm::function_ref<void(llvm::raw_ostream &)> write) {
    if (path.empty())
      return;
    std::error_code error;
    llvm::raw_fd_ostream os(path, error, llvm::sys::fs::OF_Text);
    if (error) {
      llvm::errs() << "error: cannot write the memory report to '" << path
                   << "': " << error.message() << "\n";
      return;
    }
    write(os);
  }

  MemoryReportOptions options;
  std::optional<std::vector<FunctionReport>> before, after;
  bool passFailed = false;
};
} // namespace

std::unique_ptr<PassInstrumentation>
mlir::ckpt::createMemoryReportInstrumentation(
    const MemoryReportOptions &options) {
  return std::make_unique<MemoryReportInstrumentation>(options);
}

//===----------------------------------------------------------------------===//
// Command-line options
//===----------------------------------------------------------------------===//

namespace {
/// The options of `ckpt-opt` that ask for the report, constructed (and so
/// registered with LLVM's command line) by `registerMemoryReportCLOptions`.
struct MemoryReportCLOptions {
  llvm::cl::OptionCategory category{
      "ckpt memory/cost report",
      "Peak live bytes, saved bytes and FLOPs before and after the pipeline"};
  llvm::cl::opt<bool> text{
      "ckpt-memory-report",
      llvm::cl::desc("Print, per public function, the memory/cost report "
                     "before and after the pipeline (to stderr)"),
      llvm::cl::init(false), llvm::cl::cat(category)};
  llvm::cl::opt<std::string> json{
      "ckpt-memory-report-json",
      llvm::cl::desc("Write the memory/cost report as JSON to this file"),
      llvm::cl::value_desc("path"), llvm::cl::init(""),
      llvm::cl::cat(category)};
  llvm::cl::opt<std::string> svg{
      "ckpt-memory-report-svg",
      llvm::cl::desc("Write an SVG plot of live bytes over the schedule, "
                     "before and after, to this file"),
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

void mlir::ckpt::applyMemoryReportCLOptions(PassManager &pm) {
  if (!clOptions.isConstructed())
    return;
  if (!clOptions->text && clOptions->json.empty() && clOptions->svg.empty())
    return;
  MemoryReportOptions options;
  options.cost.dynamicDimSize = clOptions->dynamicDimSize;
  options.text = clOptions->text;
  options.jsonPath = clOptions->json;
  options.svgPath = clOptions->svg;
  pm.addInstrumentation(createMemoryReportInstrumentation(options));
}
