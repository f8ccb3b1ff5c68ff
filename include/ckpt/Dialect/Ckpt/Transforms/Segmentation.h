//===- Segmentation.h - cutting a forward part into regions -----*- C++ -*-===//
//
// The analysis behind `ckpt-annotate segments=` and `budget=`: the forward
// ops of a training step that regions may hold, the bytes the backward reads
// from each and the bytes that cross each cut, and the balanced
// segmentations of least stored bytes (Chen et al. 2016, "Training Deep Nets
// with Sublinear Memory Cost"). Changes no IR.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_SEGMENTATION_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_SEGMENTATION_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"

namespace mlir::ckpt {

/// The forward ops of `step` in program order, in pieces that regions may
/// not cross: a backward op or an op that must not run twice
/// (`RecomputeSafety`) ends a piece. With `computable`, backward ops that
/// read nothing but arguments and forward (or such) ops, and that sit among
/// the forward ops (before the last of them), may join a piece: a derivative
/// factor computed early, as tanh'(a) next to tanh(a), is computed from the
/// forward alone.
SmallVector<SmallVector<Operation *>> getForwardPieces(const TrainingStep &step,
                                                       RecomputeSafety &safety,
                                                       bool computable = false);

/// Which cuts inside a piece the plan search may take.
enum class CutCandidates {
  /// Local minima of the crossing bytes (see `SegmentModel::isCut`).
  Minima,
  /// Every cut.
  All,
  /// All on graphs of at most `kAllCutsUpTo` ops, Minima on larger ones.
  Auto,
};
/// The solver of `ckpt-annotate budget=`.
enum class PlanSolver {
  /// `searchRegionPlans`: exact over region plans without save policies.
  DP,
  /// `solvePlanMILP`: regions and a save policy per region, started from
  /// the DP's plan.
  MILP,
};

/// The largest op count for which `CutCandidates::Auto` takes every cut.
inline constexpr int64_t kAllCutsUpTo = 1024;

/// The cost model of a segmentation: the forward ops that may be in a region
/// (in order, with their piece), the bytes the backward reads from each
/// (recomputed if its segment is a region), and the bytes that cross the
/// cut before each (stored if the cut is a region boundary). Bytes are
/// those of `MemoryProfile` (`ByteModel::getValueBytes`).
struct SegmentModel {
  SmallVector<Operation *> ops;
  SmallVector<int64_t> pieceOf, internal, cross, prefix;
  /// Forward ops that compute (not constants or empty tensors) among ops
  /// [0, i): a region needs at least one (else it would hold only free
  /// values or only backward values).
  SmallVector<int64_t> forwardPrefix;
  int64_t numPieces = 0;

  // The schedule-level figures the plan search (`searchRegionPlans`) scores
  // plans with. All bytes are `MemoryProfile`'s.

