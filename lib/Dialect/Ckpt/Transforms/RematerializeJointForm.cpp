//===- RematerializeJointForm.cpp - apply plans in a joint step -*- C++ -*-===//
//
// Executes the plans of JointFormAnalysis on one joint-form training step
// (rationale §3): each region, outermost first, is inlined in place (the
// forward runs as before) and the backward-needed slice is cloned right before
// the first backward op that needs it, reading its saved inputs through one
// `ckpt.barrier`; clones of inner regions are rematerialized in turn.
//
//===----------------------------------------------------------------------===//

#include "RematerializeForms.h"

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/MemoryReport.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "ckpt/Dialect/Ckpt/Transforms/RematerializationAnalysis.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/Support/DebugLog.h"

#include <deque>

#define DEBUG_TYPE "ckpt-rematerialize"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::detail;

namespace {
/// What happened to one region instance; turned into a remark at the end.
struct RegionRecord {
  Location loc;
  std::string name;
  /// `name` quoted, and for a copy inside another region's recompute, which.
  std::string displayName;
  int64_t droppedValues = 0;
  int64_t droppedBytes = 0;
  bool droppedBytesAssumed = false;
  int64_t clonedOps = 0;
  std::string insertedBefore;
  SmallVector<std::pair<Location, SaveReason>> keptValues;
  bool skipped = false;
  /// Skipped by a re-plan (`RematerializeOptions::keptRegions` or
  /// `nestedRecompute`), not by the incremental estimate.
  bool replanned = false;
  bool noBenefit = false;
  /// Created by ckpt-annotate (`ckpt.auto`), not asked for by the user.
  bool isAuto = false;
  int64_t peakBefore = 0, peakAfter = 0;
};

/// Applies the plans of one joint-form step, region after region.
class JointFormRewriter {
public:
  JointFormRewriter(RewriterBase &rewriter, const TrainingStep &step,
                    const RematerializeOptions &options,
                    RecomputeSafety &safety, Counters &counters)
      : rewriter(rewriter), func(step.getFunction()), options(options),
        analysis(step, options, safety), counters(counters) {
    for (auto region : step.getBody()->getOps<CheckpointOp>())
      worklist.push_back(region);
  }
  /// The regions that a split-form rewrite cloned into the recompute in
  /// `bwd` (`ownerOf`: the name of the region whose recompute holds each):
  /// `isOriginal` accepts the ops of `bwd` that are its own (backward) ops.
  JointFormRewriter(RewriterBase &rewriter, func::FuncOp bwd,
                    function_ref<bool(Operation *)> isOriginal,
                    const llvm::DenseMap<Operation *, std::string> &ownerOf,
                    const RematerializeOptions &options,
                    RecomputeSafety &safety, Counters &counters)
      : rewriter(rewriter), func(bwd), options(options),
        analysis(bwd, isOriginal, /*decideByPeak=*/false, options, safety),
        counters(counters), externalOwners(ownerOf), separateCheap(false) {
    for (auto region : bwd.getBody().front().getOps<CheckpointOp>())
      worklist.push_back(region);
  }

  /// Rematerializes every region, then erases the clones no one reads.
  void run();
  /// The remarks, one per region instance, in the order they were handled.
  void appendRemarks(std::vector<RematerializeRemark> &remarks);

private:
  void apply(const RegionPlan &plan);
  /// Keeps cheap values (zero fills and other data computed from constants
  /// and shapes alone) apart between the forward and the backward part, so
  /// that no cleanup extends a forward buffer into the backward (scenario
  /// S16, JAX issue 13999): a backward op that reads a cheap forward value
  /// gets its own copy, and a cheap backward op reads its empty inits
  /// through a barrier, so that `cse` cannot merge it with a forward twin.
  void separateCheapValues();
  /// `value` (an empty tensor) through a new barrier right before `user`,
  /// ordered after the backward value before it.
  Value throughBarrier(Value value, Operation *user);

