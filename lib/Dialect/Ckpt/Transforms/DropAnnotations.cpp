//===- DropAnnotations.cpp - the graph without checkpointing ----*- C++ -*-===//
//
// ckpt-drop-annotations: every region inlined, every ckpt.checkpoint
// attribute removed; the baseline that checkpointing is compared against.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTDROPANNOTATIONS
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-drop-annotations"

namespace {
struct CkptDropAnnotationsPass
    : public ckpt::impl::CkptDropAnnotationsBase<CkptDropAnnotationsPass> {
  void runOnOperation() override {
    SmallVector<CheckpointOp> regions;
    getOperation()->walk<WalkOrder::PreOrder>(
        [&](CheckpointOp region) { regions.push_back(region); });
    LDBG() << "inlining " << regions.size() << " regions";
    // Outer regions first; inlining moves inner ones, it does not erase them.
    IRRewriter rewriter(&getContext());
    for (CheckpointOp region : regions)
      inlineRegion(rewriter, region);
    // The annotation is a discardable attribute; the name is uniqued once.
    auto name =
        StringAttr::get(&getContext(), CkptDialect::getCheckpointAttrName());
    getOperation()->walk(
        [&](Operation *op) { op->removeDiscardableAttr(name); });
  }
};
} // namespace
