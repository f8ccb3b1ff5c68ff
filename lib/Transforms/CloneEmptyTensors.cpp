//===- CloneEmptyTensors.cpp - one tensor.empty per use -------------------===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTCLONEEMPTYTENSORS
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-clone-empty-tensors"

namespace {
struct CkptCloneEmptyTensorsPass
    : public ckpt::impl::CkptCloneEmptyTensorsBase<CkptCloneEmptyTensorsPass> {
  void runOnOperation() override {
    SmallVector<tensor::EmptyOp> shared;
    getOperation()->walk([&](tensor::EmptyOp empty) {
      if (!empty->hasOneUse() && !empty->use_empty())
        shared.push_back(empty);
    });
    OpBuilder builder(&getContext());
    for (tensor::EmptyOp empty : shared) {
      // Every user gets a clone right before it (the dynamic sizes dominate
      // the original, hence the user); the original goes.
      SmallVector<OpOperand *> uses;
      for (OpOperand &use : empty->getUses())
        uses.push_back(&use);
      for (OpOperand *use : uses) {
        builder.setInsertionPoint(use->getOwner());
        use->set(builder.clone(*empty)->getResult(0));
      }
      LDBG() << "one tensor.empty per user: " << uses.size() << " clones";
      empty->erase();
    }
  }
};
} // namespace
