//===- RematerializeSplitForm.cpp - apply plans to a split pair -*- C++ -*-===//
//
// Executes rematerialization plans on a split-form pair `@fwd {ckpt.backward
// = @bwd, ckpt.num_outputs = K}` (rationale §1): results K.. of @fwd are the
// saved values, passed in order as the first arguments of @bwd (the
// AOTAutograd partitioner's convention). A region's dropped values leave
// @fwd's saved results; its saved inputs join them (no duplicates); the
// recompute is cloned into @bwd before the first op that needs it, with no
// barrier (the clone and the original are in different functions, rationale
// §3.5); both signatures and every call pair that feeds @fwd's saved results
// into @bwd are rewritten.
//
//===----------------------------------------------------------------------===//

#include "RematerializeForms.h"

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "ckpt/Dialect/Ckpt/Transforms/RematerializationAnalysis.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/DebugLog.h"

#include <deque>

#define DEBUG_TYPE "ckpt-rematerialize"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::detail;

//===----------------------------------------------------------------------===//
// Call pairs
//===----------------------------------------------------------------------===//

FailureOr<SmallVector<std::pair<func::CallOp, func::CallOp>>>
mlir::ckpt::detail::getSplitFormCallPairs(func::FuncOp fwd, func::FuncOp bwd) {
  int64_t numOutputs = getNumOutputs(fwd).value_or(0);
  int64_t numSaved = fwd.getNumResults() - numOutputs;
  SmallVector<func::CallOp> fwdCalls, bwdCalls;
  fwd->getParentOp()->walk([&](func::CallOp call) {
    if (call.getCallee() == fwd.getSymName())
      fwdCalls.push_back(call);
    else if (call.getCallee() == bwd.getSymName())
      bwdCalls.push_back(call);
  });
  llvm::DenseSet<Operation *> paired;
  SmallVector<std::pair<func::CallOp, func::CallOp>> pairs;
  for (func::CallOp fwdCall : fwdCalls) {
    func::CallOp bwdCall;
    if (numSaved > 0 && !fwdCall.getResult(numOutputs).use_empty())
      if (auto user = dyn_cast<func::CallOp>(
              *fwdCall.getResult(numOutputs).getUsers().begin()))
        if (user.getCallee() == bwd.getSymName())
          bwdCall = user;
    bool ok = bwdCall && bwdCall.getNumOperands() >= numSaved;
    for (int64_t j = 0; ok && j < numSaved; ++j) {
      Value result = fwdCall.getResult(numOutputs + j);
      ok = bwdCall.getOperand(j) == result && result.hasOneUse();
    }
    if (!ok)
      return fwdCall.emitError()
             << "cannot update this call to @" << fwd.getSymName()
             << ": its saved results must feed the first arguments of one "
                "call to @"
             << bwd.getSymName() << ", in order and nowhere else";
    paired.insert(bwdCall);
    pairs.push_back({fwdCall, bwdCall});
  }
  for (func::CallOp bwdCall : bwdCalls)
    if (!paired.contains(bwdCall))
      return bwdCall.emitError()
             << "cannot update this call to @" << bwd.getSymName()
             << ": its saved arguments do not come from a call to @"
             << fwd.getSymName();
  return pairs;
}

//===----------------------------------------------------------------------===//
// SplitFormRewriter
//===----------------------------------------------------------------------===//

namespace {
/// Applies the plans of one split-form pair, region after region.
class SplitFormRewriter {
public:
  SplitFormRewriter(RewriterBase &rewriter, const TrainingStep &step,
                    const RematerializeOptions &options,
                    RecomputeSafety &safety, Counters &counters,
                    std::vector<RematerializeRemark> &remarks)
      : rewriter(rewriter), options(options), safety(safety),
        counters(counters), remarks(remarks), fwd(step.getFunction()),
        bwd(step.getBackwardFunction()), bytes(fwd, options.cost) {}

