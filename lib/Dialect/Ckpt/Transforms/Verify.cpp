//===- Verify.cpp - the post-condition of the rematerialization -*- C++ -*-===//
//
// `verifyNoDroppedValueInBackward` (rationale §3.10), which ckpt-verify runs:
// reads the traces ckpt-rematerialize leaves and checks that no dropped
// forward value reaches the backward part.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"

using namespace mlir;
using namespace mlir::ckpt;

LogicalResult mlir::ckpt::verifyNoDroppedValueInBackward(ModuleOp module) {
  bool failedAny = false;
  SplitFormPairs pairs(module);
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    // Only functions that carry a trace need the (linear) partition.
    bool hasTrace = false;
    func.walk([&](Operation *op) {
      hasTrace = getRegionTrace(op->getLoc()).has_value() ||
                 getRecomputeTrace(op->getLoc()).has_value();
      return hasTrace ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (!hasTrace)
      continue;
    // Split form (rationale §1): everything in the forward function is forward;
    // what reaches the backward function are its saved results.
    if (pairs.getBackward(func)) {
      int64_t numOutputs = getNumOutputs(func).value_or(0);
      Operation *ret = func.getBody().back().getTerminator();
      for (OpOperand &operand : ret->getOpOperands()) {
        if (operand.getOperandNumber() < numOutputs)
          continue;
        Operation *def = operand.get().getDefiningOp();
        std::optional<StringRef> region =
            def ? getDroppedTrace(def->getLoc()) : std::nullopt;
        if (!region || !isa<ShapedType>(operand.get().getType()))
          continue;
        InFlightDiagnostic diag =
            ret->emitError()
            << "saved value #" << operand.getOperandNumber() - numOutputs
            << " is a forward value that checkpointed region '" << *region
            << "' dropped; the backward function should "
               "recompute it";
        diag.attachNote(stripRegionTrace(def->getLoc()))
            << "dropped value defined here";
        failedAny = true;
      }
      continue;
    }
    // Cheap values (rationale §3.1) are no activations, so they are never
    // dropped; but a cheap forward buffer that the backward reads (a
    // cleanup shared a zero fill between them, say) stays allocated into
    // the backward, which the rewrite never leaves: it is reported too.
    CheapValues cheap;
    ByteModel bytes(func, CostModelOptions());
    // A dropped value read by the backward part: the use, and the region
    // that dropped it.
    struct Violation {
      OpOperand *use;
      /// The region that dropped the value, or empty for a shared cheap
      /// value.
      StringRef region;
    };
    // One pass over the function: the partition's reverse sweep visits each
    // top-level op once its part, and that of every op after it (where the
    // users of its results are), is known. Violations are grouped by
    // top-level op and reported in program order.
    SmallVector<SmallVector<Violation, 0>> violations;
    auto visit = [&](const TrainingStep &partition, Operation *topLevel) {
      SmallVector<Violation, 0> found;
      if (partition.isForward(topLevel))
        for (OpResult result : topLevel->getResults()) {
          if (!cheap.isCheap(result) || bytes.getValueBytes(result) == 0)
            continue;
          for (OpOperand &use : result.getUses()) {
            Operation *top = partition.getTopLevelOp(use.getOwner());
            if (top && partition.isBackward(top))
              found.push_back({&use, StringRef()});
          }
        }
      topLevel->walk([&](Operation *op) {
        std::optional<StringRef> region = getDroppedTrace(op->getLoc());
        if (!region || cheap.isCheapOp(op))
          return;
        for (OpResult result : op->getResults()) {
          if (!isa<ShapedType>(result.getType()))
            continue;
          for (OpOperand &use : result.getUses()) {
            Operation *top = partition.getTopLevelOp(use.getOwner());
            if (!top || !partition.isBackward(top))
              continue;
            found.push_back({&use, *region});
          }
        }
      });
      if (!found.empty())
        violations.push_back(std::move(found));
    };
    FailureOr<std::optional<TrainingStep>> step =
        TrainingStep::get(func, pairs, visit);
    if (failed(step)) {
      failedAny = true;
      continue;
    }
    for (const SmallVector<Violation, 0> &group : llvm::reverse(violations)) {
      for (const Violation &violation : group) {
        Operation *def = violation.use->get().getDefiningOp();
        if (violation.region.empty()) {
          InFlightDiagnostic diag =
              violation.use->getOwner()->emitError()
              << "operand #" << violation.use->getOperandNumber()
              << " is a cheap forward value (computed from constants and "
                 "shapes alone, "
              << bytes.getValueBytes(violation.use->get())
              << " bytes) that the backward part reads, so its buffer stays "
                 "allocated into the backward; the backward should compute "
                 "its own (a cleanup such as cse shared it, once barriers "
                 "were stripped)";
          diag.attachNote(stripRegionTrace(def->getLoc()))
              << "shared value defined here";
          failedAny = true;
          continue;
        }
        InFlightDiagnostic diag = violation.use->getOwner()->emitError()
                                  << "operand #"
                                  << violation.use->getOperandNumber()
                                  << " is a forward value that checkpointed "
                                     "region '"
                                  << violation.region
                                  << "' dropped, but the backward part "
                                     "uses it; it should be recomputed";
        diag.attachNote(stripRegionTrace(def->getLoc()))
            << "dropped value defined here";
        failedAny = true;
      }
    }
  }
  return failure(failedAny);
}
