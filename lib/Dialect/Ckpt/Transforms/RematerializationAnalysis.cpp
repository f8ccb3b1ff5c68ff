//===- RematerializationAnalysis.cpp - per-region plans ---------*- C++ -*-===//
//
// Decides, for one checkpointed region before it changes, what is dropped,
// what is kept and why, what to clone, where, and what that does to the
// estimated peak (rationale §3.1-3.3, §3.9). Changes no IR.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/Transforms/RematerializationAnalysis.h"

#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "ckpt-rematerialize"

using namespace mlir;
using namespace mlir::ckpt;

namespace {
bool isRecomputableType(Type type) { return isa<TensorType, VectorType>(type); }

} // namespace

llvm::StringSet<> mlir::ckpt::getSaveNames(CheckpointOp region,
                                           ArrayRef<std::string> saveOps) {
  llvm::StringSet<> saveNames;
  if (ArrayAttr save = region.getSaveAttr())
    for (StringRef name : save.getAsValueRange<StringAttr>())
      saveNames.insert(name);
  for (const std::string &name : saveOps)
    saveNames.insert(name);
  return saveNames;
}

//===----------------------------------------------------------------------===//
// SavedSetAnalysis
//===----------------------------------------------------------------------===//

SavedSetAnalysis::SavedSetAnalysis(CheckpointOp region, RecomputeSafety &safety,
                                   SavePolicy policy,
                                   const llvm::StringSet<> &saveNames,
                                   bool keepNullary)
    : region(region), safety(safety), policy(policy), saveNames(saveNames),
      keepNullary(keepNullary) {
  for (Operation &op : region.getBodyBlock().without_terminator())
    inRegion.insert(&op);
}

SaveReason SavedSetAnalysis::getOpReason(Operation *op) {
  auto [it, inserted] = opReasons.try_emplace(op, SaveReason::Recompute);
  if (!inserted)
    return it->second;
  SaveReason reason = safety.classify(op);
  if (reason == SaveReason::Recompute && keepNullary && isNullary(op))
    reason = SaveReason::Nullary;
  else if (reason == SaveReason::Recompute &&
           (saveNames.contains(op->getName().getStringRef()) ||
            (isa<CallOpInterface>(op) && saveNames.contains(getSaveEntry(op))) ||
            (policy == SavePolicy::SaveContractions && isContractionOp(op))))
    reason = SaveReason::Policy;
  opReasons[op] = reason;
  return reason;
}

SaveReason SavedSetAnalysis::getValueReason(Value value) {
  auto it = valueReasons.find(value);
  if (it != valueReasons.end())
    return it->second;
  SaveReason reason = computeValueReason(value);
  valueReasons[value] = reason;
  return reason;
}

SaveReason SavedSetAnalysis::computeValueReason(Value value) {
  Operation *def = value.getDefiningOp();
  if (!def || !inRegion.contains(def))
    return SaveReason::RegionInput;
  SaveReason reason = getOpReason(def);
  if (reason != SaveReason::Recompute)
    return reason;
  if (!isRecomputableType(value.getType()) && !isNullary(def))
    return SaveReason::Scalar;
  // Also an input of another region outside this one, which stores it
  // anyway: a region op, or the barrier that hands a region already
  // rewritten its saved inputs for the recompute (a nested region planned
  // after the checkpointed call that reads its output; fuzz seed 216).
  // Through views on both sides of the boundary: a view shares the buffer,
  // so a region that saves a reshape of the value stores the value (once
  // canonicalize folds a reshape pair, its recompute reads the value
  // itself; fuzz seed 7100).
  bool inputOfRegion = false;
  Operation *yield = region.getBodyBlock().getTerminator();
  forEachBufferUse(value, [&](OpOperand &use) {
    if (use.getOwner() != yield)
      return;
    forEachBufferUse(region->getResult(use.getOperandNumber()),
                     [&](OpOperand &outer) {
                       inputOfRegion |=
                           isa<CheckpointOp, BarrierOp>(outer.getOwner());
                     });
  });
  return inputOfRegion ? SaveReason::InputOfRegion : SaveReason::Recompute;
}

bool SavedSetAnalysis::isDroppedOp(Operation *op) {
  // Cheap values are not activations: whoever needs one recomputes it, and
  // a cleanup may share one between forward and backward without a leak.
  if (getOpReason(op) != SaveReason::Recompute || cheap.isCheapOp(op))
    return false;
  bool anyTensor = false;
  for (Value result : op->getResults()) {
    if (!isRecomputableType(result.getType()))
      continue;
    anyTensor = true;
    if (getValueReason(result) != SaveReason::Recompute)
      return false;
  }
  return anyTensor;
}