  LogicalResult run();

private:
  void processRegion(CheckpointOp region);
  /// Free values (constants, empty tensors) are recreated in @bwd, not
  /// saved.
  bool isFree(Value value) {
    Operation *def = value.getDefiningOp();
    return def && isNullary(def) &&
           safety.classify(def) == SaveReason::Recompute;
  }
  /// Bytes a saved value costs @fwd's callers: arguments (inputs, weights)
  /// cost nothing more, the caller holds them anyway.
  int64_t getSavedBytes(ArrayRef<Value> values) {
    int64_t total = 0;
    for (Value value : values)
      if (!isa<BlockArgument>(value))
        total += bytes.getTypeBytes(value.getType());
    return total;
  }
  /// The value of @bwd that stands for the saved @fwd value `value`; a new
  /// (temporary) argument of @bwd if it had none.
  Value getBackwardValue(Value value) {
    auto [it, inserted] = backwardValues.try_emplace(value, Value());
    if (inserted)
      it->second =
          bwd.getBody().front().addArgument(value.getType(), value.getLoc());
    return it->second;
  }

  RewriterBase &rewriter;
  const RematerializeOptions &options;
  RecomputeSafety &safety;
  Counters &counters;
  std::vector<RematerializeRemark> &remarks;
  func::FuncOp fwd, bwd;
  ByteModel bytes;
  int64_t numOutputs = 0;
  /// The @fwd values saved for @bwd, in their new order.
  llvm::SetVector<Value> saved;
  /// The value of @bwd that stands for each saved @fwd value.
  llvm::DenseMap<Value, Value> backwardValues;
  std::deque<CheckpointOp> worklist;
  llvm::DenseSet<Operation *> keptRegions;
  /// Ops the rewrite created in @bwd (the recomputes), and the region whose
  /// recompute holds each region it cloned there.
  llvm::DenseSet<Operation *> createdInBackward;
  llvm::DenseMap<Operation *, std::string> recomputeOwner;
};
} // namespace

