//===- MemoryProfile.cpp - live tensor bytes over program order -*- C++ -*-===//

#include "ckpt/Analysis/MemoryProfile.h"

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
  if (auto view = dyn_cast<ViewLikeOpInterface>(op))
    if (op->getNumResults() == 1)
      return view.getViewSource();
  return {};
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
    return func.emitError() << "expects a single-block body for the memory "
                               "profile, got "
                            << llvm::range_size(func.getBody().getBlocks())
                            << " blocks";
  MemoryProfile profile;
  Block &body = func.getBody().front();
  for (BlockArgument arg : body.getArguments())
    profile.argumentBytes += getSizeInBytes(arg.getType(), options,
                                            profile.assumed);
  for (Operation &op : body) {
    profile.positions[&op] = profile.schedule.size();
    profile.schedule.push_back(&op);
  }

  // Last position of each root value, through its views. This is what
  // MLIR's LivenessBlockInfo::getEndOperation answers for the body block;
  // `Liveness` would also build live sets for every nested block (each
  // linalg body), about a third of the cost on large graphs, so the end
  // position is read off the users directly.
  auto getEndPosition = [&](OpResult result) {
    int64_t end = profile.positions.lookup(result.getOwner());
    for (Operation *user : result.getUsers())
      if (Operation *top = body.findAncestorOpInBlock(*user))
        end = std::max(end, profile.positions.lookup(top));
    return end;
  };
  llvm::DenseMap<Value, int64_t> rootEnd;
  SmallVector<Value> roots;
  for (Operation *op : profile.schedule) {
    for (OpResult result : op->getResults()) {
      int64_t endPosition = getEndPosition(result);
      Value root = profile.getAliasRoot(result);
      if (root != result) {
        if (auto it = rootEnd.find(root); it != rootEnd.end())
          it->second = std::max(it->second, endPosition);
        continue;
      }
      if (isNullary(op) || !isa<ShapedType>(result.getType()))
        continue; // no tensor data (scalars are a few bytes in registers)
      profile.chargedBytes[result] =
          getSizeInBytes(result.getType(), options, profile.assumed);
      rootEnd[result] = endPosition;
      roots.push_back(result);
    }
  }

  // Sweep: +bytes at the definition, -bytes after the last use.
  SmallVector<int64_t> delta(profile.schedule.size() + 1, 0);
  for (Value root : roots) {
    int64_t bytes = profile.chargedBytes.lookup(root);
    int64_t start = profile.positions.lookup(root.getDefiningOp());
    delta[start] += bytes;
    delta[rootEnd[root] + 1] -= bytes;
  }
  int64_t live = 0;
  for (size_t i = 0; i < profile.schedule.size(); ++i) {
    live += delta[i];
    profile.liveBytes.push_back(live);
    if (live > profile.peakBytes || profile.peakPosition < 0) {
      profile.peakBytes = live;
      profile.peakPosition = i;
    }
  }
  return profile;
}