  RewriterBase &rewriter;
  func::FuncOp func;
  const RematerializeOptions &options;
  JointFormAnalysis analysis;
  Counters &counters;
  std::deque<CheckpointOp> worklist;
  /// Clones and barriers, mapped to the index of their region's record.
  llvm::DenseMap<Operation *, unsigned> createdOps;
  SmallVector<RegionRecord> records;
  /// Regions inside a recompute this rewriter did not make (split form).
  llvm::DenseMap<Operation *, std::string> externalOwners;
  bool separateCheap = true;
};
} // namespace

//===----------------------------------------------------------------------===//
// Applying the plans
//===----------------------------------------------------------------------===//

void JointFormRewriter::run() {
  while (!worklist.empty()) {
    CheckpointOp region = worklist.front();
    worklist.pop_front();
    // A re-plan without nested recomputes inlines a region cloned into a
    // recompute, keeping everything (its ops are recomputed with the
    // outer region's).
    bool inRecompute =
        createdOps.contains(region) || externalOwners.contains(region);
    apply(analysis.plan(region, !options.nestedRecompute && inRecompute));
  }
  // Clones and barriers that nothing reads (a clone whose value a nested
  // recompute replaced, say): a worklist over the created ops alone.
  SmallVector<Operation *> created;
  created.reserve(createdOps.size());
  for (auto &entry : createdOps)
    created.push_back(entry.first);
  eraseDeadOps(
      rewriter, created, [&](Operation *op) { return createdOps.contains(op); },
      [&](Operation *op, Operation *replacement) {
        unsigned record = createdOps.lookup(op);
        createdOps.erase(op);
        if (replacement)
          createdOps[replacement] = record;
        else if (isa<BarrierOp>(op))
          --counters.barriers;
        else
          --records[record].clonedOps;
      });
  if (separateCheap)
    separateCheapValues();
}

Value JointFormRewriter::throughBarrier(Value value, Operation *user) {
  rewriter.setInsertionPoint(user);
  // The barrier belongs to the backward: without the region trace that an
  // empty tensor inlined from a region carries, which would make it (and
  // the backward values it is ordered after) forward ops for
  // TrainingStep, and what the backward reads through it saved bytes.
  auto barrier = BarrierOp::create(rewriter, stripRegionTrace(value.getLoc()),
                                   ValueRange{value},
                                   analysis.getPreviousBackwardValue(user));
  ++counters.barriers;
  return barrier.getResult(0);
}

void JointFormRewriter::separateCheapValues() {
  CheapValues cheap;
  ByteModel bytes(func, CostModelOptions());
  auto holdsData = [&](Value value) { return bytes.getValueBytes(value) > 0; };
  // Backward ops and recompute clones (a clone of a cheap op that reads an
  // empty tensor directly, as the ops of a nested region inlined into the
  // outer region's recompute do, is identical to the forward's op: cse
  // would merge them).
  SmallVector<Operation *> backward;
  for (Operation &op : func.getBody().front())
    if (analysis.isOriginalBackwardOp(&op) || createdOps.contains(&op))
      backward.push_back(&op);
  for (Operation *op : backward) {
    // A cheap backward op with data: its empty inits through a barrier.
    if (cheap.isCheapOp(op) && llvm::any_of(op->getResults(), holdsData)) {
      for (OpOperand &operand : op->getOpOperands()) {
        Operation *def = operand.get().getDefiningOp();
        if (def && carriesNoData(def) &&
            isa<TensorType>(operand.get().getType()))
          rewriter.modifyOpInPlace(
              op, [&] { operand.set(throughBarrier(operand.get(), op)); });
      }
      continue;
    }
  }
  // A cheap forward value with data that backward ops or recompute clones
  // read (directly or from their nested regions): each computes its own,
  // from empty inits through barriers, right before it.
  SmallVector<Operation *> forward;
  for (Operation &op : func.getBody().front())
    if (!analysis.isOriginalBackwardOp(&op) && !createdOps.contains(&op) &&
        cheap.isCheapOp(&op) && llvm::any_of(op.getResults(), holdsData))
      forward.push_back(&op);
  for (Operation *def : forward) {
    for (OpResult value : def->getResults()) {
      if (!holdsData(value))
        continue;
      llvm::DenseMap<Operation *, Value> copies;
      for (OpOperand &use : llvm::make_early_inc_range(value.getUses())) {
        Operation *top =
            func.getBody().front().findAncestorOpInBlock(*use.getOwner());
        if (!top ||
            !(analysis.isOriginalBackwardOp(top) || createdOps.contains(top)))
          continue;
        Value &separate = copies[top];
        if (!separate) {
          IRMapping mapping;
          std::function<Value(Value)> copy = [&](Value input) -> Value {
            if (Value mapped = mapping.lookupOrNull(input))
              return mapped;
            Operation *inputDef = input.getDefiningOp();
            if (!isa<TensorType>(input.getType()) || !inputDef)
              return input; // scalars (constants, dimensions) are shared
            if (carriesNoData(inputDef)) {
              Value fresh = throughBarrier(input, top);
              mapping.map(input, fresh);
              return fresh;
            }
            for (Value read : getReadValues(inputDef))
              copy(read);
            rewriter.setInsertionPoint(top);
            rewriter.clone(*inputDef, mapping);
            return mapping.lookup(input);
          };
          separate = copy(value);
        }
        rewriter.modifyOpInPlace(use.getOwner(), [&] { use.set(separate); });
      }
    }
  }
}