  /// One result of a model op that takes bytes.
  struct Result {
    int64_t bytes = 0;
    /// Read by a backward op (directly or through a view): dropped when its
    /// segment is a region and it does not cross the segment's end.
    bool readByBackward = false;
    /// The last model op that reads it (its own index if none): it crosses
    /// every cut j with index < j <= lastUse, and is kept (a region's input)
    /// past cut lastUse.
    int64_t lastUse = 0;
    /// Schedule position of the first backward op that reads it (schedule
    /// size if none): where the recompute of a region dropping it goes.
    int64_t firstBackwardUse = 0;
    /// Model ops that read it (indices, increasing).
    SmallVector<int64_t, 2> users;
  };
  /// Results of each op (those that take bytes).
  SmallVector<SmallVector<Result, 1>> results;
  /// The results each op reads: (defining op, index in its `results`).
  SmallVector<SmallVector<std::pair<int64_t, int64_t>, 2>> reads;
  /// Index of op i's first result in a numbering of all `results`.
  SmallVector<int64_t> resultBase;
  /// Schedule position of each op.
  SmallVector<int64_t> position;
  /// prefixFirstUse[a]: the least firstBackwardUse of the results of ops
  /// [0, a) that the backward reads and that do not cross cut a (schedule
  /// size if none): no later than the recompute of any segment before a,
  /// the end of the backward window of a segment starting at a.
  SmallVector<int64_t> prefixFirstUse;
  /// Live bytes at each schedule position of the unannotated function.
  SmallVector<int64_t> liveBytes;
  int64_t baselinePeak = 0;
  /// The recompute cost of each op (`OpCostModel::getCost` for the target),
  /// its FLOPs and bytes moved.
  SmallVector<double> cost;
  SmallVector<int64_t> flops, bytesMoved;
  /// External callees among the ops whose cost is unknown (no library
  /// kernel): counted 0 FLOPs.
  SmallVector<std::string> unknownCallees;
  /// Forward ops a region's `save-contractions` choice keeps (`SegmentPlan::
  /// saveContractions`, a `save` list of their `getSaveEntry`): contractions
  /// and convolutions (`isContractionOp`: named linalg ops, and library
  /// kernel calls by callee), but not `linalg.generic` ones, since a `save`
  /// entry matches every op of its name in the region.
  SmallVector<bool> contraction;
  /// Candidate cuts: isCut[j] for the cut before op j (0 <= j <= n). Cuts
  /// 0 and n, and cuts between pieces, are always candidates (the latter are
  /// forced); with `CutCandidates::Minima`, a cut inside a piece is a
  /// candidate when the bytes crossing it are a local minimum (less than at
  /// the previous cut, and on a plateau the first cut, the plateau rising
  /// after it or ending the piece); with `All`, every cut is.
  SmallVector<bool> isCut;
  /// Sparse table for range maxima of `liveBytes`.
  SmallVector<SmallVector<int64_t>> liveMax;

  /// The largest live bytes at positions [lo, hi) (0 if empty).
  int64_t getLiveMax(int64_t lo, int64_t hi) const;
  /// True if a cut before op j is forced (a piece starts there, or j is 0
  /// or n).
  bool isForcedCut(int64_t j) const;

