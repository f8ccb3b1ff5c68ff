//===- Segmentation.cpp - cutting a forward part into regions ---*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

#include <limits>
#include <map>

using namespace mlir;
using namespace mlir::ckpt;

SmallVector<SmallVector<Operation *>>
mlir::ckpt::getForwardPieces(const TrainingStep &step, RecomputeSafety &safety,
                             bool computable) {
  llvm::DenseSet<Operation *> fromForward;
  SmallVector<SmallVector<Operation *>> pieces(1);
  Block &body = *step.getBody();
  // Backward ops join only if they sit among the forward ops (before the
  // last of them), not in the backward proper after the loss.
  Operation *lastForward = nullptr;
  for (Operation &op : body.without_terminator())
    if (step.isForward(&op))
      lastForward = &op;
  bool beforeLast = true;
  for (Operation &op : body.without_terminator()) {
    bool eligible = step.isForward(&op);
    if (!eligible && computable && beforeLast) {
      eligible = llvm::all_of(getReadValues(&op), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return def ? fromForward.contains(def) || step.isForward(def)
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

FailureOr<SegmentModel> SegmentModel::build(const TrainingStep &step,
                                            RecomputeSafety &safety,
                                            const CostModelOptions &options,
                                            const CostTarget &target,
                                            CutCandidates cuts) {
  SegmentModel model;
  func::FuncOp func = step.getFunction();
  // Pieces with no forward op that computes (only constants, or only early
  // backward ops) cannot hold a region: they stay as they are.
  SmallVector<SmallVector<Operation *>> pieces;
  for (SmallVector<Operation *> &piece :
       getForwardPieces(step, safety, /*computable=*/true))
    if (llvm::any_of(piece, [&](Operation *op) {
          return step.isForward(op) && !isNullary(op);
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
  FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, options);
  if (failed(profile))
    return failure();
  ByteModel byteModel(func, options);
  llvm::DenseMap<Operation *, int64_t> index;
  for (auto [i, op] : llvm::enumerate(model.ops))
    index[op] = i;
  Block &body = func.getBody().front();
  int64_t savedFrom = -1;
  if (step.getForm() == TrainingStep::Form::SplitForward)
    savedFrom = getNumOutputs(func).value_or(0);
  model.internal.assign(n, 0);
  model.results.resize(n);
  int64_t scheduleSize = profile->getSchedule().size();
  model.position.resize(n);
  for (auto [i, op] : llvm::enumerate(model.ops))
    model.position[i] = profile->getPosition(op);
  SmallVector<int64_t> crossDelta(n + 1, 0); // difference array over cuts
  for (auto [i, op] : llvm::enumerate(model.ops)) {
    for (Value result : op->getResults()) {
      // Views (slices, reshapes) take no bytes; their uses count for the
      // value they view.
      // Each result is charged as a buffer of its own, including one the
      // profile finds written in place into a dying init: the model's cuts
      // decide which values cross, and an in-place chain (fill, matmul)
      // may be cut between its writers. The model then overestimates such
      // chains, never underestimates (annotate checks the plan it picks
      // against the profile after rematerialization).
      int64_t bytes = byteModel.getValueBytes(result);
      if (bytes == 0)
        continue;
      int64_t lastForward = i;
      bool readByBackward = false;
      int64_t firstBackwardUse = scheduleSize;
      SmallVector<int64_t, 2> users;
      forEachBufferUse(result, [&](OpOperand &use) {
        Operation *top = body.findAncestorOpInBlock(*use.getOwner());
        // In a split-form forward function, the backward reads the saved
        // results.
        if (top == body.getTerminator() && savedFrom >= 0 &&
            static_cast<int64_t>(use.getOperandNumber()) >= savedFrom) {
          readByBackward = true;
          firstBackwardUse =
              std::min(firstBackwardUse, profile->getPosition(top));
        }
        if (!top || top == body.getTerminator())
          return;
        auto it = index.find(top);
        if (it != index.end()) {
          lastForward = std::max<int64_t>(lastForward, it->second);
          if (it->second != static_cast<int64_t>(i))
            users.push_back(it->second);
        } else if (!step.isForward(top)) {
          readByBackward = true;
          firstBackwardUse =
              std::min(firstBackwardUse, profile->getPosition(top));
        }
      });
      if (readByBackward)
        model.internal[i] += bytes;
      llvm::sort(users);
      users.erase(llvm::unique(users), users.end());
      model.results[i].push_back({bytes, readByBackward, lastForward,
                                  firstBackwardUse, std::move(users)});
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
    bool computes = step.isForward(op) && !isNullary(op);
    model.forwardPrefix[i + 1] = model.forwardPrefix[i] + computes;
  }

  // The schedule-level figures of the plan search.
  model.liveBytes.assign(profile->getLiveBytes().begin(),
                         profile->getLiveBytes().end());
  model.baselinePeak = profile->getPeakBytes();
  // prefixFirstUse[a]: the least first backward use of the results the
  // segments before cut a may drop (read by the backward, not crossing a).
  model.prefixFirstUse.assign(n + 1, scheduleSize);
  for (int64_t i = 0; i < n; ++i)
    for (const Result &result : model.results[i])
      if (result.readByBackward && result.lastUse + 1 <= n)
        model.prefixFirstUse[result.lastUse + 1] =
            std::min(model.prefixFirstUse[result.lastUse + 1],
                     result.firstBackwardUse);
  for (int64_t a = 1; a <= n; ++a)
    model.prefixFirstUse[a] =
        std::min(model.prefixFirstUse[a], model.prefixFirstUse[a - 1]);
  // Sparse table: liveMax[k][p] = max of liveBytes[p, p + 2^k).
  int64_t size = model.liveBytes.size();
  model.liveMax.push_back(model.liveBytes);
  for (int64_t k = 1; (int64_t(1) << k) <= size; ++k) {
    const SmallVector<int64_t> &prev = model.liveMax.back();
    SmallVector<int64_t> next(size - (int64_t(1) << k) + 1);
    for (int64_t p = 0; p < static_cast<int64_t>(next.size()); ++p)
      next[p] = std::max(prev[p], prev[p + (int64_t(1) << (k - 1))]);
    model.liveMax.push_back(std::move(next));
  }
  model.reads.resize(n);
  model.resultBase.assign(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) {
    model.resultBase[i + 1] = model.resultBase[i] + model.results[i].size();
    for (auto [k, result] : llvm::enumerate(model.results[i]))
      for (int64_t user : result.users)
        model.reads[user].push_back({i, static_cast<int64_t>(k)});
  }
  // Costs.
  OpCostModel costs(func, options, target);
  for (Operation *op : model.ops) {
    OpCostModel::OpCost cost = costs.getCost(op);
    model.cost.push_back(cost.cost);
    model.flops.push_back(cost.flops);
    model.bytesMoved.push_back(cost.bytesMoved);
  }
  for (const std::string &callee : costs.getUnknownCallees())
    model.unknownCallees.push_back(callee);
  for (Operation *op : model.ops)
    model.contraction.push_back(step.isForward(op) && isContractionOp(op) &&
                                !isa<linalg::GenericOp>(op));
  // Candidate cuts: forced ones, and local minima of the crossing bytes
  // inside a piece (the first cut of a plateau, entered from above and left
  // upwards or at the piece's end).
  model.isCut.assign(n + 1, false);
  if (cuts == CutCandidates::Auto)
    cuts = n <= kAllCutsUpTo ? CutCandidates::All : CutCandidates::Minima;
  for (int64_t j = 0; j <= n; ++j) {
    if (model.isForcedCut(j) || cuts == CutCandidates::All) {
      model.isCut[j] = true;
      continue;
    }
    if (model.cross[j] >= model.cross[j - 1])
      continue;
    int64_t k = j + 1;
    while (k < n && !model.isForcedCut(k) && model.cross[k] == model.cross[j])
      ++k;
    model.isCut[j] = model.isForcedCut(k) || model.cross[k] > model.cross[j];
  }
  return model;
}

bool SegmentModel::isForcedCut(int64_t j) const {
  int64_t n = ops.size();
  return j <= 0 || j >= n || pieceOf[j - 1] != pieceOf[j];
}

int64_t SegmentModel::getLiveMax(int64_t lo, int64_t hi) const {
  lo = std::max<int64_t>(lo, 0);
  hi = std::min<int64_t>(hi, liveBytes.size());
  if (lo >= hi)
    return 0;
  int64_t k = llvm::Log2_64(hi - lo);
  return std::max(liveMax[k][lo], liveMax[k][hi - (int64_t(1) << k)]);
}

//===----------------------------------------------------------------------===//
// The plan model and its exact search
//===----------------------------------------------------------------------===//

SegmentSweep::SegmentSweep(const SegmentModel &model, int64_t end,
                           bool saveContractions)
    : model(model), end(end), begin(end), saveContractions(saveContractions),
      needed(end, 0),
      isInput(model.resultBase[end], 0), firstUse(model.liveBytes.size()) {}

void SegmentSweep::extend() {
  assert(begin > 0 && "the sweep is at the first op");
  int64_t a = --begin;
  // A saved contraction is stored from the forward: an input of the
  // recompute (stored for it if the backward does not read it), never
  // recomputed itself.
  if (saveContractions && model.contraction[a])
    return;
  // Op a is recomputed if one of its results that does not cross `end` is
  // dropped (read by the backward) or read by a recomputed op.
  bool isNeeded = false;
  int64_t largestIntermediate = 0;
  for (auto [k, result] : llvm::enumerate(model.results[a])) {
    // An input of the segment until now: internal from here on.
    char &input = isInput[model.resultBase[a] + k];
    if (input) {
      figures.stored -= result.bytes;
      input = 0;
    }
    if (result.lastUse >= end)
      continue; // crosses the end: the next region's input, stored
    bool readByNeeded = llvm::any_of(result.users, [&](int64_t user) {
      return user < end && needed[user];
    });
    if (result.readByBackward) {
      figures.dropped += result.bytes;
      firstUse = std::min(firstUse, result.firstBackwardUse);
      isNeeded = true;
    } else if (readByNeeded) {
      isNeeded = true;
      largestIntermediate = std::max(largestIntermediate, result.bytes);
    }
  }
  if (isNeeded) {
    needed[a] = 1;
    figures.cost += model.cost[a];
    figures.flops += model.flops[a];
    figures.bytesMoved += model.bytesMoved[a];
    intermediate = std::max(intermediate, largestIntermediate);
    // What it reads from before the segment is stored for the recompute
    // (for the backward's sake already if the backward reads it).
    for (auto [def, k] : model.reads[a]) {
      const SegmentModel::Result &result = model.results[def][k];
      char &input = isInput[model.resultBase[def] + k];
      if (!input && !result.readByBackward) {
        input = 1;
        figures.stored += result.bytes;
      }
    }
  }
}

SegmentFigures SegmentSweep::getFigures() const {
  SegmentFigures result = figures;
  int64_t n = model.ops.size();
  int64_t previous = model.prefixFirstUse[begin];
  // Forward positions up to the next segment (the last segment's reach the
  // backward), and the backward ones from this recompute to the previous.
  int64_t forwardEnd = end == n ? previous : model.position[end];
  int64_t peak = model.getLiveMax(model.position[begin], forwardEnd);
  int64_t recompute = std::min(firstUse, previous);
  peak = std::max(peak, model.getLiveMax(recompute, previous));
  if (figures.dropped > 0 && firstUse < static_cast<int64_t>(
                                            model.liveBytes.size()))
    // The unannotated step holds the dropped results there; the recompute
    // holds its stored inputs and intermediates before it has produced them
    // (the rematerialization's `getTransientBytes`, bounded by its largest
    // intermediate).
    peak = std::max(peak, model.liveBytes[firstUse] +
                              std::max<int64_t>(0, figures.stored +
                                                       intermediate -
                                                       figures.dropped));
  result.windowPeak = peak;
  return result;
}

SegmentPlan
mlir::ckpt::scoreSegmentPlan(const SegmentModel &model,
                             ArrayRef<std::pair<int64_t, int64_t>> segments,
                             ArrayRef<bool> saveContractions) {
  SegmentPlan plan;
  plan.segments.assign(segments.begin(), segments.end());
  plan.saveContractions.assign(saveContractions.begin(),
                               saveContractions.end());
  plan.peak = model.ops.empty()
                  ? model.baselinePeak
                  : model.getLiveMax(0, model.position[0]);
  for (auto [k, segment] : llvm::enumerate(segments)) {
    auto [begin, end] = segment;
    SegmentSweep sweep(model, end, plan.savesContractions(k));
    while (sweep.getBegin() > begin)
      sweep.extend();
    SegmentFigures figures = sweep.getFigures();
    plan.peak = std::max(plan.peak, figures.windowPeak - plan.freed);
    plan.freed += figures.getFreed();
    plan.cost += figures.cost;
    plan.flops += figures.flops;
    plan.bytesMoved += figures.bytesMoved;
  }
  return plan;
}

namespace {
/// A plan of ops [0, j) in the dynamic program.
struct PlanState {
  /// Freed bytes (dropped - stored).
  int64_t freed;
  double cost;
  int64_t peak, flops;
  /// The cut the last segment starts at, and the state there.
  int32_t from, fromState;
};
} // namespace

/// The dynamic program of `searchRegionPlans`, with segments of at most
/// `maxCuts` candidate cuts (-1: any) and states costing more than
/// `costBound` discarded (exact whenever a plan of at most that cost exists:
/// costs are not negative, and a segment's cost only grows as it extends to
/// the left).
static std::optional<SegmentPlan> solvePlans(const SegmentModel &model,
                                             int64_t budget, int64_t maxCuts,
                                             double costBound) {
  int64_t n = model.ops.size();
  if (n == 0)
    return std::nullopt;
  int64_t before = model.getLiveMax(0, model.position[0]);
  if (before > budget)
    return std::nullopt;
  // states[j]: the Pareto set at cut j, by increasing freed bytes (and so
  // increasing cost).
  std::vector<std::vector<PlanState>> states(n + 1);
  states[0].push_back({0, 0, before, 0, -1, -1});
  // The front at cut j as it is built: freed bytes -> state, costs
  // increasing with the freed bytes (each state cheaper than all with more).
  std::map<int64_t, PlanState> building;
  auto insert = [&](const PlanState &candidate) {
    auto it = building.lower_bound(candidate.freed);
    if (it != building.end() &&
        (it->second.cost < candidate.cost ||
         (it->second.cost == candidate.cost &&
          (it->first != candidate.freed ||
           it->second.peak <= candidate.peak))))
      return; // dominated
    it = building.insert_or_assign(it, candidate.freed, candidate);
    // States with fewer freed bytes that cost as much or more are dominated.
    while (it != building.begin()) {
      auto previous = std::prev(it);
      if (previous->second.cost < candidate.cost)
        break;
      building.erase(previous);
    }
  };
  int64_t pieceStart = 0;
  for (int64_t j = 1; j <= n; ++j) {
    if (model.isForcedCut(j - 1))
      pieceStart = j - 1;
    if (!model.isCut[j])
      continue;
    building.clear();
    SegmentSweep sweep(model, j);
    int64_t cutsSpanned = 0;
    for (int64_t a = j - 1; a >= pieceStart; --a) {
      sweep.extend();
      if (model.isCut[a] && maxCuts >= 0 && ++cutsSpanned > maxCuts)
        break;
      // No state at a frees more than the bytes the backward reads from ops
      // [0, a); the forward window only grows as a decreases: once even that
      // bound fails, every longer segment fails too.
      int64_t forwardEnd =
          j == n ? model.prefixFirstUse[a] : model.position[j];
      if (model.getLiveMax(model.position[a], forwardEnd) - model.prefix[a] >
          budget)
        break;
      const std::vector<PlanState> &from = states[a];
      if (!model.isCut[a] || from.empty() ||
          model.forwardPrefix[j] == model.forwardPrefix[a])
        continue;
      SegmentFigures figures = sweep.getFigures();
      if (figures.cost > costBound)
        break; // and so is every longer segment
      // Feasible: windowPeak - D <= budget, a suffix of the front.
      int64_t least = figures.windowPeak - budget;
      auto first = llvm::partition_point(
          from, [&](const PlanState &s) { return s.freed < least; });
      for (auto it = first;
           it != from.end() && it->cost + figures.cost <= costBound; ++it)
        insert({it->freed + figures.getFreed(), it->cost + figures.cost,
                std::max(it->peak, figures.windowPeak - it->freed),
                it->flops + figures.flops, static_cast<int32_t>(a),
                static_cast<int32_t>(it - from.begin())});
    }
    std::vector<PlanState> &front = states[j];
    for (auto &entry : building)
      front.push_back(entry.second);
  }
  if (states[n].empty())
    return std::nullopt;
  // The least cost (the front's first state), then the lowest peak among
  // equal costs.
  const std::vector<PlanState> &last = states[n];
  int64_t best = 0;
  for (int64_t s = 1; s < static_cast<int64_t>(last.size()); ++s)
    if (last[s].cost == last[best].cost && last[s].peak < last[best].peak)
      best = s;
  SegmentPlan plan;
  plan.peak = last[best].peak;
  plan.cost = last[best].cost;
  plan.flops = last[best].flops;
  plan.freed = last[best].freed;
  for (int64_t j = n, s = best; j > 0;) {
    const PlanState &state = states[j][s];
    plan.segments.push_back({state.from, j});
    s = state.fromState;
    j = state.from;
  }
  std::reverse(plan.segments.begin(), plan.segments.end());
  plan.bytesMoved = scoreSegmentPlan(model, plan.segments).bytesMoved;
  return plan;
}

std::optional<SegmentPlan>
mlir::ckpt::searchRegionPlans(const SegmentModel &model, int64_t budget) {
  // A first solve over short segments (at most 8 candidate cuts each) gives
  // a plan whose cost bounds the exact solve's states; without one, the
  // exact solve is unbounded.
  double bound = std::numeric_limits<double>::infinity();
  if (std::optional<SegmentPlan> quick =
          solvePlans(model, budget, /*maxCuts=*/8, bound))
    bound = quick->cost;
  return solvePlans(model, budget, /*maxCuts=*/-1, bound);
}

SmallVector<SegmentPlan> mlir::ckpt::getParetoFront(const SegmentModel &model,
                                                    int64_t maxPoints) {
  SmallVector<SegmentPlan> front;
  int64_t budget = model.baselinePeak - 1;
  while (static_cast<int64_t>(front.size()) < maxPoints) {
    std::optional<SegmentPlan> plan = searchRegionPlans(model, budget);
    if (!plan)
      break;
    // A plan of equal cost and higher peak is dominated.
    if (!front.empty() && front.back().cost == plan->cost)
      front.pop_back();
    budget = plan->peak - 1;
    front.push_back(std::move(*plan));
  }
  return front;
}

FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
mlir::ckpt::planBalancedSegments(const SegmentModel &model, int64_t K) {
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
