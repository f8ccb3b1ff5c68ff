//===- MemoryReportPrinters.cpp - the report as text, JSON, SVG -*- C++ -*-===//
//
// Prints the figures of `buildMemoryReport` (rationale §5), before and after a
// pipeline side by side.
//
//===----------------------------------------------------------------------===//

#include "ckpt/Tools/MemoryReportPrinters.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"

using namespace mlir;
using namespace mlir::ckpt;

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

//===----------------------------------------------------------------------===//
// Text
//===----------------------------------------------------------------------===//

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
      os << llvm::left_justify("region", 24)
         << llvm::right_justify("saved B", 14)
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

//===----------------------------------------------------------------------===//
// JSON
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// SVG
//===----------------------------------------------------------------------===//

void mlir::ckpt::printMemoryReportSVG(
    llvm::raw_ostream &os, const std::vector<FunctionReport> &before,
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
