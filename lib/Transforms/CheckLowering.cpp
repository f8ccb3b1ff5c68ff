//===- CheckLowering.cpp - what the pipelines accept and leave ------------===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTCHECKLOWERINGINPUT
#define GEN_PASS_DEF_CKPTCHECKLOWERINGOUTPUT
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

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

struct CkptCheckLoweringOutputPass
    : public ckpt::impl::CkptCheckLoweringOutputBase<
          CkptCheckLoweringOutputPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The first op of each kind that is left, and how many there are.
    llvm::MapVector<OperationName, std::pair<Operation *, unsigned>> left;
    module.walk([&](Operation *op) {
      if (op == module.getOperation() || isa<LLVM::LLVMDialect>(op->getDialect()))
        return WalkResult::advance();
      // Kernels embedded for the host and their launches: LLVM IR
      // translation turns both into host code and binary data.
      if (allowGpuBinary && isa<gpu::BinaryOp>(op))
        return WalkResult::skip();
      if (allowGpuBinary && isa<gpu::LaunchFuncOp>(op))
        return WalkResult::advance();
      auto [it, inserted] = left.try_emplace(op->getName(), op, 0);
      ++it->second.second;
      return WalkResult::advance();
    });
    for (auto &[name, first] : left) {
      first.first->emitError()
          << "'" << name << "' was not lowered to the LLVM dialect ("
          << first.second << (first.second == 1 ? " op" : " ops")
          << " of this kind left): the output would not run";
    }
    if (!left.empty())
      signalPassFailure();
  }
};
} // namespace
