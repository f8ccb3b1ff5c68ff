//===- ForwardBackward.h - forward/backward split of a joint graph -*- C++ -*-//
//
// The forward and backward parts of a joint-form training step (DESIGN §1).
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_FORWARDBACKWARD_H
#define CKPT_ANALYSIS_FORWARDBACKWARD_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::ckpt {

/// The split of a joint-form function into its forward and backward parts.
///
/// The forward part is every op of the body's (single) block that one of the
/// forward results depends on, transitively, through operands and through
/// values used inside nested regions; the forward results are the result
/// indices in the `ckpt.forward_results` attribute (default `[0]`, the loss),
/// as in PyTorch's AOTAutograd joint graph. The backward part is every other
/// op of that block, the terminator excepted. Nested ops belong to the part of
/// their ancestor in the body block.
///
/// The backward slice of the forward results (what MLIR's `getBackwardSlice`
/// computes with `omitUsesFromAbove = false`), found by one reverse sweep
/// over the block, which is in SSA order: linear in the number of ops and
/// without `getBackwardSlice`'s recursion, whose depth is the longest
/// def-use chain (tens of thousands of frames on a deep training graph).
class ForwardBackwardPartition {
public:
  /// Computes the split of `func`. Fails with an error at the function when
  /// `func` is external, its body has more than one block, or
  /// `ckpt.forward_results` is not an array of distinct in-range integers.
  static FailureOr<ForwardBackwardPartition> compute(func::FuncOp func);
  /// As above, and calls `visit` on each op of the body block (terminator
  /// included), from the last to the first, as soon as its part is known:
  /// `partial` then answers `isForward`/`isBackward` for that op and every
  /// op after it (what a single pass over the graph, like `ckpt-verify`'s,
  /// needs about the users of a value).
  static FailureOr<ForwardBackwardPartition>
  compute(func::FuncOp func,
          function_ref<void(const ForwardBackwardPartition &partial,
                            Operation *op)>
              visit);

  /// The forward result indices (sorted, distinct).
  ArrayRef<int64_t> getForwardResults() const { return forwardResults; }

  /// The ancestor of `op` (or `op` itself) whose parent block is the body
  /// block, or null if `op` is not inside the function.
  Operation *getTopLevelOp(Operation *op) const;

  /// True if `op` (or its ancestor in the body block) is in the forward part.
  bool isForward(Operation *op) const;

  /// True if `op` (or its ancestor in the body block) is in the backward
  /// part; the function's terminator is in neither part.
  bool isBackward(Operation *op) const;

  /// The body block of the function.
  Block *getBody() const { return body; }

private:
  ForwardBackwardPartition(Block *body) : body(body) {}

  Block *body;
  SmallVector<int64_t> forwardResults;
  llvm::DenseSet<Operation *> forwardOps;
};

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_FORWARDBACKWARD_H
