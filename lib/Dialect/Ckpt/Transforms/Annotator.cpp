//===- Annotator.cpp - the regions ckpt-annotate creates --------*- C++ -*-===//
//
// The modes of one training step: regions by callee, by location name, and
// by segmentation of the forward part (Annotator.h).
//
//===----------------------------------------------------------------------===//

#include "Annotator.h"

#include "ckpt/Analysis/LibraryKernels.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "llvm/ADT/SetVector.h"

#include <cmath>
#include <set>
#include <string>
#include <vector>

using namespace mlir;
using namespace mlir::ckpt;

//===----------------------------------------------------------------------===//
// Location names
//===----------------------------------------------------------------------===//

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

//===----------------------------------------------------------------------===//
// The modes of one training step
//===----------------------------------------------------------------------===//

/// Marks `region` as created by ckpt-annotate (`ckpt.auto`).
void markAuto(CheckpointOp region) {
  region->setAttr(CkptDialect::getAutoAttrName(),
                  UnitAttr::get(region.getContext()));
}


/// True if `op` is a layer in the sense of `segments=sqrt`: a contraction
/// or convolution by the linalg interfaces, or a ByteIR matmul or
/// convolution kernel call.
bool isLayerOp(Operation *op) {
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
    return linalg::isaContractionOpInterface(linalgOp) ||
           linalg::isaConvolutionOpInterface(linalgOp);
  if (getByreComputeName(op))
    if (FailureOr<LibraryKernel> kernel = matchLibraryKernel(op);
        succeeded(kernel))
      return kernel->kind == LibraryKernelKind::Conv ||
             kernel->kind == LibraryKernelKind::Matmul;
  return false;
}
} // namespace

LogicalResult Annotator::byCallee(const llvm::Regex &regex, int64_t &count) {
  func::FuncOp func = step.getFunction();
  for (auto call : func.getBody().front().getOps<func::CallOp>())
    if (step.isForward(call) && regex.match(call.getCallee())) {
      call->setAttr(CkptDialect::getCheckpointAttrName(),
                    UnitAttr::get(call.getContext()));
      ++count;
    }
  auto isForward = [&](Operation *op) { return step.isForward(op); };
  FailureOr<CheckpointBoundaries> boundaries =
      checkCheckpointBoundaries(func, isForward, symbols);
  if (failed(boundaries))
    return failure();
  llvm::DenseSet<Operation *> existing;
  func.walk([&](CheckpointOp region) { existing.insert(region); });
  [[maybe_unused]] int64_t converted =
      convertCheckpointedCalls(rewriter, func, isForward, symbols);
  assert(converted == boundaries->numCallsToConvert &&
         "the conversion follows the checked chains");
  func.walk([&](CheckpointOp region) {
    if (!existing.contains(region))
      markAuto(region);
  });
  return success();
}

void Annotator::byLocation(const llvm::Regex &regex, int64_t &count) {
  for (SmallVector<Operation *> &piece :
       getForwardPieces(step, safety, /*computable=*/true)) {
    SmallVector<Operation *> run, pending;
    std::string key;
    auto flush = [&]() {
      // A region holds at least one forward op that computes.
      if (llvm::any_of(run, [&](Operation *op) {
            return step.isForward(op) && !isNullary(op);
          })) {
        markAuto(wrapInRegion(rewriter, run, key));
        ++count;
      }
      run.clear();
      pending.clear();
    };
    for (Operation *op : piece) {
      SmallVector<StringRef> matches;
      std::optional<StringRef> name = getLocationName(op->getLoc());
      if (!name || !regex.match(*name, &matches)) {
        if (isNullary(op) && !run.empty()) {
          pending.push_back(op);
          continue;
        }
        flush();
        continue;
      }
      if (!run.empty() && matches[0] != key)
        flush();
      key = matches[0].str();
      llvm::append_range(run, pending);
      pending.clear();
      run.push_back(op);
    }
    flush();
  }
}

void Annotator::applySegments(const SegmentModel &model,
                              ArrayRef<std::pair<int64_t, int64_t>> segments,
                              int64_t &count,
                              ArrayRef<bool> saveContractions) {
  for (auto [k, segment] : llvm::enumerate(segments)) {
    auto [i, j] = segment;
    SmallVector<Operation *> segmentOps(model.ops.begin() + i,
                                        model.ops.begin() + j);
    llvm::SetVector<std::string, std::vector<std::string>,
                    std::set<std::string>>
        saved;
    if (k < saveContractions.size() && saveContractions[k])
      for (int64_t op = i; op < j; ++op)
        if (model.contraction[op])
          saved.insert(getSaveEntry(model.ops[op]));
    CheckpointOp region = wrapInRegion(rewriter, segmentOps,
                                       ("segment." + Twine(count)).str());
    if (!saved.empty())
      region.setSaveAttr(rewriter.getStrArrayAttr(
          SmallVector<StringRef>(saved.begin(), saved.end())));
    markAuto(region);
    ++count;
  }
}


LogicalResult
Annotator::bySegments(StringRef spec, const CostTarget &target, int64_t &count,
                      SmallVector<std::pair<int64_t, int64_t>> *chosen) {
  func::FuncOp func = step.getFunction();
  FailureOr<SegmentModel> model =
      SegmentModel::build(step, safety, CostModelOptions(), target);
  if (failed(model))
    return failure();
  int64_t n = model->ops.size();
  if (n == 0)
    return success();
  int64_t segmentsWanted;
  if (spec == "sqrt") {
    // √(layers), Chen's unit; √(ops) without layers. At least one region
    // per piece.
    int64_t layers = llvm::count_if(model->ops, [&](Operation *op) {
      return step.isForward(op) && isLayerOp(op);
    });
    int64_t units = layers > 0 ? layers : n;
    segmentsWanted = std::max<int64_t>(model->numPieces,
                                       std::lround(std::sqrt(double(units))));
    segmentsWanted = std::min(segmentsWanted, n);
  } else if (spec.getAsInteger(10, segmentsWanted) || segmentsWanted < 1) {
    return func.emitError() << "'segments' must be a positive integer or "
                               "'sqrt', got '"
                            << spec << "'";
  }
  if (segmentsWanted < model->numPieces || segmentsWanted > n)
    return func.emitError()
           << "cannot cut the forward part into " << segmentsWanted
           << " segments: it has " << n << " ops that may be recomputed, in "
           << model->numPieces
           << " pieces that regions cannot cross (at backward ops and ops "
              "that must not run twice)";
  FailureOr<SmallVector<std::pair<int64_t, int64_t>>> plan =
      planBalancedSegments(*model, segmentsWanted);
  if (failed(plan))
    return func.emitError() << "no cut of the forward part into "
                            << segmentsWanted << " balanced segments exists";
  applySegments(*model, *plan, count);
  if (chosen)
    *chosen = *plan;
  return success();
}
