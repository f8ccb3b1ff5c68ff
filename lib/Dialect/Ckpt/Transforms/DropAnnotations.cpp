//===- DropAnnotations.cpp - the graph without checkpointing ----*- C++ -*-===//
//
// ckpt-drop-annotations: every region inlined, every ckpt.checkpoint
// attribute removed; the baseline that checkpointing is compared against.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
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
    ModuleOp module = getOperation();
    if (failed(verifyCkptAttributes(module)))
      return signalPassFailure();
    IRRewriter rewriter(&getContext());
    // The checkpointed calls of each training step's forward part are
    // inlined as ckpt-rematerialize inlines them (checked first).
    SymbolTableCollection symbols;
    SplitFormPairs pairs(module);
    SmallVector<std::pair<func::FuncOp, TrainingStep>> steps;
    bool failedAny = false;
    for (auto func : module.getOps<func::FuncOp>()) {
      FailureOr<std::optional<TrainingStep>> step =
          TrainingStep::get(func, pairs);
      if (failed(step)) {
        failedAny = true;
        continue;
      }
      if (!*step || (*step)->getForm() == TrainingStep::Form::SplitBackward)
        continue;
      const TrainingStep &trainingStep = **step;
      if (failed(checkCheckpointBoundaries(
              func, [&](Operation *op) { return trainingStep.isForward(op); },
              symbols)))
        failedAny = true;
      else
        steps.push_back({func, std::move(**step)});
    }
    if (failedAny)
      return signalPassFailure();
    for (auto &[func, step] : steps)
      convertCheckpointedCalls(
          rewriter, func, [&](Operation *op) { return step.isForward(op); },
          symbols);

    SmallVector<CheckpointOp> regions;
    module->walk<WalkOrder::PreOrder>(
        [&](CheckpointOp region) { regions.push_back(region); });
    LDBG() << "inlining " << regions.size() << " regions";
    // Outer regions first; inlining moves inner ones, it does not erase them.
    for (CheckpointOp region : regions)
      inlineRegion(rewriter, region);
    // The annotations are discardable attributes; the names are uniqued
    // once.
    auto name =
        StringAttr::get(&getContext(), CkptDialect::getCheckpointAttrName());
    auto autoName =
        StringAttr::get(&getContext(), CkptDialect::getAutoAttrName());
    module->walk([&](Operation *op) {
      op->removeDiscardableAttr(name);
      op->removeDiscardableAttr(autoName);
    });
  }
};
} // namespace
