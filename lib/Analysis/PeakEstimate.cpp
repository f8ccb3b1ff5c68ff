//===- PeakEstimate.cpp - live bytes as regions are rematerialized -------===//

#include "ckpt/Analysis/PeakEstimate.h"

#include "ckpt/Analysis/MemoryProfile.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Interfaces/LoopLikeInterface.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// LiveBytesTimeline
//===----------------------------------------------------------------------===//

LiveBytesTimeline::LiveBytesTimeline(ArrayRef<int64_t> bytes)
    : size(std::max<size_t>(bytes.size(), 1)), maxTree(4 * size, 0),
      pending(4 * size, 0) {
  build(1, 0, size - 1, bytes);
}

void LiveBytesTimeline::add(int64_t lo, int64_t hi, int64_t delta) {
  if (lo <= hi && delta != 0)
    add(1, 0, size - 1, lo, hi, delta);
}

int64_t LiveBytesTimeline::at(int64_t position) const {
  return query(1, 0, size - 1, position);
}

void LiveBytesTimeline::build(size_t node, int64_t l, int64_t r,
                              ArrayRef<int64_t> bytes) {
  if (l == r) {
    maxTree[node] = l < static_cast<int64_t>(bytes.size()) ? bytes[l] : 0;
    return;
  }
  int64_t mid = (l + r) / 2;
  build(2 * node, l, mid, bytes);
  build(2 * node + 1, mid + 1, r, bytes);
  maxTree[node] = std::max(maxTree[2 * node], maxTree[2 * node + 1]);
}

void LiveBytesTimeline::add(size_t node, int64_t l, int64_t r, int64_t lo,
                            int64_t hi, int64_t delta) {
  if (hi < l || r < lo)
    return;
  if (lo <= l && r <= hi) {
    maxTree[node] += delta;
    pending[node] += delta;
    return;
  }
  int64_t mid = (l + r) / 2;
  add(2 * node, l, mid, lo, hi, delta);
  add(2 * node + 1, mid + 1, r, lo, hi, delta);
  maxTree[node] =
      std::max(maxTree[2 * node], maxTree[2 * node + 1]) + pending[node];
}

int64_t LiveBytesTimeline::query(size_t node, int64_t l, int64_t r,
                                 int64_t position) const {
  if (l == r)
    return maxTree[node];
  int64_t mid = (l + r) / 2;
  return pending[node] + (position <= mid
                              ? query(2 * node, l, mid, position)
                              : query(2 * node + 1, mid + 1, r, position));
}

//===----------------------------------------------------------------------===//
// Transient bytes of a sequence of ops
//===----------------------------------------------------------------------===//