void SavedSetAnalysis::computePlan(ArrayRef<Value> needed, RegionPlan &plan) {
  plan.dropped.clear();
  plan.kept.clear();
  plan.clones.clear();
  plan.savedInputs.clear();
  plan.droppedOps.clear();
  // Dropped and kept values.
  llvm::SmallDenseSet<Value, 8> seen;
  for (Value value : needed) {
    if (!seen.insert(value).second)
      continue;
    SaveReason reason = getValueReason(value);
    if (reason == SaveReason::Recompute) {
      plan.dropped.push_back(value);
      continue;
    }
    Operation *def = value.getDefiningOp();
    Location loc = def ? def->getLoc() : region.getLoc();
    plan.kept.push_back({value, reason, stripRegionTrace(loc)});
  }

  // The slice that recomputes the dropped values, down to saved values
  // (early stop).
  llvm::SmallPtrSet<Operation *, 16> toClone;
  llvm::SmallDenseSet<Value, 8> saved;
  SmallVector<Value> stack(plan.dropped.begin(), plan.dropped.end());
  while (!stack.empty()) {
    Value value = stack.pop_back_val();
    if (getValueReason(value) != SaveReason::Recompute) {
      saved.insert(value);
      continue;
    }
    Operation *def = value.getDefiningOp();
    if (!toClone.insert(def).second)
      continue;
    llvm::append_range(stack, getReadValues(def));
  }
  // A nested region whose result this region keeps stays in the forward
  // with backward uses, and is planned later on its own: it may save its
  // inputs then, so they are not traced as dropped here (fuzz seed 1166).
  llvm::SmallPtrSet<Operation *, 4> keptNestedRegions;
  for (const KeptValue &kept : plan.kept)
    if (auto nested = kept.value.getDefiningOp<CheckpointOp>())
      keptNestedRegions.insert(nested);
  auto readByKeptNestedRegion = [&](Operation *op) {
    return llvm::any_of(op->getUsers(), [&](Operation *user) {
      return keptNestedRegions.contains(user);
    });
  };
  // Stable orders: clones as in the body; saved inputs region inputs first,
  // then body values.
  Block &body = region.getBodyBlock();
  for (BlockArgument arg : body.getArguments())
    if (saved.erase(arg))
      plan.savedInputs.push_back(arg);
  for (Operation &op : body.without_terminator()) {
    if (toClone.contains(&op))
      plan.clones.push_back(&op);
    for (Value result : op.getResults())
      if (saved.erase(result))
        plan.savedInputs.push_back(result);
    if (isDroppedOp(&op) && !readByKeptNestedRegion(&op))
      plan.droppedOps.insert(&op);
  }
  assert(saved.empty() && "the region is isolated from above");
}

//===----------------------------------------------------------------------===//
// JointFormAnalysis
//===----------------------------------------------------------------------===//

JointFormAnalysis::JointFormAnalysis(const TrainingStep &step,
                                     const RematerializeOptions &options,
                                     RecomputeSafety &safety)
    : JointFormAnalysis(
          step.getFunction(),
          [&](Operation *op) { return step.isBackward(op); },
          /*decideByPeak=*/true, options, safety) {}

JointFormAnalysis::JointFormAnalysis(func::FuncOp func,
                                     function_ref<bool(Operation *)> isBackward,
                                     bool decideByPeak,
                                     const RematerializeOptions &options,
                                     RecomputeSafety &safety)
    : options(options), safety(safety), bytes(func, options.cost),
      order(func.getBody().front()), decideByPeak(decideByPeak) {
  // The estimate the "never worse" rule works on: live bytes over the
  // schedule, each region op carrying its internal bytes as a transient.
  // (It cannot fail: the body is one block.)
  FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, options.cost);
  assert(succeeded(profile) && "a training step has a single-block body");
  // One sweep over the body: the backward ops, and the regions in order.
  Value lastBackwardValue;
  boundaryPosition = -1;
  SmallVector<CheckpointOp> regions;
  for (Operation *op : order.getOps()) {
    previousBackwardValues.push_back(lastBackwardValue);
    int64_t charged = 0;
    for (Value result : op->getResults())
      charged += profile->getChargedBytes(result);
    chargedResultBytes.push_back(charged);
    if (isBackward(op)) {
      backwardOps.insert(op);
      if (boundaryPosition < 0 && op->getNumOperands() != 0)
        boundaryPosition = order.getPosition(op);
      if (op->getNumResults() != 0)
        lastBackwardValue = op->getResult(0);
    }
    if (auto region = dyn_cast<CheckpointOp>(op))
      regions.push_back(region);
  }
  if (boundaryPosition < 0)
    boundaryPosition = static_cast<int64_t>(previousBackwardValues.size()) - 1;
  // The profile already holds each region's internal bytes at its step.
  timeline.emplace(profile->getLiveBytes());
  if (!decideByPeak)
    return;
  for (CheckpointOp region : regions)
    originalRegions.insert(region);
  size_t numKept = std::min(options.keptLastRegions.lookup(func.getSymName()),
                            regions.size());
  for (CheckpointOp region : ArrayRef(regions).take_back(numKept))
    keptRegions.insert(region);
}