  /// Builds the model of `step` (pieces of `getForwardPieces(step, safety,
  /// /*computable=*/true)` with at least one forward op that computes), the
  /// recompute costs priced for `target`.
  static FailureOr<SegmentModel> build(const TrainingStep &step,
                                       RecomputeSafety &safety,
                                       const CostModelOptions &options,
                                       const CostTarget &target = {},
                                       CutCandidates cuts = CutCandidates::Auto);
};

/// The figures of one segment [begin, end) of `SegmentModel::ops` as a
/// region, in the plan model of `searchRegionPlans`.
struct SegmentFigures {
  /// Bytes of the results the region drops (read by the backward, not
  /// crossing `end`).
  int64_t dropped = 0;
  /// Bytes of the region's inputs that its recompute reads and that the
  /// backward does not: stored from the forward until the recompute, where
  /// the unannotated step frees them after their last forward use.
  int64_t stored = 0;
  /// Recompute cost and FLOPs of the ops that recompute them (the backward
  /// slice of the dropped results inside the segment, down to results that
  /// cross `end`, which stay stored).
  double cost = 0;
  int64_t flops = 0, bytesMoved = 0;
  /// The largest unannotated live bytes over the segment's window (its
  /// forward positions, and the backward positions from its recompute to
  /// the recompute of the segment before it), and at the recompute's
  /// position what the recompute holds beyond the dropped results it has not
  /// produced yet: max(0, stored + the largest intermediate - dropped). The plan's estimate at the window is this minus the bytes
  /// freed (dropped - stored) by the segments before.
  int64_t windowPeak = 0;
  /// dropped - stored.
  int64_t getFreed() const { return dropped - stored; }
};

/// Computes `SegmentFigures` of [begin, end) for one `end` and each `begin`
/// from end - 1 down, in O(ops + results + users) per step. With
/// `saveContractions`, the region's `save` list names the contraction ops
/// of the segment (`SegmentModel::contraction`): their results are stored
/// from the forward (neither dropped nor recomputed) and what only they read
/// is not recomputed, as `SavedSetAnalysis` does for a `save` list.
class SegmentSweep {
public:
  SegmentSweep(const SegmentModel &model, int64_t end,
               bool saveContractions = false);
  /// Moves `begin` one op down (the first call makes it end - 1).
  void extend();
  int64_t getBegin() const { return begin; }
  /// The figures of [begin, end).
  SegmentFigures getFigures() const;

private:
  const SegmentModel &model;
  int64_t end, begin;
  bool saveContractions;
  SmallVector<char> needed, isInput;
  SegmentFigures figures;
  int64_t firstUse, intermediate = 0;
};

/// A region plan: segments in order covering every op of the model, each a
/// region, with its figures in the plan model.
struct SegmentPlan {
  SmallVector<std::pair<int64_t, int64_t>> segments;
  /// Per segment, whether its region saves its contractions
  /// (`SegmentSweep`); empty means none does. Only `solvePlanMILP` sets it.
  SmallVector<bool> saveContractions;
  /// True if segment k saves its contractions.
  bool savesContractions(size_t k) const {
    return k < saveContractions.size() && saveContractions[k];
  }
  /// The estimated peak (bytes), recompute cost, FLOPs, and bytes freed
  /// (dropped minus stored inputs, `SegmentFigures::getFreed`).
  int64_t peak = 0;
  double cost = 0;
  int64_t flops = 0, freed = 0;
  /// Bytes the recompute moves (read + written).
  int64_t bytesMoved = 0;
};

/// Scores `segments` (covering the model's ops in order) in the plan model:
/// peak = max(live bytes before the first op, max over segments k of
/// windowPeak_k - Σ_{i<k} freed_i); cost = Σ cost_k. The same model the
/// dynamic program minimizes. `saveContractions` (empty: none) gives each
/// segment's policy, as `SegmentPlan::saveContractions`.
SegmentPlan scoreSegmentPlan(const SegmentModel &model,
                             ArrayRef<std::pair<int64_t, int64_t>> segments,
                             ArrayRef<bool> saveContractions = {});

/// The exact dynamic program of `ckpt-annotate budget=` over candidate cuts
/// (docs/guide.md, "Budgets"): the plan of least recompute cost whose
/// estimated peak is at most `budget` bytes (ties: the lower peak), or
/// std::nullopt if none fits. With F[j] the Pareto set of (dropped bytes D,
/// cost C) over plans of ops [0, j) ending with a cut at j whose segments
/// all fit:
///   F[0] = {(0, 0)},
///   F[j] = Pareto{ (D + freed(a,j), C + cost(a,j)) : a < j a candidate
///          cut of the same piece, (D, C) in F[a],
///          windowPeak(a,j) - D <= budget },
/// and the answer is the least C in F[n]. Exact in bytes (no memory
/// discretisation; a first solve over segments of at most 8 candidate cuts
/// bounds the cost of the states kept): D is kept exactly, and a state is
/// dropped only when
/// another has at least its D at most its C. (D is the freed bytes, dropped
/// minus stored, `SegmentFigures::getFreed`.) Time O(n^2 (1 + r) + Σ_j Σ_a
/// |F[a]|) for n ops and r results per op, memory O(Σ |F|).
std::optional<SegmentPlan> searchRegionPlans(const SegmentModel &model,
                                             int64_t budget);

/// The front of (estimated peak, recompute cost) region plans: the plan of
/// `searchRegionPlans` for the unannotated peak - 1, then for each plan's
/// peak - 1, until nothing fits or `maxPoints` plans were found; in order of
/// decreasing peak and increasing cost.
SmallVector<SegmentPlan> getParetoFront(const SegmentModel &model,
                                        int64_t maxPoints = 256);

/// The `numSegments` segments (op index ranges [begin, end) of
/// `model.ops`) of least stored bytes, none recomputing more than twice the
/// average of the bytes the backward reads (at least the largest single
/// op's), each inside one piece and holding a forward op that computes: an
/// O(K n^2) dynamic program over cut points. Failure if no such
/// segmentation exists.
FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
planBalancedSegments(const SegmentModel &model, int64_t numSegments);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_SEGMENTATION_H
