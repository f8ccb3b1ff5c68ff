//===- Segmentation.cpp - cutting a forward part into regions ---*- C++ -*-===//

#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "ckpt/Analysis/MemoryProfile.h"
#include "ckpt/Dialect/Ckpt/IR/CkptAttributes.h"

#include <limits>

using namespace mlir;
using namespace mlir::ckpt;

SmallVector<SmallVector<Operation *>>
mlir::ckpt::getForwardPieces(const TrainingStep &step, RecomputeSafety &safety,
                             bool computable) {
  llvm::DenseSet<Operation *> fromForward;
  SmallVector<SmallVector<Operation *>> pieces(1);
  Block &body = *step.getBody();
  // Backward ops join only if they sit among the forward ops (before the
  // last of them), not in the backward proper after the loss.
  Operation *lastForward = nullptr;
  for (Operation &op : body.without_terminator())
    if (step.isForward(&op))
      lastForward = &op;
  bool beforeLast = true;
  for (Operation &op : body.without_terminator()) {
    bool eligible = step.isForward(&op);
    if (!eligible && computable && beforeLast) {
      eligible = llvm::all_of(getReadValues(&op), [&](Value v) {
        Operation *def = v.getDefiningOp();
        return def ? fromForward.contains(def) || step.isForward(def)
                   : isa<BlockArgument>(v);
      });
    }
    if (&op == lastForward)
      beforeLast = false;
    if (eligible)
      fromForward.insert(&op);
    bool fits = eligible && safety.classify(&op) == SaveReason::Recompute;
    if (fits) {
      pieces.back().push_back(&op);
    } else if (!pieces.back().empty()) {
      pieces.emplace_back();
    }
  }
  if (pieces.back().empty())
    pieces.pop_back();
  return pieces;
}

FailureOr<SegmentModel> SegmentModel::build(const TrainingStep &step,
                                            RecomputeSafety &safety,
                                            const CostModelOptions &options) {
  SegmentModel model;
  func::FuncOp func = step.getFunction();
  // Pieces with no forward op that computes (only constants, or only early
  // backward ops) cannot hold a region: they stay as they are.
  SmallVector<SmallVector<Operation *>> pieces;
  for (SmallVector<Operation *> &piece :
       getForwardPieces(step, safety, /*computable=*/true))
    if (llvm::any_of(piece, [&](Operation *op) {
          return step.isForward(op) && !isNullary(op);
        }))
      pieces.push_back(std::move(piece));
  for (auto [index, piece] : llvm::enumerate(pieces))
    for (Operation *op : piece) {
      model.ops.push_back(op);
      model.pieceOf.push_back(index);
    }
  model.numPieces = pieces.size();
  int64_t n = model.ops.size();
  // Bytes per op: what the backward reads from it (recomputed when its
  // segment is a region), and what crosses the cut before op j into a later
  // op (stored when the cut is a region boundary).
  FailureOr<MemoryProfile> profile = MemoryProfile::compute(func, options);
  if (failed(profile))
    return failure();
  llvm::DenseMap<Operation *, int64_t> index;
  for (auto [i, op] : llvm::enumerate(model.ops))
    index[op] = i;
  Block &body = func.getBody().front();
  int64_t savedFrom = -1;
  if (step.getForm() == TrainingStep::Form::SplitForward)
    savedFrom = getNumOutputs(func).value_or(0);
  model.internal.assign(n, 0);
  SmallVector<int64_t> crossDelta(n + 1, 0); // difference array over cuts
  for (auto [i, op] : llvm::enumerate(model.ops)) {
    for (Value result : op->getResults()) {
      // Views (slices, reshapes) take no bytes; their uses count for the
      // value they view.
      int64_t bytes = profile->getChargedBytes(result);
      if (bytes == 0)
        continue;
      int64_t lastForward = i;
      bool readByBackward = false;
      SmallVector<Value> aliases = {result};
      while (!aliases.empty()) {
        Value alias = aliases.pop_back_val();
        for (OpOperand &use : alias.getUses()) {
          Operation *user = use.getOwner();
          for (OpResult viewResult : user->getResults())
            if (getAliasedOperand(viewResult) == alias)
              aliases.push_back(viewResult);
          Operation *top = body.findAncestorOpInBlock(*user);
          // In a split-form forward function, the backward reads the saved
          // results.
          if (top == body.getTerminator() && savedFrom >= 0 &&
              static_cast<int64_t>(use.getOperandNumber()) >= savedFrom)
            readByBackward = true;
          if (!top || top == body.getTerminator())
            continue;
          auto it = index.find(top);
          if (it != index.end())
            lastForward = std::max<int64_t>(lastForward, it->second);
          else if (!step.isForward(top))
            readByBackward = true;
        }
      }
      if (readByBackward)
        model.internal[i] += bytes;
      // Crosses every cut j with i < j <= lastForward.
      crossDelta[i + 1] += bytes;
      crossDelta[lastForward + 1] -= bytes;
    }
  }
  model.cross.assign(n + 1, 0); // cross[j]: bytes over the cut before op j
  for (int64_t j = 1; j <= n; ++j)
    model.cross[j] = model.cross[j - 1] + crossDelta[j];
  model.prefix.assign(n + 1, 0);
  model.forwardPrefix.assign(n + 1, 0);
  for (int64_t i = 0; i < n; ++i) {
    model.prefix[i + 1] = model.prefix[i] + model.internal[i];
    Operation *op = model.ops[i];
    bool computes = step.isForward(op) && !isNullary(op);
    model.forwardPrefix[i + 1] = model.forwardPrefix[i] + computes;
  }
  return model;
}

FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
mlir::ckpt::planBalancedSegments(const SegmentModel &model, int64_t K) {
  int64_t n = model.ops.size();
  if (K < model.numPieces || K > n || n == 0)
    return failure();
  // Balance: no segment recomputes more than twice the average (but at least
  // the largest single op).
  int64_t cap = std::max<int64_t>((2 * model.prefix[n] + K - 1) / K,
                                  *llvm::max_element(model.internal));
  // dp[k][j]: least stored bytes for ops [0, j) in k segments; a cut is
  // allowed anywhere, and forced between pieces.
  const int64_t inf = std::numeric_limits<int64_t>::max() / 4;
  std::vector<std::vector<int64_t>> dp(K + 1, std::vector<int64_t>(n + 1, inf));
  std::vector<std::vector<int32_t>> from(K + 1,
                                         std::vector<int32_t>(n + 1, -1));
  dp[0][0] = 0;
  for (int64_t k = 1; k <= K; ++k)
    for (int64_t j = 1; j <= n; ++j)
      for (int64_t i = j - 1; i >= 0; --i) {
        // Segment [i, j) stays inside one piece and under the cap.
        if (model.pieceOf[i] != model.pieceOf[j - 1] ||
            model.prefix[j] - model.prefix[i] > cap)
          break;
        if (dp[k - 1][i] >= inf ||
            model.forwardPrefix[j] == model.forwardPrefix[i])
          continue;
        // A cut between pieces is forced; one inside a piece stores
        // cross[i].
        bool forced = i == 0 || model.pieceOf[i - 1] != model.pieceOf[i];
        int64_t cost = dp[k - 1][i] + (forced ? 0 : model.cross[i]);
        if (cost < dp[k][j]) {
          dp[k][j] = cost;
          from[k][j] = i;
        }
      }
  if (dp[K][n] >= inf)
    return failure();
  SmallVector<std::pair<int64_t, int64_t>> segments;
  for (int64_t k = K, j = n; k > 0; --k) {
    int64_t i = from[k][j];
    segments.push_back({i, j});
    j = i;
  }
  std::reverse(segments.begin(), segments.end());
  return segments;
}
