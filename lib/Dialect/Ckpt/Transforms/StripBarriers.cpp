//===- StripBarriers.cpp - remove ckpt barriers and traces ------*- C++ -*-===//
//
// ckpt-strip-barriers: after bufferization, barriers, location traces and
// the ckpt.* attributes go, so no annotation reaches LLVM (rationale §6).
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
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
  void runOnOperation() override {
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
    });
    LDBG() << "removing " << barriers.size() << " barriers";
    for (BarrierOp barrier : barriers) {
      barrier->replaceAllUsesWith(barrier.getInputs());
      barrier->erase();
    }
  }
};
} // namespace
