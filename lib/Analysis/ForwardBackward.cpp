//===- ForwardBackward.cpp - forward/backward split -------------*- C++ -*-===//

#include "ckpt/Analysis/ForwardBackward.h"

#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "mlir/Analysis/SliceAnalysis.h"

using namespace mlir;
using namespace mlir::ckpt;

FailureOr<ForwardBackwardPartition>
ForwardBackwardPartition::compute(func::FuncOp func) {
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

  Block *body = partition.body;
  BackwardSliceOptions options;
  options.omitBlockArguments = true;
  options.omitUsesFromAbove = false;
  options.inclusive = true;
  // Only ops of the body block matter; nested ops belong to their ancestor.
  options.filter = [&](Operation *op) { return op->getBlock() == body; };
  SetVector<Operation *> slice;
  Operation *terminator = body->getTerminator();
  for (int64_t index : partition.forwardResults) {
    if (failed(getBackwardSlice(terminator->getOperand(index), &slice,
                                options)))
      return func.emitError() << "could not compute the forward part";
  }
  partition.forwardOps.insert(slice.begin(), slice.end());
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
