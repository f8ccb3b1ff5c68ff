//===- RematerializeForms.h - the apply steps of both forms -----*- C++ -*-===//
//
// Internal to the rematerialization: the apply steps of the joint and the
// split form, called by `rematerialize` once every function has passed its
// checks.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_LIB_DIALECT_CKPT_TRANSFORMS_REMATERIALIZEFORMS_H
#define CKPT_LIB_DIALECT_CKPT_TRANSFORMS_REMATERIALIZEFORMS_H

#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include <vector>

namespace mlir::ckpt::detail {

/// What the rewrite counted, handed to the pass's statistics at the end.
struct Counters {
  int64_t regions = 0, droppedValues = 0, droppedBytes = 0, savedValues = 0,
          clonedOps = 0, barriers = 0;
};

/// "`count` `noun`s", with the plural only when `count` is not 1.
inline std::string pluralize(int64_t count, StringRef noun) {
  return (Twine(count) + " " + noun + (count == 1 ? "" : "s")).str();
}

/// Rematerializes every region of a joint-form `step` (its checkpointed
/// calls already regions), in place, and appends the remarks.
void rematerializeJointForm(RewriterBase &rewriter, const TrainingStep &step,
                            const RematerializeOptions &options,
                            RecomputeSafety &safety, Counters &counters,
                            std::vector<RematerializeRemark> &remarks);

/// Rematerializes the regions that the split-form rewrite cloned into the
/// recompute in `bwd` (nesting, rationale §3.6, as in the joint form): the
/// ops `isOriginal` accepts are `bwd`'s own backward ops; `ownerOf` names the
/// region whose recompute holds each clone. No "never worse" decision
/// (they are inside a recompute).
void rematerializeRecomputedRegions(
    RewriterBase &rewriter, func::FuncOp bwd,
    function_ref<bool(Operation *)> isOriginal,
    const llvm::DenseMap<Operation *, std::string> &ownerOf,
    const RematerializeOptions &options, RecomputeSafety &safety,
    Counters &counters, std::vector<RematerializeRemark> &remarks);

/// Each call to the split-form forward function `fwd` with the call to its
/// backward function that its saved results feed. Fails with an error on a
/// call that does not pair up so.
FailureOr<SmallVector<std::pair<func::CallOp, func::CallOp>>>
getSplitFormCallPairs(func::FuncOp fwd, func::FuncOp bwd);

/// Rematerializes every region of the split-form forward function of
/// `step` (its checkpointed calls already regions), moving recomputes into
/// its backward function, updates both signatures and every call pair, and
/// appends the remarks. Fails (with an error) only if a call pair cannot be
/// updated.
LogicalResult rematerializeSplitForm(RewriterBase &rewriter,
                                     const TrainingStep &step,
                                     const RematerializeOptions &options,
                                     RecomputeSafety &safety,
                                     Counters &counters,
                                     std::vector<RematerializeRemark> &remarks);

} // namespace mlir::ckpt::detail

#endif // CKPT_LIB_DIALECT_CKPT_TRANSFORMS_REMATERIALIZEFORMS_H
