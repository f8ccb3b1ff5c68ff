//===- MemoryReport.cpp - before/after memory and cost report ---*- C++ -*-===//

#include "ckpt/Analysis/MemoryReport.h"

#include "ckpt/Analysis/ForwardBackward.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/Format.h"

#include <map>

using namespace mlir;
using namespace mlir::ckpt;

static FunctionReport buildFunctionReport(func::FuncOp func,
                                          const MemoryProfile &profile,
                                          const CostModelOptions &options) {
  FunctionReport report;
  report.name = func.getSymName().str();
  report.numOps = profile.getSchedule().size();
  report.peakBytes = profile.getPeakBytes();
  report.peakPosition = profile.getPeakPosition();
  if (report.peakPosition >= 0) {
    Operation *peakOp = profile.getSchedule()[report.peakPosition];
    report.peakOp = peakOp->getName().getStringRef().str();
    llvm::raw_string_ostream os(report.peakLoc);
    stripRegionTrace(peakOp->getLoc()).print(os);
  }
  report.argumentBytes = profile.getArgumentBytes();
  report.liveBytes.assign(profile.getLiveBytes().begin(),
                          profile.getLiveBytes().end());

  FlopModel flops(options);
  FailureOr<ForwardBackwardPartition> fb;
  {
    // A malformed attribute is diagnosed by the passes; the report only
    // leaves the saved set out.
    ScopedDiagnosticHandler silence(func.getContext(),
                                    [](Diagnostic &) { return success(); });
    fb = ForwardBackwardPartition::compute(func);
  }
  // Ops inlined from a region count as forward, as in ckpt-verify.
  auto isForward = [&](Operation *top) {
    return succeeded(fb) &&
           (fb->isForward(top) || getRegionTrace(top->getLoc()).has_value());
  };

  std::map<std::string, RegionReport> regions;
  std::map<std::string, llvm::DenseSet<Value>> regionSaved;
  llvm::DenseSet<Value> saved;
  Operation *terminator = func.getBody().front().getTerminator();
  for (Operation *op : profile.getSchedule()) {
    int64_t opFlops = flops.getFlops(op);
    report.totalFlops += opFlops;
    if (isForward(op))
      report.forwardFlops += opFlops;
    std::optional<StringRef> recompute = getRecomputeTrace(op->getLoc());
    if (recompute) {
      RegionReport &row = regions[recompute->str()];
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
          return !userTrace || *userTrace != *recompute;
        });
        if (handedOver && isa<ShapedType>(result.getType()) &&
            !isa<BarrierOp>(op)) {
          ++row.droppedValues;
          row.droppedBytes += profile.getChargedBytes(profile.getAliasRoot(result));
        }
      }
    }
    if (!succeeded(fb) || isForward(op) || op == terminator)
      continue;
    // A backward op: what it reads from the forward is saved.
    for (Value value : getReadValues(op)) {
      Value root = profile.getAliasRoot(value);
      Operation *def = root.getDefiningOp();
      if (!def || profile.getChargedBytes(root) == 0)
        continue;
      Operation *defTop = func.getBody().front().findAncestorOpInBlock(*def);
      if (!defTop || !isForward(defTop))
        continue;
      saved.insert(root);
      // Charged to the region whose recompute reads it, or that kept it.
      std::optional<StringRef> owner = recompute;
      if (!owner)
        owner = getRegionTrace(defTop->getLoc());
      if (owner)
        regionSaved[owner->str()].insert(root);
    }
  }
  for (Value root : saved)
    report.savedBytes += profile.getChargedBytes(root);
  report.savedValues = saved.size();
  for (auto &[name, values] : regionSaved) {
    RegionReport &row = regions[name];
    row.name = name;
    for (Value root : values)
      row.savedBytes += profile.getChargedBytes(root);
  }
  for (auto &[name, row] : regions)
    report.regions.push_back(row);
  report.unknownCallees = flops.getUnknownCallees();
  report.assumedDynamic = profile.usedAssumption() || flops.usedAssumption();
  return report;
}

std::vector<FunctionReport>
mlir::ckpt::buildMemoryReport(ModuleOp module,
                              const CostModelOptions &options) {
  std::vector<FunctionReport> reports;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal() || func.isPrivate() ||
        !llvm::hasSingleElement(func.getBody()))
      continue;
    FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, options);
    if (failed(profile))
      continue;
    reports.push_back(buildFunctionReport(func, *profile, options));
  }
  return reports;
}

