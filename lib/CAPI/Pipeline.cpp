//===- Pipeline.cpp - one call from text to text ----------------*- C++ -*-===//
//
// ckptRunPipeline: parse, run a textual pipeline, print; diagnostics are
// collected as mlir-opt prints them.
//
//===----------------------------------------------------------------------===//

#include "ckpt-c/Pipeline.h"

#include "ckpt-c/Registration.h"
#include "ckpt/InitAllCkpt.h"
#include "mlir/CAPI/Support.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdlib>
#include <cstring>
#include <mutex>

using namespace mlir;

/// A NUL-terminated malloc'ed copy of `text` (freed by
/// ckptPipelineResultDestroy).
static MlirStringRef copyString(StringRef text) {
  char *data = static_cast<char *>(std::malloc(text.size() + 1));
  std::memcpy(data, text.data(), text.size());
  data[text.size()] = '\0';
  return mlirStringRefCreate(data, text.size());
}

/// Every upstream pass (for names such as `cse` in a pipeline) and every
/// ckpt pass, once per process.
static void registerAllPassesOnce() {
  static std::once_flag once;
  std::call_once(once, [] { registerAllPasses(); });
  ckptRegisterPasses();
}

/// Runs the pipeline; diagnostics go to the handler of `context`.
static LogicalResult runPipeline(MLIRContext &context,
                                 llvm::SourceMgr &sourceMgr, StringRef pipeline,
                                 std::string &output,
                                 llvm::raw_ostream &diagnostics) {
  OwningOpRef<ModuleOp> module =
      parseSourceFile<ModuleOp>(sourceMgr, ParserConfig(&context));
  if (!module)
    return failure();
  // The passes alone are run on the module, as inside builtin.module(...).
  pipeline = pipeline.trim();
  std::string anchored = pipeline.starts_with("builtin.module(")
                             ? pipeline.str()
                             : "builtin.module(" + pipeline.str() + ")";
  FailureOr<OpPassManager> parsed = parsePassPipeline(anchored, diagnostics);
  if (failed(parsed))
    return failure();
  PassManager pm(&context, ModuleOp::getOperationName());
  static_cast<OpPassManager &>(pm) = std::move(*parsed);
  if (failed(pm.run(*module)))
    return failure();
  llvm::raw_string_ostream os(output);
  module->print(os);
  os << "\n";
  return success();
}

CkptPipelineResult ckptRunPipeline(MlirStringRef module,
                                   MlirStringRef pipeline) {
  registerAllPassesOnce();
  DialectRegistry registry;
  registerAllDialects(registry);
  registerAllExtensions(registry);
  // gpu-module-to-binary (ckpt-lower-to-nvvm) translates to LLVM IR.
  registerAllToLLVMIRTranslations(registry);
  ckpt::registerAllCkptDialects(registry);
  MLIRContext context(registry);

  std::string diagnostics, output;
  llvm::raw_string_ostream diagnosticsOS(diagnostics);
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(unwrap(module), "<input>"),
      llvm::SMLoc());
  SourceMgrDiagnosticHandler handler(sourceMgr, &context, diagnosticsOS);

  bool ran = succeeded(
      runPipeline(context, sourceMgr, unwrap(pipeline), output, diagnosticsOS));
  if (!ran)
    output.clear();
  return {ran, copyString(output), copyString(diagnostics)};
}

void ckptPipelineResultDestroy(CkptPipelineResult *result) {
  std::free(const_cast<char *>(result->output.data));
  std::free(const_cast<char *>(result->diagnostics.data));
  *result = {false, mlirStringRefCreate(nullptr, 0),
             mlirStringRefCreate(nullptr, 0)};
}
