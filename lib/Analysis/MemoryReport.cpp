//===- MemoryReport.cpp - before/after memory and cost report ---*- C++ -*-===//

#include "ckpt/Analysis/MemoryReport.h"

#include "ckpt/Analysis/CallInlining.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <map>

using namespace mlir;
using namespace mlir::ckpt;

/// The figures of `func`; `step` is its training step (null if it is none:
/// no saved set). The peak, its op and the live bytes over the schedule are
/// `peakProfile`'s: `profile`'s, or that of `func` with its calls inlined.
static FunctionReport buildStepReport(func::FuncOp func,
                                      const TrainingStep *step,
                                      const MemoryProfile &profile,
                                      const MemoryProfile &peakProfile,
                                      const CostModelOptions &options) {
  FunctionReport report;
  report.name = func.getSymName().str();
  report.numOps = peakProfile.getSchedule().size();
  report.peakBytes = peakProfile.getPeakBytes();
  report.peakPosition = peakProfile.getPeakPosition();
  if (report.peakPosition >= 0) {
    Operation *peakOp = peakProfile.getSchedule()[report.peakPosition];
    report.peakOp = peakOp->getName().getStringRef().str();
    llvm::raw_string_ostream os(report.peakLoc);
    stripRegionTrace(peakOp->getLoc()).print(os);
  }
  report.argumentBytes = profile.getArgumentBytes();
  report.liveBytes.assign(peakProfile.getLiveBytes().begin(),
                          peakProfile.getLiveBytes().end());

  FlopModel flops(options);
  auto isForward = [&](Operation *top) { return step && step->isForward(top); };
  auto isBackward = [&](Operation *top) {
    return step && step->isBackward(top);
  };

  // Rows by region name and instance: two calls to one checkpointed
  // function are two rows.
  using RegionKey = std::pair<std::string, int64_t>;
  auto keyOf = [](StringRef name, Location loc) {
    return RegionKey(name.str(), getTraceInstance(loc));
  };
  std::map<RegionKey, RegionReport> regions;
  std::map<RegionKey, llvm::DenseSet<Value>> regionSaved;
  llvm::DenseSet<Value> saved;
  Operation *terminator = func.getBody().front().getTerminator();
  for (Operation *op : profile.getSchedule()) {
    int64_t opFlops = flops.getFlops(op);
    report.totalFlops += opFlops;
    if (isForward(op))
      report.forwardFlops += opFlops;
    std::optional<StringRef> recompute = getRecomputeTrace(op->getLoc());
    std::optional<RegionKey> recomputeKey;
    if (recompute)
      recomputeKey = keyOf(*recompute, op->getLoc());
    if (recompute) {
      RegionReport &row = regions[*recomputeKey];
      row.name = recompute->str();
      report.recomputeFlops += opFlops;
      if (!isa<BarrierOp>(op)) {
        row.recomputeFlops += opFlops;
        ++row.clonedOps;
      }
      // Values handed to the backward proper.
      for (Value result : op->getResults()) {
        bool handedOver = llvm::any_of(result.getUsers(), [&](Operation *u) {
          Operation *top = func.getBody().front().findAncestorOpInBlock(*u);
          std::optional<StringRef> userTrace =
              top ? getRecomputeTrace(top->getLoc()) : std::nullopt;
          return !userTrace ||
                 keyOf(*userTrace, top->getLoc()) != *recomputeKey;
        });
        if (handedOver && isa<ShapedType>(result.getType()) &&
            !isa<BarrierOp>(op)) {
          ++row.droppedValues;
          row.droppedBytes +=
              profile.getChargedBytes(profile.getAliasRoot(result));
        }
      }
    }
    if (!isBackward(op))
      continue;
    // A backward op: what it reads from the forward is saved.
    for (Value value : getReadValues(op)) {
      // The buffer's bytes count once; the value read must have been
      // computed by the forward (not a recompute the backward wrote in place
      // into a buffer the forward allocated, such as an empty tensor `cse`
      // shared: that buffer stays live, which the peak counts, but holds no
      // forward value).
      Value root = profile.getAliasRoot(value);
      Operation *def = getBufferRoot(value).getDefiningOp();
      if (!def || profile.getChargedBytes(root) == 0)
        continue;
      Operation *defTop = func.getBody().front().findAncestorOpInBlock(*def);
      if (!defTop || !isForward(defTop))
        continue;
      saved.insert(root);
      // Charged to the region whose recompute reads it, or that kept it.
      std::optional<RegionKey> owner = recomputeKey;
      if (!owner)
        if (std::optional<StringRef> kept = getRegionTrace(defTop->getLoc()))
          owner = keyOf(*kept, defTop->getLoc());
      if (owner)
        regionSaved[*owner].insert(root);
    }
  }
  // The forward function of a split-form pair saves its results K.. for the
  // backward function.
  if (step && step->getForm() == TrainingStep::Form::SplitForward)
    for (OpOperand &operand : terminator->getOpOperands())
      if (static_cast<int64_t>(operand.getOperandNumber()) >=
          static_cast<int64_t>(step->getForwardResults().size()))
        if (Value root = profile.getAliasRoot(operand.get());
            profile.getChargedBytes(root) != 0)
          saved.insert(root);
  for (Value root : saved)
    report.savedBytes += profile.getChargedBytes(root);
  report.savedValues = saved.size();
  for (auto &[key, values] : regionSaved) {
    RegionReport &row = regions[key];
    row.name = key.first;
    for (Value root : values)
      row.savedBytes += profile.getChargedBytes(root);
  }
  // A name with several instances gets "#1", "#2", ... in instance order.
  std::map<std::string, int64_t> instances;
  for (auto &entry : regions)
    ++instances[entry.first.first];
  std::map<std::string, int64_t> seen;
  for (auto &[key, row] : regions) {
    if (instances[key.first] > 1)
      row.name = key.first + "#" + std::to_string(++seen[key.first]);
    report.regions.push_back(row);
  }
  report.unknownCallees = flops.getUnknownCallees();
  report.assumedDynamic = profile.usedAssumption() || flops.usedAssumption();
  return report;
}