bool JointFormAnalysis::isBackwardUse(Operation *op) const {
  Operation *top = order.getTopLevelOp(op);
  return top && backwardOps.contains(top);
}

RegionPlan JointFormAnalysis::plan(CheckpointOp region, bool keep) {
  RegionPlan plan;
  plan.region = region;
  llvm::StringSet<> saveNames = getSaveNames(region, options.saveOps);
  SavedSetAnalysis savedSet(region, safety, options.policy, saveNames,
                            /*keepNullary=*/true);
  // The yielded values whose result a backward op reads.
  SmallVector<Value> needed;
  for (OpResult result : region->getResults())
    if (llvm::any_of(result.getUsers(),
                     [&](Operation *user) { return isBackwardUse(user); }))
      needed.push_back(region.getYield().getOperand(result.getResultNumber()));
  savedSet.computePlan(needed, plan);
  // Never worse (§3.9): a dropped value that the forward part still reads,
  // or the function returns, when its recompute would start stays stored:
  // recomputing it would free nothing and add a copy (`force` recomputes it
  // anyway). Keeping one can only move the recompute later, so this settles
  // in a few rounds.
  int64_t regionPosition = order.getPosition(region);
  while (!options.force && !plan.dropped.empty()) {
    place(plan);
    int64_t insertPosition = order.getPosition(plan.insertBefore);
    bool changed = false;
    for (Value value : plan.dropped) {
      // Clones of an enclosing recompute share the insertion point's
      // position but run before it: only a later use keeps the value.
      auto [kept, moved] = getLastUses(plan, value, /*from=*/-1);
      if (kept <= insertPosition)
        continue;
      savedSet.keep(value, SaveReason::LiveAfterRecompute);
      changed = true;
    }
    if (!changed)
      break;
    savedSet.computePlan(needed, plan);
  }
  LDBG() << "region '" << region.getDisplayName() << "': "
         << plan.dropped.size() << " dropped, " << plan.kept.size()
         << " kept, " << plan.clones.size() << " to clone";
  if (plan.dropped.empty())
    return plan;
  if (keep || keptRegions.contains(region)) {
    plan.skipped = plan.replanned = true;
    return plan;
  }
  if (options.force)
    place(plan);

  // Never worse (§3.9): a top-level region whose recompute would raise the
  // estimated peak keeps everything, as if it were not annotated.
  if (originalRegions.contains(region) &&
      !acceptRecompute(plan, regionPosition))
    plan.skipped = true;
  return plan;
}

void JointFormAnalysis::place(RegionPlan &plan) {
  CheckpointOp region = plan.region;
  // Immediately before the first backward op that reads a dropped value.
  SmallVector<Value> droppedResults;
  for (OpOperand &operand : region.getYield()->getOpOperands())
    if (llvm::is_contained(plan.dropped, operand.get()))
      droppedResults.push_back(region->getResult(operand.getOperandNumber()));
  plan.insertBefore = order.getFirstUser(droppedResults, [&](Operation *top) {
    return backwardOps.contains(top);
  });
  assert(plan.insertBefore && "a needed value has a backward user");
  plan.orderAfter =
      previousBackwardValues[order.getPosition(plan.insertBefore)];
  plan.droppedBytes = 0;
  plan.droppedBytesAssumed = false;
  llvm::SmallDenseSet<Value, 8> roots;
  for (Value value : plan.dropped) {
    Value root = getRoot(region, value);
    if (roots.insert(root).second)
      plan.droppedBytes += bytes.getValueBytes(root);
    plan.droppedBytesAssumed |=
        !cast<ShapedType>(value.getType()).hasStaticShape();
  }
}

Value mlir::ckpt::getRoot(CheckpointOp region, Value value) {
  return getBufferRoot(region.getOuterValue(value));
}

