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
  for (Operation &op : body)
    profile.schedule.push_back(&op);
  // Sized once: growing the maps of a 100k-op graph step by step rehashes
  // every entry several times.
  size_t numOps = profile.schedule.size();
  profile.positions.reserve(numOps);
  profile.chargedBytes.reserve(numOps);
  for (auto [position, op] : llvm::enumerate(profile.schedule))
    profile.positions[op] = position;

  // Last position of each root value, through its views. This is what
  // MLIR's LivenessBlockInfo::getEndOperation answers for the body block;
  // `Liveness` would also build live sets for every nested block (each
  // linalg body), about a third of the cost on large graphs, so the end
  // position is read off the users directly.
  auto getEndPosition = [&](OpResult result, int64_t position) {
    int64_t end = position;
    for (Operation *user : result.getUsers())
      if (Operation *top = body.findAncestorOpInBlock(*user))
        end = std::max(end, profile.positions.lookup(top));
    return end;
  };
  // Each root's definition, last use and bytes, in an array; views extend
  // their root's entry through `rootIndex`.
  struct RootLifetime {
    int64_t start, end, bytes;
  };
  SmallVector<RootLifetime> roots;
  llvm::DenseMap<Value, unsigned> rootIndex(numOps);
  for (auto [position, op] : llvm::enumerate(profile.schedule)) {
    for (OpResult result : op->getResults()) {
      int64_t endPosition = getEndPosition(result, position);
      Value root = profile.getAliasRoot(result);
      if (root != result) {
        if (auto it = rootIndex.find(root); it != rootIndex.end())
          roots[it->second].end = std::max(roots[it->second].end, endPosition);
        continue;
      }
      if (isNullary(op) || !isa<ShapedType>(result.getType()))
        continue; // no tensor data (scalars are a few bytes in registers)
      int64_t bytes = getSizeInBytes(result.getType(), options, profile.assumed);
      profile.chargedBytes[result] = bytes;
      rootIndex[result] = roots.size();
      roots.push_back({static_cast<int64_t>(position), endPosition, bytes});
    }
  }

  // Sweep: +bytes at the definition, -bytes after the last use.
  SmallVector<int64_t> delta(profile.schedule.size() + 1, 0);
  for (const RootLifetime &root : roots) {
    delta[root.start] += root.bytes;
    delta[root.end + 1] -= root.bytes;
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
