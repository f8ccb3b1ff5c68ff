//===- Annotate.cpp - the ckpt-annotate pass --------------------*- C++ -*-===//
//
// Creates ckpt.checkpoint regions in unannotated training graphs: by callee,
// by location name, or by segmentation of the forward part.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"
#include "ckpt/Dialect/Ckpt/Transforms/Rematerialize.h"
#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "llvm/Support/Regex.h"

#include "llvm/Support/DebugLog.h"
#include <cmath>
#include <limits>
#include <memory>

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
  /// `count`.
  void applySegments(const SegmentModel &model,
                     ArrayRef<std::pair<int64_t, int64_t>> segments,
                     int64_t &count) {
    for (auto [i, j] : segments) {
      SmallVector<Operation *> segmentOps(model.ops.begin() + i,
                                          model.ops.begin() + j);
      markAuto(
          wrapInRegion(rewriter, segmentOps, ("segment." + Twine(count)).str()));
      ++count;
    }
  }

  /// `segments=` mode: fails with an error if there are fewer ops than
  /// segments or more pieces than segments.
  LogicalResult bySegments(StringRef spec, int64_t &count);

private:
  RewriterBase &rewriter;
  const TrainingStep &step;
  RecomputeSafety &safety;
  SymbolTableCollection &symbols;
};

LogicalResult Annotator::bySegments(StringRef spec, int64_t &count) {
  func::FuncOp func = step.getFunction();
  FailureOr<SegmentModel> model =
      SegmentModel::build(step, safety, CostModelOptions());
  if (failed(model))
    return failure();
  int64_t n = model->ops.size();
  if (n == 0)
    return success();
  int64_t segmentsWanted;
  if (spec == "sqrt") {
    // At least one region per piece.
    segmentsWanted =
        std::max<int64_t>(model->numPieces, std::lround(std::sqrt(double(n))));
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

struct CkptAnnotatePass
    : public ckpt::impl::CkptAnnotateBase<CkptAnnotatePass> {
  using Base::Base;

  /// The estimated peak and recompute FLOPs of `func` with `plan`'s
  /// segments as regions, after the rematerialization: measured on a copy
  /// of the module (`rematerialize` on it, no pass manager).
  FailureOr<std::pair<int64_t, int64_t>>
  evaluate(func::FuncOp func, ArrayRef<std::pair<int64_t, int64_t>> plan,
           const llvm::Regex *pure) {
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
    annotator.applySegments(*model, plan, count);
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

  /// `budget=` mode: the balanced segmentation (over segment counts) with
  /// the least recompute FLOPs whose estimated peak fits.
  LogicalResult byBudget(Annotator &annotator, const TrainingStep &step,
                         int64_t budgetBytes, const llvm::Regex *pure,
                         RecomputeSafety &safety, int64_t &count) {
    func::FuncOp func = step.getFunction();
    if (step.getForm() != TrainingStep::Form::Joint)
      return func.emitError() << "'budget' applies to joint-form functions "
                                 "(the peak of a split-form forward function "
                                 "alone is not the step's)";
    FailureOr<MemoryProfile> baseline =
        MemoryProfile::compute(func, CostModelOptions());
    if (failed(baseline))
      return failure();
    if (baseline->getPeakBytes() <= budgetBytes)
      return success(); // fits without checkpointing: no recompute at all
    FailureOr<SegmentModel> model =
        SegmentModel::build(step, safety, CostModelOptions());
    if (failed(model))
      return failure();
    int64_t n = model->ops.size();
    // Every segment count, or ~96 of them spread out on large graphs.
    SmallVector<int64_t> counts;
    for (int64_t k = model->numPieces; k <= n; ++k)
      if (n - model->numPieces <= 96 ||
          (k - model->numPieces) % ((n - model->numPieces) / 96 + 1) == 0 ||
          k == n)
        counts.push_back(k);
    int64_t smallestPeak = baseline->getPeakBytes();
    int64_t bestFlops = std::numeric_limits<int64_t>::max();
    std::optional<SmallVector<std::pair<int64_t, int64_t>>> best;
    for (int64_t k : counts) {
      FailureOr<SmallVector<std::pair<int64_t, int64_t>>> plan =
          planBalancedSegments(*model, k);
      if (failed(plan))
        continue;
      FailureOr<std::pair<int64_t, int64_t>> figures =
          evaluate(func, *plan, pure);
      if (failed(figures))
        continue;
      auto [peak, flops] = *figures;
      smallestPeak = std::min(smallestPeak, peak);
      if (peak <= budgetBytes && flops < bestFlops) {
        bestFlops = flops;
        best = *plan;
      }
    }
    if (!best)
      return func.emitError()
             << "no segmentation fits the budget of " << budgetBytes
             << " bytes; the smallest estimated peak reachable is "
             << smallestPeak
             << " bytes (unannotated: " << baseline->getPeakBytes() << ")";
    annotator.applySegments(*model, *best, count);
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
      else if (!segments.empty())
        result = annotator.bySegments(segments, count);
      else
        result = byBudget(annotator, **step, *budgetBytes,
                          pure ? &*pure : nullptr, safety, count);
      if (failed(result)) {
        failedAny = true;
        continue;
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