/// Pairs of (before, after) by function name, in the order of `after`, then
/// functions only in `before`.
static std::vector<std::pair<const FunctionReport *, const FunctionReport *>>
pairReports(const std::vector<FunctionReport> &before,
            const std::vector<FunctionReport> &after) {
  llvm::StringMap<const FunctionReport *> byName;
  for (const FunctionReport &report : before)
    byName[report.name] = &report;
  std::vector<std::pair<const FunctionReport *, const FunctionReport *>> pairs;
  llvm::StringSet<> seen;
  for (const FunctionReport &report : after) {
    pairs.push_back({byName.lookup(report.name), &report});
    seen.insert(report.name);
  }
  for (const FunctionReport &report : before)
    if (!seen.contains(report.name))
      pairs.push_back({&report, nullptr});
  return pairs;
}

void mlir::ckpt::printMemoryReport(llvm::raw_ostream &os,
                                   const std::vector<FunctionReport> &before,
                                   const std::vector<FunctionReport> &after,
                                   const CostModelOptions &options) {
  for (auto [b, a] : pairReports(before, after)) {
    const FunctionReport *any = a ? a : b;
    os << "=== ckpt memory report: @" << any->name << " ===\n";
    auto row = [&](StringRef label, auto get) {
      os << llvm::left_justify(label, 34);
      os << llvm::right_justify(b ? std::to_string(get(*b)) : "-", 16);
      os << llvm::right_justify(a ? std::to_string(get(*a)) : "-", 16);
      if (a && b && get(*b) != 0) {
        double ratio = double(get(*a)) / double(get(*b));
        os << llvm::format("   x%.3f", ratio);
      }
      os << "\n";
    };
    os << llvm::left_justify("", 34) << llvm::right_justify("before", 16)
       << llvm::right_justify("after", 16) << "\n";
    row("peak live bytes", [](const FunctionReport &r) { return r.peakBytes; });
    row("saved bytes (forward->backward)",
        [](const FunctionReport &r) { return r.savedBytes; });
    row("saved values", [](const FunctionReport &r) { return r.savedValues; });
    row("argument bytes",
        [](const FunctionReport &r) { return r.argumentBytes; });
    row("FLOPs (total)", [](const FunctionReport &r) { return r.totalFlops; });
    row("FLOPs (forward)",
        [](const FunctionReport &r) { return r.forwardFlops; });
    row("recompute FLOPs",
        [](const FunctionReport &r) { return r.recomputeFlops; });
    row("ops", [](const FunctionReport &r) { return r.numOps; });
    if (b)
      os << "peak before: op #" << b->peakPosition << " '" << b->peakOp
         << "' at " << b->peakLoc << "\n";
    if (a)
      os << "peak after:  op #" << a->peakPosition << " '" << a->peakOp
         << "' at " << a->peakLoc << "\n";
    if (a && b)
      os << "recompute FLOPs added: " << (a->recomputeFlops - b->recomputeFlops)
         << "\n";
    if (a && !a->regions.empty()) {
      os << llvm::left_justify("region", 24) << llvm::right_justify("saved B", 14)
         << llvm::right_justify("dropped B", 14)
         << llvm::right_justify("dropped #", 11)
         << llvm::right_justify("recompute FLOPs", 17)
         << llvm::right_justify("ops cloned", 12) << "\n";
      for (const RegionReport &region : a->regions)
        os << llvm::left_justify(region.name, 24)
           << llvm::right_justify(std::to_string(region.savedBytes), 14)
           << llvm::right_justify(std::to_string(region.droppedBytes), 14)
           << llvm::right_justify(std::to_string(region.droppedValues), 11)
           << llvm::right_justify(std::to_string(region.recomputeFlops), 17)
           << llvm::right_justify(std::to_string(region.clonedOps), 12) << "\n";
    }
    std::vector<std::string> unknown = any->unknownCallees;
    if (!unknown.empty()) {
      os << "unknown FLOPs (external callees): ";
      llvm::interleaveComma(unknown, os);
      os << "\n";
    }
    if ((a && a->assumedDynamic) || (b && b->assumedDynamic))
      os << "note: dynamic dimensions assumed to be " << options.dynamicDimSize
         << " elements\n";
  }
}

