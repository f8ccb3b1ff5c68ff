//===- CheckLoweringInput.cpp - what the pipelines accept -----------------===//
//
// ckpt-check-lowering-input: the first pass of both lowering pipelines
// refuses checkpoint regions and annotations left unrewritten, naming the
// pass to run first (instead of bufferization's "op was not bufferized").
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Transforms/Passes.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTCHECKLOWERINGINPUT
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-check-lowering-input"

namespace {
struct CkptCheckLoweringInputPass
    : public ckpt::impl::CkptCheckLoweringInputBase<
          CkptCheckLoweringInputPass> {
  void runOnOperation() override {
    constexpr StringLiteral fix =
        "run ckpt-rematerialize (to checkpoint) or ckpt-drop-annotations (the "
        "unannotated baseline) before lowering";
    getOperation()->walk([&](Operation *op) {
      if (isa<CheckpointOp>(op)) {
        std::optional<StringRef> name = cast<CheckpointOp>(op).getName();
        op->emitError() << "checkpointed region"
                        << (name ? " '" + name->str() + "'" : std::string())
                        << " is not rewritten yet: " << fix;
        signalPassFailure();
      } else if (op->hasAttr(CkptDialect::getCheckpointAttrName())) {
        op->emitError() << "'" << op->getName()
                        << "' is annotated for checkpointing (ckpt.checkpoint) "
                           "but not rewritten yet: "
                        << fix;
        signalPassFailure();
      }
    });
  }
};
} // namespace
