//===- TestPlanSearch.cpp - the plan search against brute force -*- C++ -*-===//
//
// test-ckpt-plan-search: for each joint-form training step with at most
// `max-segments` candidate segments, scores every set of candidate cuts with
// `scoreSegmentPlan` (the plan model `searchRegionPlans` minimizes) and checks,
// at every budget that is the peak of some plan (and one byte below each), that
// the dynamic program's plan has the least cost of the plans that fit, a peak
// within the budget, and figures equal to its own score; and that the cost
// never rises with the budget. Errors at the function name the first budget
// where they differ; a remark gives the counts and the front.
//
// With `milp`, the brute force also chooses each segment's policy (saving
// its contractions or not, `SegmentSweep`), and at every budget that is the
// peak of a plan on that front (and one byte below each) `solvePlanMILP`,
// started from the DP's plan, must find the least cost, fit, and cost no
// more than the DP.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/Transforms/PlanMILP.h"
#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/Support/Format.h"

#include <limits>
#include <map>
#include <set>

using namespace mlir;
using namespace mlir::ckpt;

namespace {
struct TestPlanSearchPass
    : public PassWrapper<TestPlanSearchPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(TestPlanSearchPass)
  TestPlanSearchPass() = default;
  TestPlanSearchPass(const TestPlanSearchPass &other) : PassWrapper(other) {}
  StringRef getArgument() const final { return "test-ckpt-plan-search"; }
  StringRef getDescription() const final {
    return "Check ckpt-annotate budget='s dynamic program against a brute "
           "force over every set of candidate cuts";
  }
  Option<int64_t> maxSegments{
      *this, "max-segments",
      llvm::cl::desc("Most candidate segments to enumerate (2^(n-1) plans)"),
      llvm::cl::init(12)};
  Option<bool> allCuts{*this, "all-cuts",
                       llvm::cl::desc("Every cut a candidate (default: the "
                                      "local minima of the crossing bytes)"),
                       llvm::cl::init(false)};
  Option<bool> milp{*this, "milp",
                    llvm::cl::desc("Check solvePlanMILP against a brute force "
                                   "over cut sets and per-segment policies"),
                    llvm::cl::init(false)};

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SplitFormPairs pairs(module);
    RecomputeSafety safety(nullptr);
    for (auto func : module.getOps<func::FuncOp>()) {
      FailureOr<std::optional<TrainingStep>> step =
          TrainingStep::get(func, pairs);
      if (failed(step))
        return signalPassFailure();
      if (!*step || (*step)->getForm() != TrainingStep::Form::Joint)
        continue;
      FailureOr<SegmentModel> model =
          SegmentModel::build(**step, safety, CostModelOptions(), CostTarget(),
                              allCuts ? CutCandidates::All
                                      : CutCandidates::Minima);
      if (failed(model))
        return signalPassFailure();
      if (failed(milp ? checkMILP(func, *model) : check(func, *model)))
        return signalPassFailure();
    }
  }

  /// Every plan over the candidate cuts whose segments each hold a forward
  /// op that computes, as segment lists; an error if there are more than
  /// `maxSegments` candidate segments.
  FailureOr<std::vector<SmallVector<std::pair<int64_t, int64_t>>>>
  enumerateCutSets(func::FuncOp func, const SegmentModel &model,
                   int64_t &segments) {
    int64_t n = model.ops.size();
    SmallVector<int64_t> cuts, free;
    for (int64_t j = 0; j <= n; ++j)
      if (model.isCut[j]) {
        cuts.push_back(j);
        if (!model.isForcedCut(j))
          free.push_back(j);
      }
    segments = static_cast<int64_t>(cuts.size()) - 1;
    if (segments > maxSegments)
      return func.emitError() << segments << " candidate segments, more than "
                              << static_cast<int64_t>(maxSegments)
                              << " to enumerate";
    std::vector<SmallVector<std::pair<int64_t, int64_t>>> plans;
    for (uint64_t mask = 0; mask < (uint64_t(1) << free.size()); ++mask) {
      SmallVector<int64_t> chosen;
      for (int64_t j : cuts)
        if (model.isForcedCut(j) ||
            (mask >> (llvm::find(free, j) - free.begin())) & 1)
          chosen.push_back(j);
      SmallVector<std::pair<int64_t, int64_t>> plan;
      bool valid = true;
      for (size_t k = 0; k + 1 < chosen.size(); ++k) {
        valid &= model.forwardPrefix[chosen[k + 1]] !=
                 model.forwardPrefix[chosen[k]];
        plan.push_back({chosen[k], chosen[k + 1]});
      }
      if (valid)
        plans.push_back(std::move(plan));
    }
    return plans;
  }

  LogicalResult checkMILP(func::FuncOp func, const SegmentModel &model) {
    int64_t segments = 0;
    auto cutSets = enumerateCutSets(func, model, segments);
    if (failed(cutSets))
      return failure();
    // Every plan with every policy choice for the segments that hold a
    // contraction.
    std::vector<SegmentPlan> plans;
    for (const auto &cutSet : *cutSets) {
      SmallVector<int64_t> choosable;
      for (auto [k, segment] : llvm::enumerate(cutSet))
        if (llvm::is_contained(
                ArrayRef<bool>(model.contraction)
                    .slice(segment.first, segment.second - segment.first),
                true))
          choosable.push_back(k);
      for (uint64_t mask = 0; mask < (uint64_t(1) << choosable.size());
           ++mask) {
        SmallVector<bool> policies(cutSet.size(), false);
        for (auto [bit, k] : llvm::enumerate(choosable))
          policies[k] = (mask >> bit) & 1;
        plans.push_back(scoreSegmentPlan(model, cutSet, policies));
      }
    }
    // The brute-force front: the least cost at each peak reached.
    std::map<int64_t, double> leastAt;
    for (const SegmentPlan &plan : plans) {
      auto [it, inserted] = leastAt.try_emplace(plan.peak, plan.cost);
      if (!inserted)
        it->second = std::min(it->second, plan.cost);
    }
    std::set<int64_t> budgets;
    double bestSoFar = std::numeric_limits<double>::infinity();
    for (auto [peak, cost] : leastAt)
      if (cost < bestSoFar) {
        bestSoFar = cost;
        budgets.insert(peak);
        budgets.insert(peak - 1);
      }
    int64_t feasible = 0, better = 0;
    for (int64_t budget : budgets) {
      const SegmentPlan *best = nullptr;
      for (const SegmentPlan &plan : plans)
        if (plan.peak <= budget && (!best || plan.cost < best->cost))
          best = &plan;
      std::optional<SegmentPlan> dp = searchRegionPlans(model, budget);
      std::string error;
      FailureOr<std::optional<PlanMILPResult>> solved = solvePlanMILP(
          model, budget, dp ? &*dp : nullptr, PlanMILPOptions(), error);
      if (failed(solved))
        return func.emitError() << "budget " << budget << ": " << error;
      if (!best && !*solved)
        continue;
      if (!best || !*solved)
        return func.emitError()
               << "budget " << budget << ": brute force "
               << (best ? "finds a plan" : "finds none") << ", the MILP "
               << (*solved ? "finds one" : "finds none");
      const SegmentPlan &plan = (*solved)->plan;
      if (plan.cost != best->cost || plan.peak > budget ||
          !(*solved)->provenOptimal)
        return func.emitError()
               << "budget " << budget << ": MILP cost " << plan.cost
               << " peak " << plan.peak << ", brute force cost " << best->cost
               << " peak " << best->peak;
      if (dp && plan.cost > dp->cost)
        return func.emitError() << "budget " << budget << ": MILP cost "
                                << plan.cost << " above the DP's " << dp->cost;
      better += !dp || plan.cost < dp->cost;
      ++feasible;
    }
    func.emitRemark() << "MILP search: " << model.ops.size() << " ops, "
                      << segments << " candidate segments, " << plans.size()
                      << " plans with policies, " << budgets.size()
                      << " budgets (" << feasible
                      << " feasible): the MILP equals brute force, cheaper "
                         "than the DP at "
                      << better;
    return success();
  }

  LogicalResult check(func::FuncOp func, const SegmentModel &model) {
    int64_t n = model.ops.size();
    int64_t segments = 0;
    auto cutSets = enumerateCutSets(func, model, segments);
    if (failed(cutSets))
      return failure();
    // Every plan: the forced cuts and a subset of the free ones.
    std::vector<SegmentPlan> plans;
    for (const auto &cutSet : *cutSets)
      plans.push_back(scoreSegmentPlan(model, cutSet));
    // Budgets: every peak reached, and one byte below each.
    std::set<int64_t> budgets;
    for (const SegmentPlan &plan : plans) {
      budgets.insert(plan.peak);
      budgets.insert(plan.peak - 1);
    }
    double previousCost = std::numeric_limits<double>::infinity();
    int64_t feasible = 0;
    std::map<int64_t, double> front;
    for (int64_t budget : budgets) {
      const SegmentPlan *best = nullptr;
      for (const SegmentPlan &plan : plans)
        if (plan.peak <= budget && (!best || plan.cost < best->cost))
          best = &plan;
      std::optional<SegmentPlan> dp = searchRegionPlans(model, budget);
      if (!best && !dp)
        continue;
      if (!best || !dp)
        return func.emitError()
               << "budget " << budget << ": brute force "
               << (best ? "finds a plan" : "finds none") << ", the DP "
               << (dp ? "finds one" : "finds none");
      if (dp->cost != best->cost || dp->peak > budget)
        return func.emitError()
               << "budget " << budget << ": DP cost " << dp->cost
               << " peak " << dp->peak << ", brute force cost " << best->cost
               << " peak " << best->peak;
      SegmentPlan again = scoreSegmentPlan(model, dp->segments);
      if (again.cost != dp->cost || again.peak != dp->peak ||
          again.flops != dp->flops || again.freed != dp->freed)
        return func.emitError() << "budget " << budget
                                << ": the DP's figures differ from its plan's "
                                   "score";
      if (dp->cost > previousCost)
        return func.emitError() << "budget " << budget << ": cost rose to "
                                << dp->cost << " from " << previousCost;
      previousCost = dp->cost;
      ++feasible;
      if (!front.count(dp->peak))
        front[dp->peak] = dp->cost;
    }
    InFlightDiagnostic diag =
        func.emitRemark()
        << "plan search: " << n << " ops, " << segments
        << " candidate segments, " << plans.size() << " plans, "
        << budgets.size() << " budgets (" << feasible
        << " feasible): the DP equals brute force; front";
    for (auto [peak, cost] : front)
      diag << " " << peak << ":" << static_cast<int64_t>(cost);
    return success();
  }
};
} // namespace

namespace mlir::ckpt::test {
void registerTestTransformsPasses() { PassRegistration<TestPlanSearchPass>(); }
} // namespace mlir::ckpt::test
