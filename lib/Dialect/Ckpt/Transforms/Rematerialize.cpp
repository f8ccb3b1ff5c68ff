//===- Rematerialize.cpp - the rematerialization's driver -------*- C++ -*-===//
//
// `rematerialize` (Rematerialize.h): checks every training step of a module
// before changing any, then has the apply steps of both forms execute the
// plans of RematerializationAnalysis, and consumes the annotations.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"

#include "RematerializeForms.h"
#include "ckpt/Analysis/MemoryReport.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "llvm/Support/DebugLog.h"

#define DEBUG_TYPE "ckpt-rematerialize"

using namespace mlir;
using namespace mlir::ckpt;
using namespace mlir::ckpt::detail;

//===----------------------------------------------------------------------===//
// Checks before any change
//===----------------------------------------------------------------------===//

namespace {
/// One function that holds annotations, as the checks left it.
struct CheckedFunction {
  func::FuncOp func;
  /// The training step, or std::nullopt for a helper or an inference
  /// function (its regions are only inlined, rationale §3.8).
  std::optional<TrainingStep> step;
  /// Checkpointed calls that become regions (0: the checked step is still
  /// valid when the rewrite starts).
  int64_t numCallsToConvert = 0;
  /// Whether an op nested in the function may still carry `ckpt.checkpoint`
  /// after the rewrite.
  bool mayKeepAnnotations = false;
};

/// Fails with an error at each region of `regions` that the training step
/// `step` has in its backward part.
LogicalResult checkRegionsInForward(const TrainingStep &step,
                                    ArrayRef<CheckpointOp> regions) {
  bool failedAny = false;
  for (CheckpointOp region : regions) {
    if (step.isForward(region))
      continue;
    InFlightDiagnostic diag = region.emitError();
    if (step.getForm() == TrainingStep::Form::SplitBackward) {
      diag << "'ckpt.checkpoint' is in the backward function of a split-form "
              "pair: regions belong in the forward function";
    } else {
      diag << "'ckpt.checkpoint' is in the backward part: no forward result "
              "depends on it (forward results: [";
      llvm::interleaveComma(step.getForwardResults(), diag);
      diag << "])";
    }
    failedAny = true;
  }
  return failure(failedAny);
}

/// Checks one function that holds annotations; nothing changes.
FailureOr<CheckedFunction> checkFunction(func::FuncOp func,
                                         const CheckpointAnnotations &found,
                                         const SplitFormPairs &pairs,
                                         SymbolTableCollection &symbols) {
  CheckedFunction checked{func, std::nullopt};
  // The step's sweep collects the top-level regions on its way (a separate
  // pass over a large body is not free).
  SmallVector<CheckpointOp> regions;
  FailureOr<std::optional<TrainingStep>> step =
      TrainingStep::get(func, pairs, [&](const TrainingStep &, Operation *op) {
        if (auto region = dyn_cast<CheckpointOp>(op))
          regions.push_back(region);
      });
  if (failed(step))
    return failure();
  checked.step = std::move(*step);
  checked.mayKeepAnnotations = found.numAnnotatedOps != 0;
  if (!checked.step) {
    // Not a training step: its regions are inlined and its calls stay calls
    // (rationale §3.8). A region op in a body of several blocks asks for
    // something that cannot be had.
    if (found.numRegions != 0 && !llvm::hasSingleElement(func.getBody()))
      return func.emitError()
             << "expects a joint training graph with a single-block body, "
                "got "
             << llvm::range_size(func.getBody().getBlocks()) << " blocks";
    return checked;
  }
  const TrainingStep &trainingStep = *checked.step;
  if (trainingStep.getForm() != TrainingStep::Form::Joint) {
    regions.clear();
    for (auto region : func.getBody().front().getOps<CheckpointOp>())
      regions.push_back(region);
  } else {
    std::reverse(regions.begin(), regions.end());
  }
  if (failed(checkRegionsInForward(trainingStep, regions)))
    return failure();
  if (trainingStep.getForm() == TrainingStep::Form::SplitBackward)
    return checked; // its checkpointed calls are not boundaries
  // Checkpointed calls become regions in the forward part, where they are.
  FailureOr<CheckpointBoundaries> boundaries = checkCheckpointBoundaries(
      func, found, [&](Operation *op) { return trainingStep.isForward(op); },
      symbols);
  if (failed(boundaries))
    return failure();
  checked.numCallsToConvert = boundaries->numCallsToConvert;
  // Converted calls bring their callees' annotated ops along.
  checked.mayKeepAnnotations |= boundaries->numCallsToConvert != 0;
  if (trainingStep.getForm() == TrainingStep::Form::SplitForward &&
      failed(getSplitFormCallPairs(func, trainingStep.getBackwardFunction())))
    return failure();
  return checked;
}

//===----------------------------------------------------------------------===//
// The rewrite
//===----------------------------------------------------------------------===//

/// Rewrites `module` once every annotated function passed its checks.
/// Fails only where a split-form rewrite finds a call pair another pair's
/// rewrite broke (the caller works on a copy then).
LogicalResult rewriteModule(RewriterBase &rewriter, ModuleOp module,
                            const RematerializeOptions &options,
                            Counters &counters,
                            std::vector<RematerializeRemark> &remarks) {
  SymbolTableCollection symbols;
  SplitFormPairs pairs(module);
  // One walk of each top-level op finds its annotations: misplaced regions
  // anywhere in the module (a checkpointed call inlines its callee's), and
  // each function's regions and checkpointed calls, which the checks then
  // use instead of a walk of their own (a walk of a large graph is not
  // free).
  SmallVector<CheckpointOp> misplacedRegions;
  SmallVector<std::pair<func::FuncOp, CheckpointAnnotations>> annotated;
  for (Operation &top : module.getBody()->getOperations()) {
    SmallVector<CheckpointOp> misplaced;
    CheckpointAnnotations found =
        collectCheckpointAnnotations(&top, symbols, &misplaced);
    llvm::append_range(misplacedRegions, misplaced);
    auto func = dyn_cast<func::FuncOp>(top);
    if (!func || func.isExternal() ||
        (!found.hasBoundary() && !pairs.getBackward(func)))
      continue;
    annotated.push_back({func, std::move(found)});
  }
  // Every error is reported before the first change; misplaced regions
  // first and alone, each once.
  for (CheckpointOp region : misplacedRegions)
    region.emitError()
        << "'ckpt.checkpoint' nested in '" << region->getParentOp()->getName()
        << "' is not supported: regions must be at the top level of the "
           "function or directly inside another 'ckpt.checkpoint'";
  if (!misplacedRegions.empty())
    return failure();
  std::vector<CheckedFunction> checked;
  bool failedAny = false;
  for (auto &[func, found] : annotated) {
    FailureOr<CheckedFunction> result =
        checkFunction(func, found, pairs, symbols);
    if (failed(result))
      failedAny = true;
    else
      checked.push_back(std::move(*result));
  }
  if (failedAny)
    return failure();

  RecomputeSafety safety(options.assumePure, options.collectives);
  auto isSplitForward = [](const CheckedFunction &f) {
    return f.step && f.step->getForm() == TrainingStep::Form::SplitForward;
  };
  bool hasSplitForm = llvm::any_of(checked, isSplitForward);
  // Split-form pairs first: their rewrite changes two signatures and calls.
  for (CheckedFunction &f : checked) {
    if (!isSplitForward(f))
      continue;
    convertCheckpointedCalls(
        rewriter, f.func, [](Operation *) { return true; }, symbols);
    if (failed(rematerializeSplitForm(rewriter, *f.step, options, safety,
                                      counters, remarks)))
      return failure();
  }
  for (CheckedFunction &f : checked) {
    if (isSplitForward(f))
      continue;
    if (!f.step || f.step->getForm() == TrainingStep::Form::SplitBackward) {
      // Not a training step (or the backward of a pair): nothing is
      // recomputed, regions are inlined (rationale §3.8).
      SmallVector<CheckpointOp> regions;
      f.func.walk<WalkOrder::PreOrder>(
          [&](CheckpointOp region) { regions.push_back(region); });
      for (CheckpointOp region : regions) {
        remarks.push_back({region.getLoc(),
                           ("checkpointed region '" + region.getDisplayName() +
                            "': no backward op uses its values; inlined, "
                            "nothing to recompute")
                               .str(),
                           {},
                           RematerializeRemark::Kind::Unchanged});
        ++counters.regions;
        inlineRegion(rewriter, region);
      }
      continue;
    }
    // The checked step still holds unless calls become regions or a
    // split-form rewrite replaced calls in this function.
    std::optional<TrainingStep> step = std::move(f.step);
    if (f.numCallsToConvert != 0 || hasSplitForm) {
      convertCheckpointedCalls(
          rewriter, f.func, [&](Operation *op) { return step->isForward(op); },
          symbols);
      FailureOr<std::optional<TrainingStep>> again =
          TrainingStep::get(f.func, pairs);
      if (failed(again) || !*again) {
        emitError(module.getLoc())
            << "internal error: ckpt-rematerialize failed after its checks "
               "passed";
        return failure();
      }
      step = std::move(*again);
    }
    rematerializeJointForm(rewriter, *step, options, safety, counters, remarks);
  }

  // The annotation is a discardable attribute (rationale §2); none remains.
  // The checks counted the annotated ops of each rewritten function, so the
  // walk skips the bodies that hold none (a walk of a large graph is not
  // free).
  llvm::DenseSet<Operation *> clean;
  for (CheckedFunction &f : checked)
    if (!f.mayKeepAnnotations)
      clean.insert(f.func);
  auto attrName = StringAttr::get(module.getContext(),
                                  CkptDialect::getCheckpointAttrName());
  module.walk<WalkOrder::PreOrder>(
      [&](Operation *op) {
        if (op->getDiscardableAttr(attrName)) {
          if (!isa<func::FuncOp, func::CallOp>(op))
            op->emitWarning()
                << "'" << attrName.getValue() << "' on '" << op->getName()
                << "' has no effect (only functions and calls are checkpoint "
                   "boundaries); removed";
          op->removeDiscardableAttr(attrName);
        }
        return clean.contains(op) ? WalkResult::skip() : WalkResult::advance();
      });
  return success();
}

/// The memory report's peak of each split-form forward function of
/// `module` (by name).
llvm::StringMap<int64_t> getForwardPeaks(ModuleOp module,
                                         const CostModelOptions &cost) {
  SplitFormPairs pairs(module);
  llvm::StringMap<int64_t> peaks;
  for (func::FuncOp fwd : pairs.getForwardFunctions())
    if (std::optional<FunctionReport> report =
            buildFunctionReport(fwd, pairs, cost))
      peaks[fwd.getSymName()] = report->peakBytes;
  return peaks;
}

/// "Never worse" (rationale §3.9) on the report's figures, for the split
/// form: each region was checked against the bytes @fwd saves, but the
/// memory report's peak of @fwd itself may still rise (fuzz seed 9192:
/// saved bytes 98560 -> 90240, peak 65792 -> 73856). `work` is `module`
/// rewritten with `options`; if a forward function's peak rose, `module` is
/// rewritten again, without nested recomputes and keeping that function's
/// top-level regions one more at a time, last first, as if unannotated,
/// until no forward function's peak is above its original; `work`,
/// `counters` and `remarks` are replaced by the last rewrite's.
void replanSplitForms(RewriterBase &rewriter, ModuleOp module,
                      OwningOpRef<ModuleOp> &work,
                      const RematerializeOptions &options, Counters &counters,
                      std::vector<RematerializeRemark> &remarks) {
  llvm::StringMap<int64_t> before = getForwardPeaks(module, options.cost);
  llvm::StringMap<int64_t> first = getForwardPeaks(*work, options.cost);
  auto risen = [&](const llvm::StringMap<int64_t> &after) {
    SmallVector<std::string> names;
    for (auto &entry : after)
      if (auto it = before.find(entry.getKey());
          it != before.end() && entry.getValue() > it->getValue())
        names.push_back(entry.getKey().str());
    llvm::sort(names);
    return names;
  };
  SmallVector<std::string> offenders = risen(first);
  if (offenders.empty())
    return;
  RematerializeOptions replan = options;
  replan.nestedRecompute = false;
  llvm::StringMap<int64_t> after = first;
  // Enough rounds to keep every region of the largest offender.
  int64_t numRegions = 0;
  module.walk([&](CheckpointOp) { ++numRegions; });
  module.walk([&](func::CallOp call) { numRegions += hasCheckpointAttr(call); });
  for (int64_t round = 0; round <= numRegions; ++round) {
    if (round != 0)
      for (const std::string &name : risen(after))
        ++replan.keptLastRegions[name];
    OwningOpRef<ModuleOp> again(module.clone());
    Counters againCounters;
    std::vector<RematerializeRemark> againRemarks;
    if (failed(rewriteModule(rewriter, *again, replan, againCounters,
                             againRemarks)))
      return; // cannot happen: the same module was rewritten before
    work = std::move(again);
    counters = againCounters;
    remarks = std::move(againRemarks);
    after = getForwardPeaks(*work, options.cost);
    if (risen(after).empty())
      break;
  }
  for (const std::string &name : offenders) {
    RematerializeRemark warning{module.getLoc(), "", {},
                                RematerializeRemark::Kind::Warning};
    if (auto fwd = work->lookupSymbol<func::FuncOp>(name))
      warning.loc = fwd.getLoc();
    llvm::raw_string_ostream ws(warning.message);
    ws << "@" << name << ": the first plan raised the memory report's "
       << "estimated peak from " << before.lookup(name) << " to "
       << first.lookup(name) << " bytes although each region lowered the "
       << "bytes it saves; re-planned without nested recomputes";
    if (size_t kept = replan.keptLastRegions.lookup(name))
      ws << ", keeping its last " << pluralize(kept, "region")
         << " as if unannotated";
    ws << ": estimated peak " << before.lookup(name) << " -> "
       << after.lookup(name) << " bytes";
    remarks.push_back(std::move(warning));
  }
}

bool hasAnnotations(ModuleOp module) {
  bool annotated = false;
  module.walk([&](Operation *op) {
    annotated = isa<CheckpointOp>(op) || hasCheckpointAttr(op);
    return annotated ? WalkResult::interrupt() : WalkResult::advance();
  });
  return annotated;
}
} // namespace

