//===- Annotator.cpp - the regions ckpt-annotate creates --------*- C++ -*-===//
//
// The modes of one training step: regions by callee, by location name, and
// by segmentation of the forward part (Annotator.h).
//
//===----------------------------------------------------------------------===//

#include "Annotator.h"

#include "ckpt/Analysis/LibraryKernels.h"
#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"
#include "ckpt/Dialect/Ckpt/IR/CkptDialect.h"
#include "ckpt/Dialect/Ckpt/IR/CkptOps.h"
#include "ckpt/Dialect/Ckpt/Transforms/RegionUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/IR/LinalgInterfaces.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

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

namespace {
/// The text of `regex`'s match in `op`'s location name, or none.
std::optional<std::string> getLocationKey(Operation *op,
                                          const llvm::Regex &regex) {
  SmallVector<StringRef> matches;
  std::optional<StringRef> name = getLocationName(op->getLoc());
  if (!name || !regex.match(*name, &matches))
    return std::nullopt;
  return matches[0].str();
}

/// True if `op` may be moved among its neighbours: it has no memory effects
/// besides allocation (ops on tensors; not a call, not an op on memrefs).
bool isFreeToMove(Operation *op) {
  if (isMemoryEffectFree(op))
    return true;
  auto effects = dyn_cast<MemoryEffectOpInterface>(op);
  return effects && op->getNumRegions() == 0 &&
         effects.hasEffect<MemoryEffects::Allocate>() &&
         !effects.hasEffect<MemoryEffects::Read>() &&
         !effects.hasEffect<MemoryEffects::Write>() &&
         !effects.hasEffect<MemoryEffects::Free>();
}

/// How the ops from a key's first op to its last would move (gatherKeys).
struct KeySpan {
  /// The ops of the span, in block order.
  SmallVector<Operation *> ops;
  /// The key's ops and the ops computed from them.
  llvm::DenseSet<Operation *> fromKey;
  /// Ops without the key that move before the first key op, and after the
  /// last, in block order.
  SmallVector<Operation *> before, after;
  /// Ops without operands, regions or key: they stay unless an op moving
  /// before reads them.
  SmallVector<Operation *> stay;
  /// A key op that reads an op that would move after, and that op: the
  /// key's ops are not convex. Null when they are.
  Operation *blocked = nullptr, *blocker = nullptr;
};

KeySpan classifySpan(ArrayRef<Operation *> piece,
                     function_ref<bool(Operation *)> hasKey,
                     const llvm::DenseMap<Operation *, std::string> &keyOf) {
  KeySpan span;
  auto firstIt = llvm::find_if(piece, hasKey);
  auto lastIt = llvm::find_if(llvm::reverse(piece), hasKey);
  span.ops.assign(firstIt, lastIt.base());
  for (Operation *op : span.ops) {
    Operation *readsFromKey = nullptr, *readsFromAfter = nullptr;
    for (Value v : getReadValues(op))
      if (Operation *def = v.getDefiningOp(); def && span.fromKey.contains(def)) {
        readsFromKey = def;
        if (!hasKey(def))
          readsFromAfter = def;
      }
    if (hasKey(op)) {
      span.fromKey.insert(op);
      if (readsFromAfter) {
        span.blocked = op;
        span.blocker = readsFromAfter;
        return span;
      }
    } else if (readsFromKey) {
      span.fromKey.insert(op);
      span.after.push_back(op);
    } else if (op->getNumOperands() == 0 && op->getNumRegions() == 0 &&
               !keyOf.contains(op)) {
      span.stay.push_back(op);
    } else {
      span.before.push_back(op);
    }
  }
  return span;
}

/// Moves ops of `piece` (consecutive ops of one block, in order) so that the
/// ops of one key sit together where the ops between them allow it: between
/// the first and the last op of the key, an op that reads nothing computed
/// from the key's ops moves before the first, one that does moves after the
/// last, and an op with no operands, regions or key stays (it joins the run)
/// unless an op moving before reads it.
///
/// When a key op reads an op that would move after (the key's ops are not
/// convex), the key ops that op is computed from lose the key if all of
/// them are computed from constants alone (`constantLike`: an iota that CSE
/// shared between the position embedding and a block's causal mask keeps
/// the block's name but feeds the embedding); otherwise (a module called
/// twice around another one) the key is left as it is. A key is also left
/// as it is when the moves would split a key gathered before it, and when
/// an op of its span is not free to move (`isFreeToMove`). Re-sorts `piece`
/// to block order. This undoes what CSE does to a module's run: a shared
/// mask or fill keeps the first module's name and sits apart from its run.
void gatherKeys(RewriterBase &rewriter, SmallVector<Operation *> &piece,
                llvm::DenseMap<Operation *, std::string> &keyOf) {
  // Ops computed from constants alone (no block argument, no data).
  llvm::DenseSet<Operation *> constantLike;
  for (Operation *op : piece)
    if (llvm::all_of(getReadValues(op), [&](Value v) {
          Operation *def = v.getDefiningOp();
          return def && (isNullary(def) || constantLike.contains(def));
        }))
      constantLike.insert(op);
  SmallVector<std::string> keys;
  llvm::StringSet<> seen, gathered;
  for (Operation *op : piece)
    if (auto it = keyOf.find(op); it != keyOf.end())
      if (seen.insert(it->second).second)
        keys.push_back(it->second);
  for (const std::string &key : keys) {
    auto hasKey = [&](Operation *op) {
      auto it = keyOf.find(op);
      return it != keyOf.end() && it->second == key;
    };
    KeySpan span;
    while (true) {
      if (llvm::none_of(piece, hasKey))
        break;
      span = classifySpan(piece, hasKey, keyOf);
      if (!span.blocked)
        break;
      // The key ops the blocker is computed from, within the span.
      SmallVector<Operation *> worklist{span.blocker}, sources;
      llvm::DenseSet<Operation *> visited;
      while (!worklist.empty()) {
        Operation *op = worklist.pop_back_val();
        if (!visited.insert(op).second)
          continue;
        if (hasKey(op))
          sources.push_back(op);
        for (Value v : getReadValues(op))
          if (Operation *def = v.getDefiningOp();
              def && span.fromKey.contains(def))
            worklist.push_back(def);
      }
      if (!llvm::all_of(sources,
                        [&](Operation *op) { return constantLike.contains(op); }))
        break;
      for (Operation *op : sources)
        keyOf.erase(op);
    }
    if (span.blocked || (span.before.empty() && span.after.empty()) ||
        !llvm::all_of(span.ops, isFreeToMove))
      continue;
    // A data-less op that an op moving before reads moves before too.
    llvm::DenseSet<Operation *> beforeSet(span.before.begin(),
                                          span.before.end());
    Block *block = span.ops.front()->getBlock();
    for (Operation *op : span.stay)
      if (llvm::any_of(op->getUsers(), [&](Operation *user) {
            // A use inside a nested region counts at its op in the block.
            return beforeSet.contains(block->findAncestorOpInBlock(*user));
          }))
        beforeSet.insert(op);
    // Never split a key gathered before this one.
    llvm::StringMap<bool> sides;
    bool splits = false;
    for (Operation *op : span.ops)
      if (auto it = keyOf.find(op); it != keyOf.end() &&
                                    it->second != key &&
                                    gathered.contains(it->second)) {
        auto [entry, inserted] =
            sides.try_emplace(it->second, beforeSet.contains(op));
        splits |= !inserted && entry->second != beforeSet.contains(op);
      }
    if (splits)
      continue;
    Operation *first = *llvm::find_if(span.ops, hasKey);
    Operation *last = *llvm::find_if(llvm::reverse(span.ops), hasKey);
    for (Operation *op : span.ops)
      if (beforeSet.contains(op))
        rewriter.moveOpBefore(op, first);
    for (Operation *op : llvm::reverse(span.after))
      rewriter.moveOpAfter(op, last);
    llvm::sort(piece,
               [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
    gathered.insert(key);
  }
}
} // namespace

void Annotator::byLocation(const llvm::Regex &regex, int64_t &count) {
  for (SmallVector<Operation *> &piece :
       getForwardPieces(step, safety, /*computable=*/true)) {
    llvm::DenseMap<Operation *, std::string> keyOf;
    for (Operation *op : piece)
      if (std::optional<std::string> key = getLocationKey(op, regex))
        keyOf[op] = *key;
    gatherKeys(rewriter, piece, keyOf);
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
      auto it = keyOf.find(op);
      if (it == keyOf.end()) {
        if (isNullary(op) && !run.empty()) {
          pending.push_back(op);
          continue;
        }
        flush();
        continue;
      }
      if (!run.empty() && it->second != key)
        flush();
      key = it->second;
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
