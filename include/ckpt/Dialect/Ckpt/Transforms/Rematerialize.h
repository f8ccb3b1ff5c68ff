//===- Rematerialize.h - the rematerialization's public entry ---*- C++ -*-===//
//
// `rematerialize`: the core of `ckpt-rematerialize` (rationale §3) without a
// pass manager, for other tools and for `ckpt-annotate`; and the
// post-condition that `ckpt-verify` checks.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/Recomputability.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/PatternMatch.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/Statistic.h"
#include <string>
#include <vector>

namespace mlir::ckpt {

/// What `rematerialize` may store and recompute.
struct RematerializeOptions {
  /// Region results stored beyond the saved set correctness requires
  /// (PyTorch's selective checkpointing `context_fn`).
  SavePolicy policy = SavePolicy::RecomputeAll;
  /// Op names (`dialect.op`) whose results every region stores, added to
  /// each region's `save` attribute.
  SmallVector<std::string> saveOps;
  /// External callees whose names this regex matches (whole name) may be
  /// recomputed; null: none.
  const llvm::Regex *assumePure = nullptr;
  /// Which ops are collectives (saved, never replayed, unless
  /// `collectives.recompute`).
  CollectivePolicy collectives;
  /// Rematerialize every region, even one whose recompute would raise the
  /// estimated peak ("never worse", rationale §3.9, is off).
  bool force = false;
  /// The byte model's assumptions (dynamic dimensions).
  CostModelOptions cost;

  /// Re-plan constraints. `rematerialize` sets them itself when a plan its
  /// incremental "never worse" estimate accepted raised the memory report's
  /// peak of the rewritten function (rationale §3.9: the report's figure is
  /// the one the rule promises), and rewrites the function again from its
  /// original body. With `nestedRecompute` false, a region cloned into
  /// another region's recompute is inlined there (its ops are recomputed
  /// with the outer region's, nothing is rematerialized inside the
  /// recompute, rationale §3.6).
  bool nestedRecompute = true;
  /// Per training step (a joint-form step or a split-form forward
  /// function, by name): how many of its top-level regions, counted from the
  /// last in program order once checkpointed calls are regions, keep
  /// everything, as if not annotated (inlined in place, nothing dropped).
  llvm::StringMap<size_t> keptLastRegions;
};

/// Counters the rewrite adds to; each may be null. A pass hands in its
/// `llvm::Statistic`s (as Mem2Reg's `Mem2RegStatistics` does).
struct RematerializeStatistics {
  llvm::Statistic *regions = nullptr;
  llvm::Statistic *droppedValues = nullptr;
  llvm::Statistic *droppedBytes = nullptr;
  llvm::Statistic *savedValues = nullptr;
  llvm::Statistic *clonedOps = nullptr;
  llvm::Statistic *barriers = nullptr;
};

/// Which remarks `ckpt-rematerialize` emits.
enum class RemarkLevel {
  /// None (warnings and errors still appear).
  None,
  /// One summary per training step and one remark per region that changed
  /// something (the default).
  Changed,
  /// One remark per region, changed or not, and no summary.
  Regions,
  /// Everything: summaries and every region.
  All,
};

/// A diagnostic the rewrite has to give about one region or function, with
/// its notes (each kept value and why); emitted by the caller.
struct RematerializeRemark {
  enum class Kind {
    /// The summary of one training step.
    Summary,
    /// A region that changed something (values dropped and recomputed).
    Changed,
    /// A region that changed nothing (no backward use, everything kept, or
    /// skipped by "never worse" where ckpt-annotate created it).
    Unchanged,
    /// A region the user annotated that "never worse" skipped: a warning,
    /// whatever the remark level.
    Warning,
  };
  Location loc;
  std::string message;
  SmallVector<std::pair<Location, std::string>> notes;
  Kind kind = Kind::Changed;

  /// True if the remark is shown at `level` (warnings always are).
  bool isShownAt(RemarkLevel level) const {
    switch (kind) {
    case Kind::Warning:
      return true;
    case Kind::Summary:
      return level == RemarkLevel::Changed || level == RemarkLevel::All;
    case Kind::Changed:
      return level != RemarkLevel::None;
    case Kind::Unchanged:
      return level == RemarkLevel::Regions || level == RemarkLevel::All;
    }
    return false;
  }
};

/// Drops the stored intermediates of every checkpointed region in the
/// training steps of `module` and recomputes them in the backward part
/// (rationale §3: saved set, early stop, placement before the first backward
/// use, `ckpt.barrier`, nesting, never worse), for joint-form steps and
/// split-form pairs, and consumes every `ckpt.checkpoint` annotation.
///
/// Every function is checked before the first change: on an error (emitted
/// as a located diagnostic) the module is left unchanged and the result is
/// failure. On success returns the remarks, in program order, without
/// emitting them.
FailureOr<std::vector<RematerializeRemark>>
rematerialize(RewriterBase &rewriter, ModuleOp module,
              const RematerializeOptions &options,
              RematerializeStatistics statistics = {});

/// The post-condition of `ckpt-rematerialize` (rationale §3.10): no tensor
/// result of an op with a dropped trace is used by an op outside the forward
/// part of its training step (see `TrainingStep`), and no split-form
/// forward function saves a dropped value. Emits one error per offending use
/// (at the user, with a note at the dropped value) and fails if there is
/// any, or if a training step is malformed.
LogicalResult verifyNoDroppedValueInBackward(ModuleOp module);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
