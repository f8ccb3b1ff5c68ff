//===- BufferizableOpInterfaceImpl.cpp - bufferizing ckpt ops ---*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/Transforms/BufferizableOpInterfaceImpl.h"

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::ckpt;

namespace {
/// The `tensor.empty` a barrier input comes from, if any. Its contents are
/// undefined, so the barrier may hand the recompute a fresh buffer instead
/// of the forward's: the forward's buffer then dies in the forward.
/// One-Shot Bufferize turns `tensor.empty` into `bufferization.alloc_tensor`
/// (without `copy`) before it bufferizes; both mean undefined contents.
/// Returns the dynamic sizes of such a source, or failure if the input is
/// something else.
FailureOr<ValueRange> getEmptySource(BarrierOp barrier, unsigned index) {
  if (index >= barrier.getInputs().size())
    return failure();
  Value input = barrier.getInputs()[index];
  if (auto empty = input.getDefiningOp<tensor::EmptyOp>())
    return ValueRange(empty.getDynamicSizes());
  if (auto alloc = input.getDefiningOp<bufferization::AllocTensorOp>())
    if (!alloc.getCopy())
      return ValueRange(alloc.getDynamicSizes());
  return failure();
}

struct BarrierOpInterface
    : public BufferizableOpInterface::ExternalModel<BarrierOpInterface,
                                                    BarrierOp> {
  bool bufferizesToMemoryRead(Operation *, OpOperand &,
                              const AnalysisState &) const {
    return false;
  }
  bool bufferizesToMemoryWrite(Operation *, OpOperand &,
                               const AnalysisState &) const {
    return false;
  }
  AliasingValueList getAliasingValues(Operation *op, OpOperand &operand,
                                      const AnalysisState &) const {
    auto barrier = cast<BarrierOp>(op);
    unsigned index = operand.getOperandNumber();
    if (index >= barrier.getInputs().size() ||
        succeeded(getEmptySource(barrier, index)))
      return {}; // the ordering operand, or an empty tensor (see above)
    return {{op->getResult(index), BufferRelation::Equivalent,
             /*isDefinite=*/true}};
  }
  bool bufferizesToAllocation(Operation *op, Value value) const {
    auto result = dyn_cast<OpResult>(value);
    return result && succeeded(getEmptySource(cast<BarrierOp>(op),
                                              result.getResultNumber()));
  }
  FailureOr<BufferLikeType>
  getBufferType(Operation *op, Value value, const BufferizationOptions &options,
                const BufferizationState &state,
                SmallVector<Value> &invocationStack) const {
    auto barrier = cast<BarrierOp>(op);
    unsigned index = cast<OpResult>(value).getResultNumber();
    Value input = barrier.getInputs()[index];
    if (succeeded(getEmptySource(barrier, index)))
      return cast<BufferLikeType>(getMemRefTypeWithStaticIdentityLayout(
          cast<TensorType>(input.getType())));
    return bufferization::getBufferType(input, options, state, invocationStack);
  }
  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto barrier = cast<BarrierOp>(op);
    auto toBuffer = [&](Value value) -> FailureOr<Value> {
      if (!isa<TensorType>(value.getType()))
        return value;
      return getBuffer(rewriter, value, options, state);
    };
    SmallVector<Value> inputs;
    for (auto [index, input] : llvm::enumerate(barrier.getInputs())) {
      if (FailureOr<ValueRange> sizes = getEmptySource(barrier, index);
          succeeded(sizes)) {
        auto type = cast<MemRefType>(getMemRefTypeWithStaticIdentityLayout(
            cast<TensorType>(input.getType())));
        rewriter.setInsertionPoint(op);
        FailureOr<Value> fresh =
            options.createAlloc(rewriter, op->getLoc(), type, *sizes);
        if (failed(fresh))
          return failure();
        inputs.push_back(*fresh);
        continue;
      }
      FailureOr<Value> buffer = toBuffer(input);
      if (failed(buffer))
        return failure();
      inputs.push_back(*buffer);
    }
    Value order;
    if (Value oldOrder = barrier.getOrder()) {
      FailureOr<Value> buffer = toBuffer(oldOrder);
      if (failed(buffer))
        return failure();
      order = *buffer;
    }
    rewriter.setInsertionPoint(op);
    auto bufferized = BarrierOp::create(rewriter, op->getLoc(), inputs, order);
    replaceOpWithBufferizedValues(rewriter, op, bufferized.getResults());
    return success();
  }
};
} // namespace

void mlir::ckpt::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, CkptDialect *) {
    BarrierOp::attachInterface<BarrierOpInterface>(*ctx);
  });
}