void SplitFormRewriter::processRegion(CheckpointOp region) {
  ++counters.regions;
  std::string name = region.getDisplayName().str();
  llvm::StringSet<> saveNames = getSaveNames(region, options.saveOps);
  SavedSetAnalysis savedSet(region, safety, options.policy, saveNames,
                            /*keepNullary=*/false);
  // Needed: yielded values whose result leaves @fwd as a saved value.
  SmallVector<Value> needed;
  for (OpResult result : region->getResults())
    if (saved.contains(result))
      needed.push_back(region.getYield().getOperand(result.getResultNumber()));
  RegionPlan plan;
  plan.region = region;
  savedSet.computePlan(needed, plan);
  counters.savedValues += plan.kept.size();

  // The plan's block arguments stand for the region's inputs.
  auto outer = [&](Value value) { return region.getOuterValue(value); };
  SmallVector<Value> savedInputs = llvm::map_to_vector(plan.savedInputs, outer);
  // The yielded values of the saved region results, as they will be after
  // the body is inlined.
  llvm::SmallDenseSet<Value, 8> droppedResults;
  for (OpOperand &operand : region.getYield()->getOpOperands())
    if (llvm::is_contained(plan.dropped, operand.get()))
      droppedResults.insert(region->getResult(operand.getOperandNumber()));

  // Never worse (§3.9), for the split form: a region whose rewrite would not
  // lower the bytes @fwd saves (arguments aside) keeps everything, unless
  // `force`.
  llvm::SetVector<Value> next;
  for (Value value : saved)
    if (!droppedResults.contains(value))
      next.insert(value);
  for (Value input : savedInputs)
    if (!isFree(input))
      next.insert(input);
  int64_t savedBefore = getSavedBytes(saved.getArrayRef());
  int64_t savedAfter = getSavedBytes(next.getArrayRef());
  bool replanned = !plan.dropped.empty() && keptRegions.contains(region);
  plan.skipped = replanned || (!plan.dropped.empty() &&
                               savedAfter >= savedBefore && !options.force);
  LDBG() << "region '" << name << "': saves " << savedBefore << " -> "
         << savedAfter << " bytes" << (plan.skipped ? " (skipped)" : "");

  // The saved region results become the yielded values (their inputs, for
  // a block argument) once the body is inlined.
  llvm::SmallDenseMap<Value, Value, 8> yieldedFor;
  for (OpOperand &operand : region.getYield()->getOpOperands())
    yieldedFor[region->getResult(operand.getOperandNumber())] =
        outer(operand.get());
  auto yieldedOf = [&](Value value) -> Value {
    return yieldedFor.lookup_or(value, value);
  };
  auto remap = [&](llvm::SetVector<Value> &values) {
    llvm::SetVector<Value> remapped;
    for (Value value : values)
      remapped.insert(yieldedOf(value));
    values = std::move(remapped);
  };
  // A result that yields a value saved already (a block argument, as the
  // region input is saved too) merges into it: its backward value's uses
  // read the other one (libFuzzer, split-yield-input-saved-twice.mlir).
  for (auto &entry : llvm::to_vector(backwardValues))
    if (Value yielded = yieldedOf(entry.first); yielded != entry.first) {
      backwardValues.erase(entry.first);
      auto [it, inserted] = backwardValues.try_emplace(yielded, entry.second);
      if (!inserted)
        rewriter.replaceAllUsesWith(entry.second, it->second);
    }
  remap(saved);
  remap(next);
  Location loc = region.getLoc();
  bool isAuto = region->hasAttr(CkptDialect::getAutoAttrName());
  InlinedRegion inlined = inlineRegion(rewriter, region);
  // `region` is erased: only its inlined values are used from here on.

  for (Operation *op : inlined.bodyOps) {
    op->setLoc(addRegionTrace(op->getLoc(), name,
                              !plan.skipped && plan.droppedOps.contains(op)));
    if (auto nested = dyn_cast<CheckpointOp>(op))
      worklist.push_back(nested);
  }

  RematerializeRemark remark{loc, "", {}};
  llvm::raw_string_ostream os(remark.message);
  if (replanned) {
    os << "checkpointed region '" << name
       << "': not rematerialized: kept by the re-plan of @" << fwd.getSymName()
       << " (the first plan raised the memory report's peak of @"
       << fwd.getSymName() << "; see the warning on the function)";
    remark.kind = RematerializeRemark::Kind::Unchanged;
    remarks.push_back(std::move(remark));
    return;
  }
  if (plan.skipped) {
    os << "checkpointed region '" << name << "': not rematerialized: @"
       << fwd.getSymName() << " would save " << savedAfter
       << " bytes instead of " << savedBefore
       << " (arguments aside; the 'force' option rematerializes it anyway)";
    // Visible when the user asked for the region.
    remark.kind = isAuto ? RematerializeRemark::Kind::Unchanged
                         : RematerializeRemark::Kind::Warning;
    remarks.push_back(std::move(remark));
    return;
  }
  if (plan.dropped.empty())
    remark.kind = RematerializeRemark::Kind::Unchanged;
  int64_t droppedBytes = 0;
  bool assumed = false;
  for (Value value : plan.dropped) {
    droppedBytes += bytes.getTypeBytes(value.getType());
    // Scalars (an index that sizes a tensor) have no shape to assume.
    auto shaped = dyn_cast<ShapedType>(value.getType());
    assumed |= shaped && !shaped.hasStaticShape();
  }
  os << "checkpointed region '" << name << "': drops "
     << pluralize(plan.dropped.size(), "saved value") << " of @"
     << fwd.getSymName() << " (" << droppedBytes << " bytes";
  if (assumed)
    os << ", each dynamic dimension taken as " << options.cost.dynamicDimSize
       << " elements";
  os << ")";
  counters.droppedValues += plan.dropped.size();
  counters.droppedBytes += droppedBytes;

  // @bwd: the recompute right before the first op that reads a dropped
  // value.
  SmallVector<Value> droppedInBackward;
  for (Value value : plan.dropped)
    if (Value backward = backwardValues.lookup(value))
      droppedInBackward.push_back(backward);
  Block &bwdBody = bwd.getBody().front();
  ProgramOrder bwdOrder(bwdBody);
  if (Operation *insertBefore = bwdOrder.getFirstUser(droppedInBackward)) {
    rewriter.setInsertionPoint(insertBefore);
    IRMapping mapping;
    for (Value input : savedInputs) {
      if (!isFree(input)) {
        mapping.map(input, getBackwardValue(input));
        continue;
      }
      Operation *def = rewriter.clone(*input.getDefiningOp());
      createdInBackward.insert(def);
      def->setLoc(addRecomputeTrace(def->getLoc(), name));
      mapping.map(input,
                  def->getResult(cast<OpResult>(input).getResultNumber()));
    }
    for (Operation *op : plan.clones) {
      Operation *clone = rewriter.clone(*op, mapping);
      createdInBackward.insert(clone);
      if (isa<CheckpointOp>(clone))
        recomputeOwner[clone] = name;
      clone->setLoc(addRecomputeTrace(op->getLoc(), name));
    }
    // A cloned region counts the ops it holds.
    int64_t numCloned = 0;
    for (Operation *op : plan.clones) {
      int64_t nested = 0;
      op->walk([&](Operation *inner) {
        nested += !isa<CheckpointOp>(inner) &&
                  !inner->hasTrait<OpTrait::IsTerminator>() &&
                  isa<CheckpointOp>(inner->getParentOp());
      });
      numCloned += isa<CheckpointOp>(op) ? nested : 1;
    }
    counters.clonedOps += numCloned;
    os << ", clones " << pluralize(numCloned, "op") << " into @"
       << bwd.getSymName() << " before '" << insertBefore->getName()
       << "', reading "
       << pluralize(
              llvm::count_if(savedInputs, [&](Value v) { return !isFree(v); }),
              "saved value");
    for (Value value : plan.dropped)
      if (Value backward = backwardValues.lookup(value))
        rewriter.replaceAllUsesWith(backward, mapping.lookup(value));
  }
  for (Value value : plan.dropped)
    backwardValues.erase(value);
  os << "; keeps " << pluralize(plan.kept.size(), "saved value");
  for (const KeptValue &kept : plan.kept)
    remark.notes.push_back(
        {kept.loc, ("kept: " + stringifySaveReason(kept.reason)).str()});
  remarks.push_back(std::move(remark));
  // Saved inputs the recompute did not need yet still join the saved set.
  for (Value input : next)
    if (!backwardValues.count(input))
      getBackwardValue(input);
  saved = std::move(next);
}

