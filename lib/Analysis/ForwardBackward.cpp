//===- ForwardBackward.cpp - forward/backward split -------------*- C++ -*-===//

#include "ckpt/Analysis/ForwardBackward.h"

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"

using namespace mlir;
using namespace mlir::ckpt;

FailureOr<ForwardBackwardPartition>
ForwardBackwardPartition::compute(func::FuncOp func) {
  return compute(func, nullptr);
}

FailureOr<ForwardBackwardPartition> ForwardBackwardPartition::compute(
    func::FuncOp func,
    function_ref<void(const ForwardBackwardPartition &, Operation *)> visit) {
  if (func.isExternal())
    return func.emitError() << "expects a function with a body";
  if (!llvm::hasSingleElement(func.getBody()))
    return func.emitError()
           << "expects a joint training graph with a single-block body, got "
           << llvm::range_size(func.getBody().getBlocks()) << " blocks";

  ForwardBackwardPartition partition(&func.getBody().front());
  int64_t numResults = func.getNumResults();
  StringRef attrName = CkptDialect::getForwardResultsAttrName();
  if (Attribute attr = func->getAttr(attrName)) {
    auto array = dyn_cast<ArrayAttr>(attr);
    if (!array)
      return func.emitError() << "'" << attrName
                              << "' must be an array of integers, got " << attr;
    for (Attribute element : array) {
      auto index = dyn_cast<IntegerAttr>(element);
      if (!index)
        return func.emitError()
               << "'" << attrName << "' must be an array of integers, got "
               << element << " in " << attr;
      int64_t value = index.getInt();
      if (value < 0 || value >= numResults)
        return func.emitError()
               << "'" << attrName << "' entry " << value
               << " is out of range: the function has " << numResults
               << " results";
      if (llvm::is_contained(partition.forwardResults, value))
        return func.emitError()
               << "'" << attrName << "' lists result " << value << " twice";
      partition.forwardResults.push_back(value);
    }
    llvm::sort(partition.forwardResults);
  } else if (numResults > 0) {
    partition.forwardResults.push_back(0);
  }

  // The forward part is the backward slice of the forward results within
  // the body block. The body is in SSA order, so one reverse sweep finds it:
  // an op is forward if a forward op reads one of its results, directly or
  // from inside a nested region. This is what `getBackwardSlice` computes
  // (with `omitUsesFromAbove = false`), but without its recursion, whose
  // depth is the length of the longest def-use chain: tens of thousands of
  // frames on a deep training graph, and cache-unfriendly long before that.
  Block *body = partition.body;
  llvm::DenseSet<Operation *> &forward = partition.forwardOps;
  auto markDefinition = [&](Value value) {
    if (Operation *def = value.getDefiningOp())
      if (def->getBlock() == body)
        forward.insert(def);
  };
  Operation *terminator = body->getTerminator();
  for (int64_t index : partition.forwardResults)
    markDefinition(terminator->getOperand(index));
  if (visit)
    visit(partition, terminator);
  for (Operation &op : llvm::reverse(body->without_terminator())) {
    // Every op after `op` read what it reads already: `op`'s part is known.
    if (visit)
      visit(partition, &op);
    if (!forward.contains(&op))
      continue;
    // Every operand of `op` and of the ops nested in it: a value defined
    // inside `op` is not in the body block, so only the values `op` reads
    // from above are marked (what `getReadValues` returns, without building
    // the set or asking which region defines each value).
    op.walk([&](Operation *nested) {
      for (Value value : nested->getOperands())
        markDefinition(value);
    });
  }
  return partition;
}

Operation *ForwardBackwardPartition::getTopLevelOp(Operation *op) const {
  return body->findAncestorOpInBlock(*op);
}

bool ForwardBackwardPartition::isForward(Operation *op) const {
  Operation *top = getTopLevelOp(op);
  return top && forwardOps.contains(top);
}

bool ForwardBackwardPartition::isBackward(Operation *op) const {
  Operation *top = getTopLevelOp(op);
  return top && !forwardOps.contains(top) && top != body->getTerminator();
}
