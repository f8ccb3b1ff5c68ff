//===- DecomposeAggregateOps.cpp - linalg.softmax and friends -------------===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTDECOMPOSEAGGREGATEOPS
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-decompose-aggregate-ops"

namespace {
struct CkptDecomposeAggregateOpsPass
    : public ckpt::impl::CkptDecomposeAggregateOpsBase<
          CkptDecomposeAggregateOpsPass> {
  void runOnOperation() override {
    IRRewriter rewriter(&getContext());
    // A decomposition may build other aggregate ops: repeat until none is
    // left (bounded, in case an op decomposes into itself).
    for (int round = 0; round < 8; ++round) {
      SmallVector<linalg::AggregatedOpInterface> ops;
      getOperation()->walk(
          [&](linalg::AggregatedOpInterface op) { ops.push_back(op); });
      if (ops.empty())
        return;
      for (linalg::AggregatedOpInterface op : ops) {
        rewriter.setInsertionPoint(op);
        FailureOr<SmallVector<Value>> values = op.decomposeOperation(rewriter);
        if (failed(values) || values->size() != op->getNumResults()) {
          op->emitError("cannot decompose this aggregate op into linalg ops");
          return signalPassFailure();
        }
        LDBG() << "decomposed " << op->getName();
        rewriter.replaceOp(op, *values);
      }
    }
    getOperation()->walk([&](linalg::AggregatedOpInterface op) {
      op->emitError("still an aggregate op after decomposing 8 times");
      signalPassFailure();
    });
  }
};
} // namespace