void JointFormRewriter::apply(const RegionPlan &plan) {
  CheckpointOp region = plan.region;
  // A region cloned into another region's recompute (nesting, §3.6): its
  // inlined body is part of that recompute.
  std::optional<unsigned> owner;
  if (auto it = createdOps.find(region); it != createdOps.end()) {
    owner = it->second;
    createdOps.erase(it);
  }
  unsigned recordIndex = records.size();
  std::string displayName = ("'" + region.getDisplayName() + "'").str();
  std::string ownerName;
  if (owner) {
    displayName +=
        " (inside the recompute of " + records[*owner].displayName + ")";
    ownerName = records[*owner].name;
  } else if (auto it = externalOwners.find(region);
             it != externalOwners.end()) {
    displayName += " (inside the recompute of '" + it->second + "')";
    ownerName = it->second;
    externalOwners.erase(it);
  }
  records.push_back(RegionRecord{region.getLoc(), region.getDisplayName().str(),
                                 displayName});
  ++counters.regions;
  RegionRecord &record = records[recordIndex];
  for (const KeptValue &kept : plan.kept)
    record.keptValues.push_back({kept.loc, kept.reason});
  counters.savedValues += plan.kept.size();
  record.skipped = plan.skipped;
  record.replanned = plan.replanned;
  record.noBenefit = plan.noBenefit;
  record.peakBefore = plan.peakBefore;
  record.peakAfter = plan.peakAfter;
  record.isAuto = region->hasAttr(CkptDialect::getAutoAttrName());

  // The plan's block arguments stand for the region's inputs, which replace
  // them when the body is inlined.
  auto outer = [&](Value value) { return region.getOuterValue(value); };
  SmallVector<Value> savedInputs = llvm::map_to_vector(plan.savedInputs, outer);

  // Inline the body in place: the forward runs as before, at the region's
  // position.
  int64_t regionPosition = analysis.getPosition(region);
  InlinedRegion inlined = inlineRegion(rewriter, region);
  for (Operation *op : inlined.bodyOps)
    analysis.setPosition(op, regionPosition);
  if (owner) {
    // The owner's clone count now holds the inlined ops, not the region op.
    for (Operation *op : inlined.bodyOps)
      createdOps[op] = *owner;
    records[*owner].clonedOps += inlined.bodyOps.size() - 1;
  }

  // Trace metadata is built once per region, and only when used (uniquing
  // is not free on large graphs).
  MLIRContext *ctx = rewriter.getContext();
  if (plan.rematerializes()) {
    DictionaryAttr recomputeTrace =
        getRecomputeTraceMetadata(ctx, record.name, recordIndex + 1);
    rewriter.setInsertionPoint(plan.insertBefore);
    IRMapping mapping;
    if (!savedInputs.empty()) {
      auto barrier =
          BarrierOp::create(rewriter, addTrace(record.loc, recomputeTrace),
                            savedInputs, plan.orderAfter);
      mapping.map(savedInputs, barrier.getResults());
      createdOps[barrier] = recordIndex;
      analysis.setPosition(barrier, analysis.getPosition(plan.insertBefore));
      ++counters.barriers;
    }
    for (Operation *op : plan.clones) {
      Operation *clone = rewriter.clone(*op, mapping);
      clone->setLoc(addTrace(op->getLoc(), recomputeTrace));
      createdOps[clone] = recordIndex;
      analysis.setPosition(clone, analysis.getPosition(plan.insertBefore));
      if (auto nested = dyn_cast<CheckpointOp>(clone))
        worklist.push_back(nested);
    }
    record.clonedOps = plan.clones.size();
    record.insertedBefore = plan.insertBefore->getName().getStringRef().str();
    for (Value value : plan.dropped)
      rewriter.replaceUsesWithIf(
          value, mapping.lookup(value), [&](OpOperand &use) {
            return analysis.isBackwardUse(use.getOwner());
          });
    record.droppedValues = plan.dropped.size();
    record.droppedBytes = plan.droppedBytes;
    record.droppedBytesAssumed = plan.droppedBytesAssumed;
    counters.droppedValues += record.droppedValues;
    counters.droppedBytes += record.droppedBytes;
    LDBG() << "region " << displayName << ": cloned " << plan.clones.size()
           << " ops before '" << plan.insertBefore->getName() << "'";
  }

  // Leave the trace that ckpt-verify reads: every inlined op is marked as
  // coming from this region, and dropped if its tensor results now are.
  // Inside a recompute, the region's ops are part of that recompute.
  DictionaryAttr ownerTrace =
      ownerName.empty()
          ? DictionaryAttr()
          : getRecomputeTraceMetadata(ctx, ownerName, owner ? *owner + 1 : 0);
  DictionaryAttr keptTrace, droppedTrace;
  auto getTrace = [&](Operation *op) {
    if (ownerTrace)
      return ownerTrace;
    bool isDropped = !plan.skipped && plan.droppedOps.contains(op);
    DictionaryAttr &trace = isDropped ? droppedTrace : keptTrace;
    if (!trace)
      trace =
          getRegionTraceMetadata(ctx, record.name, isDropped, recordIndex + 1);
    return trace;
  };
  for (Operation *op : inlined.bodyOps)
    op->setLoc(addTrace(op->getLoc(), getTrace(op)));

  // Forward ops that only fed the backward are dead now.
  llvm::SmallPtrSet<Operation *, 16> inBody(inlined.bodyOps.begin(),
                                            inlined.bodyOps.end());
  llvm::SmallPtrSet<Operation *, 8> erased;
  if (plan.rematerializes()) {
    SmallVector<Operation *> candidates;
    for (Value value : plan.dropped)
      candidates.push_back(value.getDefiningOp());
    eraseDeadOps(
        rewriter, candidates,
        [&](Operation *op) { return inBody.contains(op); },
        [&](Operation *op, Operation *) {
          erased.insert(op);
          // A dead op inside another region's recompute was counted as a
          // clone; forget it before its address can be reused.
          auto created = createdOps.find(op);
          if (created != createdOps.end()) {
            --records[created->second].clonedOps;
            createdOps.erase(created);
          }
        });
  }

  // Inner regions of the forward copy come next (outer first, §3.6); those
  // now at the top level of the body are decided by the peak as well.
  for (Operation *op : inlined.bodyOps)
    if (!erased.contains(op))
      if (auto nested = dyn_cast<CheckpointOp>(op)) {
        if (nested->getParentOp() == func.getOperation())
          analysis.decideByPeakToo(nested);
        worklist.push_back(nested);
      }
}

