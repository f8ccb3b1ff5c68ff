//===- RematerializationAnalysis.h - per-region plans -----------*- C++ -*-===//
//
// The analysis half of the rematerialization (rationale §3): for one
// checkpointed region, before anything changes, which of its values the
// backward part reads are recomputed and which are kept (and why), the slice
// to clone, the saved values that slice reads, where the recompute goes and
// what it does to the estimated peak. The apply steps
// (RematerializeJointForm.cpp, RematerializeSplitForm.cpp) only execute
// these plans, as One-Shot Bufferize's analysis and rewrite, or Mem2Reg's
// analyzer and promoter, are split.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZATIONANALYSIS_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZATIONANALYSIS_H

#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/PeakEstimate.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/ADT/StringSet.h"
#include <optional>

namespace mlir::ckpt {

/// A value of a region that the backward part reads and that stays stored.
struct KeptValue {
  Value value;
  SaveReason reason;
  /// Where it is defined (the region's location for a region input), without
  /// the region trace.
  Location loc;
};

/// The plan of one checkpointed region, computed from the region op before
/// it changes. Values are those of the region's body: a block argument
/// stands for the region's operand of the same index, a yielded value for
/// the region's result.
struct RegionPlan {
  CheckpointOp region;
  /// The values the backward part reads that are recomputed (yielded body
  /// values, each once, in the order of the region's results).
  SmallVector<Value> dropped;
  /// The values the backward part reads that stay stored, with the reason.
  SmallVector<KeptValue> kept;
  /// The backward-needed slice ("early stop", PyTorch's checkpoint): the body
  /// ops to clone, in body order.
  SmallVector<Operation *> clones;
  /// The saved values the clones read: block arguments (region inputs) first,
  /// then body values, each in order.
  SmallVector<Value> savedInputs;
  /// Body ops that are recomputed and all of whose tensor results are
  /// (what the `ckpt.dropped` trace marks, read by `ckpt-verify`).
  llvm::SmallPtrSet<Operation *, 16> droppedOps;
  /// Joint form: the first backward op that reads a dropped value (the
  /// recompute goes right before it) and the nearest backward value before
  /// it (what the barrier is ordered after; null if none).
  Operation *insertBefore = nullptr;
  Value orderAfter;
  /// "Never worse" (rationale §3.9): skipped because the estimated peak would
  /// rise from `peakBefore` to `peakAfter` bytes; or rematerialized without
  /// lowering the peak or the bytes live at the forward->backward boundary.
  bool skipped = false;
  /// Skipped by a re-plan (`RematerializeOptions::keptLastRegions`,
  /// `nestedRecompute`), not by the incremental estimate.
  bool replanned = false;
  bool noBenefit = false;
  int64_t peakBefore = 0, peakAfter = 0;
  /// Bytes of the dropped values (`ByteModel::getValueBytes` of their roots:
  /// a view counts its source), and whether a dynamic dimension was assumed
  /// for them.
  int64_t droppedBytes = 0;
  bool droppedBytesAssumed = false;

  /// True if the region's values are recomputed (some are dropped and the
  /// region is not skipped).
  bool rematerializes() const { return !dropped.empty() && !skipped; }
};

/// The saved set and the backward-needed slice of one region (rationale
/// §3.1-3.2), shared by the joint and the split form.
class SavedSetAnalysis {
public:
  /// `saveNames` are the op names the region's policy stores. Nullary ops
  /// (constants, `tensor.empty`) are kept like inputs when `keepNullary`
  /// (joint form: they reach the recompute through the barrier, so a later
  /// `cse` cannot merge a clone back through them), and recomputed otherwise
  /// (split form: the recompute is in another function).
  SavedSetAnalysis(CheckpointOp region, RecomputeSafety &safety,
                   SavePolicy policy, const llvm::StringSet<> &saveNames,
                   bool keepNullary);

  /// Why `value` (of the region's body) is kept, or Recompute.
  SaveReason getValueReason(Value value);

  /// Fills `plan.dropped`, `plan.kept`, `plan.clones`, `plan.savedInputs`
  /// and `plan.droppedOps` for the body values in `needed` (yielded values
  /// the backward part reads; a repeated value counts once).
  void computePlan(ArrayRef<Value> needed, RegionPlan &plan);

  /// Keeps `value` (of the body) for `reason` from now on, overriding what
  /// the rules decided; `computePlan` must be called again.
  void keep(Value value, SaveReason reason) { valueReasons[value] = reason; }

private:
  SaveReason getOpReason(Operation *op);
  SaveReason computeValueReason(Value value);
  bool isDroppedOp(Operation *op);

