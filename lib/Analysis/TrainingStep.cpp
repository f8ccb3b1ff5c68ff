//===- TrainingStep.cpp - which functions are training steps ----*- C++ -*-===//

#include "ckpt/Analysis/TrainingStep.h"

#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// SplitFormPairs
//===----------------------------------------------------------------------===//

SplitFormPairs::SplitFormPairs(ModuleOp module) {
  SymbolTable symbols(module);
  for (auto fwd : module.getOps<func::FuncOp>()) {
    FlatSymbolRefAttr name = getBackwardAttr(fwd);
    if (!name)
      continue;
    auto bwd = symbols.lookup<func::FuncOp>(name.getValue());
    if (!bwd)
      continue; // refused by the attribute verifier
    forwards.push_back(fwd);
    backwardOf[fwd] = bwd;
    forwardOf[bwd] = fwd;
  }
}

//===----------------------------------------------------------------------===//
// TrainingStep
//===----------------------------------------------------------------------===//

FailureOr<std::optional<TrainingStep>>
TrainingStep::get(func::FuncOp func, const SplitFormPairs &pairs,
                  Visitor visit) {
  func::FuncOp backward = pairs.getBackward(func);
  bool splitBackward = pairs.isBackward(func);
  bool annotated = backward || splitBackward || hasForwardResultsAttr(func);
  if (func.isExternal())
    return annotated && !backward && !splitBackward
               ? FailureOr<std::optional<TrainingStep>>(
                     func.emitError() << "expects a joint training graph "
                                         "with a body")
               : FailureOr<std::optional<TrainingStep>>(std::nullopt);
  if (!annotated && func.isPrivate())
    return std::optional<TrainingStep>(); // a helper
  if (!llvm::hasSingleElement(func.getBody())) {
    if (!annotated)
      return std::optional<TrainingStep>(); // inference with control flow
    return func.emitError()
           << "expects a "
           << (backward || splitBackward ? "split-form function"
                                         : "joint training graph")
           << " with a single-block body, got "
           << llvm::range_size(func.getBody().getBlocks()) << " blocks";
  }

  if (backward) {
    TrainingStep step(func, Form::SplitForward);
    step.backward = backward;
    int64_t numOutputs = getNumOutputs(func).value_or(0);
    for (int64_t i = 0; i < numOutputs; ++i)
      step.forwardResults.push_back(i);
    step.backwardPart = true;
    return std::optional<TrainingStep>(std::move(step));
  }
  if (splitBackward) {
    TrainingStep step(func, Form::SplitBackward);
    step.backwardPart = true;
    return std::optional<TrainingStep>(std::move(step));
  }
  TrainingStep step(func, Form::Joint);
  step.forwardResults = ::mlir::ckpt::getForwardResults(func);
  step.computeJointParts(visit);
  if (!step.backwardPart && !annotated)
    return std::optional<TrainingStep>(); // inference
  return std::optional<TrainingStep>(std::move(step));
}

void TrainingStep::computeJointParts(Visitor visit) {
  // The forward part is the backward slice of the forward results within
  // the body block. The body is in SSA order, so one reverse sweep finds it:
  // an op is forward if a forward op reads one of its results, directly or
  // from inside a nested region, or if it was inlined from a checkpointed
  // region.
  llvm::DenseSet<Operation *> &forward = forwardOps;
  auto markDefinition = [&](Value value) {
    if (Operation *def = value.getDefiningOp())
      if (def->getBlock() == body)
        forward.insert(def);
  };
  Operation *terminator = body->getTerminator();
  for (int64_t index : forwardResults)
    markDefinition(terminator->getOperand(index));
  if (visit)
    visit(*this, terminator);
  for (Operation &op : llvm::reverse(body->without_terminator())) {
    if (!forward.contains(&op) && getRegionTrace(op.getLoc()))
      forward.insert(&op);
    // Every op after `op` read what it reads already: `op`'s part is known.
    if (visit)
      visit(*this, &op);
    if (!forward.contains(&op)) {
      backwardPart = true;
      continue;
    }
    // Every operand of `op` and of the ops nested in it: a value defined
    // inside `op` is not in the body block, so only the values `op` reads
    // from above are marked (what `getReadValues` returns, without building
    // the set or asking which region defines each value).
    op.walk([&](Operation *nested) {
      for (Value value : nested->getOperands())
        markDefinition(value);
    });
  }
}

bool TrainingStep::isForward(Operation *op) const {
  if (form == Form::SplitBackward)
    return false;
  Operation *top = getTopLevelOp(op);
  if (!top || top == body->getTerminator())
    return false;
  return form == Form::SplitForward || forwardOps.contains(top);
}

bool TrainingStep::isBackward(Operation *op) const {
  Operation *top = getTopLevelOp(op);
  if (!top || top == body->getTerminator())
    return false;
  if (form == Form::SplitBackward)
    return true;
  return form == Form::Joint && !forwardOps.contains(top);
}
