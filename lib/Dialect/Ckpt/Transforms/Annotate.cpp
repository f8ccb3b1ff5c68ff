//===- Annotate.cpp - the ckpt-annotate pass --------------------*- C++ -*-===//
//
// Creates ckpt.checkpoint regions in unannotated training graphs: by callee,
// by location name, or by segmentation of the forward part.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/ForwardBackward.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"

#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Regex.h"

#include <cmath>
#include <limits>

namespace mlir::ckpt {
#define GEN_PASS_DEF_CKPTANNOTATE
#include "ckpt/Dialect/Ckpt/Transforms/Passes.h.inc"
} // namespace mlir::ckpt

using namespace mlir;
using namespace mlir::ckpt;

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

class Annotator {
public:
  Annotator(func::FuncOp func, RecomputeSafety &safety,
            SymbolTableCollection &symbols)
      : func(func), safety(safety), symbols(symbols) {}

  /// Fails with an error if the forward part cannot be computed; sets
  /// `hasBackward`.
  LogicalResult init() {
    Block &body = func.getBody().front();
    if (func->hasAttr(CkptDialect::getBackwardAttrName())) {
      for (Operation &op : body.without_terminator())
        forward.insert(&op);
      hasBackward = true;
      return success();
    }
    FailureOr<ForwardBackwardPartition> fb =
        ForwardBackwardPartition::compute(func);
    if (failed(fb))
      return failure();
    for (Operation &op : body.without_terminator()) {
      if (fb->isForward(&op))
        forward.insert(&op);
      else
        hasBackward = true;
    }
    return success();
  }
  bool hasBackwardPart() const { return hasBackward; }

  /// `callee=` mode.
  LogicalResult byCallee(const llvm::Regex &regex, int64_t &count) {
    for (auto call : func.getBody().front().getOps<func::CallOp>())
      if (forward.contains(call) && regex.match(call.getCallee())) {
        call->setAttr(CkptDialect::getCheckpointAttrName(),
                      UnitAttr::get(call.getContext()));
        ++count;
      }
    auto isForward = [&](Operation *op) { return forward.contains(op); };
    FailureOr<CheckpointBoundaries> boundaries =
        checkCheckpointBoundaries(func, isForward, symbols);
    if (failed(boundaries))
      return failure();
    [[maybe_unused]] int64_t converted =
        convertCheckpointedCalls(func, isForward, symbols);
    assert(converted == boundaries->numCallsToConvert &&
           "the conversion follows the checked chains");
    return success();
  }

  /// `loc=` mode.
  void byLocation(const llvm::Regex &regex, int64_t &count) {
    for (SmallVector<Operation *> &piece : getPieces()) {
      SmallVector<Operation *> run;
      std::string key;
      auto flush = [&]() {
        if (!run.empty()) {
          wrapInRegion(run, key);
          ++count;
        }
        run.clear();
      };
      for (Operation *op : piece) {
        SmallVector<StringRef> matches;
        std::optional<StringRef> name = getLocationName(op->getLoc());
        if (!name || !regex.match(*name, &matches)) {
          flush();
          continue;
        }
        if (!run.empty() && matches[0] != key)
          flush();
        key = matches[0].str();
        run.push_back(op);
      }
      flush();
    }
  }

  /// The cost model of a segmentation: the forward ops that may be in a
  /// region (in order, with their piece), the bytes the backward reads from
  /// each (recomputed if its segment is a region), and the bytes that cross
  /// the cut before each (stored if the cut is a region boundary).
  struct SegmentModel {
    SmallVector<Operation *> ops;
    SmallVector<int64_t> pieceOf, internal, cross, prefix;
    /// Forward ops that compute (not constants or empty tensors) among ops
    /// [0, i): a region needs at least one (else it would hold only free
    /// values or only backward values).
    SmallVector<int64_t> forwardPrefix;
    int64_t numPieces = 0;
  };
  LogicalResult prepareSegments(SegmentModel &model);
  /// The K segments (op index ranges) of least stored bytes, none holding
  /// more than twice the average recomputed bytes; failure if none exists.
  FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
  planSegments(const SegmentModel &model, int64_t K);
  /// Wraps each segment into a region named `segment.N`, counting on from
  /// `count`.
  void applySegments(const SegmentModel &model,
                     ArrayRef<std::pair<int64_t, int64_t>> segments,
                     int64_t &count);

