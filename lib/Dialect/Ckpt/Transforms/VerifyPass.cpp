//===- VerifyPass.cpp - the ckpt-verify pass --------------------*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include "llvm/Support/DebugLog.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTVERIFY
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-verify"

namespace {
struct CkptVerifyPass : public ckpt::impl::CkptVerifyBase<CkptVerifyPass> {
  void runOnOperation() override {
    if (failed(verifyNoDroppedValueInBackward(getOperation())))
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
