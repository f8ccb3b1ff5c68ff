//===- MemoryReportPass.cpp - the ckpt-memory-report pass -------*- C++ -*-===//
//
// Takes the figures of the memory/cost report (rationale §5) before and
// after a nested pipeline and writes them as text, JSON and SVG.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Tools/Passes.h"

#include "ckpt/Analysis/MemoryReport.h"
#include "ckpt/Tools/MemoryReportPrinters.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/DebugLog.h"
#include "llvm/Support/ToolOutputFile.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTMEMORYREPORT
#include "ckpt/Tools/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-memory-report"

/// Writes what `print` prints to `path` ('-' is stdout), nothing when the
/// path is empty. Emits an error at `loc` and fails when the file cannot be
/// opened or written; a file that was not written completely is removed.
static LogicalResult
writeReportFile(Location loc, StringRef path, StringRef what,
                llvm::function_ref<void(llvm::raw_ostream &)> print) {
  if (path.empty())
    return success();
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &message);
  if (!file)
    return emitError(loc) << "cannot write the memory report " << what << ": "
                          << message;
  print(file->os());
  file->os().flush();
  if (std::error_code error = file->os().error()) {
    file->os().clear_error();
    return emitError(loc) << "cannot write the memory report " << what
                          << " to '" << path << "': " << error.message();
  }
  file->keep();
  return success();
}

namespace {
struct CkptMemoryReportPass
    : public ckpt::impl::CkptMemoryReportBase<CkptMemoryReportPass> {
  CkptMemoryReportPass() = default;
  CkptMemoryReportPass(const CkptMemoryReportPass &) = default;

  /// Options set in C++ (`createCkptMemoryReport(options)`): the pipeline
  /// string is parsed here; an error is reported when the pass runs.
  explicit CkptMemoryReportPass(CkptMemoryReportOptions options)
      : CkptMemoryReportBase(std::move(options)) {
    std::string error;
    if (failed(parseNestedPipeline(error)))
      pipelineError = error;
  }

  /// A pipeline given as a pass manager; the option shows it as text.
  CkptMemoryReportPass(OpPassManager nested, CkptMemoryReportOptions options)
      : CkptMemoryReportBase(std::move(options)),
        nestedPipeline(std::move(nested)) {
    std::string text;
    llvm::raw_string_ostream os(text);
    llvm::interleave(
        nestedPipeline.getPasses(),
        [&](Pass &pass) { pass.printAsTextualPipeline(os); },
        [&] { os << ","; });
    pipeline = text;
  }

  LogicalResult initializeOptions(
      StringRef options,
      function_ref<LogicalResult(const Twine &)> errorHandler) override {
    if (failed(CkptMemoryReportBase::initializeOptions(options, errorHandler)))
      return failure();
    std::string error;
    if (failed(parseNestedPipeline(error)))
      return errorHandler(error);
    pipelineError.clear();
    return success();
  }

  void getDependentDialects(DialectRegistry &registry) const override {
    nestedPipeline.getDependentDialects(registry);
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (!pipelineError.empty()) {
      emitError(module.getLoc()) << pipelineError;
      return signalPassFailure();
    }
    if (dynamicDimSize < 0) {
      emitError(module.getLoc())
          << "invalid 'dynamic-dim-size' " << int64_t(dynamicDimSize)
          << ": expected a number of elements (0 or more)";
      return signalPassFailure();
    }
    CostModelOptions cost;
    cost.dynamicDimSize = int64_t(dynamicDimSize);
    std::vector<FunctionReport> before = buildMemoryReport(module, cost);
    if (failed(runPipeline(nestedPipeline, module)))
      return signalPassFailure();
    std::vector<FunctionReport> after = buildMemoryReport(module, cost);
    LDBG() << before.size() << " functions before, " << after.size()
           << " after";

    if (text)
      printMemoryReport(llvm::errs(), before, after, cost);
    // Both files are attempted, so that each failure is reported.
    bool written =
        succeeded(writeReportFile(module.getLoc(), jsonPath, "as JSON",
                                  [&](llvm::raw_ostream &os) {
                                    printMemoryReportJSON(os, before, after,
                                                          cost);
                                  })) &
        succeeded(writeReportFile(module.getLoc(), svgPath, "as SVG",
                                  [&](llvm::raw_ostream &os) {
                                    printMemoryReportSVG(os, before, after);
                                  }));
    if (!written)
      return signalPassFailure();
    if (nestedPipeline.empty())
      markAllAnalysesPreserved();
  }

private:
  /// Parses the `pipeline` option into `nestedPipeline` (on the module).
  LogicalResult parseNestedPipeline(std::string &error) {
    nestedPipeline = OpPassManager(ModuleOp::getOperationName());
    llvm::raw_string_ostream os(error);
    if (succeeded(parsePassPipeline(pipeline, nestedPipeline, os)))
      return success();
    error = "invalid 'pipeline' of ckpt-memory-report: '" + pipeline +
            "': " + StringRef(error).trim().str();
    return failure();
  }

  OpPassManager nestedPipeline{ModuleOp::getOperationName()};
  /// Why the pipeline set in C++ did not parse (empty: it did).
  std::string pipelineError;
};
} // namespace

std::unique_ptr<Pass>
mlir::ckpt::createCkptMemoryReport(OpPassManager pipeline,
                                   const CkptMemoryReportOptions &options) {
  return std::make_unique<CkptMemoryReportPass>(std::move(pipeline), options);
}