  /// `segments=` mode: fails with an error if there are fewer ops than
  /// segments or more pieces than segments.
  LogicalResult bySegments(StringRef spec, int64_t &count);

private:
  /// Forward ops in order, in pieces between ops that regions may not hold.
  /// With `computable`, ops of the backward part that read nothing but
  /// arguments and such ops (a derivative factor computed early, as
  /// tanh'(a) next to tanh(a)) may join a region too: they are computed
  /// from the forward alone.
  SmallVector<SmallVector<Operation *>> getPieces(bool computable = false) {
    llvm::DenseSet<Operation *> fromForward;
    SmallVector<SmallVector<Operation *>> pieces(1);
    Block &body = func.getBody().front();
    // Backward ops join only if they sit among the forward ops (before the
    // last of them), not in the backward proper after the loss.
    Operation *lastForward = nullptr;
    for (Operation &op : body.without_terminator())
      if (forward.contains(&op))
        lastForward = &op;
    bool beforeLast = true;
    for (Operation &op : body.without_terminator()) {
      bool eligible = forward.contains(&op);
      if (!eligible && computable && beforeLast) {
        eligible = llvm::all_of(getReadValues(&op), [&](Value v) {
          Operation *def = v.getDefiningOp();
          return def ? fromForward.contains(def) || forward.contains(def)
                     : isa<BlockArgument>(v);
        });
      }
      if (&op == lastForward)
        beforeLast = false;
      if (eligible)
        fromForward.insert(&op);
      bool fits = eligible && safety.classify(&op) == SaveReason::Recompute;
      if (fits) {
        pieces.back().push_back(&op);
      } else if (!pieces.back().empty()) {
        pieces.emplace_back();
      }
    }
    if (pieces.back().empty())
      pieces.pop_back();
    return pieces;
  }

  func::FuncOp func;
  RecomputeSafety &safety;
  SymbolTableCollection &symbols;
  llvm::DenseSet<Operation *> forward;
  bool hasBackward = false;
};

LogicalResult Annotator::prepareSegments(SegmentModel &model) {
  // Pieces with no forward op that computes (only constants, or only early
  // backward ops) cannot hold a region: they stay as they are.
  SmallVector<SmallVector<Operation *>> pieces;
  for (SmallVector<Operation *> &piece : getPieces(/*computable=*/true))
    if (llvm::any_of(piece, [&](Operation *op) {
          return forward.contains(op) && !isNullary(op);
        }))
      pieces.push_back(std::move(piece));
  for (auto [index, piece] : llvm::enumerate(pieces))
    for (Operation *op : piece) {
      model.ops.push_back(op);
      model.pieceOf.push_back(index);
    }
  model.numPieces = pieces.size();
  int64_t n = model.ops.size();
  // Bytes per op: what the backward reads from it (recomputed when its
  // segment is a region), and what crosses the cut before op j into a later
  // op (stored when the cut is a region boundary).
  CostModelOptions costOptions;
  FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, costOptions);
  if (failed(profile))
    return failure();
  llvm::DenseMap<Operation *, int64_t> index;
  for (auto [i, op] : llvm::enumerate(model.ops))
    index[op] = i;
  Block &body = func.getBody().front();
  int64_t savedFrom = -1;
  if (auto count = func->getAttrOfType<IntegerAttr>(
          CkptDialect::getNumOutputsAttrName()))
    savedFrom = count.getInt();
  model.internal.assign(n, 0);
  SmallVector<int64_t> crossDelta(n + 1, 0); // difference array over cuts
  for (auto [i, op] : llvm::enumerate(model.ops)) {
    for (Value result : op->getResults()) {
      // Views (slices, reshapes) take no bytes; their uses count for the
      // value they view.
      int64_t bytes = profile->getChargedBytes(result);
      if (bytes == 0)
        continue;
      int64_t lastForward = i;
      bool readByBackward = false;
      SmallVector<Value> aliases = {result};
      while (!aliases.empty()) {
        Value alias = aliases.pop_back_val();
        for (OpOperand &use : alias.getUses()) {
          Operation *user = use.getOwner();
          for (OpResult viewResult : user->getResults())
            if (getAliasedOperand(viewResult) == alias)
              aliases.push_back(viewResult);
          Operation *top = body.findAncestorOpInBlock(*user);
          // In a split-form forward function, the backward reads the saved
          // results.
          if (top == body.getTerminator() && savedFrom >= 0 &&
              static_cast<int64_t>(use.getOperandNumber()) >= savedFrom)
            readByBackward = true;
          if (!top || top == body.getTerminator())
            continue;
          auto it = index.find(top);
          if (it != index.end())
            lastForward = std::max<int64_t>(lastForward, it->second);
          else if (!forward.contains(top))
            readByBackward = true;
        }
      }
      if (readByBackward)
        model.internal[i] += bytes;
      // Crosses every cut j with i < j <= lastForward.
      crossDelta[i + 1] += bytes;
      crossDelta[lastForward + 1] -= bytes;
    }
  }
  model.cross.assign(n + 1, 0); // cross[j]: bytes over the cut before op j
  for (int64_t j = 1; j <= n; ++j)
    model.cross[j] = model.cross[j - 1] + crossDelta[j];
  model.prefix.assign(n + 1, 0);
  model.forwardPrefix.assign(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) {
    model.prefix[i + 1] = model.prefix[i] + model.internal[i];
    Operation *op = model.ops[i];
    bool computes = forward.contains(op) && !isNullary(op);
    model.forwardPrefix[i + 1] = model.forwardPrefix[i] + computes;
  }
  return success();
}

FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
Annotator::planSegments(const SegmentModel &model, int64_t K) {
  int64_t n = model.ops.size();
  if (K < model.numPieces || K > n || n == 0)
    return failure();
  // Balance: no segment recomputes more than twice the average (but at least
  // the largest single op).
  int64_t cap = std::max<int64_t>((2 * model.prefix[n] + K - 1) / K,
                                  *llvm::max_element(model.internal));
  // dp[k][j]: least stored bytes for ops [0, j) in k segments; a cut is
  // allowed anywhere, and forced between pieces.
  const int64_t inf = std::numeric_limits<int64_t>::max() / 4;
  std::vector<std::vector<int64_t>> dp(K + 1, std::vector<int64_t>(n + 1, inf));
  std::vector<std::vector<int32_t>> from(K + 1,
                                         std::vector<int32_t>(n + 1, -1));
  dp[0][0] = 0;
  for (int64_t k = 1; k <= K; ++k)
    for (int64_t j = 1; j <= n; ++j)
      for (int64_t i = j - 1; i >= 0; --i) {
        // Segment [i, j) stays inside one piece and under the cap.
        if (model.pieceOf[i] != model.pieceOf[j - 1] ||
            model.prefix[j] - model.prefix[i] > cap)
          break;
        if (dp[k - 1][i] >= inf ||
            model.forwardPrefix[j] == model.forwardPrefix[i])
          continue;
        // A cut between pieces is forced; one inside a piece stores
        // cross[i].
        bool forced = i == 0 || model.pieceOf[i - 1] != model.pieceOf[i];
        int64_t cost = dp[k - 1][i] + (forced ? 0 : model.cross[i]);
        if (cost < dp[k][j]) {
          dp[k][j] = cost;
          from[k][j] = i;
        }
      }
  if (dp[K][n] >= inf)
    return failure();
  SmallVector<std::pair<int64_t, int64_t>> segments;
  for (int64_t k = K, j = n; k > 0; --k) {
    int64_t i = from[k][j];
    segments.push_back({i, j});
    j = i;
  }
  std::reverse(segments.begin(), segments.end());
  return segments;
}

void Annotator::applySegments(
    const SegmentModel &model,
    ArrayRef<std::pair<int64_t, int64_t>> segments, int64_t &count) {
  for (auto [i, j] : segments) {
    SmallVector<Operation *> segmentOps(model.ops.begin() + i,
                                        model.ops.begin() + j);
    wrapInRegion(segmentOps, ("segment." + Twine(count)).str());
    ++count;
  }
}