//===----------------------------------------------------------------------===//
// Remarks
//===----------------------------------------------------------------------===//

void JointFormRewriter::appendRemarks(
    std::vector<RematerializeRemark> &remarks) {
  for (RegionRecord &record : records) {
    counters.clonedOps += record.clonedOps;
    RematerializeRemark remark{record.loc, "", {}};
    llvm::raw_string_ostream os(remark.message);
    os << "checkpointed region " << record.displayName << ": ";
    if (record.replanned) {
      os << "not rematerialized: kept by the re-plan of @" << func.getSymName()
         << " (the first plan raised the memory report's peak; see the "
            "warning on the function)";
      remark.kind = RematerializeRemark::Kind::Unchanged;
      remarks.push_back(std::move(remark));
      continue;
    }
    if (record.skipped) {
      os << "not rematerialized: recomputing it would raise the estimated "
            "peak from "
         << record.peakBefore << " to " << record.peakAfter
         << " bytes (the 'force' option rematerializes it anyway)";
      // Visible when the user asked for the region.
      remark.kind = record.isAuto ? RematerializeRemark::Kind::Unchanged
                                  : RematerializeRemark::Kind::Warning;
      remarks.push_back(std::move(remark));
      continue;
    }
    if (record.droppedValues == 0)
      remark.kind = RematerializeRemark::Kind::Unchanged;
    if (record.droppedValues == 0 && record.keptValues.empty()) {
      os << "no backward op uses its values; inlined, nothing to recompute";
    } else {
      os << "drops " << pluralize(record.droppedValues, "value") << " ("
         << record.droppedBytes << " bytes";
      if (record.droppedBytesAssumed)
        os << ", each dynamic dimension taken as "
           << options.cost.dynamicDimSize << " elements";
      os << "), clones " << pluralize(record.clonedOps, "op");
      if (!record.insertedBefore.empty())
        os << " before the first backward use ('" << record.insertedBefore
           << "')";
      os << "; keeps " << pluralize(record.keptValues.size(), "value")
         << " used by the backward";
      if (record.noBenefit)
        os << "; no benefit: neither the estimated peak (" << record.peakAfter
           << " bytes) nor the bytes live at the forward->backward boundary "
              "go down";
      for (auto [loc, reason] : record.keptValues)
        remark.notes.push_back(
            {loc, ("kept: " + stringifySaveReason(reason)).str()});
    }
    remarks.push_back(std::move(remark));
  }
}

