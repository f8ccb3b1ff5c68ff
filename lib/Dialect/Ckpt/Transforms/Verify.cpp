//===- Verify.cpp - the ckpt-verify post-condition --------------*- C++ -*-===//

#include "ckpt/Analysis/ForwardBackward.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"

#include "mlir/IR/BuiltinAttributes.h"

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTVERIFY
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

Location mlir::ckpt::addDroppedTrace(Location loc, StringRef regionName) {
  MLIRContext *ctx = loc.getContext();
  auto metadata = DictionaryAttr::get(
      ctx, {NamedAttribute(StringAttr::get(ctx, kDroppedTraceKey),
                           StringAttr::get(ctx, regionName))});
  return FusedLoc::get(ctx, {stripDroppedTrace(loc)}, metadata);
}

std::optional<StringRef> mlir::ckpt::getDroppedTrace(Location loc) {
  auto fused = dyn_cast<FusedLoc>(loc);
  if (!fused)
    return std::nullopt;
  auto metadata = dyn_cast_if_present<DictionaryAttr>(fused.getMetadata());
  if (!metadata)
    return std::nullopt;
  if (auto name = metadata.getAs<StringAttr>(kDroppedTraceKey))
    return name.getValue();
  return std::nullopt;
}

Location mlir::ckpt::stripDroppedTrace(Location loc) {
  if (!getDroppedTrace(loc))
    return loc;
  auto fused = cast<FusedLoc>(loc);
  return FusedLoc::get(loc.getContext(), fused.getLocations());
}

LogicalResult mlir::ckpt::verifyNoDroppedValueInBackward(ModuleOp module) {
  bool failed = false;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    // Only functions that carry a trace need the (linear) partition.
    bool hasTrace = false;
    func.walk([&](Operation *op) {
      hasTrace = getDroppedTrace(op->getLoc()).has_value();
      return hasTrace ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (!hasTrace)
      continue;
    FailureOr<ForwardBackwardPartition> partition =
        ForwardBackwardPartition::compute(func);
    if (::mlir::failed(partition)) {
      failed = true;
      continue;
    }
    func.walk([&](Operation *op) {
      std::optional<StringRef> region = getDroppedTrace(op->getLoc());
      if (!region)
        return;
      for (OpResult result : op->getResults()) {
        if (!isa<ShapedType>(result.getType()))
          continue;
        for (OpOperand &use : result.getUses()) {
          Operation *user = use.getOwner();
          if (partition->isForward(user) ||
              user == partition->getBody()->getTerminator())
            continue;
          InFlightDiagnostic diag = user->emitError()
                                    << "operand #" << use.getOperandNumber()
                                    << " is a forward value that checkpointed "
                                       "region '"
                                    << *region
                                    << "' dropped, but the backward part "
                                       "uses it; it should be recomputed";
          diag.attachNote(stripDroppedTrace(op->getLoc()))
              << "dropped value defined here";
          failed = true;
        }
      }
    });
  }
  return failure(failed);
}

namespace {
struct CkptVerifyPass : public ckpt::impl::CkptVerifyBase<CkptVerifyPass> {
  void runOnOperation() override {
    if (failed(verifyNoDroppedValueInBackward(getOperation())))
      signalPassFailure();
    markAllAnalysesPreserved();
  }
};
} // namespace
