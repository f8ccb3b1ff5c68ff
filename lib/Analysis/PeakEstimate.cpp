//===- PeakEstimate.cpp - live bytes as regions are rematerialized -------===//

#include "ckpt/Analysis/PeakEstimate.h"

#include "ckpt/Analysis/MemoryProfile.h"
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

int64_t
mlir::ckpt::getTransientBytes(ArrayRef<Operation *> ops,
                              const llvm::SmallDenseSet<Value, 8> &outputs,
                              ArrayRef<Value> inputs, ByteModel &bytes,
                              function_ref<Value(Value)> outer) {
  auto bytesOf = [&](Value value) {
    return bytes.getValueBytes(outer ? outer(value) : value);
  };
  llvm::SmallDenseMap<Value, size_t, 16> lastUse;
  for (auto [index, op] : llvm::enumerate(ops))
    for (Value value : getReadValues(op))
      lastUse[value] = index;
  SmallVector<SmallVector<Value, 2>> dyingAt(ops.size());
  for (auto [value, last] : lastUse)
    dyingAt[last].push_back(value);
  llvm::SmallPtrSet<Operation *, 16> inOps(ops.begin(), ops.end());
  int64_t missing = 0;
  for (Value output : outputs)
    missing += bytesOf(output);
  int64_t live = 0, transient = 0;
  llvm::SmallDenseSet<Value, 8> liveInputs;
  for (Value input : inputs)
    if (lastUse.count(input) && liveInputs.insert(input).second)
      live += bytesOf(input);
  for (auto [index, op] : llvm::enumerate(ops)) {
    for (Value result : op->getResults()) {
      if (outputs.contains(result))
        missing -= bytesOf(result);
      else
        live += bytesOf(result);
    }
    transient = std::max(transient, live - missing);
    for (Value result : op->getResults())
      if (!outputs.contains(result) && !lastUse.count(result))
        live -= bytesOf(result);
    for (Value value : dyingAt[index])
      if (!outputs.contains(value) &&
          (liveInputs.contains(value) || inOps.contains(value.getDefiningOp())))
        live -= bytesOf(value);
  }
  return transient;
}