std::pair<int64_t, int64_t>
JointFormAnalysis::getLastUses(const RegionPlan &plan, Value root,
                               int64_t from) {
  CheckpointOp region = plan.region;
  Operation *yield = region.getBodyBlock().getTerminator();
  int64_t kept = from, moved = -1;
  // `from` stands for the uses inside the body; `kept` starts there.
  // (value, 1 if its uses moved to the recompute)
  SmallVector<std::pair<Value, unsigned>> worklist = {{root, 0}};
  llvm::SmallDenseSet<std::pair<Value, unsigned>, 16> seen;
  auto visit = [&](OpOperand &use, unsigned isMoved) {
    Operation *owner = use.getOwner();
    Operation *top = order.getTopLevelOp(owner);
    if (top && top != region.getOperation()) {
      int64_t position = order.getPosition(top);
      if (isMoved)
        moved = std::max(moved, position);
      else
        kept = std::max(kept, position);
    }
    // The same buffer further on: views of it, and the region's block
    // argument for one of its operands.
    for (OpResult result : owner->getResults())
      if (getAliasedOperand(result) == use.get())
        worklist.push_back({result, isMoved});
    if (owner == region.getOperation())
      worklist.push_back(
          {region.getBodyBlock().getArgument(use.getOperandNumber()), isMoved});
  };
  while (!worklist.empty()) {
    auto entry = worklist.pop_back_val();
    if (!seen.insert(entry).second)
      continue;
    auto [value, isMoved] = entry;
    for (OpOperand &use : value.getUses()) {
      if (use.getOwner() != yield) {
        visit(use, isMoved);
        continue;
      }
      // Yielded: the uses of the region's result. Backward uses of a
      // dropped value move to the recompute.
      bool dropped = llvm::is_contained(plan.dropped, value);
      for (OpOperand &resultUse :
           region->getResult(use.getOperandNumber()).getUses())
        visit(resultUse, isMoved || (dropped && isBackwardUse(
                                                    resultUse.getOwner())));
    }
  }
  return {kept, moved};
}

bool JointFormAnalysis::acceptRecompute(RegionPlan &plan,
                                        int64_t regionPosition) {
  CheckpointOp region = plan.region;
  int64_t insertPosition = order.getPosition(plan.insertBefore);
  // Each change is a range of positions and a byte delta, on the roots of
  // the values involved (a view takes its source's bytes).
  SmallVector<std::tuple<int64_t, int64_t, int64_t>> changes;
  llvm::SmallDenseSet<Value, 8> droppedRoots;
  for (Value value : plan.dropped) {
    // A view of an input frees nothing: the input stays stored.
    Value root = getRoot(region, value);
    Operation *def = root.getDefiningOp();
    if (def && region->isProperAncestor(def))
      droppedRoots.insert(root);
  }
  // A dropped root now dies after its last use that stays; its recompute
  // lives from the insertion point to the last backward use it took over.
  for (Value root : droppedRoots) {
    int64_t rootBytes = bytes.getValueBytes(root);
    if (rootBytes == 0)
      continue;
    auto [kept, moved] = getLastUses(plan, root, regionPosition);
    int64_t end = std::max(kept, moved);
    changes.push_back({kept + 1, end, -rootBytes});
    if (moved >= 0)
      changes.push_back({insertPosition, moved, rootBytes});
  }
  // Saved inputs now live at least until the recompute reads them; those
  // that would have died before it are live when it starts and die at their
  // last use inside it.
  SmallVector<Value> revived;
  llvm::SmallDenseSet<Value, 8> revivedRoots;
  for (Value value : plan.savedInputs) {
    Value root = getRoot(region, value);
    if (!revivedRoots.insert(root).second)
      continue;
    auto [kept, moved] = getLastUses(plan, root, regionPosition);
    int64_t last = std::max(kept, moved);
    if (last >= insertPosition)
      continue;
    changes.push_back({last + 1, insertPosition - 1, bytes.getValueBytes(root)});
    revived.push_back(value);
  }
  // The recompute's own intermediates, at the insertion point (the
  // insertion op's results do not exist yet while it runs).
  llvm::SmallDenseSet<Value, 8> outputs(plan.dropped.begin(),
                                        plan.dropped.end());
  auto rootOf = [&](Value value) { return getRoot(region, value); };
  int64_t transient =
      getTransientBytes(plan.clones, outputs, revived, bytes, rootOf,
                        [&](Operation *op) { return getNestedBytes(op, bytes); });
  transient -= chargedResultBytes[insertPosition];
  changes.push_back(
      {insertPosition, insertPosition, std::max<int64_t>(transient, 0)});

  int64_t peakBefore = timeline->max();
  int64_t boundaryBefore = timeline->at(boundaryPosition);
  for (auto [lo, hi, delta] : changes)
    timeline->add(lo, hi, delta);
  int64_t peakAfter = timeline->max();
  int64_t boundaryAfter = timeline->at(boundaryPosition);
  plan.peakBefore = peakBefore;
  plan.peakAfter = peakAfter;
  LDBG() << "region '" << region.getDisplayName() << "': peak " << peakBefore
         << " -> " << peakAfter << ", boundary " << boundaryBefore << " -> "
         << boundaryAfter;
  if (peakAfter > peakBefore && !options.force) {
    for (auto [lo, hi, delta] : changes)
      timeline->add(lo, hi, -delta);
    return false;
  }
  plan.noBenefit = peakAfter >= peakBefore && boundaryAfter >= boundaryBefore;
  return true;
}
