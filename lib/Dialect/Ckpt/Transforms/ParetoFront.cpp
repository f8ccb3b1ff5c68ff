//===- ParetoFront.cpp - ckpt-annotate's pareto= output -----------------===//
//
// The front of (estimated peak, recompute cost) region plans, as JSON for
// tools and as an SVG plot for people (issue 17, part 4).
//
//===----------------------------------------------------------------------===//

#include "ParetoFront.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using namespace mlir::ckpt;

LogicalResult mlir::ckpt::writePareto(func::FuncOp func, StringRef stem,
                                      const SegmentModel &model,
                                      ArrayRef<SegmentPlan> front,
                                      const std::optional<SegmentPlan> &chosen,
                                      const CostTarget &target) {
  StringRef unit = target.flopsOnly ? "FLOPs" : "s";
  auto writeFile = [&](StringRef path,
                       function_ref<void(raw_ostream &)> write) {
    std::error_code error;
    llvm::raw_fd_ostream os(path, error);
    if (error)
      return func.emitError()
                 << "cannot write '" << path << "': " << error.message(),
             failure();
    write(os);
    return success();
  };
  auto writePlan = [&](llvm::json::OStream &json, const SegmentPlan &plan) {
    json.object([&] {
      json.attribute("peak_bytes", plan.peak);
      json.attribute("cost", plan.cost);
      json.attribute("flops", plan.flops);
      json.attribute("bytes_moved", plan.bytesMoved);
      json.attribute("freed_bytes", plan.freed);
      json.attribute("regions", static_cast<int64_t>(plan.segments.size()));
      json.attributeArray("segments", [&] {
        for (auto [begin, end] : plan.segments)
          json.array([&] {
            json.value(begin);
            json.value(end);
          });
      });
      if (llvm::is_contained(plan.saveContractions, true))
        json.attributeArray("save_contractions", [&] {
          for (size_t k = 0; k < plan.segments.size(); ++k)
            json.value(plan.savesContractions(k));
        });
    });
  };
  if (failed(writeFile((stem + ".json").str(), [&](raw_ostream &os) {
        llvm::json::OStream json(os, 2);
        json.object([&] {
          json.attribute("function", func.getSymName());
          json.attribute("target", target.name);
          json.attribute("cost_unit", unit);
          json.attribute("unannotated_peak_bytes", model.baselinePeak);
          json.attribute("ops", static_cast<int64_t>(model.ops.size()));
          json.attributeArray("front", [&] {
            for (const SegmentPlan &plan : front)
              writePlan(json, plan);
          });
          if (chosen) {
            json.attributeBegin("chosen");
            writePlan(json, *chosen);
            json.attributeEnd();
          } else {
            json.attribute("chosen", nullptr);
          }
        });
        os << "\n";
      })))
    return failure();
  // The plot: peak (bytes) across, cost up; the unannotated step at cost 0.
  SmallVector<std::pair<double, double>> points = {
      {double(model.baselinePeak), 0.0}};
  for (const SegmentPlan &plan : front)
    points.push_back({double(plan.peak), plan.cost});
  if (chosen)
    points.push_back({double(chosen->peak), chosen->cost});
  double xMin = points[0].first, xMax = xMin, yMax = 0;
  for (auto [x, y] : points) {
    xMin = std::min(xMin, x);
    xMax = std::max(xMax, x);
    yMax = std::max(yMax, y);
  }
  if (xMax == xMin)
    xMax = xMin + 1;
  if (yMax == 0)
    yMax = 1;
  const double width = 640, height = 420, left = 90, right = 20, top = 40,
               bottom = 60;
  auto px = [&](double x) {
    return left + (x - xMin) / (xMax - xMin) * (width - left - right);
  };
  auto py = [&](double y) {
    return height - bottom - y / yMax * (height - top - bottom);
  };
  return writeFile((stem + ".svg").str(), [&](raw_ostream &os) {
    os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
       << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << width
       << "\" height=\"" << height << "\" viewBox=\"0 0 " << width << " "
       << height << "\" font-family=\"sans-serif\" font-size=\"12\">\n"
       << "<title>Region plans of @" << func.getSymName()
       << ": estimated peak against recompute cost</title>\n"
       << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n";
    // Axes, ticks at the ends, labels.
    os << llvm::format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                       "y2=\"%.1f\" stroke=\"black\"/>\n",
                       left, height - bottom, width - right, height - bottom)
       << llvm::format("<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
                       "y2=\"%.1f\" stroke=\"black\"/>\n",
                       left, top, left, height - bottom);
    os << llvm::format("<text x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"middle\">%.0f</text>\n",
                       px(xMin), height - bottom + 16, xMin)
       << llvm::format("<text x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"middle\">%.0f</text>\n",
                       px(xMax), height - bottom + 16, xMax)
       << llvm::format("<text x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"end\">0</text>\n",
                       left - 6, height - bottom + 4)
       << llvm::format("<text x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"end\">%.3g</text>\n",
                       left - 6, top + 4, yMax);
    os << llvm::format("<text id=\"x-label\" x=\"%.1f\" y=\"%.1f\" "
                       "text-anchor=\"middle\">estimated peak (bytes)"
                       "</text>\n",
                       (left + width - right) / 2, height - 18)
       << llvm::format("<text id=\"y-label\" transform=\"translate(%.1f "
                       "%.1f) rotate(-90)\" text-anchor=\"middle\">"
                       "recompute cost (",
                       24.0, (top + height - bottom) / 2)
       << unit << ", target " << target.name << ")</text>\n";
    os << "<text x=\"" << left << "\" y=\"24\">Pareto front of @"
       << func.getSymName() << " (" << front.size() << " plans)</text>\n";
    // The front as a step line through its points (in order of decreasing
    // peak): a budget below one plan's peak but not below the next's can only
    // have the next plan's cost, so the line rises at each plan's peak.
    os << "<polyline id=\"front\" fill=\"none\" stroke=\"steelblue\" "
          "points=\"";
    ArrayRef<std::pair<double, double>> line =
        ArrayRef(points).take_front(front.size() + 1);
    for (auto [i, point] : llvm::enumerate(line)) {
      if (i > 0)
        os << llvm::format("%.1f,%.1f ", px(line[i - 1].first),
                           py(point.second));
      os << llvm::format("%.1f,%.1f ", px(point.first), py(point.second));
    }
    os << "\"/>\n";
    for (auto [x, y] : ArrayRef(points).take_front(front.size() + 1))
      os << llvm::format("<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" "
                         "fill=\"steelblue\"/>\n",
                         px(x), py(y));
    if (chosen)
      os << llvm::format("<circle id=\"chosen\" cx=\"%.1f\" cy=\"%.1f\" "
                         "r=\"6\" fill=\"none\" stroke=\"crimson\" "
                         "stroke-width=\"2\"/>\n<text x=\"%.1f\" "
                         "y=\"%.1f\" fill=\"crimson\">chosen</text>\n",
                         px(chosen->peak), py(chosen->cost),
                         px(chosen->peak) + 8, py(chosen->cost) - 8);
    os << "</svg>\n";
  });
}
