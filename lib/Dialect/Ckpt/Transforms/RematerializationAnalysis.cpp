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

/// Calls `visit` on each user of `value` (of `region`'s body) outside the
/// body: a use by the yield stands for the uses of the matching region
/// result.
void forEachOuterUser(CheckpointOp region, Value value,
                      function_ref<void(Operation *)> visit) {
  Operation *yield = region.getBodyBlock().getTerminator();
  for (OpOperand &use : value.getUses())
    if (use.getOwner() == yield)
      for (Operation *user :
           region->getResult(use.getOperandNumber()).getUsers())
        visit(user);
}
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
            (policy == SavePolicy::SaveMatmuls && isMatmulOrConvolution(op))))
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
  // anyway.
  bool inputOfRegion = false;
  forEachOuterUser(region, value, [&](Operation *user) {
    inputOfRegion |= isa<CheckpointOp>(user);
  });
  return inputOfRegion ? SaveReason::InputOfRegion : SaveReason::Recompute;
}

bool SavedSetAnalysis::isDroppedOp(Operation *op) {
  if (getOpReason(op) != SaveReason::Recompute)
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
    if (isDroppedOp(&op))
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
    : options(options), safety(safety), bytes(step.getFunction(), options.cost),
      order(*step.getBody()) {
  // The estimate the "never worse" rule works on: live bytes over the
  // schedule, each region op carrying its internal bytes as a transient.
  // (It cannot fail: the body is one block.)
  FailureOr<MemoryProfile> profile =
      MemoryProfile::compute(step.getFunction(), options.cost);
  assert(succeeded(profile) && "a training step has a single-block body");
  // One sweep over the body: the backward ops, and the regions in order.
  Value lastBackwardValue;
  boundaryPosition = -1;
  SmallVector<CheckpointOp> regions;
  for (Operation *op : order.getOps()) {
    previousBackwardValues.push_back(lastBackwardValue);
    if (step.isBackward(op)) {
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
  timeline.emplace(profile->getLiveBytes());
  for (CheckpointOp region : regions) {
    SmallVector<Operation *> ops;
    for (Operation &op : region.getBodyBlock().without_terminator())
      ops.push_back(&op);
    llvm::SmallDenseSet<Value, 8> outputs(
        region.getYield().getOperands().begin(),
        region.getYield().getOperands().end());
    int64_t transient =
        getTransientBytes(ops, outputs, /*inputs=*/{}, bytes, [&](Value value) {
          return region.getOuterValue(value);
        });
    int64_t position = order.getPosition(region);
    timeline->add(position, position, transient);
    originalRegions.insert(region);
  }
}

bool JointFormAnalysis::isBackwardUse(Operation *op) const {
  Operation *top = order.getTopLevelOp(op);
  return top && backwardOps.contains(top);
}

RegionPlan JointFormAnalysis::plan(CheckpointOp region) {
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
  LDBG() << "region '" << region.getDisplayName()
         << "': " << plan.dropped.size() << " dropped, " << plan.kept.size()
         << " kept, " << plan.clones.size() << " to clone";
  if (plan.dropped.empty())
    return plan;

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
  for (Value value : plan.dropped) {
    plan.droppedBytes += bytes.getTypeBytes(value.getType());
    plan.droppedBytesAssumed |=
        !cast<ShapedType>(value.getType()).hasStaticShape();
  }

  // Never worse (§3.9): a top-level region whose recompute would raise the
  // estimated peak keeps everything, as if it were not annotated.
  if (originalRegions.contains(region) &&
      !acceptRecompute(plan, order.getPosition(region)))
    plan.skipped = true;
  return plan;
}

bool JointFormAnalysis::acceptRecompute(RegionPlan &plan,
                                        int64_t regionPosition) {
  CheckpointOp region = plan.region;
  int64_t insertPosition = order.getPosition(plan.insertBefore);
  // The last use of a body value outside the body (inside it counts at the
  // region's position), of forward users only if `forwardOnly`.
  auto lastUse = [&](Value value, bool forwardOnly) {
    auto filter = [&](Operation *top) {
      return !forwardOnly || !backwardOps.contains(top);
    };
    Value outer = region.getOuterValue(value);
    if (outer != value)
      return order.getLastUsePosition(outer, regionPosition, filter);
    int64_t last = regionPosition;
    forEachOuterUser(region, value, [&](Operation *user) {
      Operation *top = order.getTopLevelOp(user);
      if (top && filter(top))
        last = std::max(last, order.getPosition(top));
    });
    return last;
  };
  // Each change is a range of positions and a byte delta.
  SmallVector<std::tuple<int64_t, int64_t, int64_t>> changes;
  llvm::SmallDenseSet<Value, 8> droppedSet(plan.dropped.begin(),
                                           plan.dropped.end());
  auto outer = [&](Value value) { return region.getOuterValue(value); };
  // A dropped value now dies after its last forward use; its recompute
  // lives from the insertion point on, as the stored value did.
  for (Value value : plan.dropped)
    changes.push_back({lastUse(value, /*forwardOnly=*/true) + 1,
                       insertPosition - 1, -bytes.getValueBytes(value)});
  // Saved inputs now live at least until the recompute reads them; those
  // that would have died before it are live when it starts and die at their
  // last use inside it.
  SmallVector<Value> revived;
  for (Value value : plan.savedInputs) {
    int64_t last = lastUse(value, /*forwardOnly=*/false);
    if (last >= insertPosition)
      continue;
    changes.push_back(
        {last + 1, insertPosition - 1, bytes.getValueBytes(outer(value))});
    revived.push_back(value);
  }
  // The recompute's own intermediates, at the insertion point (the
  // insertion op's results do not exist yet while it runs).
  int64_t transient =
      getTransientBytes(plan.clones, droppedSet, revived, bytes, outer);
  for (Value result : plan.insertBefore->getResults())
    transient -= bytes.getValueBytes(result);
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