LogicalResult SplitFormRewriter::run() {
  numOutputs = getNumOutputs(fwd).value_or(0);
  // The call pairs, found while the signatures still describe them (the
  // checks made sure they pair up).
  auto pairs = getSplitFormCallPairs(fwd, bwd);
  if (failed(pairs))
    return failure();
  Block &fwdBody = fwd.getBody().front();
  Block &bwdBody = bwd.getBody().front();
  // A region that yields one value twice has two results for it: uses of
  // the second read the first, so a value saved through both is one saved
  // value (below) and its recompute replaces both.
  fwd.walk([&](CheckpointOp region) {
    llvm::SmallDenseMap<Value, Value> first;
    for (auto [result, yielded] :
         llvm::zip_equal(region.getResults(), region.getYield().getOperands())) {
      auto [it, inserted] = first.try_emplace(yielded, result);
      if (!inserted)
        rewriter.replaceAllUsesWith(result, it->second);
    }
  });
  Operation *ret = fwdBody.getTerminator();
  SmallVector<Value> oldSaved(ret->getOperands().drop_front(numOutputs));
  unsigned numOldArgs = oldSaved.size();
  // A value saved twice has two arguments of @bwd: one stands for both.
  for (auto [j, value] : llvm::enumerate(oldSaved)) {
    saved.insert(value);
    auto [it, inserted] =
        backwardValues.try_emplace(value, bwdBody.getArgument(j));
    if (!inserted)
      rewriter.replaceAllUsesWith(bwdBody.getArgument(j), it->second);
  }
  int64_t oldSavedBytes = 0;
  for (Value value : saved)
    oldSavedBytes += bytes.getTypeBytes(value.getType());
  size_t oldSavedCount = saved.size();

  for (auto region : fwdBody.getOps<CheckpointOp>())
    worklist.push_back(region);
  // The top-level regions a re-plan keeps (`keptLastRegions`).
  size_t numKept = std::min(options.keptLastRegions.lookup(fwd.getSymName()),
                            worklist.size());
  for (size_t k = worklist.size() - numKept; k < worklist.size(); ++k)
    keptRegions.insert(worklist[k]);
  while (!worklist.empty()) {
    CheckpointOp region = worklist.front();
    worklist.pop_front();
    processRegion(region);
  }

  // @bwd: the saved values as its first arguments, in order; the old
  // arguments and the temporary ones go.
  SmallVector<Value> newSaved = saved.takeVector();
  unsigned numTemporaries = bwdBody.getNumArguments() - bwd.getNumArguments();
  for (auto [index, value] : llvm::enumerate(newSaved)) {
    BlockArgument arg =
        bwdBody.insertArgument(index, value.getType(), value.getLoc());
    rewriter.replaceAllUsesWith(backwardValues.lookup(value), arg);
  }
  llvm::BitVector erase(bwdBody.getNumArguments());
  for (unsigned j = 0; j < numOldArgs; ++j)
    erase.set(newSaved.size() + j);
  for (unsigned j = 0; j < numTemporaries; ++j)
    erase.set(bwdBody.getNumArguments() - 1 - j);
  bwdBody.eraseArguments(erase);
  bwd.setFunctionType(FunctionType::get(
      bwd.getContext(), bwdBody.getArgumentTypes(), bwd.getResultTypes()));
  // Inner regions cloned into @bwd apply to their copy in the recompute
  // there, as in the joint form (nesting, rationale §3.6).
  if (!recomputeOwner.empty())
    rematerializeRecomputedRegions(
        rewriter, bwd,
        [&](Operation *op) { return !createdInBackward.contains(op); },
        recomputeOwner, options, safety, counters, remarks);

  // @fwd returns its outputs, then the new saved values.
  SmallVector<Value> results(ret->getOperands().take_front(numOutputs));
  llvm::append_range(results, newSaved);
  rewriter.modifyOpInPlace(ret, [&] { ret->setOperands(results); });
  fwd.setFunctionType(FunctionType::get(fwd.getContext(),
                                        fwd.getArgumentTypes(),
                                        ValueRange(results).getTypes()));
  // Forward ops that only produced dropped saved values are dead now.
  SmallVector<Operation *> traced;
  for (Operation &op : fwdBody)
    if (getRegionTrace(op.getLoc()))
      traced.push_back(&op);
  eraseDeadOps(rewriter, traced, [](Operation *op) {
    return getRegionTrace(op->getLoc()).has_value();
  });

  int64_t newSavedBytes = 0;
  for (Value value : newSaved)
    newSavedBytes += bytes.getTypeBytes(value.getType());
  RematerializeRemark summary{fwd.getLoc(), "", {},
                              RematerializeRemark::Kind::Summary};
  llvm::raw_string_ostream os(summary.message);
  os << "@" << fwd.getSymName() << " now saves " << newSaved.size()
     << " values (" << newSavedBytes << " bytes) for @" << bwd.getSymName()
     << ", was " << oldSavedCount << " (" << oldSavedBytes << " bytes)";
  remarks.push_back(std::move(summary));

  // Every call pair follows the new contract.
  for (auto [fwdCall, bwdCall] : *pairs) {
    rewriter.setInsertionPoint(fwdCall);
    auto newFwd = func::CallOp::create(rewriter, fwdCall.getLoc(), fwd,
                                       fwdCall.getOperands());
    for (int64_t i = 0; i < numOutputs; ++i)
      rewriter.replaceAllUsesWith(fwdCall.getResult(i), newFwd.getResult(i));
    rewriter.setInsertionPoint(bwdCall);
    SmallVector<Value> operands(newFwd.getResults().drop_front(numOutputs));
    llvm::append_range(operands, bwdCall.getOperands().drop_front(numOldArgs));
    auto newBwd =
        func::CallOp::create(rewriter, bwdCall.getLoc(), bwd, operands);
    rewriter.replaceOp(bwdCall, newBwd.getResults());
    rewriter.eraseOp(fwdCall);
  }
  return success();
}

LogicalResult mlir::ckpt::detail::rematerializeSplitForm(
    RewriterBase &rewriter, const TrainingStep &step,
    const RematerializeOptions &options, RecomputeSafety &safety,
    Counters &counters, std::vector<RematerializeRemark> &remarks) {
  return SplitFormRewriter(rewriter, step, options, safety, counters, remarks)
      .run();
}