  CheckpointOp region;
  llvm::SmallPtrSet<Operation *, 16> inRegion;
  RecomputeSafety &safety;
  SavePolicy policy;
  const llvm::StringSet<> &saveNames;
  bool keepNullary;
  llvm::SmallDenseMap<Operation *, SaveReason, 16> opReasons;
  llvm::SmallDenseMap<Value, SaveReason, 16> valueReasons;
  CheapValues cheap;
};

/// The value whose bytes `value` (of `region`'s body, or outside it) takes:
/// it, or the source its views lead to, crossing the region's boundary from
/// a block argument to its operand.
Value getRoot(CheckpointOp region, Value value);

/// Op names whose results `region` stores: its own `save` list, then the
/// pass-wide `saveOps`.
llvm::StringSet<> getSaveNames(CheckpointOp region,
                               ArrayRef<std::string> saveOps);

/// The analysis of one joint-form training step as its regions are
/// rematerialized one after the other (outermost first, rationale §3.6): the
/// program order and backward part of the body before any change, and the
/// estimated live bytes, which each accepted plan updates. Regions cloned
/// into a recompute are analyzed on their copy, after the plan that cloned
/// them was applied (`setPosition` gives their position).
class JointFormAnalysis {
public:
  /// `step` is a joint-form training step whose checkpointed calls are
  /// regions already. Each top-level region op counts its internal bytes as
  /// a transient at its position.
  JointFormAnalysis(const TrainingStep &step,
                    const RematerializeOptions &options,
                    RecomputeSafety &safety);
  /// The same on `func` (single-block body), whose backward ops are those
  /// `isBackward` accepts; with `decideByPeak` false no region is decided by
  /// the estimated peak (regions cloned into a recompute in another
  /// function: the split form's backward function).
  JointFormAnalysis(func::FuncOp func,
                    function_ref<bool(Operation *)> isBackward,
                    bool decideByPeak, const RematerializeOptions &options,
                    RecomputeSafety &safety);

  /// The plan of `region`: a top-level region of the original body (the
  /// only kind the "never worse" rule decides on) or one cloned into an
  /// earlier recompute. An accepted plan updates the estimate.
  /// With `keep` (or `region` one of the top-level regions that
  /// `RematerializeOptions::keptLastRegions` names) the plan is skipped:
  /// `region` keeps everything and the estimate is not changed.
  RegionPlan plan(CheckpointOp region, bool keep = false);

  /// The schedule position of a top-level op (one of the original body,
  /// or one given a position).
  int64_t getPosition(Operation *op) const { return order.getPosition(op); }
  /// Gives an op that applying a plan created (a clone, a barrier: the
  /// position of the op it was inserted before) or moved (an inlined body op:
  /// its region's) the position later plans see it at.
  void setPosition(Operation *op, int64_t position) {
    order.setPosition(op, position);
  }
  /// Makes the "never worse" rule decide on `region` too: a region that
  /// inlining its enclosing region (kept or rematerialized) left in the
  /// forward at the top level of the body, priced at its enclosing region's
  /// position. (Not rejecting it let the rewrite raise the peak: fuzz seeds
  /// 906, 2690 and 4134, test/fuzz/reproducers.)
  void decideByPeakToo(CheckpointOp region) {
    if (decideByPeak)
      originalRegions.insert(region);
  }
  /// True if `op` is a backward op of the original body or nested in one.
  bool isBackwardUse(Operation *op) const;
  /// True if `op` is a top-level backward op of the original body.
  bool isOriginalBackwardOp(Operation *op) const {
    return backwardOps.contains(op);
  }
  /// The nearest backward value before `op`, an op of the original body
  /// (what a barrier inserted right before it is ordered after), or null.
  Value getPreviousBackwardValue(Operation *op) const {
    return previousBackwardValues[order.getPosition(op)];
  }

private:
  bool acceptRecompute(RegionPlan &plan, int64_t regionPosition);
  /// The insertion point and barrier order of `plan` (from its dropped
  /// values), and the dropped bytes.
  void place(RegionPlan &plan);
  /// The last positions of the users of `root` and of its views, through
  /// `plan.region`'s boundary, outside the region's body: `kept` (at least
  /// `from`, which stands for the uses inside the body) for uses that stay
  /// on the original after the plan, `moved` for the backward uses of
  /// dropped results, which the recompute takes over (-1 if none).
  std::pair<int64_t, int64_t> getLastUses(const RegionPlan &plan, Value root,
                                          int64_t from);

  const RematerializeOptions &options;
  RecomputeSafety &safety;
  ByteModel bytes;
  ProgramOrder order;
  bool decideByPeak;
  llvm::DenseSet<Operation *> backwardOps;
  /// For each original top-level op, by position, the nearest backward value
  /// before it (what a barrier inserted there is ordered after), or null.
  SmallVector<Value> previousBackwardValues;
  /// Regions at the top level of the body before any rewrite, and those
  /// `decideByPeakToo` added: the ones the "never worse" rule decides on.
  llvm::DenseSet<Operation *> originalRegions;
  /// The top-level regions a re-plan keeps (`keptLastRegions`).
  llvm::DenseSet<Operation *> keptRegions;
  std::optional<LiveBytesTimeline> timeline;
  /// For each original top-level op, by position, the bytes the profile
  /// charges its results (0 for views and results written in place).
  SmallVector<int64_t> chargedResultBytes;
  /// Position of the first backward op that reads a value (the boundary).
  int64_t boundaryPosition = 0;
};

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZATIONANALYSIS_H