LogicalResult Annotator::bySegments(StringRef spec, int64_t &count) {
  SegmentModel model;
  if (failed(prepareSegments(model)))
    return failure();
  int64_t n = model.ops.size();
  if (n == 0)
    return success();
  int64_t segmentsWanted;
  if (spec == "sqrt") {
    // At least one region per piece.
    segmentsWanted = std::max<int64_t>(
        model.numPieces, std::lround(std::sqrt(double(n))));
  } else if (spec.getAsInteger(10, segmentsWanted) || segmentsWanted < 1) {
    return func.emitError() << "ckpt-annotate: 'segments' must be a positive "
                               "integer or 'sqrt', got '"
                            << spec << "'";
  }
  if (segmentsWanted < model.numPieces || segmentsWanted > n)
    return func.emitError()
           << "ckpt-annotate: cannot cut the forward part into "
           << segmentsWanted << " segments: it has " << n
           << " ops that may be recomputed, in " << model.numPieces
           << " pieces that regions cannot cross (at backward ops and ops "
              "that must not run twice)";
  FailureOr<SmallVector<std::pair<int64_t, int64_t>>> plan =
      planSegments(model, segmentsWanted);
  if (failed(plan))
    return func.emitError() << "ckpt-annotate: no cut of the forward part "
                               "into "
                            << segmentsWanted << " balanced segments exists";
  applySegments(model, *plan, count);
  return success();
}

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
  /// segments as regions, after ckpt-rematerialize: measured on a copy of
  /// the module, nested in it for the time of the trial.
  FailureOr<std::pair<int64_t, int64_t>>
  evaluate(func::FuncOp func, ArrayRef<std::pair<int64_t, int64_t>> plan,
           const llvm::Regex *pure) {
    ModuleOp module = getOperation();
    OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
    auto trial = ModuleOp::create(b, module.getLoc());
    b.setInsertionPointToEnd(trial.getBody());
    for (Operation &op : module.getBody()->getOperations())
      if (&op != trial.getOperation())
        b.clone(op);
    auto copy = trial.lookupSymbol<func::FuncOp>(func.getSymName());
    auto result = [&]() -> FailureOr<std::pair<int64_t, int64_t>> {
      RecomputeSafety safety(pure);
      SymbolTableCollection symbols;
      Annotator annotator(copy, safety, symbols);
      Annotator::SegmentModel model;
      if (failed(annotator.init()) || failed(annotator.prepareSegments(model)))
        return failure();
      int64_t count = 0;
      annotator.applySegments(model, plan, count);
      // The trial's remarks are not the user's.
      ScopedDiagnosticHandler quiet(&getContext(),
                                    [](Diagnostic &) { return success(); });
      OpPassManager pm(ModuleOp::getOperationName());
      CkptRematerializeOptions options;
      options.assumePure = assumePure;
      pm.addPass(createCkptRematerialize(options));
      if (failed(runPipeline(pm, trial)))
        return failure();
      // The pass replaces the module's body: look the function up again.
      copy = trial.lookupSymbol<func::FuncOp>(func.getSymName());
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
    }();
    trial.erase();
    return result;
  }

  /// `budget=` mode: the balanced segmentation (over segment counts) with
  /// the least recompute FLOPs whose estimated peak fits.
  LogicalResult byBudget(Annotator &annotator, func::FuncOp func,
                         int64_t budgetBytes, const llvm::Regex *pure,
                         int64_t &count) {
    if (func->hasAttr(CkptDialect::getBackwardAttrName()))
      return func.emitError() << "ckpt-annotate: 'budget' applies to joint-"
                                 "form functions (the peak of a split-form "
                                 "forward function alone is not the step's)";
    FailureOr<MemoryProfile> baseline =
        MemoryProfile::compute(func, CostModelOptions());
    if (failed(baseline))
      return failure();
    if (baseline->getPeakBytes() <= budgetBytes)
      return success(); // fits without checkpointing: no recompute at all
    Annotator::SegmentModel model;
    if (failed(annotator.prepareSegments(model)))
      return failure();
    int64_t n = model.ops.size();
    // Every segment count, or ~96 of them spread out on large graphs.
    SmallVector<int64_t> counts;
    for (int64_t k = model.numPieces; k <= n; ++k)
      if (n - model.numPieces <= 96 ||
          (k - model.numPieces) % ((n - model.numPieces) / 96 + 1) == 0 ||
          k == n)
        counts.push_back(k);
    int64_t smallestPeak = baseline->getPeakBytes();
    int64_t bestFlops = std::numeric_limits<int64_t>::max();
    std::optional<SmallVector<std::pair<int64_t, int64_t>>> best;
    for (int64_t k : counts) {
      FailureOr<SmallVector<std::pair<int64_t, int64_t>>> plan =
          annotator.planSegments(model, k);
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
             << "ckpt-annotate: no segmentation fits the budget of "
             << budgetBytes << " bytes; the smallest estimated peak "
             << "reachable is " << smallestPeak << " bytes (unannotated: "
             << baseline->getPeakBytes() << ")";
    annotator.applySegments(model, *best, count);
    return success();
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    int modes = !callee.empty() + !loc.empty() + !segments.empty() +
                !budget.empty();
    if (modes != 1) {
      emitError(module.getLoc()) << "ckpt-annotate: give exactly one of "
                                    "'callee', 'loc', 'segments', 'budget'";
      return signalPassFailure();
    }
    std::optional<int64_t> budgetBytes;
    if (!budget.empty() && !(budgetBytes = parseBytes(budget))) {
      emitError(module.getLoc())
          << "ckpt-annotate: 'budget' must be a byte count with an optional "
             "K, M or G suffix, got '"
          << budget << "'";
      return signalPassFailure();
    }
    auto compile = [&](StringRef name, StringRef pattern, bool whole)
        -> std::optional<llvm::Regex> {
      llvm::Regex regex(whole ? ("^(" + pattern + ")$").str() : pattern.str());
      std::string error;
      if (!regex.isValid(error)) {
        emitError(module.getLoc()) << "ckpt-annotate: invalid '" << name
                                   << "' regex '" << pattern << "': " << error;
        return std::nullopt;
      }
      return regex;
    };
    std::optional<llvm::Regex> pure;
    if (!assumePure.empty() &&
        !(pure = compile("assume-pure", assumePure, true)))
      return signalPassFailure();
    std::optional<llvm::Regex> pattern;
    if (!callee.empty() && !(pattern = compile("callee", callee, true)))
      return signalPassFailure();
    if (!loc.empty() && !(pattern = compile("loc", loc, false)))
      return signalPassFailure();

    RecomputeSafety safety(pure ? &*pure : nullptr);
    SymbolTableCollection symbols;
    bool failedAny = false;
    // The backward function of a split-form pair has no forward part.
    llvm::DenseSet<StringAttr> backwardFunctions =
        getSplitFormBackwardFunctions(module);
    for (auto func : llvm::make_early_inc_range(module.getOps<func::FuncOp>())) {
      if (func.isExternal() || !llvm::hasSingleElement(func.getBody()) ||
          backwardFunctions.contains(func.getSymNameAttr()))
        continue;
      Annotator annotator(func, safety, symbols);
      if (failed(annotator.init())) {
        failedAny = true;
        continue;
      }
      if (!annotator.hasBackwardPart())
        continue;
      int64_t count = 0;
      LogicalResult result = success();
      if (!callee.empty())
        result = annotator.byCallee(*pattern, count);
      else if (!loc.empty())
        annotator.byLocation(*pattern, count);
      else if (!segments.empty())
        result = annotator.bySegments(segments, count);
      else
        result = byBudget(annotator, func, *budgetBytes,
                          pure ? &*pure : nullptr, count);
      if (failed(result)) {
        failedAny = true;
        continue;
      }
      emitRemark(func.getLoc()) << "ckpt-annotate: created " << count << " region"
                        << (count == 1 ? "" : "s");
    }
    if (failedAny)
      signalPassFailure();
  }
};
} // namespace
