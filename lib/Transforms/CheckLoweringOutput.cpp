//===- CheckLoweringOutput.cpp - what the pipelines leave -----------------===//
//
// ckpt-check-lowering-output: the last pass of both lowering pipelines
// fails, at the first op of each kind, if anything but the LLVM dialect
// (and, for NVVM, `gpu.binary` with its launches) is left: a pipeline that
// exits 0 has produced output that runs.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Transforms/Passes.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTCHECKLOWERINGOUTPUT
#include "ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-check-lowering-output"

namespace {
struct CkptCheckLoweringOutputPass
    : public ckpt::impl::CkptCheckLoweringOutputBase<
          CkptCheckLoweringOutputPass> {
  using Base::Base;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // The first op of each kind that is left, and how many there are.
    llvm::MapVector<OperationName, std::pair<Operation *, unsigned>> left;
    module.walk([&](Operation *op) {
      if (op == module.getOperation() ||
          isa<LLVM::LLVMDialect>(op->getDialect()))
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
