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
// Location names
//===----------------------------------------------------------------------===//

namespace {
/// The name a location carries: a NameLoc's, or the first one inside a
/// FusedLoc or CallSiteLoc.
std::optional<StringRef> getLocationName(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc))
    return name.getName().getValue();
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (std::optional<StringRef> name = getLocationName(inner))
        return name;
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return getLocationName(callSite.getCallee());
  return std::nullopt;
}

//===----------------------------------------------------------------------===//
// The modes of one training step
//===----------------------------------------------------------------------===//

/// Marks `region` as created by ckpt-annotate (`ckpt.auto`).
void markAuto(CheckpointOp region) {
  region->setAttr(CkptDialect::getAutoAttrName(),
                  UnitAttr::get(region.getContext()));
}

/// Creates the regions of one training step in one of the modes.
class Annotator {
public:
  Annotator(RewriterBase &rewriter, const TrainingStep &step,
            RecomputeSafety &safety, SymbolTableCollection &symbols)
      : rewriter(rewriter), step(step), safety(safety), symbols(symbols) {}

  /// `callee=` mode.
  LogicalResult byCallee(const llvm::Regex &regex, int64_t &count) {
    func::FuncOp func = step.getFunction();
    for (auto call : func.getBody().front().getOps<func::CallOp>())
      if (step.isForward(call) && regex.match(call.getCallee())) {
        call->setAttr(CkptDialect::getCheckpointAttrName(),
                      UnitAttr::get(call.getContext()));
        ++count;
      }
    auto isForward = [&](Operation *op) { return step.isForward(op); };
    FailureOr<CheckpointBoundaries> boundaries =
        checkCheckpointBoundaries(func, isForward, symbols);
    if (failed(boundaries))
      return failure();
    llvm::DenseSet<Operation *> existing;
    func.walk([&](CheckpointOp region) { existing.insert(region); });
    [[maybe_unused]] int64_t converted =
        convertCheckpointedCalls(rewriter, func, isForward, symbols);
    assert(converted == boundaries->numCallsToConvert &&
           "the conversion follows the checked chains");
    func.walk([&](CheckpointOp region) {
      if (!existing.contains(region))
        markAuto(region);
    });
    return success();
  }

  /// `loc=` mode. Backward ops computed from the forward alone (tanh'(a)
  /// next to tanh(a)) that carry the name join the run, as `segments=` lets
  /// them; a constant or empty tensor without a name neither starts nor
  /// breaks a run (it joins when an op of the same name follows).
  void byLocation(const llvm::Regex &regex, int64_t &count) {
    for (SmallVector<Operation *> &piece :
         getForwardPieces(step, safety, /*computable=*/true)) {
      SmallVector<Operation *> run, pending;
      std::string key;
      auto flush = [&]() {
        // A region holds at least one forward op that computes.
        if (llvm::any_of(run, [&](Operation *op) {
              return step.isForward(op) && !isNullary(op);
            })) {
          markAuto(wrapInRegion(rewriter, run, key));
          ++count;
        }
        run.clear();
        pending.clear();
      };
      for (Operation *op : piece) {
        SmallVector<StringRef> matches;
        std::optional<StringRef> name = getLocationName(op->getLoc());
        if (!name || !regex.match(*name, &matches)) {
          if (isNullary(op) && !run.empty()) {
            pending.push_back(op);
            continue;
          }
          flush();
          continue;
        }
        if (!run.empty() && matches[0] != key)
          flush();
        key = matches[0].str();
        llvm::append_range(run, pending);
        pending.clear();
        run.push_back(op);
      }
      flush();
    }
  }

