//===- ProgramOrder.h - positions and first/last uses in a block -*- C++
//-*-===//
//
// Where an op sits in the program order of a block, and which ops use a
// value first and last: the one rule that the liveness model, the
// rematerialization's placement and the buffer-lifetime pass share.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_PROGRAMORDER_H
#define CKPT_ANALYSIS_PROGRAMORDER_H

#include "mlir/IR/Block.h"
#include "mlir/IR/Value.h"
#include "mlir/IR/ValueRange.h"
#include "llvm/ADT/DenseMap.h"

namespace mlir::ckpt {

/// Positions of the ops of one block (0 for the first), and the first and
/// last users of values by position. A use inside a nested region counts at
/// its ancestor in the block (the end operation of MLIR's
/// `LivenessBlockInfo`, computed from the users without building live sets
/// for every nested block). Ops created later can be given the position of
/// the op they were inserted before (`setPosition`).
class ProgramOrder {
public:
  explicit ProgramOrder(Block &block);

  Block &getBlock() const { return *block; }
  /// The ops of the block as they were when the order was computed.
  ArrayRef<Operation *> getOps() const { return ops; }
  /// The position of `op`, an op of the block (or one given a position).
  int64_t getPosition(Operation *op) const { return positions.lookup(op); }
  /// Gives `op` (typically one inserted before an existing op) a position.
  void setPosition(Operation *op, int64_t position) {
    positions[op] = position;
  }
  /// The ancestor of `op` (or `op`) in the block, or null if it has none.
  Operation *getTopLevelOp(Operation *op) const {
    return block->findAncestorOpInBlock(*op);
  }

  /// The largest position of an op of the block that uses `value` and
  /// satisfies `filter` (all if null), or `from` if that is larger.
  int64_t getLastUsePosition(
      Value value, int64_t from,
      function_ref<bool(Operation *topLevel)> filter = nullptr) const;

  /// The op of the block with the smallest position that uses one of
  /// `values` and satisfies `filter` (all if null), or null.
  Operation *
  getFirstUser(ValueRange values,
               function_ref<bool(Operation *topLevel)> filter = nullptr) const;

private:
  Block *block;
  SmallVector<Operation *> ops;
  llvm::DenseMap<Operation *, int64_t> positions;
};

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_PROGRAMORDER_H