static void writeSide(llvm::json::OStream &json, const FunctionReport &r) {
  json.object([&] {
    json.attribute("ops", r.numOps);
    json.attribute("peak_bytes", r.peakBytes);
    json.attribute("peak_position", r.peakPosition);
    json.attribute("peak_op", r.peakOp);
    json.attribute("peak_loc", r.peakLoc);
    json.attribute("argument_bytes", r.argumentBytes);
    json.attribute("saved_bytes", r.savedBytes);
    json.attribute("saved_values", r.savedValues);
    json.attribute("total_flops", r.totalFlops);
    json.attribute("forward_flops", r.forwardFlops);
    json.attribute("recompute_flops", r.recomputeFlops);
    json.attribute("assumed_dynamic", r.assumedDynamic);
    json.attributeArray("unknown_callees", [&] {
      for (const std::string &name : r.unknownCallees)
        json.value(name);
    });
    json.attributeArray("live_bytes", [&] {
      for (int64_t bytes : r.liveBytes)
        json.value(bytes);
    });
    json.attributeArray("regions", [&] {
      for (const RegionReport &region : r.regions)
        json.object([&] {
          json.attribute("name", region.name);
          json.attribute("saved_bytes", region.savedBytes);
          json.attribute("dropped_bytes", region.droppedBytes);
          json.attribute("dropped_values", region.droppedValues);
          json.attribute("recompute_flops", region.recomputeFlops);
          json.attribute("ops_cloned", region.clonedOps);
        });
    });
  });
}

void mlir::ckpt::printMemoryReportJSON(
    llvm::raw_ostream &os, const std::vector<FunctionReport> &before,
    const std::vector<FunctionReport> &after, const CostModelOptions &options) {
  llvm::json::OStream json(os, /*IndentSize=*/2);
  json.object([&] {
    json.attribute("dynamic_dim_size", options.dynamicDimSize);
    json.attributeArray("functions", [&] {
      for (auto [b, a] : pairReports(before, after))
        json.object([&] {
          json.attribute("name", (a ? a : b)->name);
          json.attributeBegin("before");
          if (b)
            writeSide(json, *b);
          else
            json.value(nullptr);
          json.attributeEnd();
          json.attributeBegin("after");
          if (a)
            writeSide(json, *a);
          else
            json.value(nullptr);
          json.attributeEnd();
        });
    });
  });
  os << "\n";
}

