//===- Annotate.cpp - the ckpt-annotate pass --------------------*- C++ -*-===//
//
// Creates ckpt.checkpoint regions in unannotated training graphs: by callee,
// by location name, or by segmentation of the forward part.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/LibraryKernels.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/PlanMILP.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "Annotator.h"
#include "ParetoFront.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Regex.h"
#include "llvm/Support/raw_ostream.h"

#include "llvm/Support/DebugLog.h"
#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <vector>

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTANNOTATE
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-annotate"

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

namespace {

/// Parses a byte count with an optional K, M or G suffix (powers of 1024).
std::optional<int64_t> parseBytes(StringRef text) {
  int64_t scale = 1;
  if (text.ends_with_insensitive("k"))
    scale = int64_t(1) << 10;
  else if (text.ends_with_insensitive("m"))
    scale = int64_t(1) << 20;
  else if (text.ends_with_insensitive("g"))
    scale = int64_t(1) << 30;
  if (scale != 1)
    text = text.drop_back();
  int64_t value;
  if (text.getAsInteger(10, value) || value < 0)
    return std::nullopt;
  return value * scale;
}

/// `cost` with six significant digits.
std::string formatCost(double cost) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.6g", cost);
  return text;
}

/// `value` with two decimals.
std::string formatFixed(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.2f", value);
  return text;
}

