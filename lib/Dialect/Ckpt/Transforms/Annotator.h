//===- Annotator.h - the regions ckpt-annotate creates ----------*- C++ -*-===//
//
// Private to the ckpt-annotate pass (Annotate.cpp): how one training step's
// regions are formed in each mode. The pass drives it and searches plans.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_LIB_DIALECT_CKPT_TRANSFORMS_ANNOTATOR_H
#define CKPT_LIB_DIALECT_CKPT_TRANSFORMS_ANNOTATOR_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"
#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/Support/Regex.h"

namespace mlir::ckpt {

/// Creates the regions of one training step in one of ckpt-annotate's
/// modes (`callee=`, `loc=`, `segments=`, and the plans of `budget=`), each
/// region marked `ckpt.auto`.
class Annotator {
public:
  Annotator(RewriterBase &rewriter, const TrainingStep &step,
            RecomputeSafety &safety, SymbolTableCollection &symbols)
      : rewriter(rewriter), step(step), safety(safety), symbols(symbols) {}

  /// `callee=` mode.
  LogicalResult byCallee(const llvm::Regex &regex, int64_t &count);

  /// `loc=` mode. Backward ops computed from the forward alone (tanh'(a)
  /// next to tanh(a)) that carry the name join the run, as `segments=` lets
  /// them; a constant or empty tensor without a name neither starts nor
  /// breaks a run (it joins when an op of the same name follows). Before the
  /// runs are cut, each name's ops are gathered where the ops between them
  /// can move out of the way (`gatherKeys` in Annotator.cpp).
  void byLocation(const llvm::Regex &regex, int64_t &count);

  /// Wraps each segment into a region named `segment.N`, counting on from
  /// `count`. A segment whose `saveContractions` entry is true gets a
  /// `save` list of the names of its contraction ops
  /// (`SegmentModel::contraction`).
  void applySegments(const SegmentModel &model,
                     ArrayRef<std::pair<int64_t, int64_t>> segments,
                     int64_t &count, ArrayRef<bool> saveContractions = {});

  /// `segments=` mode: fails with an error if there are fewer ops than
  /// segments or more pieces than segments. Sets `chosen` to the segments.
  LogicalResult
  bySegments(StringRef spec, const CostTarget &target, int64_t &count,
             SmallVector<std::pair<int64_t, int64_t>> *chosen = nullptr);

private:
  RewriterBase &rewriter;
  const TrainingStep &step;
  RecomputeSafety &safety;
  SymbolTableCollection &symbols;
};

} // namespace mlir::ckpt

#endif // CKPT_LIB_DIALECT_CKPT_TRANSFORMS_ANNOTATOR_H
