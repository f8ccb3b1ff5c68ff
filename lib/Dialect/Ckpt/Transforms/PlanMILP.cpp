//===- PlanMILP.cpp - region plans with per-region policies as a MILP -----===//
//
// The formulation is stated at `solvePlanMILP` (PlanMILP.h) and in
// docs/guide.md ("Budgets"); CBC does the solving.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Dialect/Ckpt/Transforms/PlanMILP.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/DebugLog.h"

#include <Cbc_C_Interface.h>

#include <cfloat>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>

using namespace mlir;
using namespace mlir::ckpt;

#define DEBUG_TYPE "ckpt-plan-milp"

namespace {
/// One candidate variable: segment [begin, end) with a policy.
struct Candidate {
  int64_t begin, end;
  bool saveContractions;
  SegmentFigures figures;
};

/// Owns a CBC model.
struct CbcModel {
  Cbc_Model *model = Cbc_newModel();
  ~CbcModel() { Cbc_deleteModel(model); }
};

/// CBC 2.10 keeps global state: one solve at a time.
std::mutex cbcMutex;
} // namespace

/// The index of each candidate cut in `cuts`, -1 elsewhere.
static SmallVector<int64_t> indexCuts(const SegmentModel &model,
                                      SmallVectorImpl<int64_t> &cuts) {
  int64_t n = model.ops.size();
  SmallVector<int64_t> index(n + 1, -1);
  for (int64_t j = 0; j <= n; ++j)
    if (model.isCut[j]) {
      index[j] = cuts.size();
      cuts.push_back(j);
    }
  return index;
}

/// The longest span (in candidate cuts) that keeps the (segment, policy)
/// count at most `maxCandidates`, at least 1.
static int64_t chooseSpan(const SegmentModel &model, ArrayRef<int64_t> cuts,
                          int64_t maxCandidates) {
  // Cuts of the same piece before each cut.
  SmallVector<int64_t> before(cuts.size(), 0);
  for (size_t e = 1; e < cuts.size(); ++e)
    before[e] = model.isForcedCut(cuts[e - 1]) ? 1 : before[e - 1] + 1;
  int64_t policies = llvm::is_contained(model.contraction, true) ? 2 : 1;
  int64_t longest = *llvm::max_element(before);
  int64_t span = 1;
  for (int64_t length = 1; length <= longest; ++length) {
    int64_t count = 0;
    for (int64_t b : before)
      count += std::min(b, length);
    if (count * policies > maxCandidates)
      break;
    span = length;
  }
  return span;
}