int64_t mlir::ckpt::getTransientBytes(
    ArrayRef<Operation *> ops, const llvm::SmallDenseSet<Value, 8> &outputs,
    ArrayRef<Value> inputs, ByteModel &bytes,
    function_ref<Value(Value)> rootOf,
    function_ref<int64_t(Operation *)> nestedBytes,
    ArrayRef<BlockArgument> iterArgs) {
  llvm::SmallPtrSet<Operation *, 16> inOps(ops.begin(), ops.end());
  auto definedHere = [&](Value value) {
    Operation *def = value.getDefiningOp();
    return def && inOps.contains(def);
  };
  // Liveness by buffer: a view, or a result written in place into a dying
  // init (`getInPlaceResults`), reads and extends its source. Only buffers
  // allocated in `ops` are written in place: an input may be read after.
  SmallVector<Value> liveAfter(outputs.begin(), outputs.end());
  // A loop's iter_arg is a buffer the loop owns: the body may write into it.
  llvm::SmallDenseSet<Value, 4> carried(iterArgs.begin(), iterArgs.end());
  llvm::DenseMap<Value, Value> inPlace = getInPlaceResults(
      ops, liveAfter, rootOf, [&](Value buffer) {
        return (definedHere(buffer) && bytes.getValueBytes(buffer) > 0) ||
               carried.contains(buffer);
      });
  auto root = [&](Value value) {
    while (true) {
      if (rootOf)
        value = rootOf(value);
      auto it = inPlace.find(value);
      if (it == inPlace.end())
        return value;
      value = it->second;
    }
  };
  // Liveness by root: a view reads and extends its source.
  llvm::SmallDenseMap<Value, size_t, 16> lastUse;
  for (auto [index, op] : llvm::enumerate(ops))
    for (Value value : getReadValues(op))
      lastUse[root(value)] = index;
  SmallVector<SmallVector<Value, 2>> dyingAt(ops.size());
  for (auto [value, last] : lastUse)
    dyingAt[last].push_back(value);
  llvm::SmallDenseSet<Value, 8> outputRoots;
  for (Value output : outputs)
    outputRoots.insert(root(output));
  int64_t missing = 0;
  for (Value output : outputRoots)
    if (definedHere(output))
      missing += bytes.getValueBytes(output);
  int64_t live = 0, transient = 0;
  llvm::SmallDenseSet<Value, 8> liveInputs;
  // An iter_arg is a buffer of its type's bytes.
  auto inputBytes = [&](Value input) {
    if (carried.contains(input) && isa<ShapedType>(input.getType()))
      return bytes.getTypeBytes(input.getType());
    return bytes.getValueBytes(input);
  };
  for (Value input : inputs) {
    Value inputRoot = root(input);
    if (lastUse.count(inputRoot) && liveInputs.insert(inputRoot).second)
      live += inputBytes(inputRoot);
  }
  // An iter_arg written in place into a yield is the caller's result.
  for (Value input : iterArgs)
    if (lastUse.count(input) && !outputRoots.contains(input) &&
        liveInputs.insert(input).second)
      live += inputBytes(input);
  for (auto [index, op] : llvm::enumerate(ops)) {
    for (Value result : op->getResults()) {
      if (root(result) != result)
        continue; // a view: no bytes of its own
      if (outputRoots.contains(result))
        missing -= bytes.getValueBytes(result);
      else
        live += bytes.getValueBytes(result);
    }
    transient = std::max(transient, live - missing +
                                        (nestedBytes ? nestedBytes(op) : 0));
    for (Value result : op->getResults())
      if (root(result) == result && !outputRoots.contains(result) &&
          !lastUse.count(result))
        live -= bytes.getValueBytes(result);
    for (Value value : dyingAt[index])
      if (!outputRoots.contains(value) &&
          (liveInputs.contains(value) || definedHere(value)))
        live -= liveInputs.contains(value) ? inputBytes(value)
                                           : bytes.getValueBytes(value);
  }
  return transient;
}

int64_t mlir::ckpt::getNestedBytes(Operation *op, ByteModel &bytes) {
  if (op->getNumRegions() == 0 || isa<linalg::LinalgOp>(op))
    return 0;
  int64_t most = 0;
  for (Region &region : op->getRegions())
    for (Block &block : region) {
      SmallVector<Operation *> ops;
      llvm::SmallDenseSet<Value, 8> outputs;
      for (Operation &inner : block) {
        if (inner.hasTrait<OpTrait::IsTerminator>())
          outputs.insert(inner.getOperands().begin(), inner.getOperands().end());
        else
          ops.push_back(&inner);
      }
      // From the second iteration on, a loop's iter_args are the previous
      // iteration's yields: buffers of their own, live until their last use.
      SmallVector<BlockArgument> iterArgs;
      if (auto loop = dyn_cast<LoopLikeOpInterface>(op))
        if (&region == loop.getLoopRegions().front())
          llvm::append_range(iterArgs, loop.getRegionIterArgs());
      auto nested = [&](Operation *inner) {
        return getNestedBytes(inner, bytes);
      };
      most = std::max(most, getTransientBytes(ops, outputs, /*inputs=*/{},
                                              bytes, getBufferRoot, nested,
                                              iterArgs));
    }
  return most;
}
