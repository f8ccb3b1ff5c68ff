//===- Rematerialize.h - shared pieces of the rematerialization -*- C++ -*-===//

#ifndef CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
#define CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H

#include "mlir/IR/BuiltinOps.h"
#include "ckpt/Dialect/Ckpt/IR/CkptTraces.h"

namespace mlir::ckpt {

/// The post-condition of `ckpt-rematerialize` (DESIGN §3.10): no tensor
/// result of an op with a dropped trace is used by an op outside the forward
/// part of its joint-form function (ops that carry a region trace count as
/// forward: they were inlined from a forward region). Emits one error per offending use (at the
/// user, with a note at the dropped value) and fails if there is any, or if a
/// function's forward part cannot be computed.
LogicalResult verifyNoDroppedValueInBackward(ModuleOp module);

} // namespace mlir::ckpt

#endif // CKPT_DIALECT_CKPT_TRANSFORMS_REMATERIALIZE_H
