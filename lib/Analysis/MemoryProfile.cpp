//===- MemoryProfile.cpp - live tensor bytes over program order -*- C++ -*-===//

#include "ckpt/Analysis/MemoryProfile.h"

#include "ckpt/Analysis/PeakEstimate.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"

using namespace mlir;
using namespace mlir::ckpt;

llvm::SmallSetVector<Value, 4> mlir::ckpt::getReadValues(Operation *op) {
  llvm::SmallSetVector<Value, 4> values;
  values.insert(op->getOperands().begin(), op->getOperands().end());
  if (op->getNumRegions() != 0)
    visitUsedValuesDefinedAbove(op->getRegions(), [&](OpOperand *operand) {
      values.insert(operand->get());
    });
  return values;
}

Value mlir::ckpt::getAliasedOperand(OpResult result) {
  Operation *op = result.getOwner();
  if (isa<tensor::ExtractSliceOp, tensor::CollapseShapeOp,
          tensor::ExpandShapeOp, tensor::CastOp>(op))
    return op->getOperand(0);
  if (auto barrier = dyn_cast<BarrierOp>(op))
    return barrier.getInputs()[result.getResultNumber()];
  // A region result that passes an input through (or a view of one) is that
  // input's buffer.
  if (auto region = dyn_cast<CheckpointOp>(op)) {
    Value yielded = region.getYield().getOperand(result.getResultNumber());
    while (auto inner = dyn_cast<OpResult>(yielded)) {
      Value source = getAliasedOperand(inner);
      if (!source)
        return {};
      yielded = source;
    }
    Value outer = region.getOuterValue(yielded);
    return outer != yielded ? outer : Value();
  }
  if (auto view = dyn_cast<ViewLikeOpInterface>(op))
    if (op->getNumResults() == 1)
      return view.getViewSource();
  return {};
}

Value mlir::ckpt::getBufferRoot(Value value) {
  while (true) {
    if (auto arg = dyn_cast<BlockArgument>(value)) {
      auto region = dyn_cast_if_present<CheckpointOp>(arg.getOwner()->getParentOp());
      if (!region)
        return value;
      value = region.getInputs()[arg.getArgNumber()];
      continue;
    }
    Value source = getAliasedOperand(cast<OpResult>(value));
    if (!source)
      return value;
    value = source;
  }
}

Value MemoryProfile::getAliasRoot(Value value) const {
  while (auto result = dyn_cast<OpResult>(value)) {
    Value source = getAliasedOperand(result);
    if (!source)
      break;
    value = source;
  }
  return value;
}

int64_t MemoryProfile::getChargedBytes(Value value) const {
  return chargedBytes.lookup(value);
}

FailureOr<MemoryProfile>
MemoryProfile::compute(func::FuncOp func, const CostModelOptions &options) {
  if (func.isExternal())
    return func.emitError() << "expects a function with a body";
  if (!llvm::hasSingleElement(func.getBody()))
    return func.emitError()
           << "expects a single-block body for the memory "
              "profile, got "
           << llvm::range_size(func.getBody().getBlocks()) << " blocks";
  Block &body = func.getBody().front();
  MemoryProfile profile(body);
  ByteModel bytes(func, options);
  for (BlockArgument arg : body.getArguments())
    profile.argumentBytes += bytes.getTypeBytes(arg.getType());
  ArrayRef<Operation *> schedule = profile.getSchedule();
  profile.chargedBytes.reserve(schedule.size());

  // Each root's definition, last use and bytes, in an array; views extend
  // their root's entry through `rootIndex`.
  struct RootLifetime {
    int64_t start, end, bytes;
  };
  SmallVector<RootLifetime> roots;
  llvm::DenseMap<Value, unsigned> rootIndex(schedule.size());
  for (auto [position, op] : llvm::enumerate(schedule)) {
    for (OpResult result : op->getResults()) {
      int64_t endPosition = profile.order.getLastUsePosition(result, position);
      Value root = profile.getAliasRoot(result);
      if (root != result) {
        if (auto it = rootIndex.find(root); it != rootIndex.end())
          roots[it->second].end = std::max(roots[it->second].end, endPosition);
        continue;
      }
      // No tensor data (scalars are a few bytes in registers), or a cheap
      // value that carries none (constants, empty tensors).
      int64_t charged = bytes.getValueBytes(result);
      if (charged == 0)
        continue;
      profile.chargedBytes[result] = charged;
      rootIndex[result] = roots.size();
      roots.push_back({static_cast<int64_t>(position), endPosition, charged});
    }
  }
  profile.assumed = bytes.usedAssumption();

  // Sweep: +bytes at the definition, -bytes after the last use.
  SmallVector<int64_t> delta(schedule.size() + 1, 0);
  for (const RootLifetime &root : roots) {
    delta[root.start] += root.bytes;
    delta[root.end + 1] -= root.bytes;
  }
  // A region's body runs at its step: its own intermediates on top.
  SmallVector<int64_t> transient(schedule.size(), 0);
  for (auto [position, op] : llvm::enumerate(schedule)) {
    auto region = dyn_cast<CheckpointOp>(op);
    if (!region)
      continue;
    SmallVector<Operation *> ops;
    for (Operation &inner : region.getBodyBlock().without_terminator())
      ops.push_back(&inner);
    llvm::SmallDenseSet<Value, 8> outputs(
        region.getYield().getOperands().begin(),
        region.getYield().getOperands().end());
    transient[position] =
        getTransientBytes(ops, outputs, /*inputs=*/{}, bytes, getBufferRoot);
  }
  int64_t live = 0;
  for (size_t i = 0; i < schedule.size(); ++i) {
    live += delta[i];
    int64_t atStep = live + transient[i];
    profile.liveBytes.push_back(atStep);
    if (atStep > profile.peakBytes || profile.peakPosition < 0) {
      profile.peakBytes = atStep;
      profile.peakPosition = i;
    }
  }
  return profile;
}
