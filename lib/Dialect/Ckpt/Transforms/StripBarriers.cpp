//===- StripBarriers.cpp - remove ckpt barriers and traces ------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTDROPANNOTATIONS
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
      // Discardable ckpt.* attributes (ckpt.forward_results, the split-form
      // pair) describe the training graph, not the code.
      for (NamedAttribute attr : llvm::to_vector(op->getDiscardableAttrs()))
        if (attr.getName().getValue().starts_with("ckpt."))
          op->removeDiscardableAttr(attr.getName());
    });
    for (BarrierOp barrier : barriers) {
      barrier->replaceAllUsesWith(barrier.getInputs());
      barrier->erase();
    }
  }
};

struct CkptDropAnnotationsPass
    : public ckpt::impl::CkptDropAnnotationsBase<CkptDropAnnotationsPass> {
  void runOnOperation() override {
    SmallVector<CheckpointOp> regions;
    getOperation()->walk<WalkOrder::PreOrder>(
        [&](CheckpointOp region) { regions.push_back(region); });
    // Outer regions first; inlining moves inner ones, it does not erase them.
    for (CheckpointOp region : regions)
      inlineRegion(region);
    // The annotation is a discardable attribute; the name is uniqued once.
    auto name = StringAttr::get(&getContext(),
                                CkptDialect::getCheckpointAttrName());
    getOperation()->walk(
        [&](Operation *op) { op->removeDiscardableAttr(name); });
  }
};
} // namespace
