//===- StripBarriers.cpp - remove ckpt barriers and traces ------*- C++ -*-===//
//
// ckpt-strip-barriers: after bufferization, barriers, location traces and
// the ckpt.* attributes go, so no annotation reaches LLVM (rationale §6).
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTSTRIPBARRIERS
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-strip-barriers"

namespace {
struct CkptStripBarriersPass
    : public ckpt::impl::CkptStripBarriersBase<CkptStripBarriersPass> {
  using Base::Base;

  void runOnOperation() override {
    if (!allowTensors) {
      bool onTensors = false;
      getOperation()->walk([&](BarrierOp barrier) {
        if (llvm::any_of(barrier->getOperandTypes(),
                         [](Type type) { return isa<TensorType>(type); })) {
          barrier.emitError()
              << "'ckpt.barrier' on tensors: stripping it before "
                 "bufferization lets cse fold the recompute back into the "
                 "forward, and removes the traces ckpt-verify reads; "
                 "bufferize first (ckpt-lower-to-cpu does), or pass "
                 "'allow-tensors'";
          onTensors = true;
          return WalkResult::interrupt();
        }
        return WalkResult::advance();
      });
      if (onTensors)
        return signalPassFailure();
    }
    SmallVector<BarrierOp> barriers;
    getOperation()->walk([&](Operation *op) {
      if (auto barrier = dyn_cast<BarrierOp>(op))
        barriers.push_back(barrier);
      op->setLoc(stripRegionTrace(op->getLoc()));
      // Discardable ckpt.* attributes (ckpt.forward_results, the split-form
      // pair) describe the training graph, not the code.
      for (NamedAttribute attr : llvm::to_vector(op->getDiscardableAttrs()))
        if (attr.getName().getValue().starts_with("ckpt."))
          op->removeDiscardableAttr(attr.getName());
      // And the argument attributes (ckpt.shard_dim, ckpt.input_range),
      // which only the runner reads.
      if (auto func = dyn_cast<FunctionOpInterface>(op))
        for (unsigned i = 0, e = func.getNumArguments(); i < e; ++i)
          for (NamedAttribute attr : llvm::to_vector(func.getArgAttrs(i)))
            if (attr.getName().getValue().starts_with("ckpt."))
              func.removeArgAttr(i, attr.getName());
    });
    LDBG() << "removing " << barriers.size() << " barriers";
    for (BarrierOp barrier : barriers) {
      barrier->replaceAllUsesWith(barrier.getInputs());
      barrier->erase();
    }
  }
};
} // namespace
