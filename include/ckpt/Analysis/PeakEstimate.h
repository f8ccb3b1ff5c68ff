//===- PeakEstimate.h - live bytes as regions are rematerialized -*- C++
//-*-===//
//
// The estimate behind the "never worse" rule (rationale §3.9): the live bytes
// of a function over its original schedule, updated region by region as the
// rematerialization drops stored values and inserts recomputes.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_PEAKESTIMATE_H
#define CKPT_ANALYSIS_PEAKESTIMATE_H

#include "ckpt/Analysis/CostModel.h"
#include "mlir/IR/Operation.h"
#include "llvm/ADT/DenseSet.h"
#include <vector>

namespace mlir::ckpt {

/// Live bytes over the positions of a schedule, with range updates: a
/// segment tree with lazy range add and range max, so the peak after each
/// change is known in O(log n) per changed range.
class LiveBytesTimeline {
public:
  /// Starts from `bytes` (live bytes at each position; at least one
  /// position is kept even for an empty schedule).
  explicit LiveBytesTimeline(ArrayRef<int64_t> bytes);

  /// Adds `delta` bytes at positions [lo, hi] (nothing if lo > hi).
  void add(int64_t lo, int64_t hi, int64_t delta);
  /// The largest live bytes at any position.
  int64_t max() const { return maxTree[1]; }
  /// The live bytes at `position`.
  int64_t at(int64_t position) const;

private:
  void build(size_t node, int64_t l, int64_t r, ArrayRef<int64_t> bytes);
  void add(size_t node, int64_t l, int64_t r, int64_t lo, int64_t hi,
           int64_t delta);
  int64_t query(size_t node, int64_t l, int64_t r, int64_t position) const;

  size_t size;
  std::vector<int64_t> maxTree, pending;
};

/// The most bytes that `ops`, run in order, hold beyond `outputs` (values the
/// caller's estimate already counts as live): `inputs` (live when the first
/// op starts) and intermediates live until their last use in `ops`, minus
/// the outputs not produced yet. At least 0. Liveness is by root: `rootOf`
/// maps a value to the one whose buffer it is (itself, or the source of a
/// view, across a region's boundary; identity if null), so a view takes no
/// bytes and extends its source; so does a result written in place into a
/// buffer allocated in `ops` (`getInPlaceResults`; an input may be read
/// after `ops`, so nothing is written in place into one). Bytes are
/// `ByteModel::getValueBytes` of roots. While an op with regions runs, its
/// bodies' own bytes are on top (`nestedBytes(op)`, 0 if null), added at
/// its step as the caller's profile adds them. `iterArgs` are a loop body's
/// iter_args: buffers of their type's bytes (from the second iteration on,
/// the previous iteration's yields), live until their last use in `ops`,
/// writable in place; one written in place into an output is that output.
int64_t getTransientBytes(ArrayRef<Operation *> ops,
                          const llvm::SmallDenseSet<Value, 8> &outputs,
                          ArrayRef<Value> inputs, ByteModel &bytes,
                          function_ref<Value(Value)> rootOf = nullptr,
                          function_ref<int64_t(Operation *)> nestedBytes =
                              nullptr,
                          ArrayRef<BlockArgument> iterArgs = {});

/// The most bytes `op`'s regions hold while it runs, beyond the values
/// their terminators yield (the op's results, which the caller counts): for
/// each block of each region, `getTransientBytes` of its ops with the
/// terminator's operands as outputs, recursively for ops nested deeper; the
/// largest over regions (an `scf.if` runs one branch, an `scf.for` body runs
/// one iteration at a time, its iter_args being the caller's inits or the
/// previous iteration's yields, of the same bytes). Roots by
/// `getBufferRoot`. 0 for ops without regions and for linalg ops (their
/// bodies compute scalars). Source: rationale §5; the lowering bufferizes
/// loops with `allow-return-allocs-from-loops`, so each iteration allocates
/// its yields and frees the previous ones (corpus loop-layers.mlir).
int64_t getNestedBytes(Operation *op, ByteModel &bytes);

} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_PEAKESTIMATE_H
