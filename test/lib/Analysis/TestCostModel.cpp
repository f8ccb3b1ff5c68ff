//===- TestCostModel.cpp - remarks for the liveness and FLOP model -*- C++ -*-//
//
// test-ckpt-liveness: a remark per top-level op with the live bytes there,
// and one per function with the peak and the argument bytes.
// test-ckpt-cost: a remark per top-level op with its FLOPs, and one per
// function with the total and the external callees of unknown cost.
// test-ckpt-library-kernels: a remark per recognized ByteIR kernel call with
// its table row, FLOPs and bytes; the matcher's error for the others.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/LibraryKernels.h"
#include "ckpt/Analysis/MemoryProfile.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

using namespace mlir;
using namespace mlir::ckpt;

namespace {
struct TestLivenessPass
    : public PassWrapper<TestLivenessPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestLivenessPass)
  StringRef getArgument() const final { return "test-ckpt-liveness"; }
  StringRef getDescription() const final {
    return "Emit the live tensor bytes at each op as remarks";
  }
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      FailureOr<MemoryProfile> profile =
          MemoryProfile::compute(func, CostModelOptions());
      if (failed(profile))
        return signalPassFailure();
      for (auto [op, bytes] :
           llvm::zip_equal(profile->getSchedule(), profile->getLiveBytes()))
        op->emitRemark() << "live " << bytes << " bytes";
      Operation *peakOp = profile->getSchedule()[profile->getPeakPosition()];
      func.emitRemark() << "peak " << profile->getPeakBytes()
                        << " bytes at op #" << profile->getPeakPosition()
                        << " ('" << peakOp->getName() << "'); arguments "
                        << profile->getArgumentBytes() << " bytes";
    }
  }
};

struct TestCostPass
    : public PassWrapper<TestCostPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestCostPass)
  StringRef getArgument() const final { return "test-ckpt-cost"; }
  StringRef getDescription() const final {
    return "Emit the FLOPs of each op as remarks";
  }
  void runOnOperation() override {
    FlopModel model{CostModelOptions()};
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isExternal() || !func->hasAttr("test.cost"))
        continue;
      int64_t total = 0;
      for (Operation &op : func.getBody().front()) {
        int64_t flops = model.getFlops(&op);
        total += flops;
        op.emitRemark() << "flops " << flops;
      }
      InFlightDiagnostic diag = func.emitRemark() << "total flops " << total
                                                  << "; unknown callees: [";
      llvm::interleaveComma(model.getUnknownCallees(), diag);
      diag << "]";
    }
  }
};
struct TestLibraryKernelsPass
    : public PassWrapper<TestLibraryKernelsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestLibraryKernelsPass)
  StringRef getArgument() const final { return "test-ckpt-library-kernels"; }
  StringRef getDescription() const final {
    return "Emit the kernel, FLOPs and bytes of each ByteIR kernel call as "
           "remarks (the matcher's error where it refuses one)";
  }
  void runOnOperation() override {
    ByteModel bytes(getOperation(), CostModelOptions());
    getOperation()->walk([&](Operation *op) {
      if (!getByreComputeName(op))
        return;
      FailureOr<LibraryKernel> kernel =
          matchLibraryKernel(op, /*emitErrors=*/true);
      if (failed(kernel))
        return;
      op->emitRemark() << kernel->spec->name << ": flops "
                       << getLibraryKernelFlops(*kernel) << ", bytes "
                       << getLibraryKernelBytes(*kernel, bytes);
    });
  }
};
} // namespace

namespace mlir::ckpt::test {
void registerTestPasses() {
  PassRegistration<TestLivenessPass>();
  PassRegistration<TestCostPass>();
  PassRegistration<TestLibraryKernelsPass>();
}
} // namespace mlir::ckpt::test