void mlir::ckpt::detail::rematerializeRecomputedRegions(
    RewriterBase &rewriter, func::FuncOp bwd,
    function_ref<bool(Operation *)> isOriginal,
    const llvm::DenseMap<Operation *, std::string> &ownerOf,
    const RematerializeOptions &options, RecomputeSafety &safety,
    Counters &counters, std::vector<RematerializeRemark> &remarks) {
  JointFormRewriter rewrite(rewriter, bwd, isOriginal, ownerOf, options, safety,
                            counters);
  rewrite.run();
  rewrite.appendRemarks(remarks);
}

void mlir::ckpt::detail::rematerializeJointForm(
    RewriterBase &rewriter, const TrainingStep &step,
    const RematerializeOptions &options, RecomputeSafety &safety,
    Counters &counters, std::vector<RematerializeRemark> &remarks) {
  func::FuncOp func = step.getFunction();
  auto module = func->getParentOfType<ModuleOp>();
  SplitFormPairs pairs(module);
  std::optional<FunctionReport> before =
      buildFunctionReport(func, pairs, options.cost);
  // The original body, for re-plans ("never worse" is off with `force`).
  OwningOpRef<func::FuncOp> original;
  if (before && !options.force)
    original = func.clone();
  Counters attemptCounters;
  std::vector<RematerializeRemark> attemptRemarks;
  auto attempt = [&](const TrainingStep &current,
                     const RematerializeOptions &attemptOptions) {
    attemptCounters = Counters();
    attemptRemarks.clear();
    JointFormRewriter jointForm(rewriter, current, attemptOptions, safety,
                                attemptCounters);
    jointForm.run();
    jointForm.appendRemarks(attemptRemarks);
    return buildFunctionReport(func, pairs, options.cost);
  };
  std::optional<FunctionReport> after = attempt(step, options);

  // Every plan was checked against the incremental estimate; if the
  // report's figures say the peak rose anyway, that estimate was wrong on
  // this graph (fuzz seed 4134: a nested recompute inside a recompute that
  // holds a loop). The function is rewritten again from its original body,
  // first without nested recomputes, then keeping its top-level regions
  // one more at a time, last first, as if unannotated: with all of them
  // kept nothing is recomputed.
  int64_t firstPeak = after ? after->peakBytes : 0;
  SmallVector<std::string> keptNames;
  bool replanned = false;
  size_t numTopLevel =
      original
          ? llvm::range_size(original->getBody().front().getOps<CheckpointOp>())
          : 0;
  for (size_t round = 0;
       original && after && after->peakBytes > before->peakBytes &&
       round <= numTopLevel;
       ++round) {
    OwningOpRef<func::FuncOp> copy = original->clone();
    func.getBody().takeBody(copy->getBody());
    FailureOr<std::optional<TrainingStep>> again =
        TrainingStep::get(func, pairs);
    assert(succeeded(again) && *again && "the original body was a step");
    SmallVector<CheckpointOp> topLevel(
        func.getBody().front().getOps<CheckpointOp>());
    RematerializeOptions replan = options;
    replan.nestedRecompute = false;
    replan.keptLastRegions[func.getSymName()] = round;
    keptNames.clear();
    for (CheckpointOp region :
         llvm::reverse(ArrayRef(topLevel).take_back(round)))
      keptNames.push_back(("'" + region.getDisplayName() + "'").str());
    after = attempt(**again, replan);
    replanned = true;
  }
  counters.regions += attemptCounters.regions;
  counters.droppedValues += attemptCounters.droppedValues;
  counters.droppedBytes += attemptCounters.droppedBytes;
  counters.savedValues += attemptCounters.savedValues;
  counters.clonedOps += attemptCounters.clonedOps;
  counters.barriers += attemptCounters.barriers;
  size_t first = remarks.size();
  llvm::append_range(remarks, attemptRemarks);
  if (!before || !after)
    return;
  // The summary prints the memory report's figures of the function.
  int64_t changed = 0, skipped = 0, kept = 0, regions = remarks.size() - first;
  for (size_t i = first; i < remarks.size(); ++i) {
    RematerializeRemark::Kind kind = remarks[i].kind;
    StringRef message = remarks[i].message;
    changed += kind == RematerializeRemark::Kind::Changed;
    // A region the re-plan kept is not a "never worse" decision.
    if (message.contains("kept by the re-plan"))
      ++kept;
    else if (message.contains("not rematerialized"))
      ++skipped;
  }
  RematerializeRemark summary{
      func.getLoc(), "", {}, RematerializeRemark::Kind::Summary};
  llvm::raw_string_ostream os(summary.message);
  os << "@" << func.getSymName() << ": " << changed << " of "
     << pluralize(regions, "checkpointed region") << " rematerialized";
  if (skipped || kept) {
    os << " (";
    if (skipped)
      os << skipped << " skipped: never worse" << (kept ? ", " : "");
    if (kept)
      os << kept << " kept by the re-plan";
    os << ")";
  }
  os << "; estimated peak " << before->peakBytes << " -> " << after->peakBytes
     << " bytes, saved bytes " << before->savedBytes << " -> "
     << after->savedBytes << ", recompute FLOPs "
     << after->recomputeFlops - before->recomputeFlops;
  remarks.push_back(std::move(summary));
  if (replanned) {
    RematerializeRemark warning{
        func.getLoc(), "", {}, RematerializeRemark::Kind::Warning};
    llvm::raw_string_ostream ws(warning.message);
    ws << "@" << func.getSymName() << ": the first plan raised the memory "
       << "report's estimated peak from " << before->peakBytes << " to "
       << firstPeak << " bytes although each region was checked against "
       << "ckpt's incremental estimate (a defect of that estimate; please "
          "report it with the graph); re-planned without nested recomputes";
    if (!keptNames.empty()) {
      ws << ", keeping ";
      llvm::interleaveComma(keptNames, ws);
      ws << " as if unannotated";
    }
    ws << ": estimated peak " << before->peakBytes << " -> " << after->peakBytes
       << " bytes";
    if (after->peakBytes > before->peakBytes)
      ws << " (still above with every region kept)";
    remarks.push_back(std::move(warning));
  }
}
