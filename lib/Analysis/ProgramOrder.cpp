//===- ProgramOrder.cpp - positions and first/last uses in a block -------===//

#include "ckpt/Analysis/ProgramOrder.h"

#include "mlir/IR/Operation.h"

using namespace mlir;
using namespace mlir::ckpt;

ProgramOrder::ProgramOrder(Block &block) : block(&block) {
  // Sized once: growing the map of a 100k-op graph step by step rehashes
  // every entry several times.
  size_t numOps = block.getOperations().size();
  ops.reserve(numOps);
  positions.reserve(numOps);
  for (Operation &op : block) {
    positions[&op] = ops.size();
    ops.push_back(&op);
  }
}

int64_t ProgramOrder::getLastUsePosition(
    Value value, int64_t from,
    function_ref<bool(Operation *topLevel)> filter) const {
  int64_t last = from;
  for (Operation *user : value.getUsers()) {
    Operation *top = getTopLevelOp(user);
    if (top && (!filter || filter(top)))
      last = std::max(last, getPosition(top));
  }
  return last;
}

Operation *ProgramOrder::getFirstUser(
    ValueRange values, function_ref<bool(Operation *topLevel)> filter) const {
  Operation *first = nullptr;
  for (Value value : values) {
    for (Operation *user : value.getUsers()) {
      Operation *top = getTopLevelOp(user);
      if (!top || (filter && !filter(top)))
        continue;
      if (!first || getPosition(top) < getPosition(first))
        first = top;
    }
  }
  return first;
}
