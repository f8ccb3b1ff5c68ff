//===- MemoryProfile.h - live tensor bytes over program order ----*- C++
//-*-===//
//
// The liveness part of rationale §5: live tensor bytes at every op of a
// function's body, in program order, and the peak.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_ANALYSIS_MEMORYPROFILE_H
#define CKPT_ANALYSIS_MEMORYPROFILE_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/ProgramOrder.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::ckpt {

/// Values `op` reads: its operands, then the values its regions use from
/// above (MLIR's `getUsedValuesDefinedAbove`). A read inside a nested region
/// counts at `op`, as in the profile. Small set: no heap allocation for up to
/// four values (this runs for every op of large graphs).
llvm::SmallSetVector<Value, 4> getReadValues(Operation *op);

/// The operand whose buffer `result` is a view of (no new bytes), or null:
/// results of `tensor.extract_slice`, `tensor.collapse_shape`,
/// `tensor.expand_shape`, `tensor.cast`, `ckpt.barrier`, memref views
/// (`ViewLikeOpInterface`), and the result of a `ckpt.checkpoint` that
/// yields one of its inputs (or a view of one).
Value getAliasedOperand(OpResult result);

/// The value whose buffer `value` is: itself, or the source its views lead
/// to (`getAliasedOperand`), crossing from a block argument of a
/// `ckpt.checkpoint` body to the region's operand.
Value getBufferRoot(Value value);

/// Calls `callback` on every use of `value` and of the views of it, each
/// view once: the results `r` of a user with `getAliasedOperand(r)` the used
/// value (slices, reshapes, casts, barriers, memref views). The one walk of
/// a buffer's uses (its first and last user, who reads it) for the
/// segmentation model and ckpt-shrink-buffer-lifetimes.
void forEachBufferUse(Value value, function_ref<void(OpOperand &use)> callback);

/// Results of `ops` that One-Shot Bufferize writes in place into the buffer
/// of their tied init (`DestinationStyleOpInterface::getTiedOpOperand`),
/// mapped to that init operand: `linalg.matmul ins(..) outs(%fill)` where
/// nothing reads `%fill` (or a view of it) after the matmul reuses the
/// fill's buffer instead of allocating a copy. Decided bottom-up, as One-Shot
/// Bufferize's default heuristic does (later writes first), by its
/// read-after-write conflict rules: a result qualifies when its init's
/// buffer (by `rootOf`, the view source chain, identity if null, and the
/// in-place results decided so far)
///   (1) satisfies `isWritable` and is not an empty tensor (a
///       `tensor.empty`, an `alloc_tensor` without copy, or a barrier or
///       view of one: the writer's result is a fresh buffer, since the
///       lowering gives each user its own empty tensor,
///       `ckpt-clone-empty-tensors`);
///   (2) holds a value that nothing reads after this op (`liveAfter` are
///       values read after `ops`, such as a region's yielded values), and
///       that another operand of this op reads only element by element (a
///       linalg op with only parallel loops and the init's indexing map);
///   (3) is not overwritten in place by a later op while this result, or
///       what is written in place into it, is still read (the last reader
///       may overwrite it element by element).
/// Uses inside nested regions count at their op in `ops`
/// (`getReadValues`). Checked against the lowered buffers in
/// test/Analysis/liveness.mlir.
llvm::DenseMap<Value, Value>
getInPlaceResults(ArrayRef<Operation *> ops, ArrayRef<Value> liveAfter,
                  function_ref<Value(Value)> rootOf,
                  function_ref<bool(Value root)> isWritable);

/// Live tensor bytes at each op of a single-block function body, in program
/// order (the schedule the backend will follow before any reordering).
///
/// Model (rationale §5): a value is live from the op that defines it to the
/// last op of the body that uses it or a view of it (the end operation of
/// MLIR's `LivenessBlockInfo` for a single block; uses inside nested regions
/// count at their top-level ancestor). At op i the live set holds op i's
/// results and every value whose last use is at or after i. Bytes are
/// `ByteModel::getValueBytes`: views (`getAliasedOperand`) and results
/// written in place into a dying init or a function argument
/// (`getInPlaceResults`; arguments are writable under One-Shot Bufferize's
/// function-boundary mode) take none and extend their source's range;
/// results of ops with no operands and no regions (constants,
/// `tensor.empty`) take none: constants become read-only
/// globals and an empty tensor is materialized by the op that fills it.
/// Function arguments (inputs, weights) belong to the caller and are counted
/// apart, in `getArgumentBytes`. An op with regions is one step that also
/// holds the most bytes its bodies need beyond what they yield
/// (`getNestedBytes`): a `ckpt.checkpoint`'s body, as it will once it is
/// inlined; one iteration of an `scf.for`; the larger branch of an `scf.if`.
/// A `func.call` is one step with its results: what the callee
/// holds while it runs is not counted here; the memory report profiles a
/// copy of the function with its calls inlined (`cloneWithCallsInlined`),
/// as the lowering inlines them.
class MemoryProfile {
public:
  /// Fails with an error at `func` if it is external or its body has more
  /// than one block.
  static FailureOr<MemoryProfile> compute(func::FuncOp func,
                                          const CostModelOptions &options);

  /// The body's ops in program order (terminator included).
  ArrayRef<Operation *> getSchedule() const { return order.getOps(); }
  /// The positions of the body's ops, and first/last users by position.
  const ProgramOrder &getProgramOrder() const { return order; }
  /// Live bytes at each schedule position (same length as getSchedule).
  ArrayRef<int64_t> getLiveBytes() const { return liveBytes; }
  /// The largest live bytes and the first position where it occurs (-1 for an
  /// empty body).
  int64_t getPeakBytes() const { return peakBytes; }
  int64_t getPeakPosition() const { return peakPosition; }
  /// Bytes of the function's arguments.
  int64_t getArgumentBytes() const { return argumentBytes; }
  /// The schedule position of a top-level op.
  int64_t getPosition(Operation *op) const { return order.getPosition(op); }
  /// The operand whose buffer `result` is: its view source
  /// (`getAliasedOperand`) or the init it is written in place into
  /// (`getInPlaceResults`); null for a result with a buffer of its own.
  Value getAliasSource(OpResult result) const;
  /// The value whose bytes `value` shares (itself unless it is a view or an
  /// in-place result), following `getAliasSource`.
  Value getAliasRoot(Value value) const;
  /// The bytes the model charges to `value` (0 for views, nullary results
  /// and arguments).
  int64_t getChargedBytes(Value value) const;
  /// True if a dynamic dimension had to be assumed.
  bool usedAssumption() const { return assumed; }

private:
  explicit MemoryProfile(Block &body) : order(body) {}

  ProgramOrder order;
  SmallVector<int64_t> liveBytes;
  llvm::DenseMap<Value, int64_t> chargedBytes;
  llvm::DenseMap<Value, Value> inPlaceInits;
  int64_t peakBytes = 0;
  int64_t peakPosition = -1;
  int64_t argumentBytes = 0;
  bool assumed = false;
};
} // namespace mlir::ckpt

#endif // CKPT_ANALYSIS_MEMORYPROFILE_H