//===----------------------------------------------------------------------===//
// The entry point
//===----------------------------------------------------------------------===//

FailureOr<std::vector<RematerializeRemark>>
mlir::ckpt::rematerialize(RewriterBase &rewriter, ModuleOp module,
                          const RematerializeOptions &options,
                          RematerializeStatistics statistics) {
  if (failed(verifyCkptAttributes(module)))
    return failure();
  std::vector<RematerializeRemark> remarks;
  if (!hasAnnotations(module))
    return remarks;
  Counters counters;
  bool hasSplitForm =
      llvm::any_of(SplitFormPairs(module).getForwardFunctions(),
                   [](func::FuncOp fwd) { return !fwd.isExternal(); });
  if (!hasSplitForm) {
    // Joint form: every error is reported before the first change, and the
    // rewrite itself cannot fail, so it works in place (no copy of the
    // module, which on a large graph cost as much as the rewrite itself).
    if (failed(rewriteModule(rewriter, module, options, counters, remarks)))
      return failure();
  } else {
    // A split-form rewrite updates call pairs anywhere in the module, and one
    // pair's recompute may clone or inline calls of another pair; a copy is
    // rewritten and replaces the module only if everything succeeds.
    OwningOpRef<ModuleOp> work(module.clone());
    if (failed(rewriteModule(rewriter, *work, options, counters, remarks)))
      return failure();
    if (!options.force)
      replanSplitForms(rewriter, module, work, options, counters, remarks);
    module.getBodyRegion().takeBody(work->getBodyRegion());
  }
  LDBG() << counters.regions << " regions, " << counters.droppedValues
         << " values dropped, " << counters.clonedOps << " ops cloned";
  auto add = [](llvm::Statistic *statistic, int64_t value) {
    if (statistic)
      *statistic += value;
  };
  add(statistics.regions, counters.regions);
  add(statistics.droppedValues, counters.droppedValues);
  add(statistics.droppedBytes, counters.droppedBytes);
  add(statistics.savedValues, counters.savedValues);
  add(statistics.clonedOps, counters.clonedOps);
  add(statistics.barriers, counters.barriers);
  return remarks;
}