void mlir::ckpt::printMemoryReportSVG(llvm::raw_ostream &os,
                                      const std::vector<FunctionReport> &before,
                                      const std::vector<FunctionReport> &after) {
  auto pairs = pairReports(before, after);
  const int width = 960, chartHeight = 420, left = 110, right = 30, top = 50,
            bottom = 60;
  int height = std::max<size_t>(pairs.size(), 1) * chartHeight;
  os << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
     << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " "
     << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n";
  os << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
  int index = 0;
  for (auto [b, a] : pairs) {
    int y0 = index++ * chartHeight;
    int plotW = width - left - right, plotH = chartHeight - top - bottom;
    size_t maxOps = 1;
    int64_t maxBytes = 1;
    for (const FunctionReport *r : {b, a}) {
      if (!r)
        continue;
      maxOps = std::max<size_t>(maxOps, r->liveBytes.size());
      maxBytes = std::max(maxBytes, r->peakBytes);
    }
    auto x = [&](size_t i) {
      return left + double(i) * plotW / double(std::max<size_t>(maxOps - 1, 1));
    };
    auto y = [&](int64_t bytes) {
      return y0 + top + plotH - double(bytes) * plotH / double(maxBytes);
    };
    os << "<text x=\"" << width / 2 << "\" y=\"" << y0 + 25
       << "\" text-anchor=\"middle\" font-size=\"15\">live tensor bytes of @"
       << (a ? a : b)->name << " over the schedule</text>\n";
    // Axes, ticks and labels.
    os << "<line x1=\"" << left << "\" y1=\"" << y0 + top + plotH << "\" x2=\""
       << left + plotW << "\" y2=\"" << y0 + top + plotH
       << "\" stroke=\"black\"/>\n";
    os << "<line x1=\"" << left << "\" y1=\"" << y0 + top << "\" x2=\"" << left
       << "\" y2=\"" << y0 + top + plotH << "\" stroke=\"black\"/>\n";
    for (int t = 0; t <= 4; ++t) {
      int64_t bytes = maxBytes * t / 4;
      size_t op = (maxOps - 1) * t / 4;
      os << llvm::format("<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">",
                         left - 6, y(bytes) + 4)
         << bytes << "</text>\n";
      os << llvm::format("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                         "stroke=\"#ddd\"/>\n",
                         left, y(bytes), left + plotW, y(bytes));
      os << llvm::format("<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">",
                         x(op), y0 + top + plotH + 18)
         << op << "</text>\n";
    }
    os << "<text x=\"" << left + plotW / 2 << "\" y=\"" << y0 + chartHeight - 15
       << "\" text-anchor=\"middle\">op index (program order)</text>\n";
    os << "<text transform=\"translate(20," << y0 + top + plotH / 2
       << ") rotate(-90)\" text-anchor=\"middle\">live tensor bytes</text>\n";
    // The curves, as steps.
    auto curve = [&](const FunctionReport *r, StringRef color, StringRef label,
                     int legendRow) {
      if (!r)
        return;
      os << "<polyline fill=\"none\" stroke=\"" << color
         << "\" stroke-width=\"2\" points=\"";
      for (size_t i = 0; i < r->liveBytes.size(); ++i)
        os << llvm::format("%.1f,%.1f %.1f,%.1f ", x(i), y(r->liveBytes[i]),
                           x(i + 1 < r->liveBytes.size() ? i + 1 : i),
                           y(r->liveBytes[i]));
      os << "\"/>\n";
      int ly = y0 + top + 10 + legendRow * 18;
      os << "<line x1=\"" << left + plotW - 200 << "\" y1=\"" << ly
         << "\" x2=\"" << left + plotW - 175 << "\" y2=\"" << ly
         << "\" stroke=\"" << color << "\" stroke-width=\"3\"/>\n";
      os << "<text x=\"" << left + plotW - 170 << "\" y=\"" << ly + 4 << "\">"
         << label << " (peak " << r->peakBytes << " B)</text>\n";
    };
    curve(b, "#1f77b4", "before", 0);
    curve(a, "#ff7f0e", "after", 1);
  }
  os << "</svg>\n";
}

namespace {
class MemoryReportInstrumentation : public PassInstrumentation {
public:
  explicit MemoryReportInstrumentation(const MemoryReportOptions &options)
      : options(options) {}

  void runBeforePass(Pass *, Operation *op) override {
    auto module = dyn_cast<ModuleOp>(op);
    if (!module || module->getParentOp() || before)
      return;
    before = buildMemoryReport(module, options.cost);
  }
  void runAfterPass(Pass *, Operation *op) override {
    auto module = dyn_cast<ModuleOp>(op);
    if (!module || module->getParentOp())
      return;
    after = buildMemoryReport(module, options.cost);
  }
  void runAfterPassFailed(Pass *, Operation *) override { failed = true; }

  ~MemoryReportInstrumentation() override {
    if (failed || !before || !after)
      return;
    if (options.text)
      printMemoryReport(llvm::errs(), *before, *after, options.cost);
    writeFile(options.jsonPath, [&](llvm::raw_ostream &os) {
      printMemoryReportJSON(os, *before, *after, options.cost);
    });
    writeFile(options.svgPath, [&](llvm::raw_ostream &os) {
      printMemoryReportSVG(os, *before, *after);
    });
  }

private:
  void writeFile(StringRef path,
                 llvm::function_ref<void(llvm::raw_ostream &)> write) {
    if (path.empty())
      return;
    std::error_code error;
    llvm::raw_fd_ostream os(path, error, llvm::sys::fs::OF_Text);
    if (error) {
      llvm::errs() << "error: cannot write the memory report to '" << path
                   << "': " << error.message() << "\n";
      return;
    }
    write(os);
  }

  MemoryReportOptions options;
  std::optional<std::vector<FunctionReport>> before, after;
  bool failed = false;
};
} // namespace

std::unique_ptr<PassInstrumentation>
mlir::ckpt::createMemoryReportInstrumentation(
    const MemoryReportOptions &options) {
  return std::make_unique<MemoryReportInstrumentation>(options);
}
