//===- StripBarriers.cpp - remove ckpt barriers and traces ------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTSTRIPBARRIERS
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

namespace {
struct CkptStripBarriersPass
    : public ckpt::impl::CkptStripBarriersBase<CkptStripBarriersPass> {
  void runOnOperation() override {
    SmallVector<BarrierOp> barriers;
    getOperation()->walk([&](Operation *op) {
      if (auto barrier = dyn_cast<BarrierOp>(op))
        barriers.push_back(barrier);
      op->setLoc(stripRegionTrace(op->getLoc()));
    });
    for (BarrierOp barrier : barriers) {
      barrier->replaceAllUsesWith(barrier.getInputs());
      barrier->erase();
    }
  }
};
} // namespace