FailureOr<std::optional<PlanMILPResult>>
mlir::ckpt::solvePlanMILP(const SegmentModel &model, int64_t budget,
                          const SegmentPlan *start,
                          const PlanMILPOptions &options, std::string &error) {
  auto clockStart = std::chrono::steady_clock::now();
  int64_t n = model.ops.size();
  if (n == 0 || model.getLiveMax(0, model.position[0]) > budget)
    return std::optional<PlanMILPResult>();
  SmallVector<int64_t> cuts;
  SmallVector<int64_t> cutIndex = indexCuts(model, cuts);
  int64_t span = chooseSpan(model, cuts, options.maxCandidates);
  // The start plan's segments are candidates whatever their span.
  std::map<std::pair<int64_t, int64_t>, bool> startSegments;
  if (start)
    for (auto [k, segment] : llvm::enumerate(start->segments))
      startSegments[segment] = start->savesContractions(k);
  SmallVector<int64_t> contractionPrefix(n + 1, 0);
  for (int64_t i = 0; i < n; ++i)
    contractionPrefix[i + 1] = contractionPrefix[i] + model.contraction[i];

  // Candidates by increasing end; Dmin/Dmax: the least and most bytes freed
  // by the kept candidates' partial plans ending at each cut (bounds for
  // pruning and for the big-M constants).
  const int64_t inf = std::numeric_limits<int64_t>::max() / 4;
  SmallVector<int64_t> dMin(cuts.size(), inf), dMax(cuts.size(), -inf);
  dMin[0] = dMax[0] = 0;
  std::vector<Candidate> candidates;
  int64_t pieceStart = 0;
  for (size_t e = 1; e < cuts.size(); ++e) {
    int64_t j = cuts[e];
    if (model.isForcedCut(cuts[e - 1]))
      pieceStart = cuts[e - 1];
    // The start plan's segment ending at j, if any, and its policy.
    int64_t startBegin = -1;
    bool startPolicy = false;
    for (auto &[segment, policy] : startSegments)
      if (segment.second == j) {
        startBegin = segment.first;
        startPolicy = policy;
      }
    for (bool policy : {false, true}) {
      SegmentSweep sweep(model, j, policy);
      bool reachesStart = startBegin >= 0 && startPolicy == policy;
      int64_t spanned = 0;
      for (int64_t a = j - 1; a >= pieceStart; --a) {
        sweep.extend();
        if (!model.isCut[a])
          continue;
        ++spanned;
        if (spanned > span && !(reachesStart && a == startBegin)) {
          if (reachesStart && a > startBegin)
            continue; // on to the start plan's segment
          break;
        }
        int64_t forwardEnd =
            j == n ? model.prefixFirstUse[a] : model.position[j];
        if (model.getLiveMax(model.position[a], forwardEnd) -
                model.prefix[a] >
            budget)
          break; // as in the DP: no longer segment fits either
        int64_t c = cutIndex[a];
        if (dMin[c] == inf ||
            model.forwardPrefix[j] == model.forwardPrefix[a])
          continue;
        if (policy && contractionPrefix[j] == contractionPrefix[a])
          continue; // saves nothing: the same as policy none
        SegmentFigures figures = sweep.getFigures();
        if (figures.windowPeak - dMax[c] > budget)
          continue; // never fits
        candidates.push_back({a, j, policy, figures});
        dMin[e] = std::min(dMin[e], dMin[c] + figures.getFreed());
        dMax[e] = std::max(dMax[e], dMax[c] + figures.getFreed());
      }
    }
  }
  int64_t last = cuts.size() - 1;
  if (dMin[last] == inf)
    return std::optional<PlanMILPResult>();
  // The least D at any cut up to each cut (D_a of a cut off the chosen path
  // is the D of the last chosen cut before it).
  SmallVector<int64_t> dMinUpTo(cuts.size());
  for (size_t c = 0; c < cuts.size(); ++c)
    dMinUpTo[c] = std::min(c ? dMinUpTo[c - 1] : 0, dMin[c]);

  // Columns: x_s, then D_c. Bytes in units of `unit` (a power of two, so
  // that CBC's tolerances stay far below a unit), costs over the largest.
  int64_t unit = 1;
  while (budget / unit > (int64_t(1) << 24))
    unit *= 2;
  double costScale = 0;
  for (const Candidate &candidate : candidates)
    costScale = std::max(costScale, candidate.figures.cost);
  if (costScale <= 0)
    costScale = 1;
  int64_t numX = candidates.size();
  int64_t numColumns = numX + cuts.size();
  auto dColumn = [&](int64_t c) { return numX + c; };

  std::lock_guard<std::mutex> lock(cbcMutex);
  CbcModel cbc;
  Cbc_setLogLevel(cbc.model, 0);
  std::vector<std::string> names;
  for (const Candidate &candidate : candidates) {
    std::string name = "x_" + std::to_string(candidate.begin) + "_" +
                       std::to_string(candidate.end) +
                       (candidate.saveContractions ? "_save" : "");
    Cbc_addCol(cbc.model, name.c_str(), 0, 1,
               candidate.figures.cost / costScale, /*isInteger=*/1, 0, nullptr,
               nullptr);
  }
  for (size_t c = 0; c < cuts.size(); ++c) {
    std::string name = "D_" + std::to_string(cuts[c]);
    double bound = c == 0 ? 0 : DBL_MAX;
    Cbc_addCol(cbc.model, name.c_str(), c == 0 ? 0 : -DBL_MAX, bound, 0,
               /*isInteger=*/0, 0, nullptr, nullptr);
  }
  int64_t rows = 0;
  auto addRow = [&](StringRef name, ArrayRef<int> columns,
                    ArrayRef<double> values, char sense, double rhs) {
    Cbc_addRow(cbc.model, name.str().c_str(), columns.size(), columns.data(),
               values.data(), sense, rhs);
    ++rows;
  };
  // Flow and freed bytes, per cut.
  std::vector<SmallVector<int64_t>> endingAt(cuts.size()),
      startingAt(cuts.size());
  for (auto [s, candidate] : llvm::enumerate(candidates)) {
    endingAt[cutIndex[candidate.end]].push_back(s);
    startingAt[cutIndex[candidate.begin]].push_back(s);
  }
  for (size_t c = 0; c < cuts.size(); ++c) {
    SmallVector<int> columns;
    SmallVector<double> values;
    for (int64_t s : endingAt[c]) {
      columns.push_back(s);
      values.push_back(1);
    }
    for (int64_t s : startingAt[c]) {
      columns.push_back(s);
      values.push_back(-1);
    }
    double rhs = (c == cuts.size() - 1 ? 1 : 0) - (c == 0 ? 1 : 0);
    if (!columns.empty())
      addRow("flow_" + std::to_string(cuts[c]), columns, values, 'E', rhs);
    if (c == 0)
      continue;
    columns = {static_cast<int>(dColumn(c)), static_cast<int>(dColumn(c - 1))};
    values = {1, -1};
    for (int64_t s : endingAt[c]) {
      columns.push_back(s);
      values.push_back(-double(candidates[s].figures.getFreed()) / unit);
    }
    addRow("freed_" + std::to_string(cuts[c]), columns, values, 'E', 0);
  }
  // Peak, per candidate: -D_a + M x_s <= budget + M - windowPeak.
  for (auto [s, candidate] : llvm::enumerate(candidates)) {
    int64_t c = cutIndex[candidate.begin];
    double windowPeak = double(candidate.figures.windowPeak) / unit;
    double limit = double(budget) / unit;
    double bigM = windowPeak - limit - double(dMinUpTo[c]) / unit;
    if (bigM <= 0)
      continue; // fits whatever was chosen before
    addRow("peak_" + std::to_string(s),
           {static_cast<int>(dColumn(c)), static_cast<int>(s)}, {-1.0, bigM},
           'L', limit + bigM - windowPeak);
  }
  // The start plan as the first incumbent.
  if (start) {
    std::map<std::tuple<int64_t, int64_t, bool>, int64_t> index;
    for (auto [s, candidate] : llvm::enumerate(candidates))
      index[{candidate.begin, candidate.end, candidate.saveContractions}] = s;
    SmallVector<int> columns;
    SmallVector<double> values(numColumns, 0);
    bool complete = true;
    int64_t freed = 0;
    for (auto [k, segment] : llvm::enumerate(start->segments)) {
      auto it =
          index.find({segment.first, segment.second, start->savesContractions(k)});
      if (it == index.end()) {
        complete = false;
        break;
      }
      values[it->second] = 1;
    }
    if (complete) {
      for (size_t c = 0; c < cuts.size(); ++c) {
        for (int64_t s : endingAt[c])
          if (values[s] > 0.5)
            freed += candidates[s].figures.getFreed();
        values[dColumn(c)] = double(freed) / unit;
      }
      for (int64_t col = 0; col < numColumns; ++col)
        columns.push_back(col);
      Cbc_setMIPStartI(cbc.model, numColumns, columns.data(), values.data());
    }
  }
  Cbc_setObjSense(cbc.model, 1);
  Cbc_setMaximumSeconds(cbc.model, options.timeLimitSeconds);
  LDBG() << candidates.size() << " candidates (span " << span << "), " << rows
         << " rows";
  int status = Cbc_solve(cbc.model);
  if (Cbc_isProvenInfeasible(cbc.model))
    return std::optional<PlanMILPResult>();
  if (status != 0 && !Cbc_isSecondsLimitReached(cbc.model)) {
    error = "CBC stopped with status " + std::to_string(status) +
            " (secondary " + std::to_string(Cbc_secondaryStatus(cbc.model)) +
            ")";
    return failure();
  }
  if (Cbc_numberSavedSolutions(cbc.model) == 0 && !Cbc_isProvenOptimal(cbc.model))
    return std::optional<PlanMILPResult>();
  const double *solution = Cbc_getColSolution(cbc.model);
  // The chosen segments form a path from cut 0 to cut n.
  std::map<int64_t, int64_t> chosenFrom;
  for (int64_t s = 0; s < numX; ++s)
    if (solution[s] > 0.5)
      chosenFrom[candidates[s].begin] = s;
  SmallVector<std::pair<int64_t, int64_t>> segments;
  SmallVector<bool> policies;
  for (int64_t at = 0; at < n;) {
    auto it = chosenFrom.find(at);
    if (it == chosenFrom.end()) {
      error = "CBC's solution is not a plan (no segment starts at op " +
              std::to_string(at) + ")";
      return failure();
    }
    const Candidate &candidate = candidates[it->second];
    segments.push_back({candidate.begin, candidate.end});
    policies.push_back(candidate.saveContractions);
    at = candidate.end;
  }
  PlanMILPResult result;
  result.plan = scoreSegmentPlan(model, segments, policies);
  if (result.plan.peak > budget) {
    // Only CBC's tolerances could cause this: the start plan fits exactly.
    if (!start) {
      error = "CBC's plan exceeds the budget by " +
              std::to_string(result.plan.peak - budget) + " bytes";
      return failure();
    }
    result.plan = scoreSegmentPlan(model, start->segments,
                                   start->saveContractions);
  }
  if (start && start->cost < result.plan.cost)
    result.plan = scoreSegmentPlan(model, start->segments,
                                   start->saveContractions);
  result.bound = std::max(0.0, Cbc_getBestPossibleObjValue(cbc.model)) *
                 costScale;
  result.bound = std::min(result.bound, result.plan.cost);
  result.provenOptimal = Cbc_isProvenOptimal(cbc.model);
  result.gap = result.plan.cost > 0
                   ? (result.plan.cost - result.bound) / result.plan.cost
                   : 0;
  result.candidates = numX;
  result.rows = rows;
  result.maxSpan = span;
  result.seconds = std::chrono::duration<double>(
                       std::chrono::steady_clock::now() - clockStart)
                       .count();
  return std::optional<PlanMILPResult>(std::move(result));
}