/// True if no function of `func`'s module calls it.
static bool isUncalled(func::FuncOp func) {
  auto module = func->getParentOfType<ModuleOp>();
  if (!module)
    return true;
  std::optional<SymbolTable::UseRange> uses = func.getSymbolUses(module);
  return uses && uses->empty();
}

std::optional<FunctionReport>
mlir::ckpt::buildFunctionReport(func::FuncOp func, const SplitFormPairs &pairs,
                                const CostModelOptions &options) {
  if (func.isExternal() || !llvm::hasSingleElement(func.getBody()))
    return std::nullopt;
  std::optional<TrainingStep> step;
  {
    // A malformed step is diagnosed by the passes; the report only leaves
    // the saved set out.
    ScopedDiagnosticHandler silence(func.getContext(),
                                    [](Diagnostic &) { return success(); });
    if (FailureOr<std::optional<TrainingStep>> found =
            TrainingStep::get(func, pairs);
        succeeded(found))
      step = std::move(*found);
  }
  // Training steps, public functions (inference graphs too) and private
  // functions nothing calls (an entry that runs a split pair).
  if (!step && func.isPrivate() && !isUncalled(func))
    return std::nullopt;
  FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, options);
  if (failed(profile))
    return std::nullopt;
  // The lowering inlines calls to defined functions before it bufferizes:
  // the peak is that of the inlined step (what a callee holds while it
  // runs, and what it writes in place into the caller's dying buffers).
  func::FuncOp inlinedFunc;
  OwningOpRef<ModuleOp> inlined = cloneWithCallsInlined(func, inlinedFunc);
  FailureOr<MemoryProfile> inlinedProfile = failure();
  if (inlined)
    inlinedProfile = MemoryProfile::compute(inlinedFunc, options);
  return buildStepReport(func, step ? &*step : nullptr, *profile,
                         succeeded(inlinedProfile) ? *inlinedProfile
                                                   : *profile,
                         options);
}

std::vector<FunctionReport>
mlir::ckpt::buildMemoryReport(ModuleOp module,
                              const CostModelOptions &options) {
  std::vector<FunctionReport> reports;
  SplitFormPairs pairs(module);
  for (auto func : module.getOps<func::FuncOp>())
    if (std::optional<FunctionReport> report =
            buildFunctionReport(func, pairs, options))
      reports.push_back(std::move(*report));
  return reports;
}
