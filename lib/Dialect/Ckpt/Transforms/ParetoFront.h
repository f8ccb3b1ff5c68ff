//===- ParetoFront.h - ckpt-annotate's pareto= output ------------*- C++ -*-===//
//
// Private to ckpt-annotate: the front of region plans as JSON and SVG.
//
//===----------------------------------------------------------------------===//

#ifndef CKPT_LIB_DIALECT_CKPT_TRANSFORMS_PARETOFRONT_H
#define CKPT_LIB_DIALECT_CKPT_TRANSFORMS_PARETOFRONT_H

#include "ckpt/Analysis/CostModel.h"
#include "ckpt/Dialect/Ckpt/Transforms/Segmentation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>

namespace mlir::ckpt {
/// Writes the front of `func` to `<stem>.json` and `<stem>.svg`: the plans
/// (estimated peak in the plan model, recompute cost, FLOPs, freed bytes,
/// cuts), the unannotated peak and `chosen` (marked; it need not be on the
/// front). Errors at `func` if a file cannot be written.
LogicalResult writePareto(func::FuncOp func, StringRef stem,
                          const SegmentModel &model,
                          ArrayRef<SegmentPlan> front,
                          const std::optional<SegmentPlan> &chosen,
                          const CostTarget &target);
} // namespace mlir::ckpt

#endif // CKPT_LIB_DIALECT_CKPT_TRANSFORMS_PARETOFRONT_H