  /// Wraps each segment into a region named `segment.N`, counting on from
  /// `count`. A segment whose `saveContractions` entry is true gets a
  /// `save` list of the names of its contraction ops
  /// (`SegmentModel::contraction`).
  void applySegments(const SegmentModel &model,
                     ArrayRef<std::pair<int64_t, int64_t>> segments,
                     int64_t &count, ArrayRef<bool> saveContractions = {}) {
    for (auto [k, segment] : llvm::enumerate(segments)) {
      auto [i, j] = segment;
      SmallVector<Operation *> segmentOps(model.ops.begin() + i,
                                          model.ops.begin() + j);
      llvm::SetVector<std::string, std::vector<std::string>,
                      std::set<std::string>>
          saved;
      if (k < saveContractions.size() && saveContractions[k])
        for (int64_t op = i; op < j; ++op)
          if (model.contraction[op])
            saved.insert(getSaveEntry(model.ops[op]));
      CheckpointOp region = wrapInRegion(rewriter, segmentOps,
                                         ("segment." + Twine(count)).str());
      if (!saved.empty())
        region.setSaveAttr(rewriter.getStrArrayAttr(
            SmallVector<StringRef>(saved.begin(), saved.end())));
      markAuto(region);
      ++count;
    }
  }

  /// `segments=` mode: fails with an error if there are fewer ops than
  /// segments or more pieces than segments. Sets `chosen` to the segments.
  LogicalResult
  bySegments(StringRef spec, const CostTarget &target, int64_t &count,
             SmallVector<std::pair<int64_t, int64_t>> *chosen = nullptr);

private:
  RewriterBase &rewriter;
  const TrainingStep &step;
  RecomputeSafety &safety;
  SymbolTableCollection &symbols;
};

/// True if `op` is a layer in the sense of `segments=sqrt`: a contraction
/// or convolution by the linalg interfaces, or a ByteIR matmul or
/// convolution kernel call.
bool isLayerOp(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return linalg::isaContractionOpInterface(linalgOp) ||
           linalg::isaConvolutionOpInterface(linalgOp);
  if (getByreComputeName(op))
    if (FailureOr<LibraryKernel> kernel = matchLibraryKernel(op);
        succeeded(kernel))
      return kernel->kind == LibraryKernelKind::Conv ||
             kernel->kind == LibraryKernelKind::Matmul;
  return false;
}

LogicalResult
Annotator::bySegments(StringRef spec, const CostTarget &target, int64_t &count,
                      SmallVector<std::pair<int64_t, int64_t>> *chosen) {
  func::FuncOp func = step.getFunction();
  FailureOr<SegmentModel> model =
      SegmentModel::build(step, safety, CostModelOptions(), target);
  if (failed(model))
    return failure();
  int64_t n = model->ops.size();
  if (n == 0)
    return success();
  int64_t segmentsWanted;
  if (spec == "sqrt") {
    // √(layers), Chen's unit; √(ops) without layers. At least one region
    // per piece.
    int64_t layers = llvm::count_if(model->ops, [&](Operation *op) {
      return step.isForward(op) && isLayerOp(op);
    });
    int64_t units = layers > 0 ? layers : n;
    segmentsWanted = std::max<int64_t>(model->numPieces,
                                       std::lround(std::sqrt(double(units))));
    segmentsWanted = std::min(segmentsWanted, n);
  } else if (spec.getAsInteger(10, segmentsWanted) || segmentsWanted < 1) {
    return func.emitError() << "'segments' must be a positive integer or "
                               "'sqrt', got '"
                            << spec << "'";
  }
  if (segmentsWanted < model->numPieces || segmentsWanted > n)
    return func.emitError()
           << "cannot cut the forward part into " << segmentsWanted
           << " segments: it has " << n << " ops that may be recomputed, in "
           << model->numPieces
           << " pieces that regions cannot cross (at backward ops and ops "
              "that must not run twice)";
  FailureOr<SmallVector<std::pair<int64_t, int64_t>>> plan =
      planBalancedSegments(*model, segmentsWanted);
  if (failed(plan))
    return func.emitError() << "no cut of the forward part into "
                            << segmentsWanted << " balanced segments exists";
  applySegments(*model, *plan, count);
  if (chosen)
    *chosen = *plan;
  return success();
}

//===----------------------------------------------------------------------===//
// The pass
//===----------------------------------------------------------------------===//

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
      if (!callee.empty())
        result = annotator.byCallee(*pattern, count);
      else if (!loc.empty())
        annotator.byLocation(*pattern, count);
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
