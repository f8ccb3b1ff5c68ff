//===- ElementwiseToLinalg.cpp - tensor arith/math into fresh buffers -----===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTELEMENTWISETOLINALG
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-elementwise-to-linalg"

namespace {
/// Elementwise-mappable ops on ranked tensors: what upstream's
/// convert-elementwise-to-linalg rewrites.
bool isElementwiseOnTensors(Operation *op) {
  return OpTrait::hasElementwiseMappableTraits(op) &&
         llvm::any_of(op->getOperandTypes(), llvm::IsaPred<RankedTensorType>);
}

struct CkptElementwiseToLinalgPass
    : public ckpt::impl::CkptElementwiseToLinalgBase<
          CkptElementwiseToLinalgPass> {
  void runOnOperation() override {
    Operation *root = getOperation();
    llvm::DenseSet<Operation *> existing;
    root->walk([&](linalg::GenericOp op) { existing.insert(op); });

    // Upstream's patterns, applied as its pass applies them.
    MLIRContext *context = &getContext();
    ConversionTarget target(*context);
    RewritePatternSet patterns(context);
    linalg::populateElementwiseToLinalgConversionPatterns(patterns);
    target.markUnknownOpDynamicallyLegal(
        [](Operation *op) { return !isElementwiseOnTensors(op); });
    if (failed(applyPartialConversion(root, target, std::move(patterns))))
      return signalPassFailure();
    LDBG() << "elementwise ops on tensors converted to linalg.generic";

    // The generics just built use an input as their init (for its shape
    // only: the body never reads it). Bufferized, that writes the result
    // over the input, including a function argument of the caller. Give
    // each its own tensor.empty instead: one buffer per value, the model
    // of the memory report (rationale §5).
    IRRewriter rewriter(context);
    root->walk([&](linalg::GenericOp op) {
      if (existing.contains(op))
        return;
      for (OpOperand &init : op.getDpsInitsMutable()) {
        if (op.payloadUsesValueFromOperand(&init))
          continue;
        Value value = init.get();
        if (value.getDefiningOp<tensor::EmptyOp>())
          continue;
        rewriter.setInsertionPoint(op);
        SmallVector<OpFoldResult> sizes =
            tensor::getMixedSizes(rewriter, op.getLoc(), value);
        Value empty = tensor::EmptyOp::create(
            rewriter, op.getLoc(), sizes,
            cast<RankedTensorType>(value.getType()).getElementType());
        rewriter.modifyOpInPlace(op, [&] { init.set(empty); });
      }
    });
  }
};
} // namespace
