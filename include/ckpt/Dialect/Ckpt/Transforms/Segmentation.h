//===- Segmentation.h - cutting a forward part into regions -----*- C++ -*-===//
//
// The analysis behind `ckpt-annotate segments=` and `budget=`: the forward
// ops of a training step that regions may hold, the bytes the backward reads
// from each and the bytes that cross each cut, and the balanced
// segmentations of least stored bytes (Chen et al. 2016, "Training Deep Nets
// with Sublinear Memory Cost"). Changes no IR.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_SEGMENTATION_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_SEGMENTATION_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Analysis/Recomputability.h"
#include "ckpt/Analysis/TrainingStep.h"

namespace mlir::ckpt {

/// The forward ops of `step` in program order, in pieces that regions may
/// not cross: a backward op or an op that must not run twice
/// (`RecomputeSafety`) ends a piece. With `computable`, backward ops that
/// read nothing but arguments and forward (or such) ops, and that sit among
/// the forward ops (before the last of them), may join a piece: a derivative
/// factor computed early, as tanh'(a) next to tanh(a), is computed from the
/// forward alone.
SmallVector<SmallVector<Operation *>> getForwardPieces(const TrainingStep &step,
                                                       RecomputeSafety &safety,
                                                       bool computable = false);

/// The cost model of a segmentation: the forward ops that may be in a region
/// (in order, with their piece), the bytes the backward reads from each
/// (recomputed if its segment is a region), and the bytes that cross the
/// cut before each (stored if the cut is a region boundary). Bytes are
/// those of `MemoryProfile` (`ByteModel::getValueBytes`).
struct SegmentModel {
  SmallVector<Operation *> ops;
  SmallVector<int64_t> pieceOf, internal, cross, prefix;
  /// Forward ops that compute (not constants or empty tensors) among ops
  /// [0, i): a region needs at least one (else it would hold only free
  /// values or only backward values).
  SmallVector<int64_t> forwardPrefix;
  int64_t numPieces = 0;

  /// Builds the model of `step` (pieces of `getForwardPieces(step, safety,
  /// /*computable=*/true)` with at least one forward op that computes).
  static FailureOr<SegmentModel> build(const TrainingStep &step,
                                       RecomputeSafety &safety,
                                       const CostModelOptions &options);
};

/// The `numSegments` segments (op index ranges [begin, end) of
/// `model.ops`) of least stored bytes, none recomputing more than twice the
/// average of the bytes the backward reads (at least the largest single
/// op's), each inside one piece and holding a forward op that computes: an
/// O(K n^2) dynamic program over cut points. Failure if no such
/// segmentation exists.
FailureOr<SmallVector<std::pair<int64_t, int64_t>>>
planBalancedSegments(const SegmentModel &model, int64_t numSegments);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_SEGMENTATION_H
