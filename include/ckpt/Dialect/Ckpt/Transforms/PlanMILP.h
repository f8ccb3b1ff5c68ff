//===- PlanMILP.h - region plans with per-region policies as a MILP -*- C++ -*-===//
//
// `ckpt-annotate budget=... solver=milp`: the choice of regions and of a save
// policy per region as a mixed-integer linear program (Checkmate, Jain et al.
// 2020, "Checkmate: Breaking the Memory Wall with Optimal Tensor
// Rematerialization", adapted to region plans: ckpt cannot express per-op
// decisions, so the variables are candidate segments, each with or without
// its contractions saved). Solved with COIN-OR CBC through its C interface,
// started from the dynamic program's plan, within a time limit. Changes no
// IR.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_PLANMILP_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_PLANMILP_H

#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include <string>

namespace mlir::ckpt {

/// Limits of `solvePlanMILP`.
struct PlanMILPOptions {
  /// Wall-clock limit of the CBC solve, seconds.
  double timeLimitSeconds = 60;
  /// Most candidate (segment, policy) variables: segments span at most as
  /// many candidate cuts as keeps the count under this (the longest span
  /// that does, at least one), plus the starting plan's segments.
  int64_t maxCandidates = 20000;
};

/// The outcome of `solvePlanMILP`.
struct PlanMILPResult {
  /// The best plan found, scored with `scoreSegmentPlan` (its figures are
  /// the plan model's, not the solver's floating-point ones); its
  /// `saveContractions` gives each segment's policy.
  SegmentPlan plan;
  /// The solver's proven lower bound on the cost over the candidates, in
  /// cost units, and the relative gap (cost - bound) / cost (0 when the
  /// cost is 0).
  double bound = 0, gap = 0;
  /// True if CBC proved the plan optimal over the candidates (gap within its
  /// tolerance), false if it stopped at the time limit.
  bool provenOptimal = false;
  /// Candidate (segment, policy) variables, constraint rows, and the longest
  /// segment span in candidate cuts.
  int64_t candidates = 0, rows = 0, maxSpan = 0;
  /// Wall-clock seconds of the solve.
  double seconds = 0;
};

/// The region plan of least recompute cost whose plan-model peak is at most
/// `budget` bytes, choosing per region whether it saves its contractions.
/// Variables: x_s in {0, 1} per candidate s = (segment [a, j), policy p)
/// (segments inside one piece between candidate cuts, holding a forward op
/// that computes, of at most `maxSpan` candidate cuts, with the figures of
/// `SegmentSweep`), and D_c per candidate cut c, the bytes freed by the
/// chosen segments ending at or before c. Rows:
///   flow: Σ_{s ends at c} x_s - Σ_{s starts at c} x_s = [c = n] - [c = 0];
///   freed: D_c - D_{c'} - Σ_{s ends at c} freed_s x_s = 0 (c' the previous
///          candidate cut; D_0 = 0);
///   peak: windowPeak_s - D_a <= budget + M_s (1 - x_s), M_s from the least
///          D over partial plans (the DP's plan-model peak, linear because a
///          plan is a path of segments);
///   objective: min Σ cost_s x_s.
/// With `start` (the DP's plan, policy none), its segments are candidates
/// and it is CBC's first incumbent, so the result is never worse. Returns
/// std::nullopt if no candidate plan fits; an error message in `error` if
/// CBC fails. CBC 2.10 is not thread-safe: solves are serialized.
FailureOr<std::optional<PlanMILPResult>>
solvePlanMILP(const SegmentModel &model, int64_t budget,
              const SegmentPlan *start, const PlanMILPOptions &options,
              std::string &error);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_PLANMILP_H