struct CkptAnnotatePass
    : public ckpt::impl::CkptAnnotateBase<CkptAnnotatePass> {
  using Base::Base;

  /// The estimated peak and recompute FLOPs of `func` with `plan`'s
  /// segments as regions, after the rematerialization: measured on a copy
  /// of the module (`rematerialize` on it, no pass manager).
  FailureOr<std::pair<int64_t, int64_t>>
  evaluate(func::FuncOp func, ArrayRef<std::pair<int64_t, int64_t>> plan,
           ArrayRef<bool> saveContractions, const llvm::Regex *pure) {
    OwningOpRef<ModuleOp> trial(getOperation().clone());
    auto copy = trial->lookupSymbol<func::FuncOp>(func.getSymName());
    RecomputeSafety safety(pure, collectivePolicy);
    SymbolTableCollection symbols;
    SplitFormPairs pairs(*trial);
    FailureOr<std::optional<TrainingStep>> step =
        TrainingStep::get(copy, pairs);
    if (failed(step) || !*step)
      return failure();
    FailureOr<SegmentModel> model =
        SegmentModel::build(**step, safety, CostModelOptions());
    if (failed(model))
      return failure();
    IRRewriter rewriter(&getContext());
    Annotator annotator(rewriter, **step, safety, symbols);
    int64_t count = 0;
    annotator.applySegments(*model, plan, count, saveContractions);
    // The trial's diagnostics are not the user's.
    ScopedDiagnosticHandler quiet(&getContext(),
                                  [](Diagnostic &) { return success(); });
    RematerializeOptions options;
    options.assumePure = pure;
    options.collectives = collectivePolicy;
    if (failed(rematerialize(rewriter, *trial, options)))
      return failure();
    // The rewrite may replace the module's body: look the function up again.
    copy = trial->lookupSymbol<func::FuncOp>(func.getSymName());
    FailureOr<MemoryProfile> profile =
        MemoryProfile::compute(copy, CostModelOptions());
    if (failed(profile))
      return failure();
    FlopModel flops{CostModelOptions()};
    int64_t recompute = 0;
    for (Operation &op : copy.getBody().front())
      if (getRecomputeTrace(op.getLoc()))
        recompute += flops.getFlops(&op);
    return std::make_pair(profile->getPeakBytes(), recompute);
  }

  /// `budget=` mode: the region plan of least recompute cost whose
  /// estimated peak fits (`searchRegionPlans`), checked with the
  /// rematerialization on a copy; the plan model's budget is lowered by the
  /// excess if that estimate is over (at most 8 times). Sets `chosen`.
  LogicalResult byBudget(Annotator &annotator, const TrainingStep &step,
                         int64_t budgetBytes, const llvm::Regex *pure,
                         RecomputeSafety &safety, const CostTarget &target,
                         int64_t &count, std::optional<SegmentPlan> &chosen) {
    func::FuncOp func = step.getFunction();
    if (step.getForm() != TrainingStep::Form::Joint)
      return func.emitError() << "'budget' applies to joint-form functions "
                                 "(the peak of a split-form forward function "
                                 "alone is not the step's)";
    FailureOr<MemoryProfile> baseline =
        MemoryProfile::compute(func, CostModelOptions());
    if (failed(baseline))
      return failure();
    FailureOr<SegmentModel> model =
        SegmentModel::build(step, safety, CostModelOptions(), target, cuts);
    if (failed(model))
      return failure();
    if (baseline->getPeakBytes() <= budgetBytes)
      return success(); // fits without checkpointing: no recompute at all
    auto leastReachable = [&]() {
      SmallVector<SegmentPlan> front = getParetoFront(*model);
      return front.empty() ? baseline->getPeakBytes() : front.back().peak;
    };
    int64_t modelBudget = budgetBytes;
    std::optional<std::pair<int64_t, int64_t>> figures;
    std::optional<SegmentPlan> plan;
    std::optional<PlanMILPResult> milp;
    for (int attempt = 0; attempt < 8; ++attempt) {
      plan = searchRegionPlans(*model, modelBudget);
      if (solver == PlanSolver::MILP) {
        std::string error;
        PlanMILPOptions options;
        options.timeLimitSeconds = milpTimeLimit;
        options.maxCandidates = milpCandidates;
        FailureOr<std::optional<PlanMILPResult>> solved = solvePlanMILP(
            *model, modelBudget, plan ? &*plan : nullptr, options, error);
        if (failed(solved))
          return func.emitError() << "the MILP solver failed: " << error;
        milp = *solved;
        if (milp)
          plan = milp->plan;
      }
      if (!plan)
        break;
      FailureOr<std::pair<int64_t, int64_t>> measured =
          evaluate(func, plan->segments, plan->saveContractions, pure);
      if (failed(measured))
        return func.emitError() << "the rematerialization of the chosen "
                                   "plan failed on a copy of the module";
      figures = *measured;
      LDBG() << "plan of " << plan->segments.size() << " regions: model peak "
             << plan->peak << ", estimated " << figures->first;
      if (figures->first <= budgetBytes)
        break;
      modelBudget -= figures->first - budgetBytes;
      plan.reset();
    }
    if (!plan) {
      if (!figures)
        return func.emitError()
               << "no region plan fits the budget of " << budgetBytes
               << " bytes; the least estimated peak reachable is "
               << leastReachable() << " bytes in the plan model (unannotated: "
               << baseline->getPeakBytes() << ")";
      return func.emitError()
             << "no region plan found whose estimated peak fits the budget "
                "of "
             << budgetBytes << " bytes: the plan model's estimates were "
             << "below the rematerialization's (the last plan reached "
             << figures->first << " bytes)";
    }
    annotator.applySegments(*model, plan->segments, count,
                            plan->saveContractions);
    InFlightDiagnostic remark = emitRemark(func.getLoc());
    remark << "budget " << budgetBytes << " bytes: " << plan->segments.size()
           << " regions, estimated peak " << figures->first
           << " bytes (plan model " << plan->peak << "), recompute "
           << figures->second << " FLOPs (plan model " << plan->flops
           << " FLOPs, " << plan->bytesMoved << " bytes moved, cost "
           << formatCost(plan->cost) << " "
           << (target.flopsOnly ? "FLOPs" : "s") << " on target '"
           << target.name << "')";
    if (milp) {
      int64_t saving = llvm::count(plan->saveContractions, true);
      remark << "; MILP (CBC): " << saving << " region"
             << (saving == 1 ? "" : "s") << " saving contractions, "
             << (milp->provenOptimal ? "optimal" : "stopped at the time limit")
             << ", proven gap " << formatFixed(100 * milp->gap) << "% over "
             << milp->candidates << " candidates (segments of up to "
             << milp->maxSpan << " cuts), " << formatFixed(milp->seconds)
             << " s";
    }
    if (!model->unknownCallees.empty()) {
      remark << "; unknown cost (counted 0 FLOPs): ";
      llvm::interleaveComma(model->unknownCallees, remark);
    }
    chosen = plan;
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int modes =
        !callee.empty() + !loc.empty() + !segments.empty() + !budget.empty();
    if (modes != 1) {
      emitError(module.getLoc())
          << "give exactly one of 'callee', 'loc', 'segments', 'budget'";
      return signalPassFailure();
    }
    if (solver == PlanSolver::MILP && budget.empty()) {
      emitError(module.getLoc()) << "'solver=milp' applies to 'budget'";
      return signalPassFailure();
    }
    if (milpTimeLimit <= 0 || milpCandidates < 1) {
      emitError(module.getLoc()) << "'milp-time-limit' must be positive and "
                                    "'milp-candidates' at least 1";
      return signalPassFailure();
    }
    std::optional<int64_t> budgetBytes;
    if (!budget.empty() && !(budgetBytes = parseBytes(budget))) {
      emitError(module.getLoc())
          << "'budget' must be a byte count with an optional "
             "K, M or G suffix, got '"
          << budget << "'";
      return signalPassFailure();
    }
    auto compile = [&](StringRef name, StringRef pattern,
                       bool whole) -> std::optional<llvm::Regex> {
      llvm::Regex regex(whole ? ("^(" + pattern + ")$").str() : pattern.str());
      std::string error;
      if (!regex.isValid(error)) {
        emitError(module.getLoc())
            << "invalid '" << name << "' regex '" << pattern << "': " << error;
        return std::nullopt;
      }
      return regex;
    };
    std::optional<llvm::Regex> pure;
    if (!assumePure.empty() &&
        !(pure = compile("assume-pure", assumePure, true)))
      return signalPassFailure();
    // Collectives cut the forward part (a segment boundary at each).
    if (!collectives.empty()) {
      std::optional<llvm::Regex> regex =
          compile("collectives", collectives, true);
      if (!regex)
        return signalPassFailure();
      collectivesRegex = std::make_shared<llvm::Regex>(std::move(*regex));
    }
    collectivePolicy.callees = collectivesRegex.get();
    std::optional<llvm::Regex> pattern;
    if (!callee.empty() && !(pattern = compile("callee", callee, true)))
      return signalPassFailure();
    if (!loc.empty() && !(pattern = compile("loc", loc, false)))
      return signalPassFailure();

    std::optional<CostTarget> target = CostTarget::get(this->target);
    if (!target) {
      emitError(module.getLoc())
          << "'target' must be 'flops', 'h200' or 'cpu', got '"
          << this->target << "'";
      return signalPassFailure();
    }
    if (peakFlops < 0 || bandwidth < 0) {
      emitError(module.getLoc())
          << "'peak-flops' and 'bandwidth' must not be negative";
      return signalPassFailure();
    }
    if (peakFlops > 0)
      target->overridePeakFlops(peakFlops);
    if (bandwidth > 0) {
      target->bandwidth = bandwidth;
      target->flopsOnly = false;
    }
    if (peakFlops > 0 || bandwidth > 0)
      target->name += "+override";
    if (!target->flopsOnly &&
        (target->peakFlops32 <= 0 || target->bandwidth <= 0)) {
      emitError(module.getLoc())
          << "a roofline needs both 'peak-flops' and 'bandwidth' (target '"
          << this->target << "' gives "
          << (target->peakFlops32 > 0 ? "only peak FLOP/s" : "only bandwidth")
          << ")";
      return signalPassFailure();
    }
    int paretoFiles = 0;
    if (failed(verifyCkptAttributes(module)))
      return signalPassFailure();
    RecomputeSafety safety(pure ? &*pure : nullptr, collectivePolicy);
    SymbolTableCollection symbols;
    SplitFormPairs pairs(module);
    IRRewriter rewriter(&getContext());
    bool failedAny = false;
    for (auto func :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      // Only training steps get regions: helpers, inference functions and
      // backward functions of split-form pairs are left alone.
      FailureOr<std::optional<TrainingStep>> step =
          TrainingStep::get(func, pairs);
      if (failed(step)) {
        failedAny = true;
        continue;
      }
      if (!*step || (*step)->getForm() == TrainingStep::Form::SplitBackward)
        continue;
      Annotator annotator(rewriter, **step, safety, symbols);
      int64_t count = 0;
      LogicalResult result = success();
      // The front is computed before any region exists.
      std::optional<SegmentModel> paretoModel;
      SmallVector<SegmentPlan> front;
      if (!pareto.empty() && (!segments.empty() || !budget.empty())) {
        FailureOr<SegmentModel> model =
            SegmentModel::build(**step, safety, CostModelOptions(), *target,
                                cuts);
        if (failed(model)) {
          failedAny = true;
          continue;
        }
        paretoModel = std::move(*model);
        front = getParetoFront(*paretoModel);
      }
      std::optional<SegmentPlan> chosen;
      if (!callee.empty()) {
        result = annotator.byCallee(*pattern, count);
      } else if (!loc.empty()) {
        annotator.byLocation(*pattern, count);
      } else if (!segments.empty()) {
        SmallVector<std::pair<int64_t, int64_t>> plan;
        result = annotator.bySegments(segments, *target, count, &plan);
        if (succeeded(result) && paretoModel && !plan.empty())
          chosen = scoreSegmentPlan(*paretoModel, plan);
      } else {
        result = byBudget(annotator, **step, *budgetBytes,
                          pure ? &*pure : nullptr, safety, *target, count,
                          chosen);
      }
      if (failed(result)) {
        failedAny = true;
        continue;
      }
      if (paretoModel) {
        std::string stem = pareto;
        if (++paretoFiles > 1)
          stem += "." + func.getSymName().str();
        if (failed(writePareto(func, stem, *paretoModel, front, chosen,
                               *target))) {
          failedAny = true;
          continue;
        }
      }
      LDBG() << "@" << func.getSymName() << ": " << count << " regions";
      emitRemark(func.getLoc())
          << "created " << count << " region" << (count == 1 ? "" : "s");
    }
    if (failedAny)
      signalPassFailure();
  }

  /// The `collectives=` regex and the policy built on it (collectives are
  /// never replayed here: regions are cut at them).
  std::shared_ptr<llvm::Regex> collectivesRegex;
  CollectivePolicy collectivePolicy;
};
} // namespace
