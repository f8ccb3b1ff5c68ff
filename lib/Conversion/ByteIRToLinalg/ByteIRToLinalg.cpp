//===- ByteIRToLinalg.cpp - rewrite ByteIR kernel calls into linalg -------===//
//
// The module-level driver (check every call, then rewrite, then clean up)
// and the dispatch to the per-family rewrites.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Conversion/ByteIRToLinalg/ByteIRToLinalg.h"

#include "KernelRewrites.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/DebugLog.h"

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-convert-byteir-kernels"

LogicalResult
mlir::ckpt::rewriteLibraryKernelCall(RewriterBase &rewriter, Operation *call,
                                     const LibraryKernel &kernel,
                                     const ByteIRToLinalgOptions &options) {
  switch (kernel.kind) {
  case LibraryKernelKind::Conv:
    return byteir::rewriteConv(rewriter, call, kernel);
  case LibraryKernelKind::ConvBackwardData:
    return byteir::rewriteConvBackwardData(rewriter, call, kernel);
  case LibraryKernelKind::ConvBackwardFilter:
    return byteir::rewriteConvBackwardFilter(rewriter, call, kernel);
  case LibraryKernelKind::BatchNormTraining:
    return byteir::rewriteBatchNormTraining(rewriter, call, kernel, options);
  case LibraryKernelKind::BatchNormGrad:
    return byteir::rewriteBatchNormGrad(rewriter, call, kernel);
  case LibraryKernelKind::PoolMax:
    return byteir::rewritePoolMax(rewriter, call, kernel);
  case LibraryKernelKind::PoolMaxGrad:
    return byteir::rewritePoolMaxGrad(rewriter, call, kernel);
  case LibraryKernelKind::Matmul:
    return byteir::rewriteMatmul(rewriter, call, kernel);
  case LibraryKernelKind::ReduceSum:
  case LibraryKernelKind::ReduceMax:
    return byteir::rewriteReduce(rewriter, call, kernel);
  case LibraryKernelKind::Transpose:
    return byteir::rewriteTranspose(rewriter, call, kernel);
  }
  return call->emitError() << "no rewrite for ByteIR kernel '"
                           << kernel.computeName << "'";
}

namespace {
/// A kernel call accepted by the check, with its callee.
struct KernelCall {
  func::CallOp call;
  func::FuncOp callee;
  LibraryKernel kernel;
};
} // namespace

LogicalResult
mlir::ckpt::convertByteIRKernels(RewriterBase &rewriter, ModuleOp module,
                                 const ByteIRToLinalgOptions &options,
                                 int64_t *numRewritten) {
  // Check every call before the first change (so that a refusal leaves the
  // module as it was).
  SymbolTableCollection symbols;
  std::vector<KernelCall> calls;
  bool valid = true;
  module.walk([&](func::CallOp call) {
    std::optional<StringRef> name = getByreComputeName(call);
    if (!name)
      return;
    auto callee = dyn_cast_if_present<func::FuncOp>(
        symbols.lookupNearestSymbolFrom(call, call.getCalleeAttr()));
    if (!callee || !callee.isExternal()) {
      call.emitError() << "ByteIR kernel '" << *name
                       << "': the callee must be an external declaration "
                          "(the kernel's body would be ambiguous)";
      valid = false;
      return;
    }
    // The rewrite replaces the call and may erase the declaration: a ckpt
    // annotation on either would be lost without a word.
    for (Operation *annotated : {call.getOperation(), callee.getOperation()})
      for (NamedAttribute attr : annotated->getDiscardableAttrs())
        if (attr.getName().getValue().starts_with("ckpt.")) {
          call.emitError() << "ByteIR kernel '" << *name << "': "
                           << (annotated == call ? "the call" : "its callee")
                           << " carries '" << attr.getName().getValue()
                           << "', which the rewrite would drop; convert the "
                              "kernels before annotating";
          valid = false;
          return;
        }
    FailureOr<LibraryKernel> kernel =
        matchLibraryKernel(call, /*emitErrors=*/true);
    if (failed(kernel)) {
      valid = false;
      return;
    }
    calls.push_back({call, callee, std::move(*kernel)});
  });
  if (!valid)
    return failure();
  LDBG() << "rewriting " << calls.size() << " ByteIR kernel calls";

  llvm::SetVector<Operation *> destinations;
  llvm::SetVector<Operation *> callees;
  for (KernelCall &entry : calls) {
    for (Value destination :
         entry.call.getOperands().drop_front(entry.kernel.spec->numInputs))
      if (auto empty = destination.getDefiningOp<tensor::EmptyOp>())
        destinations.insert(empty);
    callees.insert(entry.callee);
    if (failed(rewriteLibraryKernelCall(rewriter, entry.call, entry.kernel,
                                        options)))
      return failure();
  }
  // The destinations were only the kernels' output buffers.
  for (Operation *empty : destinations)
    if (empty->use_empty())
      rewriter.eraseOp(empty);
  for (Operation *callee : callees)
    if (cast<func::FuncOp>(callee).isPrivate() &&
        SymbolTable::symbolKnownUseEmpty(callee, module))
      rewriter.eraseOp(callee);
  if (numRewritten)
    *numRewritten = static_cast<int64_t>(calls.size());
  return success();
}
